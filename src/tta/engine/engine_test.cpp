#include "tta/engine/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "tta/safety/event_sink.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/world/loader.hpp"

namespace tta::engine {
namespace {

namespace fs = std::filesystem;

class EngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tta-engine-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        std::vector<world::Diagnostic> diagnostics;
        auto pack = world::LoadPack(fs::path(TTA_SOURCE_DIR) / "src/tta/engine/testdata/tiny",
                                    diagnostics);
        ASSERT_TRUE(pack) << pack.error().message;
        catalog_.Add(*pack);
        OpenStore();
    }
    void TearDown() override {
        engine_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }
    void OpenStore(EngineOptions options = {}) {
        engine_.reset();
        store_.reset();
        store::sqlite::SqliteOptions o;
        o.data_dir = dir_;
        auto opened = store::sqlite::SqliteStore::Open(o);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
        engine_ = std::make_unique<Engine>(catalog_, *store_, clock_, options);
    }
    std::string StartTiny(std::uint64_t seed = 7) {
        NewSession spec;
        spec.world_id = "tiny";
        spec.seed = seed;
        auto reply = engine_->Start(spec);
        EXPECT_TRUE(reply) << reply.error().message;
        return reply ? reply->session_id : "";
    }
    TurnReply Play(const std::string& id, std::string_view text) {
        auto reply = engine_->Play(id, text);
        EXPECT_TRUE(reply) << reply.error().message;
        return reply ? *reply : TurnReply{};
    }

    fs::path dir_;
    WorldCatalog catalog_;
    ManualClock clock_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, StartCommitsTheOpeningTurn) {
    NewSession spec;
    spec.world_id = "tiny";
    spec.seed = 1;
    auto reply = engine_->Start(spec);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->seq, 1);
    EXPECT_TRUE(reply->recorded);
    EXPECT_NE(reply->text.find("Waves fold onto the sand, traveller."), std::string::npos);
    EXPECT_NE(reply->text.find("The beach"), std::string::npos);
    EXPECT_NE(reply->text.find("an oil lamp"), std::string::npos);
    EXPECT_NE(reply->text.find("north (the hut)"), std::string::npos);
}

TEST_F(EngineTest, UnknownWorldIsNotFound) {
    NewSession spec;
    spec.world_id = "atlantis";
    auto reply = engine_->Start(spec);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, ErrorCode::kNotFound);
}

TEST_F(EngineTest, ATurnIsRecordedAndSurvivesARestart) {
    const auto id = StartTiny();
    auto took = Play(id, "take the lamp");
    EXPECT_EQ(took.kind, "story");
    EXPECT_TRUE(took.recorded);
    EXPECT_EQ(took.seq, 2);
    auto moved = Play(id, "n");
    EXPECT_NE(moved.text.find("The hut"), std::string::npos);
    auto before = engine_->CurrentState(id);
    ASSERT_TRUE(before);

    OpenStore();  // a new process: state is folded from the log
    auto after = engine_->CurrentState(id);
    ASSERT_TRUE(after);
    EXPECT_EQ(*before, *after);
    auto resumed = engine_->Resume(id);
    ASSERT_TRUE(resumed);
    EXPECT_EQ(resumed->text, moved.text);
}

TEST_F(EngineTest, SnapshotsGiveTheSameStateAsFolding) {
    OpenStore(EngineOptions{.snapshot_every = 2});
    const auto id = StartTiny();
    for (auto cmd : {"take lamp", "north", "take matches", "talk to ada", "2", "south"}) {
        Play(id, cmd);
    }
    auto direct = engine_->CurrentState(id);
    ASSERT_TRUE(direct);
    OpenStore(EngineOptions{.snapshot_every = 2});
    auto rebuilt = engine_->CurrentState(id);
    ASSERT_TRUE(rebuilt);
    EXPECT_EQ(*direct, *rebuilt);
    auto snapshot = store_->LatestSnapshot(id, 7);
    ASSERT_TRUE(snapshot);
    EXPECT_TRUE(snapshot->has_value());
}

TEST_F(EngineTest, UndoStepsBackAndTheNextTurnStartsABranch) {
    const auto id = StartTiny();
    Play(id, "take lamp");
    auto state_with_lamp = engine_->CurrentState(id);
    Play(id, "north");
    auto undone = Play(id, "undo");
    EXPECT_EQ(undone.kind, "undo");
    EXPECT_EQ(undone.seq, 2);
    EXPECT_EQ(*engine_->CurrentState(id), *state_with_lamp);
    auto branched = Play(id, "drop lamp");
    EXPECT_EQ(branched.seq, 4);  // seq 3 is the undone turn, kept in the log
    auto turn = store_->GetTurn(id, 4);
    ASSERT_TRUE(turn);
    EXPECT_EQ(turn->parent_seq, 2);
}

