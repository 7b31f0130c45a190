// The therapeutic layer in play, through the engine: beats the planner offers, skills practised,
// check-ins, the journal, questionnaires (PHQ-9 item 9 included), the schedule, progress and
// session summaries. Uses the tiny test world: a beach, and a hut where Ada offers box
// breathing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "tta/engine/engine.hpp"
#include "tta/engine/safety_records.hpp"
#include "tta/safety/event_sink.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/world/loader.hpp"

namespace tta::engine {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class TherapyPlayTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tta-therapy-play-" +
                std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        std::vector<world::Diagnostic> diagnostics;
        auto pack =
            world::LoadPack(fs::path(TTA_SOURCE_DIR) / "src/tta/engine/testdata/tiny", diagnostics);
        ASSERT_TRUE(pack) << pack.error().message;
        catalog_.Add(*pack);
        clock_.Set(std::chrono::system_clock::time_point(1'700'000'000'000ms));
        OpenStore();
        store::User user;
        user.id = "u1";
        user.username = "sam";
        user.created_ms = 1;
        ASSERT_TRUE(store_->CreateUser(user));
    }
    void TearDown() override {
        engine_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }
    // A new engine over a reopened store: what a restart looks like.
    void OpenStore() {
        engine_.reset();
        store_.reset();
        store::sqlite::SqliteOptions o;
        o.data_dir = dir_;
        o.clock = &clock_;
        auto opened = store::sqlite::SqliteStore::Open(o);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
        engine_ = std::make_unique<Engine>(catalog_, *store_, clock_);
        engine_->SetTherapyStore(store_.get());
        engine_->SetSafetyEventSink(&sink_);
        engine_->SetPlayerResolver([this](const store::Session& s) {
            PlayerContext context;
            if (auto it = profiles_.find(s.id); it != profiles_.end()) context.profile = it->second;
            return context;
        });
        engine_->SetProfileSaver([this](const store::Session& s, const std::string& profile) {
            profiles_[s.id] = profile;
            return Ok();
        });
    }
    std::string Start(std::string profile = "{}") {
        NewSession spec;
        spec.id = "s" + std::to_string(++sessions_);
        spec.world_id = "tiny";
        spec.owner_user_id = "u1";
        spec.seed = 7;
        profiles_[spec.id] = std::move(profile);
        auto reply = engine_->Start(spec);
        EXPECT_TRUE(reply) << reply.error().message;
        return reply ? reply->session_id : "";
    }
    TurnReply Play(const std::string& id, std::string_view text) {
        clock_.Advance(1s);
        auto reply = engine_->Play(id, text);
        EXPECT_TRUE(reply) << reply.error().message;
        return reply ? *reply : TurnReply{};
    }
    // The planner's decision in the body of turn `seq`.
    boost::json::object PlannerOf(const std::string& id, std::int64_t seq) {
        auto turn = store_->GetTurn(id, seq);
        EXPECT_TRUE(turn);
        if (!turn) return {};
        auto body = boost::json::parse(turn->body).as_object();
        const auto* planner = body.if_contains("planner");
        return planner != nullptr && planner->is_object() ? planner->as_object()
                                                          : boost::json::object{};
    }
    std::string ReasonOf(const std::string& id, std::int64_t seq) {
        auto planner = PlannerOf(id, seq);
        const auto* reason = planner.if_contains("reason");
        return reason != nullptr ? std::string(reason->as_string()) : "";
    }

    fs::path dir_;
    WorldCatalog catalog_;
    ManualClock clock_;
    safety::MemorySafetyEventSink sink_;
    std::map<std::string, std::string> profiles_;
    int sessions_ = 0;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<Engine> engine_;
};

bool Has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// --- beats and skills ---

TEST_F(TherapyPlayTest, ATechniquePractisedInTheStoryShowsUpInProgress) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "talk to ada");
    auto done = Play(id, "1");
    EXPECT_TRUE(Has(done.text, "In for four"));

    auto practices = store_->ListPractices("u1", {});
    ASSERT_TRUE(practices);
    ASSERT_EQ(practices->size(), 1u);
    EXPECT_EQ((*practices)[0].technique, "box_breathing");
    EXPECT_EQ((*practices)[0].beat, "breathe");
    EXPECT_EQ((*practices)[0].outcome, "completed");
    EXPECT_EQ((*practices)[0].header.session_id, id);
    EXPECT_EQ((*practices)[0].header.turn, 3);

    auto progress = Play(id, "progress");
    EXPECT_EQ(progress.kind, "progress");
    EXPECT_FALSE(progress.recorded);
    EXPECT_TRUE(Has(progress.text, "Skills practised: Box breathing (once, finished)."))
        << progress.text;
    EXPECT_TRUE(Has(progress.text, "You practised Box breathing (finished)")) << progress.text;
}

