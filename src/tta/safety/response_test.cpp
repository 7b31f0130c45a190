#include "tta/safety/response.hpp"

#include <gtest/gtest.h>

#include "tta/safety/output_gate.hpp"

namespace tta::safety {
namespace {

CrisisResponse Respond(std::string_view input, std::string locale,
                       const SafetyPlan* plan = nullptr) {
    ComposeOptions o;
    o.locale = std::move(locale);
    o.plan = plan;
    o.companion = "Mira";
    return ResponseComposer::Embedded().Compose(InputGate::Embedded().Classify(input), o);
}

bool Contains(const std::string& s, std::string_view part) {
    return s.find(part) != std::string::npos;
}

TEST(CrisisResponse, HighStepsOutWithWarmWordsLocalLinesAndTheWayBack) {
    const CrisisResponse r = Respond("I want to kill myself", "en-US");
    EXPECT_TRUE(r.step_out);
    EXPECT_EQ(r.country, "US");
    EXPECT_EQ(r.emergency, "911");
    EXPECT_TRUE(Contains(r.message, "pause the story")) << r.message;
    EXPECT_TRUE(Contains(r.message, "You matter")) << r.message;
    EXPECT_TRUE(Contains(r.message, "988 Suicide & Crisis Lifeline: call 988 or text 988"));
    EXPECT_TRUE(Contains(r.message, "text HOME to 741741")) << r.message;
    EXPECT_TRUE(Contains(r.message, "Emergency services: 911")) << r.message;
    EXPECT_TRUE(Contains(r.message, "The story will wait for you")) << r.message;
    EXPECT_TRUE(Contains(r.message, "type \"continue\" to go back to the story")) << r.message;
    EXPECT_FALSE(Contains(r.message, "call 911 now")) << "high is not urgent: " << r.message;
    ASSERT_FALSE(r.resources.empty());
    EXPECT_EQ(r.resources[0].phone, "988");
    EXPECT_FALSE(r.grounding);
}

TEST(CrisisResponse, ImminentAsksForTheEmergencyNumberNow) {
    const CrisisResponse r = Respond("I have the pills and I'm taking them all tonight", "en-GB");
    EXPECT_EQ(r.level, Level::kImminent);
    EXPECT_TRUE(Contains(r.message, "please call 999 now")) << r.message;
    EXPECT_TRUE(Contains(r.message, "Samaritans: call 116 123")) << r.message;
}

TEST(CrisisResponse, MedicalEmergenciesAreUrgentEvenAtHigh) {
    const CrisisResponse r = Respond("I think I'm having a heart attack", "en-AU");
    EXPECT_EQ(r.level, Level::kHigh);
    EXPECT_TRUE(Contains(r.message, "call 000 now")) << r.message;
}

TEST(CrisisResponse, AbuseLeadsWithAbuseLines) {
    const CrisisResponse r = Respond("my stepdad beats me", "en-GB");
    ASSERT_GE(r.resources.size(), 2u);
    EXPECT_TRUE(r.resources[0].HasTopic("abuse"));
    EXPECT_TRUE(Contains(r.message, "it is not your fault")) << r.message;
    EXPECT_TRUE(Contains(r.message, "Samaritans")) << "a crisis line is always there";
}

TEST(CrisisResponse, ShowsThePlayersOwnSafetyPlan) {
    SafetyPlan plan;
    plan.coping_strategies = {"Walk the dog"};
    plan.people_to_ask = {{"Mum", "07700 900456"}};
    plan.reasons_for_living = {"My sister"};
    const CrisisResponse r = Respond("i want to die", "en-GB", &plan);
    EXPECT_TRUE(r.plan_shown);
    EXPECT_TRUE(Contains(r.message, "You made a safety plan")) << r.message;
    EXPECT_TRUE(Contains(r.message, "  - Walk the dog\n")) << r.message;
    EXPECT_TRUE(Contains(r.message, "  - Mum: 07700 900456\n")) << r.message;
    EXPECT_TRUE(Contains(r.message, "Your reasons for living:\n  - My sister")) << r.message;
    EXPECT_FALSE(Contains(r.message, "Signs you noticed")) << "empty sections are left out";
    EXPECT_FALSE(Respond("i want to die", "en-GB").plan_shown);
}

TEST(CrisisResponse, UnknownLocaleGetsTheFallback) {
    const CrisisResponse r = Respond("I want to die", "xx");
    EXPECT_EQ(r.country, "");
    EXPECT_TRUE(Contains(r.message, "findahelpline.com")) << r.message;
    EXPECT_TRUE(Contains(r.message, "your local emergency number")) << r.message;
}

TEST(CrisisResponse, SomeoneElseAtRiskIsAddressedAsSuch) {
    const CrisisResponse r = Respond("my friend wants to kill herself tonight", "en-US");
    EXPECT_TRUE(Contains(r.message, "worried about someone you care about")) << r.message;
    EXPECT_TRUE(Contains(r.message, "If they might be in danger right now")) << r.message;
}

TEST(CrisisResponse, ConcernStaysInTheStoryWithAGroundingOffer) {
    const CrisisResponse r = Respond("I'm having a panic attack", "en-GB");
    EXPECT_FALSE(r.step_out);
    EXPECT_TRUE(r.message.empty());
    ASSERT_TRUE(r.grounding);
    EXPECT_EQ(r.grounding->technique, "paced_breathing");
    EXPECT_TRUE(Contains(r.grounding->narrator_cue, "Mira notices")) << r.grounding->narrator_cue;
    EXPECT_TRUE(Contains(r.grounding->support_line, "116 123")) << r.grounding->support_line;
}

TEST(CrisisResponse, NoneHasNothingToSay) {
    const CrisisResponse r = Respond("go north", "en-GB");
    EXPECT_FALSE(r.step_out);
    EXPECT_TRUE(r.message.empty());
    EXPECT_TRUE(r.resources.empty());
    EXPECT_FALSE(r.grounding);
}

// The words themselves: never a lecture, and never something the output gate would refuse.
TEST(CrisisResponse, MessagesNeitherLectureNorFailTheOutputGate) {
    SafetyPlan plan;
    plan.coping_strategies = {"Breathe"};
    for (const char* input : {"I want to kill myself", "I took 30 pills", "my dad hits me",
                              "I want to kill my stepdad", "my friend wants to kill herself",
                              "I've been cutting again", "I'm scared someone is breaking into my house"}) {
        for (const char* locale : {"en-US", "en-GB", "de", "xx"}) {
            const CrisisResponse r = Respond(input, locale, &plan);
            ASSERT_TRUE(r.step_out) << input;
            for (const char* word : {"you should", "you must", "you need to", "why did you", "selfish"}) {
                EXPECT_FALSE(Contains(r.message, word)) << word << " in: " << r.message;
            }
            EXPECT_TRUE(OutputGate::Embedded().Check(r.message).safe) << r.message;
        }
    }
}

TEST(CrisisResponse, JsonCarriesMessageResourcesAndGrounding) {
    const std::string json = CrisisResponseToJson(Respond("I want to die", "en-US"));
    EXPECT_TRUE(Contains(json, R"("step_out":true)")) << json;
    EXPECT_TRUE(Contains(json, R"("phone":"988")")) << json;
    EXPECT_TRUE(Contains(json, R"("grounding":null)")) << json;
}

}  // namespace
}  // namespace tta::safety

namespace tta::safety {
namespace {

TEST(CrisisMessages, MissingTextIsAnErrorNamingTheFile) {
    auto c = ResponseComposer::Create("version: \"1\"\nstep_out: x\n", "msgs.yaml",
                                      ResourceDirectory::Embedded());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message.rfind("msgs.yaml:", 0), 0u) << c.error().message;
}

}  // namespace
}  // namespace tta::safety
