#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {
// `tta play`: the terminal player.
void AddPlayCommands(CLI::App& app);
}  // namespace tta::app
