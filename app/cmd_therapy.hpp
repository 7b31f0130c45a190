#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {
// `tta therapy`: the technique catalogue, PHQ-9 / GAD-7 scoring and the beat planner.
void AddTherapyCommands(CLI::App& app);
}  // namespace tta::app
