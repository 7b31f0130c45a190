#include "tta/safety/safety_plan.hpp"

#include <gtest/gtest.h>

namespace tta::safety {
namespace {

SafetyPlan Example() {
    SafetyPlan p;
    p.warning_signs = {"I stop answering messages", "I can't sleep"};
    p.coping_strategies = {"Walk the dog", "Cold water on my face"};
    p.distractions = {{"The library", ""}, {"Sam", "+44 7700 900123"}};
    p.people_to_ask = {{"Mum", "07700 900456"}};
    p.professionals = {{"Dr Okafor (GP)", "020 7946 0000"}, {"Samaritans", "116 123"}};
    p.safe_environment = {"Give my pills to Mum to keep"};
    p.reasons_for_living = {"My sister", "Seeing the sea again \xF0\x9F\x8C\x8A"};
    return p;
}

TEST(SafetyPlan, RoundTripsThroughJson) {
    const SafetyPlan p = Example();
    const std::string json = SafetyPlanToJson(p);
    auto back = SafetyPlanFromJson(json);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, p);
    EXPECT_EQ(SafetyPlanToJson(*back), json);
}

TEST(SafetyPlan, EmptyPlanRoundTripsAndIsEmpty) {
    auto back = SafetyPlanFromJson(SafetyPlanToJson(SafetyPlan{}));
    ASSERT_TRUE(back);
    EXPECT_TRUE(back->Empty());
    EXPECT_FALSE(Example().Empty());
}

TEST(SafetyPlan, TrimsTextOnTheWayIn) {
    auto p = SafetyPlanFromJson(R"({"version":1,"warning_signs":["  pacing  "]})");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->warning_signs[0], "pacing");
}

struct BadCase {
    const char* json;
    const char* message;
};

TEST(SafetyPlan, RejectsBadInputNamingTheField) {
    const std::string long_text(401, 'a');
    const std::string long_json = R"({"coping_strategies":[")" + long_text + R"("]})";
    std::string many = R"({"reasons_for_living":[)";
    for (int i = 0; i < 13; ++i) many += std::string(i ? "," : "") + "\"r\"";
    many += "]}";
    const BadCase cases[] = {
        {"[]", "safety plan: expected an object"},
        {"{", nullptr},
        {R"({"version":2})", "version: expected 1"},
        {R"({"moods":[]})", "safety plan: unknown field 'moods'"},
        {R"({"warning_signs":"x"})", "warning_signs: expected a list"},
        {R"({"warning_signs":[1]})", "warning_signs[0]: expected a string"},
        {R"({"warning_signs":["  "]})", "warning_signs[0]: empty"},
        {R"({"people_to_ask":[{"name":"A","phone":"1"}]})", "people_to_ask[0]: unknown field 'phone'"},
        {R"({"people_to_ask":[{"contact":"1"}]})", "people_to_ask[0].name: empty"},
        {long_json.c_str(), "coping_strategies[0]: longer than 400 bytes"},
        {many.c_str(), "reasons_for_living: more than 12 items"},
    };
    for (const BadCase& c : cases) {
        auto r = SafetyPlanFromJson(c.json);
        ASSERT_FALSE(r) << c.json;
        if (c.message) {
            EXPECT_EQ(r.error().message, c.message) << c.json;
        }
    }
}

TEST(SafetyPlan, ValidateRejectsInvalidUtf8) {
    SafetyPlan p;
    p.warning_signs = {"bad \xFF byte"};
    auto st = Validate(p);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().message, "warning_signs[0]: not valid UTF-8");
}

}  // namespace
}  // namespace tta::safety
