// Whole turns through the engine with a ModelNarrator talking real HTTP to the fake
// OpenAI-compatible server while it injects every fault it knows: no turn fails because of a
// model, each turn's provenance is stored with it, and a provider's breaker opens under
// failures and closes again once it answers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "tta/engine/engine.hpp"
#include "tta/narrative/model/http_transport.hpp"
#include "tta/narrative/model/model_narrator.hpp"
#include "tta/narrative/model/test_world.hpp"
#include "tta/narrative/testing/fake_openai_server.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::narrative::model {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeOpenAiServer;
using testing::FakeReply;

constexpr std::string_view kProse =
    "Waves fold onto the pale sand. The wind smells of salt and old rope.";

// A good opening, then every fault the fake server can inject, one a turn (content faults
// twice, since a refused draft is regenerated once), then a good answer.
std::vector<FakeReply> Script() {
    std::vector<FakeReply> out;
    out.push_back(testing::Streamed(kProse));
    auto slow = testing::Streamed(kProse);
    slow.first_delay = milliseconds(600);
    out.push_back(slow);
    auto stall = testing::Streamed(kProse, 8);
    stall.stall_after = 3;
    out.push_back(stall);
    out.push_back(testing::Status(429, "rate limited", 1));
    out.push_back(testing::Status(500, "internal error"));
    out.push_back(testing::Status(503, "overloaded"));
    FakeReply malformed;
    malformed.events = {testing::ChunkJson("Waves "), "{\"choices\":[{\"delta\":"};
    out.push_back(malformed);
    for (int i = 0; i < 2; ++i) {
        out.push_back(testing::Streamed("Captain Rook hails you from the old lighthouse."));
    }
    for (int i = 0; i < 2; ++i) {
        out.push_back(
            testing::Streamed("The sea is calm. A lethal dose of paracetamol is not much."));
    }
    auto dropped = testing::Streamed(kProse, 6);
    dropped.drop_after = 2;
    out.push_back(dropped);
    FakeReply error;
    error.events = {R"({"error":{"message":"model crashed"}})"};
    out.push_back(error);
    out.push_back(testing::Streamed(kProse));
    return out;
}

class ModelTurnsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tta-model-turns-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        auto pack = CovePack();
        ASSERT_NE(pack, nullptr);
        catalog_.Add(pack);
        store::sqlite::SqliteOptions o;
        o.data_dir = dir_;
        auto opened = store::sqlite::SqliteStore::Open(o);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
        engine::EngineOptions options;
        options.metrics = &registry_;
        engine_ = std::make_unique<engine::Engine>(catalog_, *store_, wall_, options);
    }
    void TearDown() override {
        engine_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }

    // A narrator with one provider at the fake server; deadlines short enough for tests.
    ModelNarrator* UseModel(const FakeOpenAiServer& server, int breaker_failures = 100) {
        ModelsConfig config;
        ModelProviderConfig p;
        p.name = "fake";
        p.base_url = server.BaseUrl();
        p.model = "fake-model";
        p.connect_timeout = milliseconds(300);
        p.first_token_timeout = milliseconds(200);
        p.stall_timeout = milliseconds(200);
        p.total_timeout = milliseconds(1500);
        config.providers = {p};
        config.breaker_failures = breaker_failures;
        config.breaker_open_for = seconds(30);
        config.max_attempts = 1;
        config.turn_timeout = milliseconds(2500);
        auto resolved = ResolveProviders(config);
        EXPECT_TRUE(resolved);
        auto transport = std::make_shared<HttpTransport>();
        auto router =
            std::make_shared<ModelRouter>(std::move(resolved->providers), RouterOptionsFrom(config),
                                          *transport, breaker_clock_, &registry_);
        auto narrator = std::make_unique<ModelNarrator>(transport, router, SafetyOutputCheck(),
                                                        NarratorOptionsFrom(config), &registry_);
        ModelNarrator* raw = narrator.get();
        engine_->SetNarrator(std::move(narrator));
        return raw;
    }

    std::string Start() {
        engine::NewSession spec;
        spec.world_id = "cove";
        spec.seed = 11;
        auto reply = engine_->Start(spec);
        EXPECT_TRUE(reply) << reply.error().message;
        return reply ? reply->session_id : "";
    }

    boost::json::object Provenance(const std::string& session, std::int64_t seq) {
        auto turn = store_->GetTurn(session, seq);
        EXPECT_TRUE(turn);
        const auto body = boost::json::parse(turn->body).as_object();
        EXPECT_TRUE(body.contains("provenance")) << turn->body;
        return body.contains("provenance") ? body.at("provenance").as_object()
                                           : boost::json::object{};
    }

    fs::path dir_;
    engine::WorldCatalog catalog_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<engine::Engine> engine_;
    SystemClock wall_;
    ManualClock breaker_clock_;
    metrics::Registry registry_;
};

