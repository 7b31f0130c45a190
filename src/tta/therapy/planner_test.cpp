#include "tta/therapy/planner.hpp"
#include "tta/therapy/planner_scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tta::therapy {
namespace {

namespace fs = std::filesystem;

const Catalogue& Builtin() {
    static const Catalogue catalogue = *LoadBuiltinCatalogue();
    return catalogue;
}

fs::path ScenarioDir() { return fs::path(TTA_SOURCE_DIR) / "src/tta/therapy/testdata/planner"; }

std::vector<std::string> ScenarioNames() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(ScenarioDir())) {
        if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Result<PlannerScenario> LoadScenario(const std::string& name) {
    const std::string file = "src/tta/therapy/testdata/planner/" + name + ".yaml";
    return ParsePlannerScenario(Builtin(), ReadFile(fs::path(TTA_SOURCE_DIR) / file), file);
}

class PlannerScenarios : public testing::TestWithParam<std::string> {};

// One test per file in testdata/planner: the decision and its reason match `expect`.
TEST_P(PlannerScenarios, DecisionMatchesExpectation) {
    auto scenario = LoadScenario(GetParam());
    ASSERT_TRUE(scenario) << scenario.error().message;
    ASSERT_TRUE(scenario->expect) << "scenario has no 'expect'";
    const BeatDecision decision = BeatPlanner(Builtin()).Decide(scenario->input);
    for (const std::string& problem : CheckExpectation(*scenario->expect, decision)) {
        ADD_FAILURE() << scenario->description << "\n  " << problem;
    }
    // Offers and their absence are both explained.
    EXPECT_EQ(decision.reason.rfind(decision.offers() ? "offered " : "no beat: ", 0), 0u)
        << decision.reason;
    EXPECT_EQ(decision.offers(), !decision.technique_id.empty());
}

INSTANTIATE_TEST_SUITE_P(Files, PlannerScenarios, testing::ValuesIn(ScenarioNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                             return info.param;
                         });

TEST(BeatPlanner, ScenarioSuiteIsFound) { EXPECT_GE(ScenarioNames().size(), 20u); }

TEST(BeatPlanner, SameInputGivesSameDecision) {
    for (const std::string& name : ScenarioNames()) {
        auto scenario = LoadScenario(name);
        ASSERT_TRUE(scenario) << scenario.error().message;
        const BeatPlanner planner(Builtin());
        const BeatDecision a = planner.Decide(scenario->input);
        const BeatDecision b = BeatPlanner(Builtin()).Decide(scenario->input);
        EXPECT_EQ(a.beat_id, b.beat_id) << name;
        EXPECT_EQ(a.reason, b.reason) << name;
        EXPECT_EQ(a.skipped, b.skipped) << name;
    }
}

TEST(BeatPlanner, CrisisOverridesEveryOtherInput) {
    for (const std::string& name : ScenarioNames()) {
        auto scenario = LoadScenario(name);
        ASSERT_TRUE(scenario) << scenario.error().message;
        scenario->input.crisis = true;
        EXPECT_FALSE(BeatPlanner(Builtin()).Decide(scenario->input).offers()) << name;
    }
}

TEST(BeatPlanner, PolicyNumbersCanBeTuned) {
    auto scenario = LoadScenario("waits_for_the_cooldown");
    ASSERT_TRUE(scenario) << scenario.error().message;
    PlannerPolicy quick;
    quick.cooldown_turns = 2;
    const BeatDecision d = BeatPlanner(Builtin(), quick).Decide(scenario->input);
    EXPECT_EQ(d.beat_id, "gardener_sort") << d.reason;
}

TEST(TherapeuticProfile, UnknownGoalsAndConditionsAreRejected) {
    TherapeuticProfile p;
    p.goals = {"worry", "flying"};
    auto s = ValidateProfile(Builtin(), p);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(s.error().message.rfind("goal 'flying' is not one of: anxiety, panic, ", 0), 0u)
        << s.error().message;
    p.goals = {"worry"};
    p.conditions = {"asthma"};
    EXPECT_FALSE(ValidateProfile(Builtin(), p));
    p.conditions = {"respiratory_condition"};
    EXPECT_TRUE(ValidateProfile(Builtin(), p));
}

TEST(PlannerScenario, ErrorsPointAtTheLine) {
    auto s = ParsePlannerScenario(Builtin(),
                                  "description: d\n"
                                  "pacing:\n"
                                  "  turn: 3\n"
                                  "  turns_this_session: 3\n"
                                  "check_ins:\n"
                                  "  - {turn: 2, score: 12}\n",
                                  "s.yaml");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message,
              "s.yaml:6: a mood rating must be a whole number from 0 (worst) to 10 (best), not 12");

    auto typo = ParsePlannerScenario(Builtin(),
                                     "description: d\n"
                                     "pacing: {turn: 3, turns_this_session: 3, offerd: 1}\n",
                                     "s.yaml");
    ASSERT_FALSE(typo);
    EXPECT_EQ(typo.error().message, "s.yaml:2: 'pacing' has an unknown key 'offerd'");
}

TEST(PlannerScenario, ExpectationMismatchesAreListed) {
    BeatDecision d;
    d.beat_id = "a";
    d.reason = "offered x (beat a): first beat this session";
    PlannerExpectation e;
    e.reason_contains = {"turn 12"};
    e.skipped_contains = {"not with"};
    const auto problems = CheckExpectation(e, d);
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0], "expected beat none, got a");
}

}  // namespace
}  // namespace tta::therapy
