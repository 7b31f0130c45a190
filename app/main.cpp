// The `tta` command (ARCHITECTURE.md, "The tta command"): the only code tests do not link.
// Each command group lives in its own cmd_*.cpp and registers its subcommands here.
#include <CLI/CLI.hpp>

#include "cmd_models.hpp"
#include "cmd_ops.hpp"
#include "cmd_play.hpp"
#include "cmd_safety.hpp"
#include "cmd_serve.hpp"
#include "cmd_therapy.hpp"
#include "cmd_worlds.hpp"

int main(int argc, char** argv) {
    CLI::App app{"TTA: a therapeutic text adventure"};
    app.require_subcommand(1);
    tta::app::AddPlayCommands(app);
    tta::app::AddWorldsCommands(app);
    tta::app::AddSafetyCommands(app);
    tta::app::AddTherapyCommands(app);
    tta::app::AddOpsCommands(app);
    tta::app::AddServeCommands(app);
    tta::app::AddModelsCommands(app);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
