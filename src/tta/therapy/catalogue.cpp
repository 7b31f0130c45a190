#include "tta/therapy/catalogue.hpp"

#include "tta/therapy/embedded_catalogue.hpp"
#include "tta/therapy/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace tta::therapy {

namespace {

using detail::MapReader;
using detail::YamlSource;

constexpr std::array<std::pair<Framework, std::string_view>, 5> kFrameworks{{
    {Framework::kCbt, "cbt"},
    {Framework::kDbt, "dbt"},
    {Framework::kAct, "act"},
    {Framework::kMindfulness, "mindfulness"},
    {Framework::kCompassion, "compassion"},
}};
constexpr std::array<std::pair<Intensity, std::string_view>, 3> kIntensities{{
    {Intensity::kGentle, "gentle"},
    {Intensity::kModerate, "moderate"},
    {Intensity::kActive, "active"},
}};
constexpr std::array<std::pair<Valence, std::string_view>, 3> kValences{{
    {Valence::kPleasant, "pleasant"},
    {Valence::kNeutral, "neutral"},
    {Valence::kUnpleasant, "unpleasant"},
}};
constexpr std::array<std::pair<BindingRole, std::string_view>, 3> kRoles{{
    {BindingRole::kGuide, "guide"},
    {BindingRole::kPlace, "place"},
    {BindingRole::kObject, "object"},
}};

template <typename E, std::size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [e, name] : table) {
        if (e == value) return name;
    }
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> FindIn(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view name) {
    for (const auto& [e, n] : table) {
        if (n == name) return e;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string Choices(const std::array<std::pair<E, std::string_view>, N>& table) {
    std::string out;
    for (const auto& entry : table) {
        if (!out.empty()) out += ", ";
        out += entry.second;
    }
    return out;
}

template <typename E, std::size_t N>
Result<E> ReadEnum(const YamlSource& src, MapReader& map, std::string_view key,
                   const std::array<std::pair<E, std::string_view>, N>& table) {
    auto node = map.Required(key);
    if (!node) return node.error();
    auto text = detail::ReadString(src, *node, fmt::format("'{}' of {}", key, map.what()));
    if (!text) return text.error();
    if (auto value = FindIn(table, *text)) return *value;
    return src.At(*node, fmt::format("'{}' of {} should be one of {}, not '{}'", key, map.what(),
                                     Choices(table), *text));
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool HasTerm(const std::vector<Term>& terms, std::string_view id) {
    return std::any_of(terms.begin(), terms.end(), [&](const Term& t) { return t.id == id; });
}

// Checks every id of an already-read list against a vocabulary; the error points at the entry.
Status CheckKnown(const YamlSource& src, const YAML::Node& list_node,
                  const std::vector<std::string>& ids, const std::vector<Term>& vocabulary,
                  std::string_view what, std::string_view vocabulary_name) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!HasTerm(vocabulary, ids[i])) {
            return src.At(list_node[i], fmt::format("{} names '{}', which is not in '{}'", what,
                                                    ids[i], vocabulary_name));
        }
    }
    return Ok();
}

Result<std::vector<Term>> ReadTerms(const YamlSource& src, MapReader& root, std::string_view key) {
    auto node = root.Required(key);
    if (!node) return node.error();
    auto map = MapReader::Open(src, *node, fmt::format("'{}'", key));
    if (!map) return map.error();
    std::vector<Term> terms;
    for (const auto& entry : *node) {
        auto id = detail::ReadId(src, entry.first, fmt::format("an entry of '{}'", key));
        if (!id) return id.error();
        auto description = detail::ReadString(src, entry.second,
                                              fmt::format("the description of '{}'", *id));
        if (!description) return description.error();
        terms.push_back({std::move(*id), std::move(*description)});
    }
    if (terms.empty()) return src.At(*node, fmt::format("'{}' must not be empty", key));
    return terms;
}

