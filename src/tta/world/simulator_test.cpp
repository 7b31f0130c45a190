#include "tta/world/simulator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>

#include "tta/world/test_pack.hpp"

namespace tta::world {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace tta::world::testing;

class Simulator : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_NE(pack, nullptr);
        state = Initial(*pack);
        opening = Begin(*pack, state, rng);
        state = opening.state;
    }

    Outcome Do(const Action& a) {
        Outcome o = Resolve(*pack, state, a, rng);
        // The engine rebuilds state by folding effects; the fold must agree with the outcome.
        State folded = state;
        for (const Effect& e : o.effects)
            EXPECT_TRUE(Apply(*pack, folded, e)) << EffectKindName(e.kind);
        EXPECT_EQ(folded, o.state);
        state = o.state;
        return o;
    }

    const Value& Var(std::string_view id) { return *VariableValue(*pack, state, id); }
    Where WhereIs(std::string_view item) {
        return state.items[static_cast<std::size_t>(pack->ItemIndex(item))];
    }

    std::shared_ptr<const Pack> pack = LighthousePack();
    State state;
    Rng rng{42};
    Outcome opening;
};

TEST_F(Simulator, OpeningShowsTheIntroAndTheFirstVisitText) {
    EXPECT_THAT(Events(opening), ElementsAre("intro", "arrived quay"));
    EXPECT_TRUE(opening.events[1].first_visit);
    EXPECT_EQ(opening.events[1].Source(), "You step onto the quay for the first time.");
    EXPECT_EQ(opening.events[0].Source(), "You arrive by boat, {{player.name}}.");
    EXPECT_EQ(state.visited[static_cast<std::size_t>(pack->PlaceIndex("quay"))], 1);
    EXPECT_EQ(Turns(*pack, state), 0);
}

TEST_F(Simulator, GoingThroughAnExitMovesThePlayerAndCountsATurn) {
    Outcome o = Do(GoDir("north"));
    EXPECT_THAT(Events(o), ElementsAre("arrived lane"));
    EXPECT_TRUE(o.events[0].first_visit);
    EXPECT_EQ(o.events[0].Source(), "A steep lane climbs between cottages.");
    EXPECT_EQ(PlayerPlace(*pack, state).id, "lane");
    EXPECT_EQ(Turns(*pack, state), 1);
    EXPECT_EQ(o.effects.front().kind, EffectKind::kTurn);
}

TEST_F(Simulator, GoingToAnAdjacentPlaceByNameUsesItsExit) {
    Outcome o = Do(Act(Verb::kGo, "lane"));
    EXPECT_THAT(Events(o), ElementsAre("arrived lane"));
}

TEST_F(Simulator, ReturningIsNotAFirstVisit) {
    Do(GoDir("north"));
    Outcome o = Do(GoDir("south"));
    ASSERT_THAT(Events(o), ElementsAre("arrived quay"));
    EXPECT_FALSE(o.events[0].first_visit);
    EXPECT_NE(o.events[0].Source(), "You step onto the quay for the first time.");
}

TEST_F(Simulator, ABlockedExitSaysItsBlockedTextAndKeepsThePlayer) {
    Outcome o = Do(GoDir("east"));
    ASSERT_THAT(Events(o), ElementsAre("exit_blocked quay east"));
    EXPECT_EQ(o.events[0].Source(), "The beach is under water.");
    EXPECT_EQ(PlayerPlace(*pack, state).id, "quay");
}

TEST_F(Simulator, AnExitOpensWhenItsConditionBecomesTrue) {
    for (int i = 0; i < 4; ++i) Do(Act(Verb::kWait));
    Outcome o = Do(Act(Verb::kWait));  // turn 5: the tide turns
    EXPECT_THAT(Events(o), ElementsAre("waited", "rule_text tide_turns"));
    EXPECT_EQ(Var("tide"), Value{std::string("low")});
    EXPECT_THAT(Events(Do(GoDir("east"))), ElementsAre("arrived beach"));
}

TEST_F(Simulator, NoExitThatWayNamesTheDirection) {
    EXPECT_THAT(Events(Do(GoDir("west"))), ElementsAre("no_exit quay west"));
    EXPECT_THAT(Events(Do(Act(Verb::kGo, "tower"))), ElementsAre("no_exit quay tower"));
    EXPECT_THAT(Events(Do(Act(Verb::kGo, "quay"))),
                ElementsAre("nothing_happens quay (already_here)"));
}

