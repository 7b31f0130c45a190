// `tta models ...`: the language-model providers TTA may narrate with (docs/models.md).
#pragma once

#include <CLI/CLI.hpp>

namespace tta::app {

// Adds `models status [--config FILE] [--no-probe] [--timeout 3s] [--metrics URL]`.
void AddModelsCommands(CLI::App& app);

}  // namespace tta::app