Result<std::vector<Feeling>> ReadFeelings(const YamlSource& src, MapReader& root,
                                          const std::vector<Term>& tags) {
    auto node = root.Required("feelings");
    if (!node) return node.error();
    auto map = MapReader::Open(src, *node, "'feelings'");
    if (!map) return map.error();
    std::vector<Feeling> feelings;
    for (const auto& entry : *node) {
        auto word = detail::ReadId(src, entry.first, "a feeling word");
        if (!word) return word.error();
        if (HasTerm(tags, *word)) {
            // Labels are looked up as feelings first and tags second; a shared name would
            // make the tag unreachable.
            return src.At(entry.first,
                          fmt::format("feeling '{}' has the same name as a tag", *word));
        }
        auto fields = MapReader::Open(src, entry.second, fmt::format("feeling '{}'", *word));
        if (!fields) return fields.error();
        Feeling feeling;
        feeling.word = std::move(*word);
        auto valence = ReadEnum(src, *fields, "valence", kValences);
        if (!valence) return valence.error();
        feeling.valence = *valence;
        auto feeling_tags = fields->IdList("tags", true);
        if (!feeling_tags) return feeling_tags.error();
        if (auto s = CheckKnown(src, *fields->Optional("tags"), *feeling_tags, tags,
                                fmt::format("feeling '{}'", feeling.word), "tags");
            !s) {
            return s.error();
        }
        feeling.tags = std::move(*feeling_tags);
        if (auto s = fields->Finish(); !s) return s.error();
        feelings.push_back(std::move(feeling));
    }
    if (feelings.empty()) return src.At(*node, "'feelings' must not be empty");
    return feelings;
}

Result<std::vector<Distortion>> ReadDistortions(const YamlSource& src, MapReader& root) {
    auto node = root.Required("cognitive_distortions");
    if (!node) return node.error();
    if (!node->IsSequence() || node->size() == 0) {
        return src.At(*node, "'cognitive_distortions' should be a non-empty list");
    }
    std::vector<Distortion> out;
    for (const YAML::Node& item : *node) {
        auto map = MapReader::Open(src, item, "a cognitive distortion");
        if (!map) return map.error();
        Distortion d;
        auto id = map->Id("id");
        if (!id) return id.error();
        if (std::any_of(out.begin(), out.end(), [&](const Distortion& o) { return o.id == *id; })) {
            return src.At(item, fmt::format("cognitive distortion '{}' appears twice", *id));
        }
        d.id = std::move(*id);
        for (auto [key, field] : {std::pair{"name", &d.name},
                                  std::pair{"description", &d.description},
                                  std::pair{"example", &d.example},
                                  std::pair{"question", &d.question}}) {
            auto text = map->String(key);
            if (!text) return text.error();
            *field = std::move(*text);
        }
        if (auto s = map->Finish(); !s) return s.error();
        out.push_back(std::move(d));
    }
    return out;
}

Result<std::vector<Contraindication>> ReadContraindications(const YamlSource& src,
                                                            const YAML::Node& node,
                                                            const Technique& t,
                                                            const Catalogue& c) {
    const std::string what = fmt::format("'when_not_to_use' of technique '{}'", t.id);
    if (!node.IsSequence() || node.size() == 0) {
        return src.At(node, fmt::format("{} should be a non-empty list", what));
    }
    std::vector<Contraindication> out;
    for (const YAML::Node& item : node) {
        auto map = MapReader::Open(src, item, fmt::format("an entry of {}", what));
        if (!map) return map.error();
        Contraindication ci;
        auto text = map->String("text");
        if (!text) return text.error();
        ci.text = std::move(*text);
        auto cues = map->IdList("cues", false);
        if (!cues) return cues.error();
        if (!cues->empty()) {
            if (auto s = CheckKnown(src, *map->Optional("cues"), *cues, c.tags,
                                    fmt::format("technique '{}'", t.id), "tags");
                !s) {
                return s.error();
            }
        }
        ci.cues = std::move(*cues);
        auto conditions = map->IdList("conditions", false);
        if (!conditions) return conditions.error();
        if (!conditions->empty()) {
            if (auto s = CheckKnown(src, *map->Optional("conditions"), *conditions, c.conditions,
                                    fmt::format("technique '{}'", t.id), "conditions");
                !s) {
                return s.error();
            }
        }
        ci.conditions = std::move(*conditions);
        if (auto s = map->Finish(); !s) return s.error();
        out.push_back(std::move(ci));
    }
    return out;
}