TEST_F(Simulator, HiddenExitsStayClosedUntilRevealed) {
    Do(GoDir("north"));
    EXPECT_THAT(Events(Do(GoDir("west"))), ElementsAre("no_exit lane west"));
    Outcome o = Do(Act(Verb::kExamine, "lane"));
    EXPECT_THAT(Events(o), ElementsAre("rule_text find_cellar"));
    EXPECT_THAT(Events(Do(GoDir("west"))), ElementsAre("arrived cellar"));
}

TEST_F(Simulator, OnceRulesFireOnceThenTheDefaultActionReturns) {
    Do(GoDir("north"));
    Do(Act(Verb::kExamine, "lane"));
    Outcome o = Do(Act(Verb::kExamine, "lane"));
    ASSERT_THAT(Events(o), ElementsAre("examined lane"));
    EXPECT_EQ(o.events[0].Source(), "A steep lane climbs between cottages.");
}

TEST_F(Simulator, ContinueRulesAddTheirTextAfterTheDefaultAction) {
    Do(GoDir("north"));
    EXPECT_THAT(Events(Do(GoDir("up"))), ElementsAre("arrived tower", "rule_text enter_tower"));
}

TEST_F(Simulator, TakingChecksPresencePortabilityAndPossession) {
    EXPECT_THAT(Events(Do(Act(Verb::kTake, "oil"))), ElementsAre("not_here oil"));
    EXPECT_THAT(Events(Do(Act(Verb::kTake, "coin"))), ElementsAre("already_carried coin"));
    EXPECT_THAT(Events(Do(Act(Verb::kTake, "flibbet"))), ElementsAre("not_here flibbet"));
    EXPECT_THAT(Events(Do(Act(Verb::kTake))), ElementsAre("nothing_happens (missing_object)"));
    Do(GoDir("north"));
    Do(GoDir("up"));
    EXPECT_THAT(Events(Do(Act(Verb::kTake, "lamp"))), ElementsAre("not_portable lamp"));
}

TEST_F(Simulator, DroppingAndTakingMovesTheItem) {
    EXPECT_THAT(Events(Do(Act(Verb::kDrop, "coin"))), ElementsAre("dropped coin"));
    EXPECT_EQ(WhereIs("coin"), (Where{Where::Kind::kPlace, pack->PlaceIndex("quay")}));
    Outcome o = Do(Act(Verb::kTake, "coin"));
    ASSERT_THAT(Events(o), ElementsAre("took coin"));
    EXPECT_EQ(o.events[0].Source(), "You pocket the coin.");
    EXPECT_EQ(WhereIs("coin").kind, Where::Kind::kPlayer);
    EXPECT_THAT(Events(Do(Act(Verb::kDrop, "oil"))), ElementsAre("not_carried oil"));
}

TEST_F(Simulator, InventoryListsCarriedItemsInPackOrder) {
    Outcome o = Do(Act(Verb::kInventory));
    ASSERT_EQ(o.events.size(), 1u);
    EXPECT_THAT(o.events[0].ids, ElementsAre("coin"));
}

TEST_F(Simulator, TalkingToAPersonWithASceneOpensTheScene) {
    Outcome o = Do(Act(Verb::kTalk, "fisher"));
    ASSERT_THAT(Events(o), ElementsAre("scene_node fisher_talk hello"));
    EXPECT_THAT(o.events[0].choices, ElementsAre(0, 1));
    EXPECT_EQ(state.scene, pack->SceneIndex("fisher_talk"));
}

TEST_F(Simulator, ChoosingAnEndingChoiceRunsItsEffectsAndRecordsTheOutcome) {
    Do(Act(Verb::kTalk, "fisher"));
    Outcome o = Do(Choose(2));
    EXPECT_THAT(Events(o), ElementsAre("scene_ended fisher_talk paid"));
    EXPECT_EQ(state.scene, -1);
    EXPECT_EQ(state.outcomes[static_cast<std::size_t>(pack->SceneIndex("fisher_talk"))], "paid");
    EXPECT_EQ(Var("coins"), Value{std::int64_t{3}});
    EXPECT_EQ(WhereIs("coin").kind, Where::Kind::kNowhere);
    // With the scene done, talking gives the greeting.
    EXPECT_THAT(Events(Do(Act(Verb::kTalk, "fisher"))), ElementsAre("greeting fisher"));
}

TEST_F(Simulator, ChoicesWhoseConditionFailsAreNotOffered) {
    Do(Act(Verb::kDrop, "coin"));
    Outcome o = Do(Act(Verb::kTalk));  // the only person here
    ASSERT_EQ(o.events.size(), 1u);
    EXPECT_THAT(o.events[0].choices, ElementsAre(0));
    EXPECT_THAT(Events(Do(Choose(2))), ElementsAre("nothing_happens (no_such_choice)"));
}

