// The therapy and safety plan routes over real connections on 127.0.0.1 (port 0), built as
// `tta serve` builds them (server::Api over one SQLite store): mood, questionnaires, journal,
// progress, practices, planner decisions and the safety plan — each route's answers, the
// field its validation errors name, other accounts' records staying invisible, PHQ-9 item 9
// answered with the safety response and a safety event (also when the result cannot be kept),
// and personal text sealed at rest.
#include "tta/server/therapy_routes.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tta/server/api.hpp"
#include "tta/server/test_client.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/world/loader.hpp"

namespace tta::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using testing::ClientResponse;
using testing::Headers;
using testing::HttpClient;

struct Player {
    std::string access;
    std::string user_id;
    Headers Auth() const { return {{"Authorization", "Bearer " + access}}; }
};

std::string Str(const json::value& v, std::string_view key) {
    return std::string(v.at(key).as_string());
}

// Therapy records that can be switched off, to show that PHQ-9 item 9 is answered anyway.
class SwitchableTherapyStore final : public store::TherapyStore {
  public:
    explicit SwitchableTherapyStore(store::TherapyStore& inner) : inner_(inner) {}
    std::atomic<bool> down{false};

    Result<std::int64_t> AppendCheckIn(const store::CheckInRecord& r) override {
        if (down) return Down();
        return inner_.AppendCheckIn(r);
    }
    Result<std::vector<store::CheckInRecord>> ListCheckIns(std::string_view user,
                                                           const store::RecordQuery& q) override {
        if (down) return Down();
        return inner_.ListCheckIns(user, q);
    }
    Result<std::int64_t> AppendMeasureResult(const store::MeasureResultRecord& r) override {
        if (down) return Down();
        return inner_.AppendMeasureResult(r);
    }
    Result<std::vector<store::MeasureResultRecord>> ListMeasureResults(
        std::string_view user, const store::RecordQuery& q) override {
        if (down) return Down();
        return inner_.ListMeasureResults(user, q);
    }
    Result<std::int64_t> AppendPractice(const store::PracticeRecord& r) override {
        if (down) return Down();
        return inner_.AppendPractice(r);
    }
    Result<std::vector<store::PracticeRecord>> ListPractices(std::string_view user,
                                                             const store::RecordQuery& q) override {
        if (down) return Down();
        return inner_.ListPractices(user, q);
    }
    Result<std::int64_t> AppendJournalEntry(const store::JournalRecord& r) override {
        if (down) return Down();
        return inner_.AppendJournalEntry(r);
    }
    Result<std::vector<store::JournalRecord>> ListJournalEntries(
        std::string_view user, const store::RecordQuery& q) override {
        if (down) return Down();
        return inner_.ListJournalEntries(user, q);
    }
    Result<std::int64_t> AppendSessionSummary(const store::SessionSummaryRecord& r) override {
        if (down) return Down();
        return inner_.AppendSessionSummary(r);
    }
    Result<std::vector<store::SessionSummaryRecord>> ListSessionSummaries(
        std::string_view user, const store::RecordQuery& q) override {
        if (down) return Down();
        return inner_.ListSessionSummaries(user, q);
    }
    Result<std::int64_t> AppendPlannerDecision(const store::PlannerRecord& r) override {
        if (down) return Down();
        return inner_.AppendPlannerDecision(r);
    }
    Result<std::vector<store::PlannerRecord>> ListPlannerDecisions(
        std::string_view user, const store::RecordQuery& q) override {
        if (down) return Down();
        return inner_.ListPlannerDecisions(user, q);
    }

  private:
    static Error Down() { return Error::Unavailable("the store is down"); }
    store::TherapyStore& inner_;
};