TEST_F(TherapyPlayTest, ADeclinedBeatIsRecordedButIsNotPractice) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "talk to ada");
    Play(id, "2");
    auto practices = store_->ListPractices("u1", {});
    ASSERT_TRUE(practices);
    ASSERT_EQ(practices->size(), 1u);
    EXPECT_EQ((*practices)[0].outcome, "declined");
    auto report = engine_->Therapy()->Progress("u1");
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->skills.empty());
    EXPECT_EQ(report->beats_declined, 1);
    EXPECT_TRUE(Has(Play(id, "progress").text, "Skills practised: none yet."));
}

TEST_F(TherapyPlayTest, ThePlannerOffersABeatWhenTheCueCallsForItAndSaysWhy) {
    const auto id = Start();
    Play(id, "north");
    auto reply = Play(id, "I feel anxious");
    EXPECT_TRUE(Has(reply.text, "'Breathe with me?' asks Ada.")) << reply.text;
    ASSERT_EQ(reply.choices.size(), 2u);
    EXPECT_EQ(reply.choices[0], "Breathe with her");
    const std::string reason = ReasonOf(id, reply.seq);
    EXPECT_TRUE(
        Has(reason, "offered box_breathing (beat breathe): player said 'anxious' at turn 2"))
        << reason;
    auto decisions = store_->ListPlannerDecisions("u1", {});
    ASSERT_TRUE(decisions);
    ASSERT_FALSE(decisions->empty());
    EXPECT_EQ(decisions->back().beat, "breathe");
    EXPECT_EQ(decisions->back().reason, reason);

    Play(id, "1");  // the offered beat plays out like any scene, and counts as practice
    auto practices = store_->ListPractices("u1", {});
    ASSERT_TRUE(practices);
    ASSERT_EQ(practices->size(), 1u);
    EXPECT_EQ((*practices)[0].outcome, "completed");
}

TEST_F(TherapyPlayTest, PanicRulesOutBreathHoldingEvenWhenTheParserSaysAnxious) {
    const auto id = Start();
    Play(id, "north");
    auto reply = Play(id, "I am panicking");
    EXPECT_TRUE(reply.choices.empty());
    const std::string reason = ReasonOf(id, reply.seq);
    EXPECT_TRUE(Has(reason, "not during panic")) << reason;
}

TEST_F(TherapyPlayTest, WithoutACueNothingIsOfferedAndTheReasonStaysInTheTurn) {
    const auto id = Start();
    Play(id, "north");
    auto reply = Play(id, "look");
    EXPECT_TRUE(reply.choices.empty());
    EXPECT_TRUE(Has(ReasonOf(id, reply.seq), "no beat: no recent cue"));
    EXPECT_EQ(PlannerOf(id, reply.seq).at("candidates").as_int64(), 1);
    // A routine wait is not a planner record; a beat ruled out for this player is.
    EXPECT_TRUE(store_->ListPlannerDecisions("u1", {})->empty());
    Play(id, "I am panicking");
    auto decisions = store_->ListPlannerDecisions("u1", {});
    ASSERT_TRUE(decisions);
    ASSERT_EQ(decisions->size(), 1u);
    EXPECT_TRUE(decisions->front().beat.empty());
    EXPECT_TRUE(Has(decisions->front().reason, "not during panic"));
}

TEST_F(TherapyPlayTest, AProfileGoalBringsPracticeAfterAQuietStretch) {
    const auto id = Start(R"({"goals":["anxiety"]})");
    Play(id, "north");
    TurnReply reply;
    for (int i = 0; i < 25 && reply.choices.empty(); ++i) reply = Play(id, "wait");
    ASSERT_EQ(reply.choices.size(), 2u);
    EXPECT_TRUE(Has(ReasonOf(id, reply.seq),
                    "practice after a quiet stretch; matches goal "
                    "'anxiety'"));
}

