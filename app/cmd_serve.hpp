#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {
// `tta serve [--config FILE] [--data DIR] [--port N]`: the HTTP API (docs/operations.md), and
// `tta admin grant USER ROLE`: give a registered user a role.
void AddServeCommands(CLI::App& app);
}  // namespace tta::app