class TherapyRoutesTest : public ::testing::Test {
  protected:
    TherapyRoutesTest()
        : dir_(fs::temp_directory_path() /
               ("tta_therapy_routes_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name())),
          master_(auth::MasterKey::Generate()) {
        fs::remove_all(dir_);
        std::vector<world::Diagnostic> diagnostics;
        auto pack =
            world::LoadPack(fs::path(TTA_SOURCE_DIR) / "src/tta/engine/testdata/tiny", diagnostics);
        EXPECT_TRUE(pack) << pack.error().message;
        if (pack) catalog_.Add(*pack);
        config_.server.port = 0;
        config_.server.threads = 1;
        config_.server.worker_threads = 2;
        config_.limits.ip_requests_per_second = 100000;
        config_.limits.ip_burst = 100000;
        config_.limits.account_requests_per_second = 100000;
        config_.limits.account_burst = 100000;
        Start();
    }

    ~TherapyRoutesTest() override {
        client_.reset();
        if (server_) server_->Shutdown();
        server_.reset();
        api_.reset();
        therapy_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }

    void Start() {
        store::sqlite::SqliteOptions options;
        options.data_dir = dir_;
        auto opened = store::sqlite::SqliteStore::Open(options);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
        therapy_ = std::make_unique<SwitchableTherapyStore>(*store_);
        AccountOptions account_options = AccountOptionsFrom(config_);
        account_options.password_cost = auth::MinimumCost();
        api_ = std::make_unique<Api>(config_, ApiStores{*store_, *store_, *therapy_}, master_,
                                     catalog_, clock_, registry_, account_options);
        api_->AddRoutes(router_);
        server_ = std::make_unique<Server>(config_, router_, registry_, clock_);
        server_->SetAuthenticator(api_->Authenticator());
        ASSERT_TRUE(server_->Start());
        client_ = std::make_unique<HttpClient>(server_->Port());
    }

    ClientResponse Call(std::string_view method, std::string_view target,
                        std::string_view body = {}, const Headers& headers = {}) {
        auto r = client_->Send(method, target, body, headers);
        EXPECT_TRUE(r) << method << " " << target << ": " << r.error().message;
        return r ? *r : ClientResponse{};
    }

    // The JSON of a call that must answer `status`.
    json::value Expect(int status, std::string_view method, std::string_view target,
                       const Player& p, std::string_view body = {}) {
        auto r = Call(method, target, body, p.Auth());
        EXPECT_EQ(r.status, status) << method << " " << target << " " << body << ": " << r.body;
        return r.Json();
    }

    // A 400 whose message names `field`.
    void ExpectInvalid(std::string_view method, std::string_view target, const Player& p,
                       std::string_view body, std::string_view field) {
        auto r = Call(method, target, body, p.Auth());
        EXPECT_EQ(r.status, 400) << method << " " << target << " " << body << ": " << r.body;
        const json::value j = r.Json();
        ASSERT_TRUE(j.is_object()) << r.body;
        EXPECT_EQ(j.at("error").at("code"), "invalid");
        EXPECT_NE(Str(j.at("error"), "message").find(field), std::string::npos)
            << body << " -> " << r.body << " should name " << field;
    }

    Player Register(const std::string& username) {
        auto r = Call("POST", "/v1/auth/register",
                      R"({"username":")" + username + R"(","password":"correct horse"})");
        EXPECT_EQ(r.status, 201) << r.body;
        const auto j = r.Json();
        return {Str(j, "access_token"), Str(j.at("user"), "id")};
    }

    std::string NewSession(const Player& p, const std::string& character_body) {
        const auto c = Expect(201, "POST", "/v1/characters", p, character_body);
        const auto s = Expect(201, "POST", "/v1/sessions", p,
                              R"({"character_id":")" + Str(c, "id") + R"(","world_id":"tiny"})");
        return Str(s, "id");
    }

    // Lowercase names of files under the data dir that contain `needle` (lowercase).
    std::vector<std::string> FilesContaining(const std::string& needle) {
        std::vector<std::string> hits;
        for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            std::transform(bytes.begin(), bytes.end(), bytes.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (bytes.find(needle) != std::string::npos) hits.push_back(entry.path().filename());
        }
        return hits;
    }

    fs::path dir_;
    ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    auth::MasterKey master_;
    metrics::Registry registry_;
    engine::WorldCatalog catalog_;
    Config config_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<SwitchableTherapyStore> therapy_;
    std::unique_ptr<Api> api_;
    Router router_;
    std::unique_ptr<Server> server_;
    std::unique_ptr<HttpClient> client_;
};

constexpr std::string_view kPlan = R"({
  "warning_signs": ["  Not sleeping  ", "Skipping meals"],
  "coping_strategies": ["Walk to the harbour wall"],
  "people_to_ask": [{"name": "Aunt Wrenfeather", "contact": "07700 900123"}],
  "reasons_for_living": ["My dog Bramblethwaite"]
})";