TEST_F(Simulator, ChoosingAGotoShowsTheNextNodeAndItsEnd) {
    Do(Act(Verb::kTalk, "fisher"));
    Outcome o = Do(Choose(1));
    EXPECT_THAT(Events(o),
                ElementsAre("choice_reply fisher_talk hello", "scene_node fisher_talk bye",
                            "scene_ended fisher_talk completed"));
    EXPECT_EQ(o.events[0].Source(), "'Watch the moon.'");
}

TEST_F(Simulator, OtherActionsLeaveTheScenePausedAndChoicesStillWork) {
    Do(Act(Verb::kTalk, "fisher"));
    EXPECT_THAT(Events(Do(Act(Verb::kLook))), ElementsAre("look quay"));
    EXPECT_THAT(Events(Do(Choose(2))), ElementsAre("scene_ended fisher_talk paid"));
}

TEST_F(Simulator, TalkingAgainDuringAPausedSceneRepeatsItsNode) {
    Do(Act(Verb::kTalk, "fisher"));
    Do(Act(Verb::kLook));
    Outcome o = Do(Act(Verb::kTalk, "fisher"));
    ASSERT_THAT(Events(o), ElementsAre("scene_node fisher_talk hello"));
    EXPECT_THAT(o.events[0].choices, ElementsAre(0, 1));
}

TEST_F(Simulator, ChoosingWithoutASceneSaysSo) {
    EXPECT_THAT(Events(Do(Choose(1))), ElementsAre("nothing_happens (no_scene)"));
}

TEST_F(Simulator, TopicsRespectTheirConditionsAndRunEffects) {
    Do(GoDir("north"));
    Outcome locked = Do(Ask("mira", "tide"));
    ASSERT_THAT(Events(locked), ElementsAre("topic_locked mira tide"));
    EXPECT_EQ(locked.events[0].Source(), "Mira shakes her head.");
    EXPECT_THAT(Events(Do(Ask("mira", "lamp"))), ElementsAre("topic mira lamp"));
    EXPECT_EQ(state.trust[static_cast<std::size_t>(pack->PersonIndex("mira"))], 1);
    EXPECT_THAT(Events(Do(Ask("mira", "tide"))), ElementsAre("topic mira tide"));
    EXPECT_EQ(Var("tide"), Value{std::string("low")});
    Outcome unknown = Do(Ask("mira", "weather"));
    ASSERT_THAT(Events(unknown), ElementsAre("unknown_topic mira weather"));
    EXPECT_EQ(unknown.events[0].Source(), "'I couldn't say,' Mira says.");
}

TEST_F(Simulator, TalkingToSomeoneAbsentOrToAThing) {
    EXPECT_THAT(Events(Do(Act(Verb::kTalk, "mira"))), ElementsAre("not_here mira"));
    EXPECT_THAT(Events(Do(Act(Verb::kTalk, "quay"))),
                ElementsAre("nothing_happens quay (not_person)"));
    Do(GoDir("north"));
    Do(GoDir("up"));
    // Turn 5 is also when the tide turns.
    EXPECT_THAT(Events(Do(Act(Verb::kTalk))), ElementsAre("nobody_here", "rule_text tide_turns"));
}

TEST_F(Simulator, AGiveRuleHandsTheItemOverAndSaysSoFirst) {
    Do(GoDir("north"));
    Outcome o = Do(Act(Verb::kGive, "coin", "mira"));
    EXPECT_THAT(Events(o), ElementsAre("gave coin mira", "rule_text give_coin"));
    EXPECT_EQ(WhereIs("coin"), (Where{Where::Kind::kPerson, pack->PersonIndex("mira")}));
    EXPECT_EQ(WhereIs("key").kind, Where::Kind::kPlayer);
}

TEST_F(Simulator, GivingWithoutARuleIsPolitelyDeclined) {
    Outcome o = Do(Act(Verb::kGive, "coin", "fisher"));
    EXPECT_THAT(Events(o), ElementsAre("nothing_happens fisher (not_wanted)"));
    EXPECT_EQ(WhereIs("coin").kind, Where::Kind::kPlayer);
}

TEST_F(Simulator, UsingWithoutARuleDoesNothing) {
    EXPECT_THAT(Events(Do(Act(Verb::kUse, "coin"))),
                ElementsAre("nothing_happens coin (no_effect)"));
    EXPECT_THAT(Events(Do(Act(Verb::kOpen, "oil"))), ElementsAre("not_here oil"));
}

