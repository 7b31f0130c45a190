#include "tta/therapy/catalogue.hpp"

#include "tta/therapy/embedded_catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace tta::therapy {
namespace {

const Catalogue& Builtin() {
    static const Catalogue catalogue = [] {
        auto c = LoadBuiltinCatalogue();
        if (!c) ADD_FAILURE() << c.error().message;
        return c ? *c : Catalogue{};
    }();
    return catalogue;
}

TEST(Catalogue, BuiltinCatalogueIsValid) {
    auto c = LoadBuiltinCatalogue();
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_GE(c->version, 1);
    EXPECT_EQ(c->source, "data/therapy/techniques.yaml");
}

TEST(Catalogue, BuiltinCatalogueHasEveryTechniqueTheIssueAsksFor) {
    for (const char* id : {"box_breathing", "grounding_54321", "progressive_muscle_relaxation",
                           "thought_record", "behavioural_activation", "dbt_stop", "dbt_tipp",
                           "act_values_compass", "act_defusion", "self_compassion_break",
                           "worry_time"}) {
        EXPECT_NE(Builtin().FindTechnique(id), nullptr) << id;
    }
}

TEST(Catalogue, EveryFrameworkIsRepresented) {
    for (Framework f : {Framework::kCbt, Framework::kDbt, Framework::kAct, Framework::kMindfulness,
                        Framework::kCompassion}) {
        const auto& ts = Builtin().techniques;
        EXPECT_TRUE(std::any_of(ts.begin(), ts.end(),
                                [&](const Technique& t) { return t.framework == f; }))
            << Name(f);
    }
}

TEST(Catalogue, EveryTechniqueCanBePlacedInAStoryAndCarriesItsCautions) {
    for (const Technique& t : Builtin().techniques) {
        EXPECT_FALSE(t.steps.empty()) << t.id;
        EXPECT_FALSE(t.helps_with.empty()) << t.id;
        EXPECT_FALSE(t.when_not_to_use.empty()) << t.id;
        EXPECT_FALSE(t.evidence.references.empty()) << t.id;
        EXPECT_FALSE(t.bindings.empty()) << t.id;
        EXPECT_LE(t.min_minutes, t.max_minutes) << t.id;
    }
}

bool RuledOutBy(const Technique& t, std::string_view cue, std::string_view condition) {
    return std::any_of(t.when_not_to_use.begin(), t.when_not_to_use.end(),
                       [&](const Contraindication& c) {
                           return (!cue.empty() && std::find(c.cues.begin(), c.cues.end(), cue) !=
                                                       c.cues.end()) ||
                                  (!condition.empty() &&
                                   std::find(c.conditions.begin(), c.conditions.end(),
                                             condition) != c.conditions.end());
                       });
}

TEST(Catalogue, TippColdWaterIsRuledOutWithAHeartCondition) {
    const Technique* tipp = Builtin().FindTechnique("dbt_tipp");
    ASSERT_NE(tipp, nullptr);
    EXPECT_TRUE(RuledOutBy(*tipp, "", "heart_condition"));
    EXPECT_EQ(tipp->intensity, Intensity::kActive);
}

TEST(Catalogue, BreathHoldingIsRuledOutDuringPanic) {
    const Technique* box = Builtin().FindTechnique("box_breathing");
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(RuledOutBy(*box, "panic", ""));
}

TEST(Catalogue, ThoughtRecordHasTheCommonThinkingTrapsInPlainWords) {
    const auto& ds = Builtin().distortions;
    EXPECT_GE(ds.size(), 10u);
    for (const char* id : {"all_or_nothing", "catastrophising", "mind_reading", "fortune_telling",
                           "emotional_reasoning", "should_statements", "labelling"}) {
        EXPECT_TRUE(std::any_of(ds.begin(), ds.end(),
                                [&](const Distortion& d) { return d.id == id; }))
            << id;
    }
}

TEST(Catalogue, LabelsMapFeelingWordsAndTagsToTags) {
    EXPECT_EQ(Builtin().TagsForLabel("panicky"), (std::vector<std::string>{"panic", "anxiety"}));
    EXPECT_EQ(Builtin().TagsForLabel("worry"), (std::vector<std::string>{"worry"}));
    EXPECT_TRUE(Builtin().TagsForLabel("purple").empty());
}

TEST(Catalogue, EnumNamesRoundTrip) {
    for (Framework f : {Framework::kCbt, Framework::kDbt, Framework::kAct, Framework::kMindfulness,
                        Framework::kCompassion}) {
        auto parsed = ParseFramework(Name(f));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, f);
    }
    for (Intensity i : {Intensity::kGentle, Intensity::kModerate, Intensity::kActive}) {
        auto parsed = ParseIntensity(Name(i));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, i);
    }
    EXPECT_FALSE(ParseFramework("yoga"));
    EXPECT_FALSE(ParseIntensity("extreme"));
}