TEST_F(TherapyRoutesTest, MoodCheckInsAreRecordedAndPagedBack) {
    const Player p = Register("mira");
    const auto first =
        Expect(201, "POST", "/v1/me/mood", p, R"({"score":6,"feelings":["Tired"," worried"]})");
    EXPECT_EQ(first.at("score"), 6);
    EXPECT_EQ(first.at("feelings"), json::parse(R"(["tired","worried"])"));
    EXPECT_EQ(first.at("mode"), "out_of_character");
    EXPECT_EQ(first.at("session_id"), "");
    Expect(201, "POST", "/v1/me/mood", p, R"({"score":3,"mode":"in_story"})");
    Expect(201, "POST", "/v1/me/mood", p, R"({"score":8,"feelings":[]})");

    const auto newest = Expect(200, "GET", "/v1/me/mood?limit=2", p).at("check_ins").as_array();
    ASSERT_EQ(newest.size(), 2u);
    EXPECT_EQ(newest[0].at("score"), 3) << "oldest first";
    EXPECT_EQ(newest[0].at("mode"), "in_story");
    EXPECT_EQ(newest[1].at("score"), 8);
    const auto older =
        Expect(200, "GET",
               "/v1/me/mood?limit=2&before_id=" + std::to_string(newest[0].at("id").as_int64()), p)
            .at("check_ins")
            .as_array();
    ASSERT_EQ(older.size(), 1u);
    EXPECT_EQ(older[0].at("score"), 6);
    EXPECT_EQ(older[0].at("feelings"), json::parse(R"(["tired","worried"])"));
}

TEST_F(TherapyRoutesTest, ASessionCheckInCarriesItsTurnAndFiltersBySession) {
    const Player p = Register("mira");
    const std::string session = NewSession(p, R"({"name":"Robin"})");
    Expect(201, "POST", "/v1/me/mood", p, R"({"score":5})");
    Expect(200, "POST", "/v1/sessions/" + session + "/turns", p, R"({"text":"look"})");
    const auto in_session = Expect(201, "POST", "/v1/sessions/" + session + "/mood", p,
                                   R"({"score":4,"feelings":["calm"]})");
    EXPECT_EQ(Str(in_session, "session_id"), session);
    EXPECT_EQ(in_session.at("turn"), 1) << "the story's turn";
    const auto listed =
        Expect(200, "GET", "/v1/me/mood?session_id=" + session, p).at("check_ins").as_array();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].at("score"), 4);
    EXPECT_EQ(Str(listed[0], "session_id"), session);
    EXPECT_EQ(
        Expect(404, "POST", "/v1/sessions/nope/mood", p, R"({"score":4})").at("error").at("code"),
        "not_found");
}

TEST_F(TherapyRoutesTest, QuestionnairesAreScoredStoredAndListed) {
    const Player p = Register("mira");
    const auto gad7 =
        Expect(201, "POST", "/v1/me/measures/gad7", p, R"({"answers":[3,3,2,2,1,1,0]})");
    EXPECT_EQ(gad7.at("measure"), "gad7");
    EXPECT_EQ(gad7.at("total"), 12);
    EXPECT_EQ(gad7.at("severity"), "moderate");
    EXPECT_FALSE(gad7.as_object().contains("crisis"));
    const auto phq9 =
        Expect(201, "POST", "/v1/me/measures/phq9", p, R"({"answers":[1,1,1,1,1,0,0,0,0]})");
    EXPECT_EQ(phq9.at("total"), 5);
    EXPECT_EQ(phq9.at("severity"), "mild");
    EXPECT_EQ(phq9.at("item9_flag"), false);
    EXPECT_FALSE(phq9.as_object().contains("crisis"));

    const auto results = Expect(200, "GET", "/v1/me/measures", p).at("results").as_array();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].at("id"), gad7.at("id"));
    EXPECT_EQ(results[0].at("answers"), json::parse("[3,3,2,2,1,1,0]"));
    EXPECT_EQ(results[1].at("measure"), "phq9");
    auto events = store_->ListSafetyEvents(p.user_id, 10);
    ASSERT_TRUE(events);
    EXPECT_TRUE(events->empty()) << "no safety event without item 9";
    EXPECT_EQ(
        Expect(404, "POST", "/v1/me/measures/bdi", p, R"({"answers":[0]})").at("error").at("code"),
        "not_found");
}