Result<Technique> ReadTechnique(const YamlSource& src, const YAML::Node& item, const Catalogue& c) {
    auto map = MapReader::Open(src, item, "a technique");
    if (!map) return map.error();
    Technique t;
    auto id = map->Id("id");
    if (!id) return id.error();
    if (c.FindTechnique(*id) != nullptr) {
        return src.At(item, fmt::format("technique '{}' appears twice", *id));
    }
    t.id = std::move(*id);
    // From here on errors name the technique, so a reviewer sees which one is wrong.
    map->Rename(fmt::format("technique '{}'", t.id));
    auto& fields = map;

    for (auto [key, field] :
         {std::pair{"name", &t.name}, std::pair{"summary", &t.summary}}) {
        auto text = fields->String(key);
        if (!text) return text.error();
        *field = std::move(*text);
    }
    auto framework = ReadEnum(src, *fields, "framework", kFrameworks);
    if (!framework) return framework.error();
    t.framework = *framework;
    auto intensity = ReadEnum(src, *fields, "intensity", kIntensities);
    if (!intensity) return intensity.error();
    t.intensity = *intensity;

    auto duration_node = fields->Required("duration_minutes");
    if (!duration_node) return duration_node.error();
    auto duration =
        MapReader::Open(src, *duration_node, fmt::format("'duration_minutes' of '{}'", t.id));
    if (!duration) return duration.error();
    auto min = duration->Int("min", 1, 120);
    if (!min) return min.error();
    auto max = duration->Int("max", 1, 120);
    if (!max) return max.error();
    if (*min > *max) {
        return src.At(*duration_node,
                      fmt::format("technique '{}' has a minimum duration ({}) above its maximum "
                                  "({})",
                                  t.id, *min, *max));
    }
    if (auto s = duration->Finish(); !s) return s.error();
    t.min_minutes = *min;
    t.max_minutes = *max;

    auto helps_with = fields->IdList("helps_with", true);
    if (!helps_with) return helps_with.error();
    const YAML::Node helps_node = *fields->Optional("helps_with");
    if (helps_with->empty()) {
        return src.At(helps_node, fmt::format("technique '{}' must help with at least one tag",
                                              t.id));
    }
    if (auto s = CheckKnown(src, helps_node, *helps_with, c.tags,
                            fmt::format("'helps_with' of technique '{}'", t.id), "tags");
        !s) {
        return s.error();
    }
    t.helps_with = std::move(*helps_with);

    auto content_tags = fields->IdList("content_tags", true);
    if (!content_tags) return content_tags.error();
    t.content_tags = std::move(*content_tags);

    auto steps = fields->StringList("steps", true);
    if (!steps) return steps.error();
    if (steps->empty()) {
        return src.At(*fields->Optional("steps"),
                      fmt::format("technique '{}' needs at least one step", t.id));
    }
    t.steps = std::move(*steps);

    auto cautions_node = fields->Required("when_not_to_use");
    if (!cautions_node) return cautions_node.error();
    auto cautions = ReadContraindications(src, *cautions_node, t, c);
    if (!cautions) return cautions.error();
    t.when_not_to_use = std::move(*cautions);

    auto evidence_node = fields->Required("evidence");
    if (!evidence_node) return evidence_node.error();
    auto evidence =
        MapReader::Open(src, *evidence_node, fmt::format("'evidence' of technique '{}'", t.id));
    if (!evidence) return evidence.error();
    auto note = evidence->String("note");
    if (!note) return note.error();
    auto references = evidence->StringList("references", true);
    if (!references) return references.error();
    if (references->empty()) {
        return src.At(*evidence->Optional("references"),
                      fmt::format("the evidence for technique '{}' needs a reference", t.id));
    }
    if (auto s = evidence->Finish(); !s) return s.error();
    t.evidence = {std::move(*note), std::move(*references)};

    auto bindings_node = fields->Required("bindings");
    if (!bindings_node) return bindings_node.error();
    if (!bindings_node->IsSequence() || bindings_node->size() == 0) {
        return src.At(*bindings_node,
                      fmt::format("'bindings' of technique '{}' should be a non-empty list", t.id));
    }
    for (const YAML::Node& b : *bindings_node) {
        auto binding =
            MapReader::Open(src, b, fmt::format("a binding of technique '{}'", t.id));
        if (!binding) return binding.error();
        auto role = ReadEnum(src, *binding, "role", kRoles);
        if (!role) return role.error();
        auto hint = binding->String("hint");
        if (!hint) return hint.error();
        if (auto s = binding->Finish(); !s) return s.error();
        t.bindings.push_back({*role, std::move(*hint)});
    }

    if (auto s = fields->Finish(); !s) return s.error();
    return t;
}

