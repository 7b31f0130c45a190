#include "tta/engine/sitting.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "tta/engine/therapy_layer.hpp"
#include "tta/world/loader.hpp"

namespace tta::engine {
namespace {

class SittingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::vector<world::Diagnostic> diagnostics;
        auto pack = world::LoadPack(
            std::filesystem::path(TTA_SOURCE_DIR) / "src/tta/engine/testdata/tiny", diagnostics);
        ASSERT_TRUE(pack) << pack.error().message;
        pack_ = std::move(*pack);
    }
    // A story turn at `turn` with these scene changes ("" outcome: started).
    static TurnFacts Turn(int turn, std::vector<TurnFacts::SceneChange> scenes = {}) {
        TurnFacts f;
        f.kind = "story";
        f.turn = turn;
        f.created_ms = 1000 + turn;
        f.scenes = std::move(scenes);
        return f;
    }

    std::shared_ptr<const world::Pack> pack_;
};

TEST_F(SittingTest, FactsAreReadFromWhatTheEngineWritesInATurnBody) {
    auto body = boost::json::parse(R"({
        "kind": "story", "turn": 7,
        "effects": [{"kind": "scene_started", "subject": "breathe", "target": "begin"},
                    {"kind": "scene_ended", "subject": "breathe", "target": "completed"},
                    {"kind": "ending_reached", "subject": "home"}, {"kind": "turn"}],
        "events": [{"kind": "arrived", "subject": "hut", "first_visit": true},
                   {"kind": "look", "subject": "hut"}],
        "emotions": [{"label": "anxious", "word": "panicky", "negated": false},
                     {"label": "calm", "word": "calm", "negated": true}],
        "planner": {"beat": null, "technique": null, "reason": "no beat: why", "candidates": 2,
                    "skipped": ["breathe (box_breathing): not during panic"]}
    })")
                    .as_object();
    const TurnFacts f = FactsFromBody(12, 3456, body);
    EXPECT_EQ(f.seq, 12);
    EXPECT_EQ(f.created_ms, 3456);
    EXPECT_EQ(f.kind, "story");
    EXPECT_EQ(f.turn, 7);
    ASSERT_EQ(f.scenes.size(), 2u);
    EXPECT_EQ(f.scenes[0].outcome, "");
    EXPECT_EQ(f.scenes[1].outcome, "completed");
    EXPECT_TRUE(f.ended);
    EXPECT_EQ(f.arrived, std::vector<std::string>{"hut"});
    ASSERT_EQ(f.cues.size(), 1u);  // the negated one is no cue
    EXPECT_EQ(f.cues[0].word, "panicky");
    ASSERT_TRUE(f.planner.has_value());
    EXPECT_TRUE(f.planner->beat.empty());
    EXPECT_EQ(f.planner->reason, "no beat: why");
    EXPECT_EQ(f.planner->candidates, 2);
    EXPECT_EQ(f.planner->skipped, 1);

    const TurnFacts old = FactsFromBody(1, 1, boost::json::object{});
    EXPECT_TRUE(old.kind.empty());
    EXPECT_FALSE(old.planner.has_value());
}

TEST_F(SittingTest, PacingCountsBeatsOfferedTakenUpAndDeclined) {
    Sitting s;
    s.Begin(1000, "beach");
    EXPECT_FALSE(s.Pacing(1).turns_since_last_offer.has_value());
    s.Add(*pack_, Turn(2, {{"breathe", ""}}));
    s.Add(*pack_, Turn(3, {{"breathe", "declined"}}));
    s.Add(*pack_, Turn(5, {{"breathe", ""}}));
    s.Add(*pack_, Turn(6, {{"breathe", "completed"}}));
    s.Add(*pack_, Turn(8, {{"breathe", ""}}));  // left for another scene: never answered
    const therapy::PacingState p = s.Pacing(10);
    EXPECT_EQ(p.turn, 10);
    EXPECT_EQ(p.turns_this_session, 5);
    EXPECT_EQ(p.turns_since_last_offer, 2);
    EXPECT_EQ(p.offered, 2);
    EXPECT_EQ(p.completed, 1);
    EXPECT_EQ(p.declined, 1);
    EXPECT_EQ(p.declined_techniques, std::vector<std::string>{"box_breathing"});
    EXPECT_EQ(p.offered_techniques.size(), 3u);
}

