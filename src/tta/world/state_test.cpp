#include "tta/world/state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tta/world/effect.hpp"
#include "tta/world/test_pack.hpp"

namespace tta::world {
namespace {

using ::testing::ElementsAre;
using namespace tta::world::testing;

TEST(State, InitialPutsEverythingWhereThePackSays) {
    const auto pack = LighthousePack();
    const State s = Initial(*pack);
    EXPECT_EQ(PlayerPlace(*pack, s).id, "quay");
    EXPECT_THAT(Inventory(s), ElementsAre(pack->ItemIndex("coin")));
    EXPECT_THAT(ItemsAt(s, pack->PlaceIndex("beach")), ElementsAre(pack->ItemIndex("oil")));
    EXPECT_THAT(PeopleAt(s, pack->PlaceIndex("quay")), ElementsAre(pack->PersonIndex("fisher")));
    EXPECT_EQ(*VariableValue(*pack, s, "tide"), Value{std::string("high")});
    EXPECT_EQ(VariableValue(*pack, s, "nope"), nullptr);
    EXPECT_EQ(Turns(*pack, s), 0);
    EXPECT_EQ(s.scene, -1);
    EXPECT_EQ(s.ending, -1);
    EXPECT_FALSE(ExitVisible(s, *pack->FindPlace("lane")->FindExit("west")));
    EXPECT_TRUE(ExitVisible(s, *pack->FindPlace("lane")->FindExit("south")));
}

TEST(State, AFreshSnapshotHoldsOnlyTheHeader) {
    const auto pack = LighthousePack();
    EXPECT_EQ(boost::json::serialize(StateToJson(*pack, Initial(*pack))),
              R"({"format":1,"world":"lighthouse","version":2,"player":"quay","items":{},)"
              R"("people":{},"trust":{},"variables":{},"visited":[],"fired":[],"outcomes":{},)"
              R"("scene":null,"revealed":[],"ending":null,"last_variant":{}})");
}

// Plays a few turns, then checks that the snapshot round-trips exactly.
TEST(State, SnapshotsRoundTrip) {
    const auto pack = LighthousePack();
    Rng rng(3);
    State s = Begin(*pack, Initial(*pack), rng).state;
    for (const Action& a : {GoDir("north"), Act(Verb::kExamine, "lane"), Ask("mira", "lamp"),
                            Act(Verb::kGive, "coin", "mira"), GoDir("south"), Act(Verb::kLook),
                            Act(Verb::kTalk, "fisher")}) {
        s = Resolve(*pack, s, a, rng).state;
    }
    ASSERT_EQ(s.scene, pack->SceneIndex("fisher_talk"));
    const boost::json::value json = StateToJson(*pack, s);
    auto back = StateFromJson(*pack, boost::json::parse(boost::json::serialize(json)));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, s);
}

TEST(State, SnapshotsFromAnotherWorldOrVersionAreRefused) {
    const auto pack = LighthousePack();
    boost::json::object json = StateToJson(*pack, Initial(*pack)).as_object();
    json["version"] = 1;
    auto r = StateFromJson(*pack, json);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    json["version"] = 2;
    json["world"] = "saltmarsh";
    EXPECT_FALSE(StateFromJson(*pack, json));
    json["world"] = "lighthouse";
    json["format"] = 9;
    EXPECT_FALSE(StateFromJson(*pack, json));
}

TEST(State, SnapshotsNamingUnknownThingsAreRefused) {
    const auto pack = LighthousePack();
    for (const char* bad :
         {R"({"player":"moon"})", R"({"items":{"oil":"moon"}})", R"({"variables":{"tide":3}})",
          R"({"fired":["nope"]})", R"({"revealed":["lane.up.west"]})",
          R"({"scene":{"id":"fisher_talk","node":"x"}})",
          R"({"last_variant":{"places.quay.nope":1}})"}) {
        boost::json::object json = StateToJson(*pack, Initial(*pack)).as_object();
        const boost::json::value patch = boost::json::parse(bad);
        for (const auto& [k, v] : patch.as_object()) json[k] = v;
        auto r = StateFromJson(*pack, json);
        EXPECT_FALSE(r) << bad;
        if (!r) {
            EXPECT_EQ(r.error().code, ErrorCode::kInvalid) << bad;
        }
    }
    EXPECT_FALSE(StateFromJson(*pack, boost::json::value(3)));
}

TEST(EffectRecords, SerialiseOnlyTheFieldsTheirKindUses) {
    EXPECT_EQ(boost::json::serialize(EffectToJson({EffectKind::kTurn, {}, {}, false, 0})),
              R"({"kind":"turn"})");
    EXPECT_EQ(boost::json::serialize(
                  EffectToJson({EffectKind::kSetVariable, "tide", {}, std::string("low"), 0})),
              R"({"kind":"set_variable","subject":"tide","value":"low"})");
    EXPECT_EQ(
        boost::json::serialize(EffectToJson({EffectKind::kMoveItem, "oil", "player", false, 0})),
        R"({"kind":"move_item","subject":"oil","target":"player"})");
    EXPECT_EQ(boost::json::serialize(EffectToJson({EffectKind::kSetTrust, "mira", {}, false, -2})),
              R"({"kind":"set_trust","subject":"mira","number":-2})");
}

TEST(EffectRecords, RoundTripThroughJson) {
    const std::vector<Effect> effects = {
        {EffectKind::kMovePlayer, "lane", {}, false, 0},
        {EffectKind::kSetVariable, "coins", {}, std::int64_t{4}, 0},
        {EffectKind::kSetVariable, "lamp_lit", {}, true, 0},
        {EffectKind::kMoveItem, "oil", "", false, 0},
        {EffectKind::kMovePerson, "mira", "quay", false, 0},
        {EffectKind::kSetTrust, "mira", {}, false, 3},
        {EffectKind::kVisit, "lane", {}, false, 0},
        {EffectKind::kRuleFired, "fill_lamp", {}, false, 0},
        {EffectKind::kSceneStarted, "fisher_talk", "hello", false, 0},
        {EffectKind::kSceneAdvanced, "fisher_talk", "bye", false, 0},
        {EffectKind::kSceneEnded, "fisher_talk", "completed", false, 0},
        {EffectKind::kExitRevealed, "lane", "west", false, 0},
        {EffectKind::kEndingReached, "lit", {}, false, 0},
        {EffectKind::kTurn, {}, {}, false, 0},
        {EffectKind::kTextShown, "places.quay.description", {}, false, 2},
    };
    const std::string text = boost::json::serialize(EffectsToJson(effects));
    auto back = EffectsFromJson(boost::json::parse(text));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, effects);
}