Result<Catalogue> ParseRoot(const YamlSource& src, const YAML::Node& root) {
    auto map = MapReader::Open(src, root, "the catalogue");
    if (!map) return map.error();
    Catalogue c;
    c.source = std::string(src.file_name());
    auto version = map->Int("version", 1, 1'000'000);
    if (!version) return version.error();
    c.version = *version;

    auto tags = ReadTerms(src, *map, "tags");
    if (!tags) return tags.error();
    c.tags = std::move(*tags);
    auto conditions = ReadTerms(src, *map, "conditions");
    if (!conditions) return conditions.error();
    c.conditions = std::move(*conditions);
    auto feelings = ReadFeelings(src, *map, c.tags);
    if (!feelings) return feelings.error();
    c.feelings = std::move(*feelings);
    auto distortions = ReadDistortions(src, *map);
    if (!distortions) return distortions.error();
    c.distortions = std::move(*distortions);

    auto techniques = map->Required("techniques");
    if (!techniques) return techniques.error();
    if (!techniques->IsSequence() || techniques->size() == 0) {
        return src.At(*techniques, "'techniques' should be a non-empty list");
    }
    for (const YAML::Node& item : *techniques) {
        auto t = ReadTechnique(src, item, c);
        if (!t) return t.error();
        c.techniques.push_back(std::move(*t));
    }
    if (auto s = map->Finish(); !s) return s.error();
    return c;
}

}  // namespace

std::string_view Name(Framework f) { return NameIn(kFrameworks, f); }
std::string_view Name(Intensity i) { return NameIn(kIntensities, i); }
std::string_view Name(Valence v) { return NameIn(kValences, v); }
std::string_view Name(BindingRole r) { return NameIn(kRoles, r); }

std::string_view Label(Framework f) {
    switch (f) {
        case Framework::kCbt: return "CBT";
        case Framework::kDbt: return "DBT";
        case Framework::kAct: return "ACT";
        case Framework::kMindfulness: return "mindfulness";
        case Framework::kCompassion: return "compassion";
    }
    return "unknown";
}

Result<Framework> ParseFramework(std::string_view name) {
    if (auto f = FindIn(kFrameworks, name)) return *f;
    return Error::Invalid(fmt::format("unknown framework '{}' (expected one of {})", name,
                                      Choices(kFrameworks)));
}

Result<Intensity> ParseIntensity(std::string_view name) {
    if (auto i = FindIn(kIntensities, name)) return *i;
    return Error::Invalid(fmt::format("unknown intensity '{}' (expected one of {})", name,
                                      Choices(kIntensities)));
}

bool Technique::HelpsWith(std::string_view tag) const { return Contains(helps_with, tag); }

const Technique* Catalogue::FindTechnique(std::string_view id) const {
    for (const Technique& t : techniques) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

const Feeling* Catalogue::FindFeeling(std::string_view word) const {
    for (const Feeling& f : feelings) {
        if (f.word == word) return &f;
    }
    return nullptr;
}

bool Catalogue::HasTag(std::string_view id) const { return HasTerm(tags, id); }
bool Catalogue::HasCondition(std::string_view id) const { return HasTerm(conditions, id); }

std::vector<std::string> Catalogue::TagsForLabel(std::string_view label) const {
    if (const Feeling* f = FindFeeling(label)) return f->tags;
    if (HasTag(label)) return {std::string(label)};
    return {};
}

Result<Catalogue> ParseCatalogue(std::string_view yaml_text, std::string_view file_name) {
    const YamlSource src(file_name);
    auto root = src.Parse(yaml_text);
    if (!root) return root.error();
    try {
        return ParseRoot(src, *root);
    } catch (const YAML::Exception& e) {
        return src.AtLine(e.mark.is_null() ? 0 : e.mark.line + 1, e.msg);
    }
}

Result<Catalogue> LoadBuiltinCatalogue() {
    return ParseCatalogue(EmbeddedCatalogueText(), EmbeddedCataloguePath());
}

Result<Catalogue> LoadCatalogueFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::NotFound(fmt::format("{}: cannot be opened", path));
    std::ostringstream text;
    text << in.rdbuf();
    return ParseCatalogue(text.str(), path);
}

std::string FormatTechniqueList(const Catalogue& catalogue) {
    std::size_t id_width = 2;
    for (const Technique& t : catalogue.techniques) id_width = std::max(id_width, t.id.size());
    std::string out = fmt::format("Technique catalogue version {} ({} techniques, {})\n",
                                  catalogue.version, catalogue.techniques.size(),
                                  catalogue.source);
    out += fmt::format("{:<{}}  {:<11}  {:<9}  {:<7}  {}\n", "id", id_width, "framework",
                       "intensity", "minutes", "name (helps with)");
    for (const Technique& t : catalogue.techniques) {
        std::string helps;
        for (const std::string& tag : t.helps_with) {
            if (!helps.empty()) helps += ", ";
            helps += tag;
        }
        out += fmt::format("{:<{}}  {:<11}  {:<9}  {:<7}  {} ({})\n", t.id, id_width,
                           Name(t.framework), Name(t.intensity),
                           fmt::format("{}-{}", t.min_minutes, t.max_minutes), t.name, helps);
    }
    return out;
}

}  // namespace tta::therapy