TEST_F(TherapyRoutesTest, Phq9Item9AnswersWithTheSafetyResponseAndASafetyEvent) {
    const Player p = Register("mira");
    NewSession(p, R"({"name":"Robin","locale":"en-GB"})");
    Expect(200, "PUT", "/v1/me/safety-plan", p, kPlan);
    const auto r =
        Expect(201, "POST", "/v1/me/measures/phq9", p, R"({"answers":[0,0,0,0,0,0,0,0,1]})");
    EXPECT_EQ(r.at("total"), 1);
    EXPECT_EQ(r.at("severity"), "minimal");
    EXPECT_EQ(r.at("item9_flag"), true);
    ASSERT_TRUE(r.as_object().contains("crisis")) << json::serialize(r);
    const auto& crisis = r.at("crisis");
    EXPECT_EQ(crisis.at("level"), "high");
    EXPECT_EQ(crisis.at("step_out"), true);
    EXPECT_EQ(crisis.at("country"), "GB") << "the lines of the player's locale";
    EXPECT_FALSE(crisis.at("resources").as_array().empty());
    EXPECT_EQ(crisis.at("plan_shown"), true);
    const std::string message = Str(crisis, "message");
    EXPECT_NE(message.find("Thank you for answering"), std::string::npos) << message;
    EXPECT_NE(message.find("Aunt Wrenfeather"), std::string::npos) << "their own plan";
    EXPECT_NE(message.find("Samaritans"), std::string::npos) << message;
    // The result is kept like any other.
    EXPECT_EQ(Expect(200, "GET", "/v1/me/measures", p).at("results").as_array().size(), 1u);

    // One safety event, kept sealed for the player, naming the questionnaire's rule.
    auto raw = store_->ListSafetyEvents(p.user_id, 10);
    ASSERT_TRUE(raw);
    ASSERT_EQ(raw->size(), 1u);
    EXPECT_EQ(raw->front().level, "high");
    SealedAccountStore sealed(*store_, api_->Keys());
    auto events = sealed.ListSafetyEvents(p.user_id, 10);
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 1u);
    const json::value event = json::parse(store::AsText(events->front().personal));
    EXPECT_EQ(event.at("rules"), json::parse(R"(["measures.phq9_item9"])"));
    EXPECT_EQ(event.at("locale"), "en-GB");
    EXPECT_EQ(event.at("stepped_out"), true);
    EXPECT_EQ(event.at("plan_shown"), true);
}

TEST_F(TherapyRoutesTest, Phq9Item9WithoutAPlanOrLocaleStillGivesCrisisLines) {
    const Player p = Register("mira");
    const auto r =
        Expect(201, "POST", "/v1/me/measures/phq9", p, R"({"answers":[3,3,3,3,3,3,3,3,3]})");
    EXPECT_EQ(r.at("severity"), "severe");
    ASSERT_TRUE(r.as_object().contains("crisis"));
    EXPECT_EQ(r.at("crisis").at("plan_shown"), false);
    EXPECT_FALSE(r.at("crisis").at("resources").as_array().empty());
    auto events = store_->ListSafetyEvents(p.user_id, 10);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->size(), 1u);
}

TEST_F(TherapyRoutesTest, Phq9Item9IsAnsweredWhenTheResultCannotBeKept) {
    const Player p = Register("mira");
    therapy_->down = true;
    const auto r =
        Expect(200, "POST", "/v1/me/measures/phq9", p, R"({"answers":[0,0,0,0,0,0,0,0,2]})");
    EXPECT_EQ(r.at("recorded"), false);
    EXPECT_FALSE(r.as_object().contains("id"));
    EXPECT_EQ(r.at("total"), 2);
    ASSERT_TRUE(r.as_object().contains("crisis")) << json::serialize(r);
    EXPECT_FALSE(r.at("crisis").at("resources").as_array().empty());
    auto events = store_->ListSafetyEvents(p.user_id, 10);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->size(), 1u) << "the safety event does not depend on the therapy records";
    // Without item 9 there is nothing to give before the store: the outage is the answer.
    EXPECT_EQ(Expect(503, "POST", "/v1/me/measures/gad7", p, R"({"answers":[0,0,0,0,0,0,0]})")
                  .at("error")
                  .at("code"),
              "unavailable");
}

