// `tta worlds ...`: authoring tools for world packs (docs/worlds.md).
#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {

// Adds `worlds list [--dir DIR]` and `worlds validate [--strict] PATH...`.
void AddWorldsCommands(CLI::App& app);

}  // namespace tta::app
