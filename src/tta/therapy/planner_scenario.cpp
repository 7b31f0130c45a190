#include "tta/therapy/planner_scenario.hpp"

#include "tta/therapy/yaml_reader.hpp"

#include <fmt/format.h>

#include <limits>

namespace tta::therapy {

namespace {

using detail::MapReader;
using detail::YamlSource;

constexpr int kMaxTurn = std::numeric_limits<int>::max();

// A list of mappings under key, each read by read(MapReader&); absent means empty.
template <typename T, typename Read>
Result<std::vector<T>> ReadList(const YamlSource& src, MapReader& parent, std::string_view key,
                                std::string_view item_what, Read read) {
    std::vector<T> out;
    auto node = parent.Optional(key);
    if (!node) return out;
    if (!node->IsSequence()) return src.At(*node, fmt::format("'{}' should be a list", key));
    for (const YAML::Node& item : *node) {
        auto map = MapReader::Open(src, item, std::string(item_what));
        if (!map) return map.error();
        auto value = read(*map);
        if (!value) return value.error();
        if (auto s = map->Finish(); !s) return s.error();
        out.push_back(std::move(*value));
    }
    return out;
}

Result<bool> OptionalBool(const YamlSource& src, MapReader& map, std::string_view key) {
    auto node = map.Optional(key);
    if (!node) return false;
    return detail::ReadBool(src, *node, fmt::format("'{}' of {}", key, map.what()));
}

Result<TherapeuticProfile> ReadProfile(const YamlSource& src, const Catalogue& catalogue,
                                       MapReader& root) {
    TherapeuticProfile profile;
    auto node = root.Optional("profile");
    if (!node) return profile;
    auto map = MapReader::Open(src, *node, "'profile'");
    if (!map) return map.error();
    auto goals = map->IdList("goals", false);
    if (!goals) return goals.error();
    profile.goals = std::move(*goals);
    auto frameworks = map->IdList("frameworks", false);
    if (!frameworks) return frameworks.error();
    for (const std::string& name : *frameworks) {
        auto f = ParseFramework(name);
        if (!f) return src.At(*map->Optional("frameworks"), f.error().message);
        profile.preferred_frameworks.push_back(*f);
    }
    if (auto intensity = map->Optional("max_intensity")) {
        auto text = detail::ReadString(src, *intensity, "'max_intensity' of 'profile'");
        if (!text) return text.error();
        auto parsed = ParseIntensity(*text);
        if (!parsed) return src.At(*intensity, parsed.error().message);
        profile.max_intensity = *parsed;
    }
    auto topics = map->StringList("topics_to_avoid", false);
    if (!topics) return topics.error();
    profile.topics_to_avoid = std::move(*topics);
    auto conditions = map->IdList("conditions", false);
    if (!conditions) return conditions.error();
    profile.conditions = std::move(*conditions);
    if (auto s = map->Finish(); !s) return s.error();
    if (auto s = ValidateProfile(catalogue, profile); !s) {
        return src.At(*node, s.error().message);
    }
    return profile;
}

Result<PacingState> ReadPacing(const YamlSource& src, MapReader& root) {
    auto node = root.Required("pacing");
    if (!node) return node.error();
    auto map = MapReader::Open(src, *node, "'pacing'");
    if (!map) return map.error();
    PacingState p;
    auto turn = map->Int("turn", 0, kMaxTurn);
    if (!turn) return turn.error();
    p.turn = *turn;
    auto session = map->Int("turns_this_session", 0, kMaxTurn);
    if (!session) return session.error();
    p.turns_this_session = *session;
    if (map->Optional("turns_since_last_offer")) {
        auto gap = map->Int("turns_since_last_offer", 0, kMaxTurn);
        if (!gap) return gap.error();
        p.turns_since_last_offer = *gap;
    }
    for (auto [key, field] : {std::pair{"offered", &p.offered},
                              std::pair{"completed", &p.completed},
                              std::pair{"declined", &p.declined}}) {
        if (!map->Optional(key)) continue;
        auto value = map->Int(key, 0, kMaxTurn);
        if (!value) return value.error();
        *field = *value;
    }
    if (p.completed + p.declined > p.offered) {
        return src.At(*node, "'pacing' has more beats completed and declined than offered");
    }
    auto offered = map->StringList("offered_techniques", false);
    if (!offered) return offered.error();
    p.offered_techniques = std::move(*offered);
    auto declined = map->StringList("declined_techniques", false);
    if (!declined) return declined.error();
    p.declined_techniques = std::move(*declined);
    if (auto s = map->Finish(); !s) return s.error();
    return p;
}

Result<PlannerExpectation> ReadExpectation(const YamlSource& src, const YAML::Node& node) {
    auto map = MapReader::Open(src, node, "'expect'");
    if (!map) return map.error();
    PlannerExpectation e;
    auto beat = map->String("beat");
    if (!beat) return beat.error();
    if (*beat != "none") e.beat_id = std::move(*beat);
    auto reasons = map->StringList("reason_contains", false);
    if (!reasons) return reasons.error();
    e.reason_contains = std::move(*reasons);
    auto skipped = map->StringList("skipped_contains", false);
    if (!skipped) return skipped.error();
    e.skipped_contains = std::move(*skipped);
    if (auto s = map->Finish(); !s) return s.error();
    return e;
}

Result<PlannerScenario> ParseRoot(const YamlSource& src, const Catalogue& catalogue,
                                  const YAML::Node& root) {
    auto map = MapReader::Open(src, root, "the scenario");
    if (!map) return map.error();
    PlannerScenario scenario;
    auto description = map->String("description");
    if (!description) return description.error();
    scenario.description = std::move(*description);

    auto profile = ReadProfile(src, catalogue, *map);
    if (!profile) return profile.error();
    scenario.input.profile = std::move(*profile);

    auto cues = ReadList<EmotionCue>(
        src, *map, "cues", "a cue", [&](MapReader& m) -> Result<EmotionCue> {
            auto label = m.String("label");
            if (!label) return label.error();
            auto turn = m.Int("turn", 0, kMaxTurn);
            if (!turn) return turn.error();
            return EmotionCue{std::move(*label), *turn};
        });
    if (!cues) return cues.error();
    scenario.input.cues = std::move(*cues);

    auto check_ins = ReadList<MoodCheckIn>(
        src, *map, "check_ins", "a check-in", [&](MapReader& m) -> Result<MoodCheckIn> {
            MoodCheckIn c;
            auto turn = m.Int("turn", 0, kMaxTurn);
            if (!turn) return turn.error();
            c.turn = *turn;
            // Out-of-range scores are left for NormaliseCheckIn to explain.
            auto score = m.Int("score", std::numeric_limits<int>::min(), kMaxTurn);
            if (!score) return score.error();
            c.score = *score;
            auto feelings = m.StringList("feelings", false);
            if (!feelings) return feelings.error();
            c.feelings = std::move(*feelings);
            auto normalised = NormaliseCheckIn(catalogue, std::move(c));
            if (!normalised) return src.At(m.node(), normalised.error().message);
            return normalised;
        });
    if (!check_ins) return check_ins.error();
    scenario.input.check_ins = std::move(*check_ins);

    auto pacing = ReadPacing(src, *map);
    if (!pacing) return pacing.error();
    scenario.input.pacing = std::move(*pacing);

    auto crisis = OptionalBool(src, *map, "crisis");
    if (!crisis) return crisis.error();
    scenario.input.crisis = *crisis;

    auto candidates = ReadList<CandidateBeat>(
        src, *map, "candidates", "a candidate beat", [&](MapReader& m) -> Result<CandidateBeat> {
            CandidateBeat b;
            auto id = m.Id("id");
            if (!id) return id.error();
            b.id = std::move(*id);
            auto technique = m.Id("technique");
            if (!technique) return technique.error();
            b.technique_id = std::move(*technique);
            auto fixed = OptionalBool(src, m, "fixed");
            if (!fixed) return fixed.error();
            b.fixed = *fixed;
            auto tags = m.StringList("content_tags", false);
            if (!tags) return tags.error();
            b.content_tags = std::move(*tags);
            return b;
        });
    if (!candidates) return candidates.error();
    scenario.input.candidates = std::move(*candidates);

    if (auto expect = map->Optional("expect")) {
        auto e = ReadExpectation(src, *expect);
        if (!e) return e.error();
        scenario.expect = std::move(*e);
    }
    if (auto s = map->Finish(); !s) return s.error();
    return scenario;
}

}  // namespace

Result<PlannerScenario> ParsePlannerScenario(const Catalogue& catalogue, std::string_view text,
                                             std::string_view file_name) {
    const YamlSource src(file_name);
    auto root = src.Parse(text);
    if (!root) return root.error();
    try {
        return ParseRoot(src, catalogue, *root);
    } catch (const YAML::Exception& e) {
        return src.AtLine(e.mark.is_null() ? 0 : e.mark.line + 1, e.msg);
    }
}

std::vector<std::string> CheckExpectation(const PlannerExpectation& expect,
                                          const BeatDecision& decision) {
    std::vector<std::string> problems;
    if (expect.beat_id != decision.beat_id) {
        problems.push_back(fmt::format("expected beat {}, got {}", expect.beat_id.value_or("none"),
                                       decision.beat_id.value_or("none")));
    }
    for (const std::string& want : expect.reason_contains) {
        if (decision.reason.find(want) == std::string::npos) {
            problems.push_back(fmt::format("reason lacks \"{}\": {}", want, decision.reason));
        }
    }
    for (const std::string& want : expect.skipped_contains) {
        bool found = false;
        for (const std::string& s : decision.skipped) {
            found = found || s.find(want) != std::string::npos;
        }
        if (!found) problems.push_back(fmt::format("no skipped entry contains \"{}\"", want));
    }
    return problems;
}

}  // namespace tta::therapy