TEST_F(TherapyPlayTest, AProfileThatRulesATechniqueOutIsRespected) {
    const auto id = Start(R"({"conditions":["respiratory_condition"]})");
    Play(id, "north");
    auto reply = Play(id, "I feel anxious");
    EXPECT_TRUE(reply.choices.empty());
    EXPECT_TRUE(Has(ReasonOf(id, reply.seq), "not with respiratory_condition"));
}

TEST_F(TherapyPlayTest, NoTechniqueIsOfferedForTheRestOfTheSittingAfterACrisis) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "I want to kill myself");
    Play(id, "continue");
    auto reply = Play(id, "I feel anxious");
    EXPECT_TRUE(reply.choices.empty());
    EXPECT_TRUE(Has(ReasonOf(id, reply.seq), "a crisis path is active"));
}

TEST_F(TherapyPlayTest, WordsOfConcernBringGroundingThatSuitsThePlayer) {
    const auto id = Start();
    Play(id, "north");
    auto offered = Play(id, "I can't cope anymore");
    EXPECT_EQ(offered.safety_level, "concern");
    ASSERT_EQ(offered.choices.size(), 2u);
    EXPECT_TRUE(Has(ReasonOf(id, offered.seq),
                    "offered box_breathing (beat breathe): words of concern at turn 2"));

    const auto other = Start();
    Play(other, "north");
    auto panicky = Play(other, "I feel panicky and I can't cope anymore");
    EXPECT_EQ(panicky.safety_level, "concern");
    EXPECT_TRUE(panicky.choices.empty()) << "no breath holding while panic is rising";
    EXPECT_TRUE(Has(ReasonOf(other, panicky.seq), "not during panic")) << panicky.text;
    EXPECT_FALSE(Has(panicky.text, "Breathe with me?"));
}

// --- check-ins ---

TEST_F(TherapyPlayTest, CheckInAsksThenRecordsTheAnswerWarmly) {
    const auto id = Start();
    Play(id, "north");
    auto question = Play(id, "check in");
    EXPECT_EQ(question.kind, "check_in");
    EXPECT_TRUE(Has(question.text, "from 0 to 10"));
    EXPECT_TRUE(Has(question.text, "panicky"));  // the catalogue's words are listed
    auto thanks = Play(id, "4, tired and worried");
    EXPECT_EQ(thanks.kind, "check_in");
    EXPECT_FALSE(thanks.recorded);  // a check-in is a therapy record, not a turn
    EXPECT_TRUE(Has(thanks.text, "Noted: 4 out of 10, feeling tired and worried.")) << thanks.text;

    auto check_ins = engine_->Therapy()->CheckIns("u1", {});
    ASSERT_TRUE(check_ins);
    ASSERT_EQ(check_ins->size(), 1u);
    EXPECT_EQ((*check_ins)[0].score, 4);
    EXPECT_EQ((*check_ins)[0].feelings, (std::vector<std::string>{"tired", "worried"}));
    EXPECT_EQ((*check_ins)[0].turn, 1);
    EXPECT_EQ((*check_ins)[0].mode, therapy::CheckInMode::kOutOfCharacter);
    EXPECT_TRUE(Has(Play(id, "progress").text, "Mood: one check-in, at 4 out of 10."));
}

TEST_F(TherapyPlayTest, CheckInTakesTheRatingOnTheSameLine) {
    const auto id = Start();
    auto thanks = Play(id, "check in 8 calm");
    EXPECT_TRUE(Has(thanks.text, "Noted: 8 out of 10, feeling calm."));
    auto next = Play(id, "north");  // nothing was left waiting for an answer
    EXPECT_EQ(next.kind, "story");
}

TEST_F(TherapyPlayTest, AnythingButANumberLetsTheCheckInGoAndIsPlayed) {
    const auto id = Start();
    Play(id, "check in");
    auto moved = Play(id, "north");
    EXPECT_EQ(moved.kind, "story");
    EXPECT_TRUE(Has(moved.text, "The hut"));
    Play(id, "check in");
    auto no = Play(id, "no thanks");
    EXPECT_TRUE(Has(no.text, "No check-in this time"));
    EXPECT_TRUE(engine_->Therapy()->CheckIns("u1", {})->empty());
}

