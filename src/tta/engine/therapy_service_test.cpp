#include "tta/engine/therapy_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "tta/engine/therapy_layer.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::engine {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using therapy::MeasureId;

class TherapyServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tta-therapy-service-" +
                std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        clock_.Set(std::chrono::system_clock::time_point(1'700'000'000'000ms));
        store::sqlite::SqliteOptions o;
        o.data_dir = dir_;
        o.clock = &clock_;
        auto opened = store::sqlite::SqliteStore::Open(o);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
        store::User user;
        user.id = "u1";
        user.username = "sam";
        ASSERT_TRUE(store_->CreateUser(user));
        service_ = std::make_unique<TherapyService>(*store_, BuiltinCatalogue(), clock_);
    }
    void TearDown() override {
        service_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }

    const RecordContext where_{"u1", "s1", 4};
    fs::path dir_;
    ManualClock clock_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<TherapyService> service_;
};

TEST_F(TherapyServiceTest, ACheckInIsNormalisedStampedAndReadBack) {
    therapy::MoodCheckIn c;
    c.score = 3;
    c.feelings = {" Tired ", "tired", "LONELY"};
    c.turn = 99;  // the context decides the turn
    auto recorded = service_->RecordCheckIn(where_, c);
    ASSERT_TRUE(recorded) << recorded.error().message;
    EXPECT_EQ(recorded->feelings, (std::vector<std::string>{"tired", "lonely"}));
    EXPECT_EQ(recorded->turn, 4);
    EXPECT_EQ(recorded->at_ms, clock_.NowMillis());
    auto listed = service_->CheckIns("u1", {});
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].feelings, recorded->feelings);
    EXPECT_EQ((*listed)[0].mode, therapy::CheckInMode::kInStory);
    // The feeling words are the personal part.
    auto raw = store_->ListCheckIns("u1", {});
    EXPECT_EQ(store::AsText((*raw)[0].personal), R"(["tired","lonely"])");

    c.feelings = {"sleepy"};
    EXPECT_EQ(service_->RecordCheckIn(where_, c).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(service_->CheckIns("u1", {})->size(), 1u);
}

TEST_F(TherapyServiceTest, AQuestionnaireIsScoredAndItsAnswersKept) {
    const std::vector<int> answers = {0, 1, 2, 3, 0, 1, 2, 3, 2};
    auto result = service_->RecordMeasure(where_, MeasureId::kPhq9, answers);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->score.total, 14);
    EXPECT_EQ(result->score.severity, therapy::Severity::kModerate);
    EXPECT_TRUE(result->score.item9_flag);
    auto raw = store_->ListMeasureResults("u1", {});
    ASSERT_TRUE(raw);
    ASSERT_EQ(raw->size(), 1u);
    EXPECT_EQ((*raw)[0].severity, "moderate");
    EXPECT_TRUE((*raw)[0].item9_flag);
    EXPECT_EQ(store::AsText((*raw)[0].personal), "0,1,2,3,0,1,2,3,2");
    auto read = service_->MeasureResults("u1", {});
    ASSERT_TRUE(read);
    EXPECT_EQ((*read)[0].score.answers, answers);

    EXPECT_EQ(service_->RecordMeasure(where_, MeasureId::kGad7, answers).error().code,
              ErrorCode::kInvalid);
    EXPECT_EQ(service_->MeasureResults("u1", {})->size(), 1u);
}

TEST_F(TherapyServiceTest, QuestionnairesFallDueOnTheSchedule) {
    using enum QuestionnaireSchedule;
    EXPECT_TRUE(service_->DueQuestionnaires("u1", kOff)->empty());
    EXPECT_EQ(*service_->DueQuestionnaires("u1", kWeekly),
              (std::vector<MeasureId>{MeasureId::kPhq9, MeasureId::kGad7}));
    ASSERT_TRUE(service_->RecordMeasure(where_, MeasureId::kPhq9, std::vector<int>(9, 0)));
    // Many GAD-7s after it: the PHQ-9 is still found, further back.
    for (int i = 0; i < 60; ++i) {
        ASSERT_TRUE(service_->RecordMeasure(where_, MeasureId::kGad7, std::vector<int>(7, 1)));
    }
    EXPECT_TRUE(service_->DueQuestionnaires("u1", kWeekly)->empty());
    clock_.Advance(std::chrono::hours(24 * 7) - 1ms);
    EXPECT_TRUE(service_->DueQuestionnaires("u1", kWeekly)->empty());
    clock_.Advance(1ms);
    EXPECT_EQ(service_->DueQuestionnaires("u1", kWeekly)->size(), 2u);
    EXPECT_TRUE(service_->DueQuestionnaires("u1", kFortnightly)->empty());
}

TEST_F(TherapyServiceTest, JournalEntriesAreTrimmedBoundedAndNeverEmpty) {
    auto entry = service_->WriteJournal(where_, "  The gulls were loud.\n ");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->text, "The gulls were loud.");
    EXPECT_EQ(service_->WriteJournal(where_, " \t\n").error().code, ErrorCode::kInvalid);
    std::string long_text(TherapyService::kMaxJournalBytes - 1, 'a');
    long_text += "\xC3\xA9 and more";  // a two-byte character across the limit
    auto cut = service_->WriteJournal(where_, long_text);
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->text.size(), TherapyService::kMaxJournalBytes - 1);
    auto odd = service_->WriteJournal(where_, std::string("caf\xFF", 4));
    ASSERT_TRUE(odd);
    EXPECT_EQ(odd->text, "caf\xEF\xBF\xBD");  // invalid bytes become U+FFFD
    EXPECT_EQ(service_->Journal("u1", {})->size(), 3u);
}