TEST_F(TherapyRoutesTest, TheJournalIsWrittenAndReadBack) {
    const Player p = Register("mira");
    const auto entry =
        Expect(201, "POST", "/v1/me/journal", p, R"({"text":"  The tide came in slowly.  "})");
    EXPECT_EQ(entry.at("text"), "The tide came in slowly.");
    Expect(201, "POST", "/v1/me/journal", p, R"({"text":"A good day."})");
    const auto entries = Expect(200, "GET", "/v1/me/journal", p).at("entries").as_array();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].at("id"), entry.at("id"));
    EXPECT_EQ(entries[1].at("text"), "A good day.");
    EXPECT_EQ(Expect(200, "GET", "/v1/me/journal?limit=1", p).at("entries").as_array().size(), 1u);
}

TEST_F(TherapyRoutesTest, ProgressReflectsARecordedMoodAndMeasure) {
    const Player p = Register("mira");
    auto empty = Expect(200, "GET", "/v1/me/progress", p);
    EXPECT_TRUE(empty.at("mood").is_null());
    EXPECT_TRUE(empty.at("measures").as_array().empty());

    Expect(201, "POST", "/v1/me/mood", p, R"({"score":4})");
    clock_.Advance(10min);  // within the access token's life
    Expect(201, "POST", "/v1/me/mood", p, R"({"score":7,"feelings":["hopeful"]})");
    Expect(201, "POST", "/v1/me/measures/gad7", p, R"({"answers":[1,1,1,1,1,1,1]})");
    const auto progress = Expect(200, "GET", "/v1/me/progress", p);
    const auto& mood = progress.at("mood");
    EXPECT_EQ(mood.at("count"), 2);
    EXPECT_EQ(mood.at("first"), 4);
    EXPECT_EQ(mood.at("last"), 7);
    EXPECT_GT(mood.at("slope_per_check_in").as_double(), 0);
    const auto& measures = progress.at("measures").as_array();
    ASSERT_EQ(measures.size(), 1u);
    EXPECT_EQ(measures[0].at("measure"), "gad7");
    EXPECT_EQ(measures[0].at("last_total"), 7);
    EXPECT_EQ(measures[0].at("points").as_array().size(), 1u);
    const std::string text = Str(progress, "text");
    EXPECT_NE(text.find("from 4 to 7"), std::string::npos) << text;
    EXPECT_FALSE(progress.as_object().contains("sitting"));

    // With a session, what its sitting has held so far comes too.
    const std::string session = NewSession(p, R"({"name":"Robin"})");
    const auto with_session = Expect(200, "GET", "/v1/me/progress?session_id=" + session, p);
    EXPECT_TRUE(with_session.as_object().contains("sitting")) << json::serialize(with_session);
}

TEST_F(TherapyRoutesTest, PracticesAndPlannerDecisionsAreListedWithTheirReasons) {
    const Player p = Register("mira");
    engine::TherapyService& therapy = *api_->Engine().Therapy();
    ASSERT_TRUE(therapy.RecordPractice({p.user_id, "s1", 7}, "box_breathing", "keeper_breath",
                                       "completed"));
    therapy::BeatDecision decision;
    decision.beat_id = "keeper_breath";
    decision.technique_id = "box_breathing";
    decision.reason = "offered box_breathing (beat keeper_breath): player said 'anxious'";
    ASSERT_TRUE(therapy.RecordDecision({p.user_id, "s1", 6}, decision));

    const auto practices = Expect(200, "GET", "/v1/me/practices", p).at("practices").as_array();
    ASSERT_EQ(practices.size(), 1u);
    EXPECT_EQ(practices[0].at("technique"), "box_breathing");
    EXPECT_EQ(practices[0].at("outcome"), "completed");
    EXPECT_EQ(practices[0].at("turn"), 7);
    const auto decisions = Expect(200, "GET", "/v1/me/planner", p).at("decisions").as_array();
    ASSERT_EQ(decisions.size(), 1u);
    EXPECT_EQ(decisions[0].at("beat"), "keeper_breath");
    EXPECT_EQ(Str(decisions[0], "reason"), decision.reason);
    EXPECT_EQ(
        Expect(200, "GET", "/v1/me/planner?session_id=other", p).at("decisions").as_array().size(),
        0u);
    // The progress view counts the practice.
    const auto skills = Expect(200, "GET", "/v1/me/progress", p).at("skills").as_array();
    ASSERT_EQ(skills.size(), 1u);
    EXPECT_EQ(skills[0].at("completed"), 1);
}