TEST_F(TherapyPlayTest, AnUnknownFeelingWordIsExplainedAndTheAnswerAskedAgain) {
    const auto id = Start();
    Play(id, "check in");
    auto retry = Play(id, "5 sleepy");
    EXPECT_TRUE(Has(retry.text, "'sleepy' is not one of the feeling words")) << retry.text;
    EXPECT_TRUE(Has(retry.text, "Try again"));
    auto thanks = Play(id, "5 tired");
    EXPECT_TRUE(Has(thanks.text, "Noted: 5 out of 10, feeling tired."));
    auto out_of_range = Play(id, "check in 12");
    EXPECT_TRUE(Has(out_of_range.text, "from 0 (worst) to 10 (best)")) << out_of_range.text;
}

TEST_F(TherapyPlayTest, SomeoneInTheStoryAsksAndTheAnswerIsAnInStoryCheckIn) {
    const auto id = Start();
    Play(id, "north");
    auto asked = Play(id, "ask ada about how i am");
    EXPECT_EQ(asked.kind, "story");
    EXPECT_TRUE(Has(asked.text, "How are you, nought to ten?")) << asked.text;
    EXPECT_TRUE(Has(asked.text, "type a number from 0 to 10")) << asked.text;
    auto thanks = Play(id, "6 hopeful");
    EXPECT_EQ(thanks.kind, "check_in");
    EXPECT_TRUE(Has(thanks.text, "Noted: 6 out of 10, feeling hopeful.")) << thanks.text;
    auto check_ins = engine_->Therapy()->CheckIns("u1", {});
    ASSERT_TRUE(check_ins);
    ASSERT_EQ(check_ins->size(), 1u);
    EXPECT_EQ((*check_ins)[0].mode, therapy::CheckInMode::kInStory);
    EXPECT_EQ((*check_ins)[0].score, 6);
}

TEST_F(TherapyPlayTest, AnInStoryQuestionCanBeLeftUnanswered) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "ask ada about how i am");
    auto moved = Play(id, "south");
    EXPECT_EQ(moved.kind, "story");
    EXPECT_TRUE(Has(moved.text, "beach")) << moved.text;
    EXPECT_NE(Play(id, "7").kind, "check_in");  // nothing is waiting for a number any more
    EXPECT_TRUE(engine_->Therapy()->CheckIns("u1", {})->empty());
}

TEST_F(TherapyPlayTest, ASafetyPlanWrittenInPlayIsShownInACrisis) {
    engine_->SetSafetyPlanLookup([this](const store::Session& s) {
        return LoadSafetyPlan(*store_, s.owner_user_id);
    });
    engine_->SetSafetyPlanSaver([this](const store::Session& s, const safety::SafetyPlan& plan) {
        return SaveSafetyPlan(*store_, s.owner_user_id, plan, 1);
    });
    const auto id = Start();
    EXPECT_TRUE(Has(Play(id, "safety plan").text, "not written a safety plan yet"));
    auto first = Play(id, "safety plan edit");
    EXPECT_EQ(first.kind, "safety_plan");
    EXPECT_TRUE(Has(first.text, "1 of 7. Warning signs.")) << first.text;
    for (const char* answer : {"can't sleep", "skip", "skip", "Mum, 07700 900456", "skip",
                               "skip"}) {
        EXPECT_EQ(Play(id, answer).kind, "safety_plan");
    }
    auto saved = Play(id, "my daughter");
    EXPECT_TRUE(Has(saved.text, "Saved.")) << saved.text;
    EXPECT_TRUE(Has(saved.text, "Mum: 07700 900456")) << saved.text;
    EXPECT_EQ(Play(id, "north").kind, "story");  // the dialog is closed

    auto crisis = Play(id, "I want to end my life");
    EXPECT_EQ(crisis.kind, "crisis");
    EXPECT_TRUE(Has(crisis.text, "my daughter")) << crisis.text;
}

