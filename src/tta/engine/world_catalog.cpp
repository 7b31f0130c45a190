#include "tta/engine/world_catalog.hpp"

#include <cstdlib>
#include <system_error>

#include "tta/world/loader.hpp"
#include "tta/world/validate.hpp"

namespace tta::engine {

input::Lexicon BuildLexicon(const world::Pack& pack) {
    input::Lexicon lex;
    for (const auto& term : pack.vocabulary.terms) {
        switch (term.kind) {
            case world::Kind::kPlace:
                lex.Add(term.phrase, {input::EntityKind::kPlace, term.id, ""});
                break;
            case world::Kind::kPerson:
                lex.Add(term.phrase, {input::EntityKind::kPerson, term.id, ""});
                break;
            case world::Kind::kItem: {
                lex.Add(term.phrase, {input::EntityKind::kItem, term.id, ""});
                const auto space = term.phrase.rfind(' ');
                if (space != std::string::npos) {
                    lex.Add(term.phrase.substr(space + 1), {input::EntityKind::kItem, term.id, ""});
                }
                break;
            }
            case world::Kind::kTopic:
                lex.Add(term.phrase, {input::EntityKind::kTopic, term.id, term.owner});
                break;
            default:
                break;
        }
    }
    return lex;
}

Result<WorldCatalog> WorldCatalog::LoadDirectory(const std::filesystem::path& dir,
                                                 std::vector<world::Diagnostic>& diagnostics) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return Error::NotFound("no worlds folder at " + dir.string() +
                               " (set TTA_WORLDS or pass --worlds)");
    }
    std::vector<std::filesystem::path> folders;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_directory()) folders.push_back(entry.path());
    }
    std::sort(folders.begin(), folders.end());
    WorldCatalog catalog;
    for (const auto& folder : folders) {
        std::vector<world::Diagnostic> found;
        auto pack = world::LoadPack(folder, found);
        if (pack) {
            auto problems = world::Validate(**pack);
            found.insert(found.end(), problems.begin(), problems.end());
        }
        const bool errors = std::any_of(found.begin(), found.end(), [](const auto& d) {
            return d.severity == world::Severity::kError;
        });
        diagnostics.insert(diagnostics.end(), found.begin(), found.end());
        if (pack && !errors) catalog.Add(*pack);
    }
    if (catalog.worlds_.empty()) {
        return Error::NotFound("no playable world in " + dir.string());
    }
    return catalog;
}

void WorldCatalog::Add(std::shared_ptr<const world::Pack> pack) {
    auto loaded = std::make_shared<LoadedWorld>();
    loaded->lexicon = BuildLexicon(*pack);
    loaded->pack = std::move(pack);
    worlds_[loaded->pack->meta.id] = std::move(loaded);
}

std::shared_ptr<const LoadedWorld> WorldCatalog::Find(std::string_view id) const {
    auto it = worlds_.find(id);
    return it == worlds_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const LoadedWorld>> WorldCatalog::All() const {
    std::vector<std::shared_ptr<const LoadedWorld>> out;
    for (const auto& [id, w] : worlds_) out.push_back(w);
    return out;
}

std::filesystem::path DefaultWorldsDir() {
    if (const char* env = std::getenv("TTA_WORLDS"); env != nullptr && *env != '\0') return env;
    std::error_code ec;
    if (std::filesystem::is_directory("worlds", ec)) return "worlds";
    return std::filesystem::path(TTA_SOURCE_WORLDS_DIR);
}

}  // namespace tta::engine