TEST_F(ModelTurnsTest, NoTurnFailsBecauseOfAModel) {
    FakeOpenAiServer server;
    for (auto& reply : Script()) server.Enqueue(std::move(reply));
    UseModel(server);
    const std::string id = Start();
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(Provenance(id, 1).at("narrator").as_string(), "model");
    // Looking is worth prose every time, so every turn meets the next fault.
    const std::vector<std::string> expected = {
        "authored:first_token_timeout",  // slow first token
        "authored:mid_stream",           // stalled after some text
        "authored:status",               // 429
        "authored:status",               // 500
        "authored:status",               // 503
        "authored:mid_stream",           // a malformed chunk after some text
        "authored:out_of_scope",         // invented people, twice
        "authored:output_gate",          // unsafe text, twice
        "authored:mid_stream",           // the connection dropped
        "authored:provider_error",       // an error event
        "model:",                        // and back to prose
    };
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        auto reply = engine_->Play(id, "look");
        ASSERT_TRUE(reply) << "turn " << i << ": " << reply.error().message;
        EXPECT_TRUE(reply->recorded);
        EXPECT_NE(reply->text.find("Exits: north (the net hut) and east (the tide pools)."),
                  std::string::npos)
            << reply->text;
        EXPECT_EQ(reply->text.find("Rook"), std::string::npos);
        EXPECT_EQ(reply->text.find("paracetamol"), std::string::npos);
        const auto p = Provenance(id, reply->seq);
        seen.push_back(std::string(p.at("narrator").as_string()) + ":" +
                       (p.contains("reason") ? std::string(p.at("reason").as_string()) : ""));
    }
    EXPECT_EQ(seen, expected);
}

TEST_F(ModelTurnsTest, ModelProseIsStoredWithItsProvenance) {
    FakeOpenAiServer server;
    server.SetDefault(testing::Streamed(kProse, 5, 420, 31));
    UseModel(server);
    const std::string id = Start();
    auto reply = engine_->Play(id, "look");
    ASSERT_TRUE(reply);
    EXPECT_TRUE(reply->text.starts_with(kProse)) << reply->text;
    const auto p = Provenance(id, reply->seq);
    EXPECT_EQ(p.at("narrator").as_string(), "model");
    EXPECT_EQ(p.at("provider").as_string(), "fake");
    EXPECT_EQ(p.at("model").as_string(), "fake-model");
    EXPECT_EQ(p.at("prompt_tokens").as_int64(), 420);
    EXPECT_EQ(p.at("completion_tokens").as_int64(), 31);
    EXPECT_TRUE(p.at("validated").as_bool());
    EXPECT_EQ(p.at("prompt_hash").as_string().size(), 16u);
}

TEST_F(ModelTurnsTest, TheBreakerOpensUnderFailuresAndRecovers) {
    FakeOpenAiServer server;
    server.SetDefault(testing::Status(503, "down for maintenance"));
    UseModel(server, /*breaker_failures=*/3);
    const std::string id = Start();          // failure 1
    ASSERT_TRUE(engine_->Play(id, "look"));  // 2
    ASSERT_TRUE(engine_->Play(id, "look"));  // 3: opens
    const int asked = server.RequestCount();
    EXPECT_EQ(asked, 3);
    EXPECT_NE(registry_.Expose().find(
                  "tta_resilience_breaker_state{breaker=\"model:fake\",state=\"open\"} 1"),
              std::string::npos);

    // Open: turns are authored at once and the provider is left alone.
    for (int i = 0; i < 3; ++i) {
        auto reply = engine_->Play(id, "look");
        ASSERT_TRUE(reply);
        EXPECT_EQ(Provenance(id, reply->seq).at("reason").as_string(), "unavailable");
    }
    EXPECT_EQ(server.RequestCount(), asked);

    // The provider comes back; after the wait one probe finds it and closes the breaker.
    server.SetDefault(testing::Streamed(kProse));
    breaker_clock_.Advance(seconds(30));
    auto probed = engine_->Play(id, "look");
    ASSERT_TRUE(probed);
    EXPECT_EQ(Provenance(id, probed->seq).at("narrator").as_string(), "model");
    EXPECT_EQ(server.RequestCount(), asked + 1);
    EXPECT_NE(registry_.Expose().find(
                  "tta_resilience_breaker_state{breaker=\"model:fake\",state=\"closed\"} 1"),
              std::string::npos);
    auto after = engine_->Play(id, "look");
    ASSERT_TRUE(after);
    EXPECT_EQ(Provenance(id, after->seq).at("narrator").as_string(), "model");
}

TEST_F(ModelTurnsTest, WithTheServerGoneEveryTurnIsStillAnswered) {
    {
        FakeOpenAiServer gone;
        UseModel(gone);
    }
    const std::string id = Start();
    for (std::string_view input : {"look", "take lantern", "north", "talk to ada", "1"}) {
        auto reply = engine_->Play(id, input);
        ASSERT_TRUE(reply) << input;
        EXPECT_FALSE(reply->text.empty());
    }
}

}  // namespace
}  // namespace tta::narrative::model
