// tta::engine world catalogue: the world packs this process serves, each loaded once,
// validated, and paired with the input stage's lexicon built from its vocabulary. Shared,
// immutable, by every session that plays the world.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/input/lexicon.hpp"
#include "tta/world/diagnostic.hpp"
#include "tta/world/pack.hpp"

namespace tta::engine {

struct LoadedWorld {
    std::shared_ptr<const world::Pack> pack;
    input::Lexicon lexicon;
};

class WorldCatalog {
public:
    // Loads every world folder directly under `dir` (a folder with *.yaml files). A world with
    // validation errors is skipped and its diagnostics are appended to `diagnostics`; the
    // catalogue fails only when `dir` is missing or no world loads.
    static Result<WorldCatalog> LoadDirectory(const std::filesystem::path& dir,
                                              std::vector<world::Diagnostic>& diagnostics);

    void Add(std::shared_ptr<const world::Pack> pack);

    // nullptr when there is no such world.
    std::shared_ptr<const LoadedWorld> Find(std::string_view id) const;
    std::vector<std::shared_ptr<const LoadedWorld>> All() const;

private:
    std::map<std::string, std::shared_ptr<const LoadedWorld>, std::less<>> worlds_;
};

// The lexicon for a pack: every name and alias of its places, people, items and topics, plus
// the last word of multi-word item names ("lantern" for "brass lantern").
input::Lexicon BuildLexicon(const world::Pack& pack);

// Where the worlds shipped with TTA live: $TTA_WORLDS, else ./worlds, else the worlds folder
// installed next to the binary's source tree.
std::filesystem::path DefaultWorldsDir();

}  // namespace tta::engine