TEST_F(TherapyRoutesTest, ASessionOfPlayClosedByQuitIsSummarised) {
    const Player p = Register("mira");
    const std::string session = NewSession(p, R"({"name":"Robin"})");
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/summaries", p).at("summaries").as_array().empty());
    const std::string turns = "/v1/sessions/" + session + "/turns";
    Expect(200, "POST", turns, p, R"({"text":"north"})");
    Expect(200, "POST", turns, p, R"({"text":"check in 6 calm"})");
    Expect(200, "POST", turns, p, R"({"text":"quit"})");
    const auto summaries = Expect(200, "GET", "/v1/me/summaries", p).at("summaries").as_array();
    ASSERT_EQ(summaries.size(), 1u);
    EXPECT_EQ(summaries[0].at("session_id"), session.c_str());
    EXPECT_EQ(summaries[0].at("mood_before"), 6) << summaries[0];  // one check-in: before only
    EXPECT_GE(summaries[0].at("places_visited").as_int64(), 2);
    const Player other = Register("ollie");
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/summaries", other).at("summaries").as_array().empty());
}

TEST_F(TherapyRoutesTest, ValidationErrorsNameTheField) {
    const Player p = Register("mira");
    const std::string session = NewSession(p, R"({"name":"Robin"})");
    for (const std::string& target :
         {std::string("/v1/me/mood"), "/v1/sessions/" + session + "/mood"}) {
        ExpectInvalid("POST", target, p, R"({"feelings":["calm"]})", "score");
        ExpectInvalid("POST", target, p, R"({"score":11})", "score");
        ExpectInvalid("POST", target, p, R"({"score":"six"})", "score");
        ExpectInvalid("POST", target, p, R"({"score":5,"feelings":["happyish"]})", "feelings");
        ExpectInvalid("POST", target, p, R"({"score":5,"feelings":"calm"})", "feelings");
        ExpectInvalid("POST", target, p, R"({"score":5,"mode":"dreaming"})", "mode");
        ExpectInvalid("POST", target, p, R"({"score":5,"mood":5})", "mood");
    }
    ExpectInvalid("POST", "/v1/me/measures/phq9", p, R"({})", "answers");
    ExpectInvalid("POST", "/v1/me/measures/phq9", p, R"({"answers":[0,1]})", "answers");
    ExpectInvalid("POST", "/v1/me/measures/gad7", p, R"({"answers":[0,1,4,0,0,0,0]})",
                  "answers[2]");
    ExpectInvalid("POST", "/v1/me/measures/gad7", p, R"({"answers":"0,1,2"})", "answers");
    ExpectInvalid("POST", "/v1/me/journal", p, R"({"text":"   "})", "text");
    ExpectInvalid("POST", "/v1/me/journal", p, R"({"words":"hello"})", "words");
    ExpectInvalid("POST", "/v1/me/journal", p,
                  json::serialize(json::object{{"text", std::string(4001, 'a')}}), "text");
    for (const char* list : {"/v1/me/mood", "/v1/me/measures", "/v1/me/journal", "/v1/me/practices",
                             "/v1/me/planner"}) {
        ExpectInvalid("GET", std::string(list) + "?limit=0", p, "", "limit");
        ExpectInvalid("GET", std::string(list) + "?limit=101", p, "", "limit");
        ExpectInvalid("GET", std::string(list) + "?before_id=x", p, "", "before_id");
    }
    ExpectInvalid(
        "PUT", "/v1/me/safety-plan", p,
        R"({"people_to_ask":[{"name":"Sam","contact":")" + std::string(121, '1') + R"("}]})",
        "people_to_ask[0].contact");
    ExpectInvalid("PUT", "/v1/me/safety-plan", p, R"({"warning_signs":["  "]})",
                  "warning_signs[0]");
    ExpectInvalid("PUT", "/v1/me/safety-plan", p, R"({"hobbies":["chess"]})", "hobbies");
    ExpectInvalid("PUT", "/v1/me/safety-plan", p, R"({"warning_signs":[]})", "at least one");
    ExpectInvalid("PUT", "/v1/me/safety-plan", p, R"([1])", "object");
    // Nothing invalid was kept.
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/mood", p).at("check_ins").as_array().empty());
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/measures", p).at("results").as_array().empty());
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/journal", p).at("entries").as_array().empty());
    Expect(404, "GET", "/v1/me/safety-plan", p);
    // And every route needs an access token.
    EXPECT_EQ(Call("GET", "/v1/me/progress").status, 401);
    EXPECT_EQ(Call("PUT", "/v1/me/safety-plan", kPlan).status, 401);
}

