// `tta safety ...`: the input gate from the command line (ARCHITECTURE.md, "The tta command").
#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {

// Adds `safety check`, `safety eval FILE.tsv` and `safety respond`.
void AddSafetyCommands(CLI::App& app);

}  // namespace tta::app