TEST_F(TherapyServiceTest, ProgressGathersSkillsMoodQuestionnairesAndTheLastSession) {
    ASSERT_TRUE(service_->RecordPractice(where_, "box_breathing", "breathe", "completed"));
    ASSERT_TRUE(service_->RecordPractice(where_, "box_breathing", "breathe", "stopped"));
    ASSERT_TRUE(service_->RecordPractice(where_, "worry_time", "bench", "declined"));
    for (int score : {3, 4, 6}) {
        therapy::MoodCheckIn c;
        c.score = score;
        ASSERT_TRUE(service_->RecordCheckIn(where_, c));
        clock_.Advance(1h);
    }
    ASSERT_TRUE(service_->RecordMeasure(where_, MeasureId::kPhq9,
                                        std::vector<int>{2, 2, 2, 2, 1, 1, 1, 1, 0}));
    clock_.Advance(std::chrono::hours(24 * 14));
    ASSERT_TRUE(service_->RecordMeasure(where_, MeasureId::kPhq9,
                                        std::vector<int>{1, 1, 1, 1, 1, 1, 0, 0, 0}));
    therapy::SessionSummary summary;
    summary.session_id = "s1";
    summary.turns = 12;
    summary.places_visited = 3;
    summary.mood_before = 3;
    summary.mood_after = 6;
    ASSERT_TRUE(service_->RecordSessionSummary(where_, summary));

    auto report = service_->Progress("u1");
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->skills.size(), 1u);
    EXPECT_EQ(report->skills[0].practised, 2);
    EXPECT_EQ(report->skills[0].completed, 1);
    EXPECT_EQ(report->beats_declined, 1);
    ASSERT_TRUE(report->mood.has_value());
    EXPECT_EQ(report->mood->count, 3);
    ASSERT_EQ(report->measures.size(), 1u);
    EXPECT_EQ(report->measures[0].change, -6);
    ASSERT_TRUE(report->last_session.has_value());
    EXPECT_EQ(report->last_session->turns, 12);
    EXPECT_EQ(report->last_session->mood_after, 6);

    EXPECT_EQ(DescribeProgress(*report, BuiltinCatalogue()),
              "Skills practised: Box breathing (twice, finished 1).\n"
              "Mood: 3 check-ins, from 3 to 6 out of 10 (average 4.3, rising).\n"
              "Questionnaires: PHQ-9 12 (moderate), then 6 (mild) (6 lower than the first). "
              "Scores describe the last two weeks; they are not a diagnosis.");

    const auto json = ToJson(*report).as_object();
    EXPECT_EQ(json.at("skills").as_array().size(), 1u);
    EXPECT_EQ(json.at("beats_declined").as_int64(), 1);
    EXPECT_EQ(json.at("mood").as_object().at("last").as_int64(), 6);
    EXPECT_EQ(json.at("measures").as_array()[0].as_object().at("change").as_int64(), -6);
    EXPECT_EQ(json.at("last_session").as_object().at("turns").as_int64(), 12);
}

TEST_F(TherapyServiceTest, NothingRecordedReadsAsAnEmptyReport) {
    auto report = service_->Progress("u1");
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->skills.empty());
    EXPECT_FALSE(report->mood.has_value());
    EXPECT_TRUE(report->measures.empty());
    EXPECT_FALSE(report->last_session.has_value());
    const auto json = ToJson(*report).as_object();
    EXPECT_TRUE(json.at("mood").is_null());
    EXPECT_TRUE(json.at("last_session").is_null());
}

TEST_F(TherapyServiceTest, RecordsReadAsJsonForTheApi) {
    auto entry = service_->WriteJournal(where_, "A calm evening.");
    ASSERT_TRUE(entry);
    EXPECT_EQ(boost::json::serialize(ToJson(*entry)),
              R"({"id":1,"session_id":"s1","turn":4,"at_ms":1700000000000,)"
              R"("text":"A calm evening."})");
    auto result =
        service_->RecordMeasure(where_, MeasureId::kGad7, std::vector<int>{1, 1, 1, 1, 1, 0, 0});
    ASSERT_TRUE(result);
    EXPECT_EQ(boost::json::serialize(ToJson(*result)),
              R"({"total":5,"severity":"mild","id":1,"measure":"gad7","session_id":"s1",)"
              R"("at_ms":1700000000000,"answers":[1,1,1,1,1,0,0]})");
    ASSERT_TRUE(service_->RecordPractice(where_, "box_breathing", "breathe", "completed"));
    auto practices = service_->Practices("u1", {});
    ASSERT_TRUE(practices);
    EXPECT_EQ(boost::json::serialize(ToJson(practices->front())),
              R"({"id":1,"session_id":"s1","turn":4,"at_ms":1700000000000,)"
              R"("technique":"box_breathing","beat":"breathe","outcome":"completed"})");
    therapy::BeatDecision none;
    none.reason = "no beat: no beats are available here";
    ASSERT_TRUE(service_->RecordDecision(where_, none));
    auto decisions = service_->Decisions("u1", {});
    ASSERT_TRUE(decisions);
    EXPECT_EQ(boost::json::serialize(ToJson(decisions->front())),
              R"({"id":1,"session_id":"s1","turn":4,"at_ms":1700000000000,"beat":null,)"
              R"("technique":null,"reason":"no beat: no beats are available here"})");
}

}  // namespace
}  // namespace tta::engine