TEST_F(EngineTest, UndoNeverGoesBeforeTheOpening) {
    const auto id = StartTiny();
    auto reply = Play(id, "undo");
    EXPECT_EQ(reply.kind, "undo");
    EXPECT_EQ(reply.seq, 1);
    EXPECT_FALSE(reply.recorded);
}

TEST_F(EngineTest, WhatIsNotUnderstoodIsExplainedAndNotRecorded) {
    const auto id = StartTiny();
    auto reply = Play(id, "take the flurble");
    EXPECT_EQ(reply.kind, "not_understood");
    EXPECT_FALSE(reply.recorded);
    EXPECT_NE(reply.text.find("I understood \"take\", but not \"flurble\""), std::string::npos);
    EXPECT_NE(reply.text.find("north"), std::string::npos);
    EXPECT_EQ(reply.seq, 1);
}

TEST_F(EngineTest, ScenesOfferNumberedChoices) {
    const auto id = StartTiny();
    Play(id, "north");
    auto talk = Play(id, "talk to ada");
    ASSERT_EQ(talk.choices.size(), 2u);
    EXPECT_EQ(talk.choices[0], "Breathe with her");
    auto chose = Play(id, "1");
    EXPECT_NE(chose.text.find("In for four"), std::string::npos);
    EXPECT_TRUE(chose.choices.empty());
}

TEST_F(EngineTest, ReachingAnEndingEndsTheSession) {
    const auto id = StartTiny();
    for (auto cmd : {"take lamp", "north", "take matches", "light the lamp with the matches"}) {
        Play(id, cmd);
    }
    auto end = Play(id, "south");
    EXPECT_TRUE(end.ended);
    EXPECT_EQ(end.ending, "home");
    EXPECT_NE(end.text.find("Home Again"), std::string::npos);
    auto session = store_->GetSession(id);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->status, store::SessionStatus::kEnded);
    auto after = Play(id, "look");
    EXPECT_EQ(after.kind, "ended");
}

TEST_F(EngineTest, TheSameSeedTellsTheSameStory) {
    const std::vector<std::string> commands = {"look", "look", "take lamp", "n", "s", "look"};
    auto run = [&](const std::string& id) {
        std::string all;
        for (const auto& c : commands) all += Play(id, c).text + "\n";
        return all;
    };
    const auto a = StartTiny(99);
    const auto b = StartTiny(99);
    EXPECT_EQ(run(a), run(b));
}

TEST_F(EngineTest, ConcurrentTurnsOnOneSessionAreSerialised) {
    const auto id = StartTiny();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) {
                if (!engine_->Play(id, "wait")) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    auto session = store_->GetSession(id);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->head_seq, 41);
    EXPECT_EQ(session->last_seq, 41);
}

TEST_F(EngineTest, AnyBytesGetAnAnswer) {
    const auto id = StartTiny();
    for (std::string text : {std::string(), std::string("\xFF\xFE", 2), std::string(5000, 'x'),
                             std::string("\0\0\0", 3), std::string("12345678901234567890")}) {
        auto reply = engine_->Play(id, text);
        ASSERT_TRUE(reply) << reply.error().message;
        EXPECT_FALSE(reply->text.empty());
    }
}

TEST_F(EngineTest, ACrisisStepsOutOfTheStoryAndContinueReturns) {
    safety::MemorySafetyEventSink sink;
    engine_->SetSafetyEventSink(&sink);
    const auto id = StartTiny();
    auto story = Play(id, "take lamp");
    auto before = engine_->CurrentState(id);

    auto crisis = Play(id, "I want to kill myself");
    EXPECT_EQ(crisis.kind, "crisis");
    EXPECT_EQ(crisis.safety_level, "high");
    EXPECT_TRUE(crisis.recorded);
    ASSERT_TRUE(crisis.crisis.has_value());
    EXPECT_TRUE(crisis.crisis->step_out);
    EXPECT_FALSE(crisis.crisis->resources.empty());
    EXPECT_TRUE(crisis.choices.empty());
    EXPECT_EQ(*engine_->CurrentState(id), *before);  // the story did not move
    auto turn = store_->GetTurn(id, crisis.seq);
    ASSERT_TRUE(turn);
    EXPECT_EQ(turn->safety_level, "high");
    ASSERT_EQ(sink.Events().size(), 1u);
    EXPECT_TRUE(sink.Events()[0].stepped_out);

    auto back = Play(id, "continue");
    EXPECT_EQ(back.kind, "resume");
    EXPECT_EQ(back.text, story.text);
}