TEST_F(TherapyPlayTest, WithoutASaverThePlanCannotBeWrittenAndStopKeepsItAsItWas) {
    const auto id = Start();
    EXPECT_TRUE(Has(Play(id, "safety plan edit").text, "nowhere to keep a safety plan"));
    engine_->SetSafetyPlanSaver([](const store::Session&, const safety::SafetyPlan&) {
        ADD_FAILURE() << "nothing should be saved";
        return Ok();
    });
    Play(id, "safety plan edit");
    Play(id, "can't sleep");
    EXPECT_TRUE(Has(Play(id, "stop").text, "Left without saving"));
}

TEST_F(TherapyPlayTest, ACheckInsFeelingsCountForThePlanner) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "check in 5 anxious");
    auto reply = Play(id, "look");
    EXPECT_EQ(reply.choices.size(), 2u);
    EXPECT_TRUE(Has(ReasonOf(id, reply.seq), "checked in 'anxious' at turn 1"));
}

TEST_F(TherapyPlayTest, TheEngineRecordsACheckInGivenAsData) {
    const auto id = Start();
    Play(id, "north");
    therapy::MoodCheckIn c;
    c.score = 7;
    c.feelings = {"Hopeful"};
    auto recorded = engine_->RecordCheckIn(id, c);
    ASSERT_TRUE(recorded) << recorded.error().message;
    EXPECT_EQ(recorded->turn, 1);
    EXPECT_EQ(recorded->feelings, std::vector<std::string>{"hopeful"});
    auto so_far = engine_->SittingSoFar(id);
    ASSERT_TRUE(so_far);
    ASSERT_TRUE(so_far->has_value());
    EXPECT_EQ((*so_far)->mood_before, 7);
    c.score = 11;
    EXPECT_EQ(engine_->RecordCheckIn(id, c).error().code, ErrorCode::kInvalid);
}

// --- journal ---

TEST_F(TherapyPlayTest, TheJournalKeepsEntriesAsTypedAndShowsTheLatest) {
    const auto id = Start();
    auto empty = Play(id, "journal");
    EXPECT_TRUE(Has(empty.text, "Your journal is empty."));
    auto written = Play(id, "journal The sea was LOUD today; I didn't mind.");
    EXPECT_EQ(written.kind, "journal");
    EXPECT_TRUE(Has(written.text, "Written in your journal."));
    for (int i = 1; i <= 5; ++i) Play(id, "journal entry " + std::to_string(i));
    auto read = Play(id, "journal");
    EXPECT_FALSE(Has(read.text, "LOUD")) << "only the latest five are shown";
    EXPECT_TRUE(Has(read.text, "- entry 1\n- entry 2\n- entry 3\n- entry 4\n- entry 5"))
        << read.text;
    auto entries = engine_->Therapy()->Journal("u1", {});
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 6u);
    EXPECT_EQ(entries->front().text, "The sea was LOUD today; I didn't mind.");
    EXPECT_EQ(entries->front().session_id, id);
}

// --- questionnaires ---

TEST_F(TherapyPlayTest, AQuestionnaireIsAskedItemByItemAndScored) {
    const auto id = Start();
    auto intro = Play(id, "questionnaire gad7");
    EXPECT_EQ(intro.kind, "questionnaire");
    EXPECT_TRUE(Has(intro.text, "Question 1 of 7: Feeling nervous, anxious, or on edge"));
    EXPECT_TRUE(Has(intro.text, "2. More than half the days"));
    Play(id, "1");
    auto unclear = Play(id, "perhaps");
    EXPECT_TRUE(Has(unclear.text, "Please answer with 0, 1, 2 or 3"));
    EXPECT_TRUE(Has(unclear.text, "Question 2 of 7"));
    Play(id, "several days");
    for (auto answer : {"2", "nearly every day", "0", "1"}) Play(id, answer);
    auto scored = Play(id, "3");
    EXPECT_TRUE(Has(scored.text, "Your GAD-7 total is 11 out of 21: moderate.")) << scored.text;
    EXPECT_TRUE(Has(scored.text, "talk it over with your doctor"));

    auto results = engine_->Therapy()->MeasureResults("u1", {});
    ASSERT_TRUE(results);
    ASSERT_EQ(results->size(), 1u);
    EXPECT_EQ((*results)[0].score.answers, (std::vector<int>{1, 1, 2, 3, 0, 1, 3}));
    EXPECT_EQ((*results)[0].score.severity, therapy::Severity::kModerate);
    EXPECT_TRUE(Has(Play(id, "progress").text, "Questionnaires: GAD-7 11 (moderate)."));
    EXPECT_EQ(Play(id, "north").kind, "story");
}

