#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {
// `tta migrate`, `tta backup`, `tta restore`: operating the data directory.
void AddOpsCommands(CLI::App& app);
}  // namespace tta::app
