// Writing a safety plan a section at a time.
#include "tta/engine/safety_plan_dialog.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tta::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = SafetyPlanStep::Kind;

TEST(SafetyPlanDialog, WalksTheSevenSectionsAndFillsThePlan) {
    SafetyPlanDraft d;
    EXPECT_THAT(SafetyPlanPrompt(d, true), HasSubstr("1 of 7. Warning signs."));
    EXPECT_EQ(AnswerSafetyPlan(d, "can't sleep;  pushing people away ;").kind, Kind::kAsk);
    EXPECT_EQ(AnswerSafetyPlan(d, "skip").kind, Kind::kAsk);
    EXPECT_THAT(SafetyPlanPrompt(d, false), HasSubstr("name then how to reach them"));
    EXPECT_EQ(AnswerSafetyPlan(d, "the library").kind, Kind::kAsk);
    EXPECT_EQ(AnswerSafetyPlan(d, "Mum, 07700 900456; Priya").kind, Kind::kAsk);
    EXPECT_EQ(AnswerSafetyPlan(d, "Samaritans, 116 123").kind, Kind::kAsk);
    EXPECT_EQ(AnswerSafetyPlan(d, "skip").kind, Kind::kAsk);
    EXPECT_EQ(AnswerSafetyPlan(d, "my daughter").kind, Kind::kDone);

    EXPECT_THAT(d.plan.warning_signs, ElementsAre("can't sleep", "pushing people away"));
    EXPECT_TRUE(d.plan.coping_strategies.empty());
    ASSERT_EQ(d.plan.distractions.size(), 1u);
    EXPECT_EQ(d.plan.distractions[0].name, "the library");
    ASSERT_EQ(d.plan.people_to_ask.size(), 2u);
    EXPECT_EQ(d.plan.people_to_ask[0].contact, "07700 900456");
    EXPECT_EQ(d.plan.people_to_ask[1].name, "Priya");
    EXPECT_THAT(d.plan.reasons_for_living, ElementsAre("my daughter"));
}

TEST(SafetyPlanDialog, KeepClearAndBackEditAnExistingPlan) {
    SafetyPlanDraft d;
    d.plan.warning_signs = {"can't sleep"};
    d.plan.coping_strategies = {"walk"};
    EXPECT_THAT(SafetyPlanPrompt(d, false), HasSubstr("Now: can't sleep"));
    EXPECT_THAT(SafetyPlanPrompt(d, false), HasSubstr("keep"));
    AnswerSafetyPlan(d, "keep");
    AnswerSafetyPlan(d, "clear");
    EXPECT_TRUE(d.plan.coping_strategies.empty());
    AnswerSafetyPlan(d, "back");
    EXPECT_EQ(d.section, 1u);
    AnswerSafetyPlan(d, "music");
    EXPECT_THAT(d.plan.coping_strategies, ElementsAre("music"));
    EXPECT_THAT(d.plan.warning_signs, ElementsAre("can't sleep"));
}

TEST(SafetyPlanDialog, RefusedAnswersAskAgainAndStopLeaves) {
    SafetyPlanDraft d;
    auto step = AnswerSafetyPlan(d, " ; ; ");
    EXPECT_EQ(step.kind, Kind::kAsk);
    EXPECT_THAT(step.text, HasSubstr("Nothing to add"));
    EXPECT_EQ(d.section, 0u);
    step = AnswerSafetyPlan(d, std::string(500, 'x'));
    EXPECT_EQ(step.kind, Kind::kAsk);
    EXPECT_THAT(step.text, HasSubstr("warning_signs[0]"));
    EXPECT_EQ(d.section, 0u);
    AnswerSafetyPlan(d, "skip");
    step = AnswerSafetyPlan(d, "skip");
    step = AnswerSafetyPlan(d, ", 0800 123");  // a contact without a name
    EXPECT_EQ(step.kind, Kind::kAsk);
    EXPECT_FALSE(step.text.empty());
    EXPECT_EQ(AnswerSafetyPlan(d, "stop").kind, Kind::kStopped);
}

}  // namespace
}  // namespace tta::engine