TEST_F(TherapyPlayTest, StopLeavesAQuestionnaireAndKeepsNothing) {
    const auto id = Start();
    Play(id, "questionnaire phq9");
    Play(id, "0");
    auto stopped = Play(id, "stop");
    EXPECT_TRUE(Has(stopped.text, "nothing from this questionnaire was kept"));
    EXPECT_TRUE(engine_->Therapy()->MeasureResults("u1", {})->empty());
}

TEST_F(TherapyPlayTest, PhqItem9AboveZeroStartsTheSafetyResponse) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "questionnaire phq9");
    for (int i = 0; i < 8; ++i) Play(id, "0");
    auto reply = Play(id, "1");  // item 9: several days
    EXPECT_EQ(reply.kind, "crisis");
    EXPECT_EQ(reply.safety_level, "high");
    ASSERT_TRUE(reply.crisis.has_value());
    EXPECT_TRUE(reply.crisis->step_out);
    EXPECT_FALSE(reply.crisis->resources.empty());
    EXPECT_TRUE(Has(reply.text, "Your PHQ-9 total is 1 out of 27: minimal."));
    EXPECT_TRUE(Has(reply.text, "better off dead, or of hurting yourself")) << reply.text;
    EXPECT_TRUE(reply.recorded);  // a crisis is always a recorded safety event

    // The score is still kept, flagged.
    auto results = engine_->Therapy()->MeasureResults("u1", {});
    ASSERT_TRUE(results);
    ASSERT_EQ(results->size(), 1u);
    EXPECT_TRUE((*results)[0].score.item9_flag);
    // The same path as a high-risk input: a safety event that stepped out, with its rule.
    ASSERT_EQ(sink_.Events().size(), 1u);
    EXPECT_TRUE(sink_.Events()[0].stepped_out);
    EXPECT_EQ(sink_.Events()[0].rules, std::vector<std::string>{"measures.phq9_item9"});
    auto turn = store_->GetTurn(id, reply.seq);
    ASSERT_TRUE(turn);
    EXPECT_EQ(turn->safety_level, "high");
    // And the way back is the same too.
    EXPECT_EQ(Play(id, "continue").kind, "resume");
}

TEST_F(TherapyPlayTest, PhqItem9AtZeroIsAnOrdinaryResult) {
    const auto id = Start();
    Play(id, "questionnaire phq9");
    for (int i = 0; i < 8; ++i) Play(id, "3");
    auto reply = Play(id, "0");
    EXPECT_EQ(reply.kind, "questionnaire");
    EXPECT_TRUE(Has(reply.text, "Your PHQ-9 total is 24 out of 27: severe.")) << reply.text;
    EXPECT_TRUE(sink_.Events().empty());
}

TEST_F(TherapyPlayTest, TheScheduleIsKeptInTheProfileAndOfferedOnceWhenDue) {
    const auto id = Start(R"({"goals":["anxiety"],"theme":"dark"})");
    auto set = Play(id, "questionnaire schedule weekly");
    EXPECT_TRUE(Has(set.text, "offered once a week"));
    auto profile = boost::json::parse(profiles_[id]).as_object();
    EXPECT_EQ(profile.at("questionnaires").as_string(), "weekly");
    EXPECT_EQ(profile.at("theme").as_string(), "dark");  // other keys are left alone

    OpenStore();  // the player comes back: a new session of play
    auto resumed = engine_->Resume(id);
    ASSERT_TRUE(resumed);
    EXPECT_TRUE(Has(resumed->text, "the PHQ-9 and GAD-7 are due")) << resumed->text;
    auto no = Play(id, "no");
    EXPECT_TRUE(Has(no.text, "It will be offered again next time"));

    OpenStore();
    resumed = engine_->Resume(id);
    ASSERT_TRUE(resumed);
    auto yes = Play(id, "yes");
    EXPECT_TRUE(Has(yes.text, "Question 1 of 9"));
    for (int i = 0; i < 9; ++i) Play(id, "0");  // the PHQ-9, then the GAD-7 follows
    for (int i = 0; i < 6; ++i) Play(id, "1");
    auto done = Play(id, "1");
    EXPECT_TRUE(Has(done.text, "Your GAD-7 total is 7 out of 21: mild.")) << done.text;

    OpenStore();
    resumed = engine_->Resume(id);
    EXPECT_FALSE(Has(resumed->text, "due")) << "answered this week";
    clock_.Advance(std::chrono::hours(24 * 8));
    OpenStore();
    resumed = engine_->Resume(id);
    EXPECT_TRUE(Has(resumed->text, "are due"));
    auto moved = Play(id, "north");  // carrying on with the story is a no
    EXPECT_EQ(moved.kind, "story");
}