// The whole lit-lamp path: the tide, the oil, the tower, the ending.
TEST_F(Simulator, ReachingAnEndingByConditionFinishesTheStory) {
    for (int i = 0; i < 5; ++i) Do(Act(Verb::kWait));
    Do(GoDir("east"));
    Do(Act(Verb::kTake, "oil"));
    Do(GoDir("west"));
    Do(GoDir("north"));
    Do(GoDir("up"));
    Outcome o = Do(Act(Verb::kUse, "oil", "lamp"));
    EXPECT_THAT(Events(o), ElementsAre("rule_text fill_lamp", "ending lit"));
    EXPECT_TRUE(o.ended);
    EXPECT_EQ(o.events.back().Source(), "The light sweeps the sea.");
    EXPECT_EQ(Var("stress"), Value{std::int64_t{4}});
    EXPECT_THAT(Events(Do(Act(Verb::kLook))), ElementsAre("nothing_happens (story_over)"));
}

TEST_F(Simulator, AnEndEffectFinishesTheStory) {
    Do(GoDir("north"));
    Do(Act(Verb::kExamine, "lane"));
    Do(GoDir("west"));
    Outcome o = Do(Act(Verb::kWait));
    EXPECT_THAT(Events(o), ElementsAre("ending cellar_end"));
    EXPECT_EQ(state.ending, pack->EndingIndex("cellar_end"));
}

TEST_F(Simulator, BreathingLowersStressDownToItsMinimum) {
    EXPECT_THAT(Events(Do(Act(Verb::kBreathe))), ElementsAre("breathed"));
    EXPECT_EQ(Var("stress"), Value{std::int64_t{5}});
    for (int i = 0; i < 10; ++i) Do(Act(Verb::kBreathe));
    EXPECT_EQ(Var("stress"), Value{std::int64_t{0}});
}

TEST_F(Simulator, ReflectCarriesTheEmotion) {
    Action a = Act(Verb::kReflect);
    a.emotion = "anxious";
    EXPECT_THAT(Events(Do(a)), ElementsAre("reflected anxious"));
}

TEST_F(Simulator, TextVariantsNeverRepeatBackToBack) {
    int last = -1;
    for (int i = 0; i < 30; ++i) {
        Outcome o = Do(Act(Verb::kLook));
        ASSERT_EQ(o.events[0].kind, EventKind::kLook);
        EXPECT_NE(o.events[0].variant, last);
        last = o.events[0].variant;
    }
}

TEST_F(Simulator, TheSameSeedGivesTheSameTurn) {
    Rng a(7);
    Rng b(7);
    Outcome x = Resolve(*pack, state, Act(Verb::kLook), a);
    Outcome y = Resolve(*pack, state, Act(Verb::kLook), b);
    EXPECT_EQ(x.effects, y.effects);
    EXPECT_EQ(x.state, y.state);
}

TEST_F(Simulator, ResolveNeverChangesItsInputState) {
    const State before = state;
    Resolve(*pack, state, GoDir("north"), rng);
    EXPECT_EQ(state, before);
}

TEST_F(Simulator, TherapeuticScenesAreOfferedWhereTheyBelong) {
    EXPECT_THAT(OfferableScenes(*pack, state), IsEmpty());
    for (int i = 0; i < 5; ++i) Do(Act(Verb::kWait));
    Do(GoDir("east"));
    EXPECT_THAT(OfferableScenes(*pack, state), ElementsAre(pack->SceneIndex("breathe_at_sea")));
    Outcome o = StartScene(*pack, state, "breathe_at_sea", rng);
    EXPECT_THAT(Events(o),
                ElementsAre("scene_offered breathe_at_sea", "scene_node breathe_at_sea begin"));
    state = o.state;
    EXPECT_THAT(OfferableScenes(*pack, state), IsEmpty());
    o = Do(Choose(1));
    EXPECT_THAT(Events(o), ElementsAre("scene_node breathe_at_sea done",
                                       "scene_ended breathe_at_sea completed"));
    EXPECT_EQ(Var("stress"), Value{std::int64_t{5}});
    EXPECT_THAT(OfferableScenes(*pack, state), IsEmpty());
}