TEST(EffectRecords, MalformedJsonIsAnErrorNotACrash) {
    for (const char* bad :
         {"3", "[3]", R"([{"kind":"fly"}])", R"([{"kind":"move_item","subject":"oil"}])",
          R"([{"kind":"set_variable","subject":"x","value":[1]}])",
          R"([{"kind":"set_trust","subject":"mira","number":"2"}])"}) {
        EXPECT_FALSE(EffectsFromJson(boost::json::parse(bad))) << bad;
    }
}

TEST(EffectRecords, ApplyRefusesEffectsThePackCannotHold) {
    const auto pack = LighthousePack();
    State s = Initial(*pack);
    const State before = s;
    EXPECT_FALSE(Apply(*pack, s, {EffectKind::kMovePlayer, "moon", {}, false, 0}));
    EXPECT_FALSE(Apply(*pack, s, {EffectKind::kSetVariable, "tide", {}, std::int64_t{3}, 0}));
    EXPECT_FALSE(Apply(*pack, s, {EffectKind::kExitRevealed, "quay", "up", false, 0}));
    EXPECT_FALSE(Apply(*pack, s, {EffectKind::kTextShown, "nope", {}, false, 1}));
    EXPECT_EQ(s, before);
}

}  // namespace
}  // namespace tta::world
