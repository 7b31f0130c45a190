#include "tta/engine/therapy_profile.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tta/engine/therapy_layer.hpp"

namespace tta::engine {
namespace {

const therapy::Catalogue& Cat() { return BuiltinCatalogue(); }

TEST(PlayerProfile, AnEmptyProfileMeansTheDefaults) {
    for (std::string_view text : {"", "{}", "  ", R"({"theme":"dark"})"}) {
        auto p = ParsePlayerProfile(Cat(), text);
        ASSERT_TRUE(p) << text << ": " << p.error().message;
        EXPECT_TRUE(p->therapy.goals.empty());
        EXPECT_TRUE(p->therapy.preferred_frameworks.empty());
        EXPECT_EQ(p->therapy.max_intensity, therapy::Intensity::kModerate);
        EXPECT_EQ(p->questionnaires, QuestionnaireSchedule::kOff);
    }
}

TEST(PlayerProfile, EveryKeyIsRead) {
    auto p = ParsePlayerProfile(Cat(), R"({
        "goals": ["anxiety", "worry"], "frameworks": ["mindfulness", "act"],
        "max_intensity": "gentle", "topics_to_avoid": ["the sea"],
        "conditions": ["heart_condition"], "questionnaires": "fortnightly"})");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->therapy.goals, (std::vector<std::string>{"anxiety", "worry"}));
    EXPECT_EQ(p->therapy.preferred_frameworks,
              (std::vector<therapy::Framework>{therapy::Framework::kMindfulness,
                                               therapy::Framework::kAct}));
    EXPECT_EQ(p->therapy.max_intensity, therapy::Intensity::kGentle);
    EXPECT_EQ(p->therapy.topics_to_avoid, std::vector<std::string>{"the sea"});
    EXPECT_EQ(p->therapy.conditions, std::vector<std::string>{"heart_condition"});
    EXPECT_EQ(p->questionnaires, QuestionnaireSchedule::kFortnightly);
}

TEST(PlayerProfile, MistakesAreInvalidAndSayWhere) {
    struct Case {
        std::string_view json;
        std::string_view says;
    };
    for (const Case& c : std::initializer_list<Case>{
             {"[1,2]", "should be a JSON object"},
             {"{not json", "should be a JSON object"},
             {R"({"goals":"anxiety"})", "'goals' of the profile should be a list"},
             {R"({"goals":[1]})", "'goals' of the profile should hold strings"},
             {R"({"goals":["happiness"]})", "goal 'happiness' is not one of"},
             {R"({"frameworks":["freudian"]})", "'frameworks' of the profile"},
             {R"({"max_intensity":"extreme"})", "'max_intensity' of the profile"},
             {R"({"conditions":["flu"]})", "condition 'flu' is not one of"},
             {R"({"questionnaires":"daily"})", "weekly, fortnightly or off"},
             {R"({"questionnaires":7})", "'questionnaires' of the profile should be a string"},
         }) {
        auto p = ParsePlayerProfile(Cat(), c.json);
        ASSERT_FALSE(p) << c.json;
        EXPECT_EQ(p.error().code, ErrorCode::kInvalid);
        EXPECT_NE(p.error().message.find(c.says), std::string::npos)
            << c.json << ": " << p.error().message;
    }
}

TEST(PlayerProfile, SettingTheScheduleKeepsEveryOtherKey) {
    auto updated = WithQuestionnaireSchedule(R"({"goals":["worry"],"theme":{"dark":true}})",
                                             QuestionnaireSchedule::kWeekly);
    ASSERT_TRUE(updated);
    auto o = boost::json::parse(*updated).as_object();
    EXPECT_EQ(o.at("questionnaires").as_string(), "weekly");
    EXPECT_EQ(o.at("goals").as_array().size(), 1u);
    EXPECT_TRUE(o.at("theme").as_object().at("dark").as_bool());
    auto from_empty = WithQuestionnaireSchedule("", QuestionnaireSchedule::kOff);
    ASSERT_TRUE(from_empty);
    EXPECT_EQ(*from_empty, R"({"questionnaires":"off"})");
    EXPECT_FALSE(WithQuestionnaireSchedule("[]", QuestionnaireSchedule::kOff));
}

TEST(QuestionnaireSchedule, NamesAndIntervalsRoundTrip) {
    for (auto s : {QuestionnaireSchedule::kOff, QuestionnaireSchedule::kWeekly,
                   QuestionnaireSchedule::kFortnightly}) {
        EXPECT_EQ(*ParseQuestionnaireSchedule(Name(s)), s);
    }
    EXPECT_EQ(IntervalMs(QuestionnaireSchedule::kOff), 0);
    EXPECT_EQ(IntervalMs(QuestionnaireSchedule::kWeekly), 7LL * 24 * 3600 * 1000);
    EXPECT_EQ(IntervalMs(QuestionnaireSchedule::kFortnightly), 14LL * 24 * 3600 * 1000);
}

}  // namespace
}  // namespace tta::engine