// --- sittings and summaries ---

TEST_F(TherapyPlayTest, QuitClosesTheSittingWithAStoredSummary) {
    const auto id = Start();
    Play(id, "check in 3");
    Play(id, "north");
    Play(id, "talk to ada");
    Play(id, "1");
    Play(id, "check in 6");
    auto quit = Play(id, "quit");
    ASSERT_TRUE(quit.session_summary.has_value());
    EXPECT_EQ(quit.summary_text,
              "This session: You visited 2 places in 3 turns. You practised Box breathing "
              "(finished). Your mood went from 3 to 6 out of 10.");
    auto stored = engine_->Therapy()->SessionSummaries("u1", {});
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->size(), 1u);
    EXPECT_EQ((*stored)[0].mood_after, 6);
    EXPECT_EQ((*stored)[0].techniques.size(), 1u);
    EXPECT_TRUE(Has(Play(id, "progress").text, "Box breathing"));  // the next sitting begins
    EXPECT_TRUE(Play(id, "quit").summary_text.empty()) << "nothing happened since";
}

TEST_F(TherapyPlayTest, AnEndingClosesTheSittingWithASummary) {
    const auto id = Start();
    for (auto cmd : {"take lamp", "north", "take matches", "light the lamp with the matches"}) {
        Play(id, cmd);
    }
    auto end = Play(id, "south");
    ASSERT_TRUE(end.ended);
    EXPECT_EQ(end.summary_text, "This session: You visited 2 places in 5 turns.");
    EXPECT_EQ(engine_->Therapy()->SessionSummaries("u1", {})->size(), 1u);
}

TEST_F(TherapyPlayTest, ASittingIsRebuiltFromTheRecordsAfterARestart) {
    const auto id = Start();
    Play(id, "north");
    Play(id, "talk to ada");
    Play(id, "1");
    OpenStore();  // a restart, and play goes on without a resume (as over HTTP)
    Play(id, "look");
    auto so_far = engine_->SittingSoFar(id);
    ASSERT_TRUE(so_far);
    ASSERT_TRUE(so_far->has_value());
    EXPECT_EQ((*so_far)->turns, 4);
    EXPECT_EQ((*so_far)->places_visited, 2);
    ASSERT_EQ((*so_far)->techniques.size(), 1u);
    EXPECT_EQ((*so_far)->techniques[0].technique_id, "box_breathing");
}

TEST_F(TherapyPlayTest, ALongPauseStartsANewSittingAndKeepsTheOldOnesSummary) {
    const auto id = Start();
    Play(id, "north");
    clock_.Advance(31min);
    Play(id, "look");
    auto stored = engine_->Therapy()->SessionSummaries("u1", {});
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->size(), 1u);
    EXPECT_EQ((*stored)[0].turns, 1);
    auto so_far = engine_->SittingSoFar(id);
    ASSERT_TRUE(so_far && so_far->has_value());
    EXPECT_EQ((*so_far)->turns, 1);
}

TEST_F(TherapyPlayTest, WithoutATherapyStoreTheCommandsSayNothingCanBeKept) {
    engine_->SetTherapyStore(nullptr);
    const auto id = Start();
    for (auto cmd : {"check in", "journal hello", "questionnaire phq9"}) {
        EXPECT_TRUE(Has(Play(id, cmd).text, "This game has nowhere to keep")) << cmd;
    }
    EXPECT_TRUE(Has(Play(id, "progress").text, "nowhere to keep check-ins"));
    Play(id, "north");
    EXPECT_EQ(Play(id, "I feel anxious").choices.size(), 2u);  // the planner still runs
}

}  // namespace
}  // namespace tta::engine