TEST_F(SittingTest, OnlyTechniqueScenesCountAndEndedOnesAreReturned) {
    Sitting s;
    s.Begin(1000, "");
    auto ended = s.Add(*pack_, Turn(1, {{"no_such_scene", "completed"}}));
    EXPECT_TRUE(ended.empty());
    ended = s.Add(*pack_, Turn(2, {{"breathe", "completed"}}));
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0].technique, "box_breathing");
    EXPECT_EQ(ended[0].scene, "breathe");
    EXPECT_EQ(ended[0].turn, 2);
}

TEST_F(SittingTest, TheRecordSummarisesPlacesPracticeAndMood) {
    Sitting s;
    s.Begin(1000, "beach");
    TurnFacts north = Turn(1);
    north.arrived = {"hut"};
    s.Add(*pack_, north);
    s.Add(*pack_, Turn(2, {{"breathe", "declined"}}));
    s.Add(*pack_, Turn(3, {{"breathe", "completed"}}));
    therapy::MoodCheckIn c;
    c.score = 4;
    c.at_ms = 1500;
    s.AddCheckIn(c);
    EXPECT_TRUE(s.HasActivity());
    const therapy::SessionRecord r = s.Record("s1", 9000);
    EXPECT_EQ(r.session_id, "s1");
    EXPECT_EQ(r.turns, 3);
    EXPECT_EQ(r.started_at_ms, 1000);
    EXPECT_EQ(r.ended_at_ms, 9000);
    EXPECT_EQ(r.places_visited, (std::vector<std::string>{"beach", "hut"}));
    ASSERT_EQ(r.practices.size(), 1u);  // a declined beat is not practice
    EXPECT_TRUE(r.practices[0].completed);
    EXPECT_EQ(r.check_ins.size(), 1u);
}

TEST_F(SittingTest, ACrisisTurnSilencesTheRestOfTheSittingAndAPauseIsNoticed) {
    Sitting s;
    s.Begin(1000, "beach");
    EXPECT_FALSE(s.crisis());
    TurnFacts crisis = Turn(1);
    crisis.kind = "crisis";
    s.Add(*pack_, crisis);
    EXPECT_TRUE(s.crisis());
    EXPECT_FALSE(s.HasActivity()) << "a crisis turn is not a story turn";
    EXPECT_FALSE(s.PausedAt(1001 + Sitting::kPauseMs - 1));
    EXPECT_TRUE(s.PausedAt(1001 + Sitting::kPauseMs));
    s.Begin(5000, "hut");
    EXPECT_FALSE(s.crisis()) << "a new sitting starts afresh";
}

TEST(PlannerCueLabel, ThePlayersOwnWordWinsWhenTheCatalogueKnowsIt) {
    struct Case {
        std::string_view label;
        std::string_view word;
        std::string_view heard;
    };
    for (const Case& c : std::initializer_list<Case>{
             {"anxious", "panicky", "panicky"},
             {"anxious", "panicking", "panicky"},
             {"anxious", "panic", "panicky"},
             {"anxious", "jittery", "anxious"},
             {"sad", "down", "down"},
             {"sad", "miserable", "sad"},
             {"afraid", "terrified", "scared"},
             {"happy", "joyful", "content"},
             {"overwhelmed", "swamped", "overwhelmed"},
             {"lonely", "isolated", "lonely"},
         }) {
        EXPECT_EQ(PlannerCueLabel(BuiltinCatalogue(), {std::string(c.label), std::string(c.word)}),
                  c.heard)
            << c.word;
    }
}

}  // namespace
}  // namespace tta::engine