TEST_F(TherapyRoutesTest, AnotherAccountsRecordsAreInvisible) {
    const Player mira = Register("mira");
    const Player sol = Register("sol");
    const std::string session = NewSession(mira, R"({"name":"Robin"})");
    Expect(201, "POST", "/v1/me/mood", mira, R"({"score":5})");
    Expect(201, "POST", "/v1/sessions/" + session + "/mood", mira, R"({"score":6})");
    Expect(201, "POST", "/v1/me/measures/gad7", mira, R"({"answers":[1,1,1,1,1,1,1]})");
    Expect(201, "POST", "/v1/me/journal", mira, R"({"text":"mine alone"})");
    Expect(200, "PUT", "/v1/me/safety-plan", mira, kPlan);

    EXPECT_TRUE(Expect(200, "GET", "/v1/me/mood", sol).at("check_ins").as_array().empty());
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/mood?session_id=" + session, sol)
                    .at("check_ins")
                    .as_array()
                    .empty());
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/measures", sol).at("results").as_array().empty());
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/journal", sol).at("entries").as_array().empty());
    EXPECT_TRUE(Expect(200, "GET", "/v1/me/progress", sol).at("mood").is_null());
    Expect(404, "GET", "/v1/me/progress?session_id=" + session, sol);
    Expect(404, "POST", "/v1/sessions/" + session + "/mood", sol, R"({"score":1})");
    Expect(404, "GET", "/v1/me/safety-plan", sol);
    Expect(404, "DELETE", "/v1/me/safety-plan", sol);
    // Mira's records are as she left them.
    EXPECT_EQ(Expect(200, "GET", "/v1/me/mood", mira).at("check_ins").as_array().size(), 2u);
    Expect(200, "GET", "/v1/me/safety-plan", mira);
}

TEST_F(TherapyRoutesTest, TheSafetyPlanRoundTripsAndIsSealedAtRest) {
    const Player p = Register("mira");
    Expect(404, "GET", "/v1/me/safety-plan", p);
    const auto put = Expect(200, "PUT", "/v1/me/safety-plan", p, kPlan);
    EXPECT_EQ(put.at("plan").at("warning_signs"),
              json::parse(R"(["Not sleeping","Skipping meals"])"))
        << "text is trimmed";
    EXPECT_EQ(put.at("plan").at("version"), 1);
    EXPECT_EQ(Str(put, "updated_at"), "2027-01-15T08:00:00Z");
    const auto got = Expect(200, "GET", "/v1/me/safety-plan", p);
    EXPECT_EQ(got, put);
    // What GET gives goes back as it is, edited.
    json::value edited = got.at("plan");
    edited.as_object()["professionals"] =
        json::parse(R"([{"name":"Dr Okafor","contact":"surgery, weekdays"}])");
    clock_.Advance(10min);
    const auto changed = Expect(200, "PUT", "/v1/me/safety-plan", p, json::serialize(edited));
    EXPECT_EQ(changed.at("plan"), edited);
    EXPECT_EQ(Str(changed, "updated_at"), "2027-01-15T08:10:00Z");
    EXPECT_EQ(Expect(200, "GET", "/v1/me/safety-plan", p), changed);
    Expect(201, "POST", "/v1/me/journal", p, R"({"text":"Thornquist harbour again"})");

    // Sealed: neither the plan nor the journal is on disk in the clear.
    bool saw_wal = false;
    for (const auto& entry : fs::directory_iterator(dir_)) {
        saw_wal = saw_wal || entry.path().string().ends_with("-wal");
    }
    EXPECT_TRUE(saw_wal) << "the grep should also read the write-ahead log";
    EXPECT_EQ(FilesContaining("wrenfeather"), std::vector<std::string>{});
    EXPECT_EQ(FilesContaining("bramblethwaite"), std::vector<std::string>{});
    EXPECT_EQ(FilesContaining("okafor"), std::vector<std::string>{});
    EXPECT_EQ(FilesContaining("thornquist"), std::vector<std::string>{});
    ASSERT_FALSE(FilesContaining("mira").empty()) << "the grep should find what is in the clear";

    EXPECT_EQ(Call("DELETE", "/v1/me/safety-plan", "", p.Auth()).status, 204);
    Expect(404, "GET", "/v1/me/safety-plan", p);
    Expect(404, "DELETE", "/v1/me/safety-plan", p);
}

}  // namespace
}  // namespace tta::server