TEST_F(Simulator, ACheckInEffectAsksOnceAfterEverythingTheTurnSaid) {
    Do(GoDir("north"));
    Outcome o = Do(Ask("mira", "day"));
    EXPECT_THAT(Events(o), ElementsAre("topic mira day", "check_in mira"));
    EXPECT_EQ(o.effects.back(), (Effect{EffectKind::kCheckIn, "mira", {}, false, 0}));
    EXPECT_EQ(boost::json::serialize(EventToJson(o.events.back())),
              R"({"kind":"check_in","subject":"mira"})");
    // The effect is in the log, and reads back, but changes nothing.
    auto back = EffectFromJson(EffectToJson(o.effects.back()));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, o.effects.back());
    EXPECT_THAT(Events(Do(Act(Verb::kWait))), ElementsAre("waited"));
}

TEST_F(Simulator, StartingAnUnknownSceneDoesNothing) {
    EXPECT_THAT(Events(StartScene(*pack, state, "nope", rng)),
                ElementsAre("nothing_happens nope (no_scene)"));
}

TEST_F(Simulator, EventsSerialiseWithTheirTextKey) {
    Outcome o = Do(GoDir("east"));
    const std::string json = boost::json::serialize(EventToJson(o.events[0]));
    EXPECT_EQ(
        json,
        R"({"kind":"exit_blocked","subject":"quay","object":"east",)"
              R"("text":"places.quay.exits.east.blocked","variant":0})");
}

TEST_F(Simulator, ATurnTakesMicroseconds) {
    const auto start = std::chrono::steady_clock::now();
    constexpr int kTurns = 2000;
    State s = state;
    for (int i = 0; i < kTurns; ++i) {
        Outcome o = Resolve(*pack, s, i % 2 == 0 ? GoDir("north") : GoDir("south"), rng);
        s = std::move(o.state);
    }
    const auto per_turn = (std::chrono::steady_clock::now() - start) / kTurns;
    // Generous even under the sanitizers; the release figure is a few microseconds.
    EXPECT_LT(per_turn, std::chrono::milliseconds(5));
}

}  // namespace
}  // namespace tta::world

namespace tta::world {
namespace {

using ::testing::ElementsAre;
using namespace tta::world::testing;

// The worked example in docs/worlds.md, played to both of its endings.
class QuietPier : public ::testing::Test {
  protected:
    void SetUp() override {
        std::vector<Diagnostic> diagnostics;
        auto loaded = LoadPack(TestData("quiet_pier"), diagnostics);
        ASSERT_TRUE(loaded) << (diagnostics.empty() ? "" : diagnostics[0].ToString());
        pack = *loaded;
        state = Begin(*pack, Initial(*pack), rng).state;
    }
    Outcome Play(std::initializer_list<Action> actions) {
        Outcome o;
        for (const Action& a : actions) {
            o = Resolve(*pack, state, a, rng);
            state = o.state;
        }
        return o;
    }
    std::shared_ptr<const Pack> pack;
    State state;
    Rng rng{2024};
};

TEST_F(QuietPier, TheNoticingGameLeadsToTheSettledEnding) {
    Outcome o = Play({GoDir("north"), GoDir("east"), Act(Verb::kTake, "thermos"), GoDir("west")});
    EXPECT_THAT(Events(o), ElementsAre("arrived boardwalk", "rule_text lamps_come_on"));
    o = Play({GoDir("north"), Act(Verb::kTalk, "ada")});
    ASSERT_THAT(Events(o), ElementsAre("scene_node notice_game begin"));
    o = Play({Choose(1)});
    ASSERT_THAT(Events(o), ElementsAre("scene_node notice_game five"));
    EXPECT_THAT(o.events[0].choices, ElementsAre(0, 1));
    o = Play({Choose(1), Act(Verb::kUse, "thermos")});
    EXPECT_EQ(*VariableValue(*pack, state, "stress"), Value{std::int64_t{2}});
    o = Play({GoDir("south"), GoDir("south")});
    EXPECT_THAT(Events(o), ElementsAre("arrived pier_gate", "ending settled"));
}

TEST_F(QuietPier, TheDarkBlocksThePierUntilTheLampsComeOn) {
    Outcome o = Play({GoDir("north"), GoDir("north")});
    EXPECT_THAT(Events(o), ElementsAre("exit_blocked boardwalk north"));
    o = Play({Act(Verb::kWait), Act(Verb::kWait), GoDir("north")});
    EXPECT_THAT(Events(o), ElementsAre("arrived pier_end"));
    o = Play({Act(Verb::kTalk), Choose(2)});
    EXPECT_THAT(Events(o),
                ElementsAre("choice_reply notice_game begin", "scene_ended notice_game declined"));
    o = Play({GoDir("south"), GoDir("south"), Act(Verb::kWait)});
    EXPECT_THAT(Events(o), ElementsAre("ending walk_home"));
}

}  // namespace
}  // namespace tta::world