TEST(Catalogue, TechniqueListHasAHeadingAndOneLinePerTechnique) {
    const std::string text = FormatTechniqueList(Builtin());
    EXPECT_EQ(text.rfind("Technique catalogue version ", 0), 0u) << text;
    EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
              Builtin().techniques.size() + 2);
    EXPECT_NE(text.find("dbt_tipp "), std::string::npos);
    EXPECT_NE(text.find("  dbt          active     5-20     TIPP (distress, urges, anger, "
                        "overwhelm, panic)\n"),
              std::string::npos)
        << text;
}

TEST(Catalogue, MissingFileIsNotFound) {
    auto c = LoadCatalogueFile("/nonexistent/techniques.yaml");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ErrorCode::kNotFound);
}

// A small valid catalogue; each case below breaks it in one way. Line numbers matter.
constexpr std::string_view kMinimal =
    "version: 1\n"                                          // 1
    "tags:\n"                                               // 2
    "  anxiety: Feeling on edge.\n"                         // 3
    "  panic: A rush of fear.\n"                            // 4
    "conditions:\n"                                         // 5
    "  heart_condition: A heart condition.\n"               // 6
    "feelings:\n"                                           // 7
    "  anxious: {valence: unpleasant, tags: [anxiety]}\n"   // 8
    "cognitive_distortions:\n"                              // 9
    "  - id: labelling\n"                                   // 10
    "    name: Labelling\n"                                 // 11
    "    description: One harsh word for a whole person.\n" // 12
    "    example: I'm a failure.\n"                         // 13
    "    question: Does one action define a person?\n"      // 14
    "techniques:\n"                                         // 15
    "  - id: box_breathing\n"                               // 16
    "    name: Box breathing\n"                             // 17
    "    framework: mindfulness\n"                          // 18
    "    summary: Breathing in a square.\n"                 // 19
    "    intensity: gentle\n"                               // 20
    "    duration_minutes: {min: 2, max: 5}\n"              // 21
    "    helps_with: [anxiety]\n"                           // 22
    "    content_tags: [breath_focus]\n"                    // 23
    "    steps:\n"                                          // 24
    "      - Breathe in for four.\n"                        // 25
    "    when_not_to_use:\n"                                // 26
    "      - text: Not while panic is rising.\n"            // 27
    "        cues: [panic]\n"                               // 28
    "    evidence:\n"                                       // 29
    "      note: Slow breathing lowers arousal.\n"          // 30
    "      references: [\"Zaccaro A, et al. (2018).\"]\n"   // 31
    "    bindings:\n"                                       // 32
    "      - role: guide\n"                                 // 33
    "        hint: A keeper counts breaths.\n";             // 34

TEST(Catalogue, EveryTruncationOfTheBuiltinFileFailsCleanlyOrParses) {
    // Cut the real file after every 13th line (every line takes seconds under ASan): each
    // prefix must give a result, never a crash.
    const std::string text(EmbeddedCatalogueText());
    int errors = 0;
    int line = 0;
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
        if (++line % 13 != 0) continue;
        auto c = ParseCatalogue(std::string_view(text).substr(0, at + 1), "cut.yaml");
        if (!c) {
            ++errors;
            EXPECT_EQ(c.error().message.rfind("cut.yaml", 0), 0u) << c.error().message;
        }
    }
    EXPECT_GT(errors, 0);
}

TEST(Catalogue, MinimalCatalogueParses) {
    auto c = ParseCatalogue(kMinimal, "test.yaml");
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->techniques.size(), 1u);
    const Technique& t = c->techniques[0];
    EXPECT_EQ(t.id, "box_breathing");
    EXPECT_EQ(t.when_not_to_use[0].cues, std::vector<std::string>{"panic"});
    EXPECT_EQ(t.bindings[0].role, BindingRole::kGuide);
}

