// The `tta` command (ARCHITECTURE.md, "The tta command"): the only code tests do not link.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"TTA: a therapeutic text adventure"};
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
