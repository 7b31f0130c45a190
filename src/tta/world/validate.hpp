// tta::world static checks (`tta worlds validate`): what an author should fix before anyone
// plays — unknown references, unreachable places, places you cannot leave that are not
// endings, endings nobody can reach, missing text, unused items, unreachable scene nodes.
// Each check's exact message is listed in docs/worlds.md, "Validator messages".
#pragma once

#include <filesystem>
#include <vector>

#include "tta/world/diagnostic.hpp"
#include "tta/world/pack.hpp"

namespace tta::world {

// Checks a loaded pack. Loading already reports syntax, types and unknown names; these are
// the whole-world checks. Sorted by file, line, column.
std::vector<Diagnostic> Validate(const Pack& pack);

// Loads and validates a folder: the loader's diagnostics, then Validate's if it loaded.
std::vector<Diagnostic> ValidateDir(const std::filesystem::path& dir);

}  // namespace tta::world