struct BrokenCase {
    const char* name;
    std::string_view from;  // replaced once in kMinimal
    std::string_view to;
    std::string_view error;  // the whole expected message
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class CatalogueErrors : public testing::TestWithParam<BrokenCase> {};

TEST_P(CatalogueErrors, ReportFileLineAndWhatIsWrong) {
    const BrokenCase& c = GetParam();
    std::string text(kMinimal);
    const auto at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    auto parsed = ParseCatalogue(text, "test.yaml");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(parsed.error().message, c.error);
}

INSTANTIATE_TEST_SUITE_P(
    Broken, CatalogueErrors,
    testing::Values(
        BrokenCase{"MissingVersion", "version: 1\n", "",
                   "test.yaml:1: the catalogue is missing 'version'"},
        BrokenCase{"UnknownFramework", "framework: mindfulness", "framework: yoga",
                   "test.yaml:18: 'framework' of technique 'box_breathing' should be one of cbt, "
                   "dbt, act, mindfulness, compassion, not 'yoga'"},
        BrokenCase{"UnknownHelpsWithTag", "helps_with: [anxiety]", "helps_with: [anxiety, sadness]",
                   "test.yaml:22: 'helps_with' of technique 'box_breathing' names 'sadness', "
                   "which is not in 'tags'"},
        BrokenCase{"UnknownCondition", "cues: [panic]", "conditions: [asthma]",
                   "test.yaml:28: technique 'box_breathing' names 'asthma', which is not in "
                   "'conditions'"},
        BrokenCase{"UnknownKey", "    intensity: gentle\n",
                   "    intensity: gentle\n    colour: blue\n",
                   "test.yaml:21: technique 'box_breathing' has an unknown key 'colour'"},
        BrokenCase{"MissingSummary", "    summary: Breathing in a square.\n", "",
                   "test.yaml:16: technique 'box_breathing' is missing 'summary'"},
        BrokenCase{"DurationBackwards", "{min: 2, max: 5}", "{min: 6, max: 5}",
                   "test.yaml:21: technique 'box_breathing' has a minimum duration (6) above its "
                   "maximum (5)"},
        BrokenCase{"DurationNotANumber", "{min: 2, max: 5}", "{min: two, max: 5}",
                   "test.yaml:21: 'min' of 'duration_minutes' of 'box_breathing' should be a "
                   "whole number, not 'two'"},
        BrokenCase{"NoSteps", "    steps:\n      - Breathe in for four.\n", "    steps: []\n",
                   "test.yaml:24: technique 'box_breathing' needs at least one step"},
        BrokenCase{"NoCautions", "    when_not_to_use:\n      - text: Not while panic is rising.\n"
                                 "        cues: [panic]\n",
                   "    when_not_to_use: []\n",
                   "test.yaml:26: 'when_not_to_use' of technique 'box_breathing' should be a "
                   "non-empty list"},
        BrokenCase{"NoReference", "references: [\"Zaccaro A, et al. (2018).\"]", "references: []",
                   "test.yaml:31: the evidence for technique 'box_breathing' needs a reference"},
        BrokenCase{"UnknownBindingRole", "role: guide", "role: weather",
                   "test.yaml:33: 'role' of a binding of technique 'box_breathing' should be one "
                   "of guide, place, object, not 'weather'"},
        BrokenCase{"IdNotSnakeCase", "id: box_breathing", "id: Box Breathing",
                   "test.yaml:16: 'id' of a technique 'Box Breathing' should be lowercase "
                   "snake_case (a-z, 0-9, _)"},
        BrokenCase{"KeyTwice", "    name: Box breathing\n",
                   "    name: Box breathing\n    name: Again\n",
                   "test.yaml:18: a technique has 'name' twice"},
        BrokenCase{"FeelingWithUnknownTag", "tags: [anxiety]}", "tags: [dread]}",
                   "test.yaml:8: feeling 'anxious' names 'dread', which is not in 'tags'"},
        BrokenCase{"FeelingNamedLikeATag", "  anxious: {", "  panic: {",
                   "test.yaml:8: feeling 'panic' has the same name as a tag"},
        BrokenCase{"EmptyStep", "- Breathe in for four.", "- \"  \"",
                   "test.yaml:25: an entry of 'steps' of technique 'box_breathing' must not be "
                   "empty"},
        BrokenCase{"TechniqueNotAMapping", "techniques:\n", "techniques:\n  - 7\n",
                   "test.yaml:16: a technique should be a mapping (key: value), but is a single "
                   "value"},
        BrokenCase{"TagsAsAList", "tags:\n  anxiety: Feeling on edge.\n  panic: A rush of fear.\n",
                   "tags: [anxiety, panic]\n",
                   "test.yaml:2: 'tags' should be a mapping (key: value), but is a list"},
        BrokenCase{"SyntaxError", "helps_with: [anxiety]", "helps_with: [anxiety",
                   "test.yaml:23: end of sequence flow not found"},
        BrokenCase{"DuplicateTechnique", "  - id: box_breathing\n    name",
                   "  - id: box_breathing\n    name: Box\n    framework: cbt\n    summary: S.\n"
                   "    intensity: gentle\n    duration_minutes: {min: 1, max: 1}\n"
                   "    helps_with: [anxiety]\n    content_tags: []\n    steps: [Breathe.]\n"
                   "    when_not_to_use: [{text: Never.}]\n"
                   "    evidence: {note: N., references: [R.]}\n"
                   "    bindings: [{role: place, hint: H.}]\n"
                   "  - id: box_breathing\n    name",
                   "test.yaml:28: technique 'box_breathing' appears twice"}),
    [](const testing::TestParamInfo<BrokenCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace tta::therapy