TEST_F(EngineTest, ResumingAfterARestartShowsTheStoryNotTheCrisisMessage) {
    const auto id = StartTiny();
    auto story = Play(id, "take lamp");
    Play(id, "I want to kill myself");
    OpenStore();
    auto resumed = engine_->Resume(id);
    ASSERT_TRUE(resumed);
    EXPECT_EQ(resumed->text, story.text);
}

// A store that is down: every call fails, as PostgreSQL would when unreachable.
class DownStore final : public store::SessionStore {
public:
    Status CreateSession(const store::Session&) override { return Down(); }
    Result<store::Session> GetSession(std::string_view) override { return Down(); }
    Result<std::vector<store::Session>> ListSessions(std::string_view, std::size_t) override {
        return Down();
    }
    Status SetSessionStatus(std::string_view, store::SessionStatus) override { return Down(); }
    Status SetSessionTitle(std::string_view, std::string_view) override { return Down(); }
    Result<std::int64_t> AppendTurn(const store::NewTurn&, std::int64_t) override {
        return Down();
    }
    Status MoveHead(std::string_view, std::int64_t, std::int64_t) override { return Down(); }
    Result<store::Turn> GetTurn(std::string_view, std::int64_t) override { return Down(); }
    Result<std::vector<store::Turn>> LoadChain(std::string_view, std::int64_t,
                                              std::int64_t) override {
        return Down();
    }
    Status PutSnapshot(const store::Snapshot&) override { return Down(); }
    Result<std::optional<store::Snapshot>> LatestSnapshot(std::string_view,
                                                          std::int64_t) override {
        return Down();
    }
    Status DeleteSession(std::string_view) override { return Down(); }

private:
    static Error Down() { return Error::Unavailable("connection refused"); }
};

TEST_F(EngineTest, ACrisisIsAnsweredEvenWhenTheStoreIsDown) {
    DownStore down;
    Engine engine(catalog_, down, clock_);
    auto reply = engine.Play("any-session", "I want to end it all tonight");
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->kind, "crisis");
    EXPECT_EQ(reply->safety_level, "imminent");
    EXPECT_FALSE(reply->recorded);
    EXPECT_NE(reply->text.find("findahelpline.com"), std::string::npos);  // "en": worldwide
    auto ordinary = engine.Play("any-session", "look");
    ASSERT_FALSE(ordinary);
    EXPECT_EQ(ordinary.error().code, ErrorCode::kUnavailable);
}

// Stands in for a model-backed narrator: counts the calls the engine makes to it.
class CountingNarrator final : public narrative::NarrativeStage {
public:
    explicit CountingNarrator(std::atomic<int>& calls) : calls_(calls) {}
    std::string_view Name() const override { return "counting"; }
    narrative::Narration Narrate(const world::Pack& pack, const world::Outcome& outcome,
                                 const narrative::PlayerInfo& player, Rng& rng,
                                 const narrative::NarrationContext& context) override {
        ++calls_;
        return authored_.Narrate(pack, outcome, player, rng, context);
    }

private:
    std::atomic<int>& calls_;
    narrative::AuthoredNarrator authored_;
};

TEST_F(EngineTest, TheCrisisPathCallsNoNarrator) {
    std::atomic<int> calls{0};
    engine_->SetNarrator(std::make_unique<CountingNarrator>(calls));
    const auto id = StartTiny();
    const int after_start = calls.load();
    auto crisis = Play(id, "I want to kill myself");
    EXPECT_EQ(crisis.kind, "crisis");
    EXPECT_EQ(calls.load(), after_start);
    Play(id, "look");
    EXPECT_EQ(calls.load(), after_start + 1);
}

TEST_F(EngineTest, ConcernOffersAGroundingBeatInTheStory) {
    safety::MemorySafetyEventSink sink;
    engine_->SetSafetyEventSink(&sink);
    const auto id = StartTiny();
    Play(id, "north");
    auto reply = Play(id, "I can't cope anymore");
    EXPECT_EQ(reply.kind, "story");
    EXPECT_EQ(reply.safety_level, "concern");
    ASSERT_EQ(reply.choices.size(), 2u);
    EXPECT_EQ(reply.choices[0], "Breathe with her");
    ASSERT_EQ(sink.Events().size(), 1u);
    EXPECT_FALSE(sink.Events()[0].stepped_out);
}

TEST_F(EngineTest, TheOutputGateReplacesUnsafeNarrative) {
    const auto id = StartTiny();
    Play(id, "north");
    auto reply = Play(id, "examine the note");
    EXPECT_EQ(reply.text, safety::OutputGate::Embedded().FallbackLine());
    auto turn = store_->GetTurn(id, reply.seq);
    ASSERT_TRUE(turn);
    EXPECT_NE(turn->body.find("\"output_gate\""), std::string::npos);
}

}  // namespace
}  // namespace tta::engine
