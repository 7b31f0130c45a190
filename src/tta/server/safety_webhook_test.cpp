// The safety webhook against a real HTTP receiver on 127.0.0.1 (a tta::server::Server with one
// route): delivery, signature, retries, refusals, a full queue, and the breaker.
#include "tta/server/safety_webhook.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <mutex>
#include <thread>

#include "tta/server/server.hpp"

namespace tta::server {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// A receiver that answers with the statuses it is given, in order (then 200), and keeps what
// it was sent.
class Receiver {
  public:
    struct Delivery {
        std::string body, signature, id, content_type;
    };

    Receiver() {
        config_.server.port = 0;
        config_.server.threads = 1;
        config_.server.worker_threads = 2;
        config_.limits.ip_requests_per_second = 100000;
        config_.limits.ip_burst = 100000;
        router_.Add(Method::kPost, "/hooks/tta", [this](Request& req) {
            std::lock_guard lock(mu_);
            deliveries_.push_back({req.body, std::string(req.Header("x-tta-signature")),
                                   std::string(req.Header("x-tta-delivery")),
                                   std::string(req.Header("content-type"))});
            int status = 200;
            if (!statuses_.empty()) {
                status = statuses_.front();
                statuses_.pop_front();
            }
            if (delay_ > 0ms) std::this_thread::sleep_for(delay_);
            return Response::Json(status, {{"ok", status < 300}});
        });
        server_ = std::make_unique<Server>(config_, router_, registry_, clock_);
        EXPECT_TRUE(server_->Start());
    }
    ~Receiver() { server_->Shutdown(); }

    std::string Url() const {
        return "http://127.0.0.1:" + std::to_string(server_->Port()) + "/hooks/tta";
    }
    void Answer(std::initializer_list<int> statuses) {
        std::lock_guard lock(mu_);
        statuses_.insert(statuses_.end(), statuses);
    }
    void Delay(std::chrono::milliseconds d) {
        std::lock_guard lock(mu_);
        delay_ = d;
    }
    std::vector<Delivery> Deliveries() {
        std::lock_guard lock(mu_);
        return deliveries_;
    }

  private:
    Config config_;
    Router router_;
    metrics::Registry registry_;
    SystemClock clock_;
    std::unique_ptr<Server> server_;
    std::mutex mu_;
    std::deque<int> statuses_;
    std::chrono::milliseconds delay_{0};
    std::vector<Delivery> deliveries_;
};

safety::SafetyEvent Event(std::string session, std::uint64_t turn) {
    safety::SafetyEvent e;
    e.session_id = std::move(session);
    e.player_id = "u1";
    e.turn = turn;
    e.level = safety::Level::kHigh;
    e.categories = {safety::Category::kSuicide};
    e.rules = {"suicide.intent.want_to_die"};
    e.locale = "en-GB";
    e.stepped_out = true;
    return e;
}

class SafetyWebhookTest : public ::testing::Test {
  protected:
    std::unique_ptr<WebhookSafetyEventSink> Sink(WebhookOptions options) {
        options.backoff = {5ms, 20ms};
        options.seed = 7;
        auto sink = WebhookSafetyEventSink::Create(std::move(options), registry_, clock_);
        EXPECT_TRUE(sink) << sink.error().message;
        return sink ? std::move(*sink) : nullptr;
    }
    metrics::Registry registry_;
    SystemClock clock_;
    Receiver receiver_;
};

TEST(WebhookSignature, IsHmacSha256InHex) {
    // RFC 4231, test case 2.
    EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(SafetyWebhookTest, DeliversEachEventSignedAndWithoutThePlayersWords) {
    auto sink = Sink({.url = receiver_.Url(), .secret = "clinic-key"});
    ASSERT_TRUE(sink->Record(Event("s1", 3)));
    ASSERT_TRUE(sink->Flush(5s));
    const auto got = receiver_.Deliveries();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].content_type, "application/json");
    EXPECT_EQ(got[0].signature, WebhookSignature("clinic-key", got[0].body));
    EXPECT_EQ(got[0].id.size(), 32u);
    const auto body = json::parse(got[0].body);
    EXPECT_EQ(body.at("session_id"), "s1");
    EXPECT_EQ(body.at("turn"), 3);
    EXPECT_EQ(body.at("level"), "high");
    EXPECT_FALSE(body.as_object().contains("text"));
    EXPECT_EQ(sink->Totals().sent, 1);
}

TEST_F(SafetyWebhookTest, RetriesABusyReceiverWithTheSameDeliveryId) {
    receiver_.Answer({503, 429});
    auto sink = Sink({.url = receiver_.Url(), .max_attempts = 4});
    ASSERT_TRUE(sink->Record(Event("s1", 1)));
    ASSERT_TRUE(sink->Flush(5s));
    const auto got = receiver_.Deliveries();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].id, got[2].id);
    EXPECT_TRUE(got[0].signature.empty());  // no secret, no signature
    EXPECT_EQ(sink->Totals().sent, 1);
    EXPECT_EQ(sink->Totals().retries, 2);
}

TEST_F(SafetyWebhookTest, GivesUpAfterItsAttemptsAndOnARefusal) {
    receiver_.Answer({500, 500, 404});
    auto sink = Sink({.url = receiver_.Url(), .max_attempts = 2});
    ASSERT_TRUE(sink->Record(Event("s1", 1)));  // 500, 500: given up
    ASSERT_TRUE(sink->Record(Event("s1", 2)));  // 404: refused, not retried
    ASSERT_TRUE(sink->Flush(5s));
    EXPECT_EQ(receiver_.Deliveries().size(), 3u);
    EXPECT_EQ(sink->Totals().failed, 2);
    EXPECT_EQ(sink->Totals().sent, 0);
}

TEST_F(SafetyWebhookTest, AFullQueueDropsTheOldestWaitingEvent) {
    receiver_.Delay(300ms);
    auto sink = Sink({.url = receiver_.Url(), .queue_size = 2});
    ASSERT_TRUE(sink->Record(Event("first", 1)));  // in flight (the receiver has it) while...
    for (int i = 0; i < 500 && receiver_.Deliveries().empty(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(receiver_.Deliveries().size(), 1u);
    for (std::uint64_t t = 2; t <= 4; ++t) ASSERT_TRUE(sink->Record(Event("later", t)));
    ASSERT_TRUE(sink->Flush(10s));
    std::vector<std::int64_t> turns;
    for (const auto& d : receiver_.Deliveries()) {
        turns.push_back(json::parse(d.body).at("turn").as_int64());
    }
    EXPECT_EQ(turns, (std::vector<std::int64_t>{1, 3, 4}));
    EXPECT_EQ(sink->Totals().dropped, 1);
}

TEST_F(SafetyWebhookTest, ASlowReceiverNeverHoldsUpTheCaller) {
    receiver_.Delay(300ms);  // each delivery takes 0.3 s; recording must not
    auto sink = Sink({.url = receiver_.Url()});
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t t = 1; t <= 5; ++t) ASSERT_TRUE(sink->Record(Event("s", t)));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 250ms);
    ASSERT_TRUE(sink->Flush(10s));
    EXPECT_EQ(sink->Totals().sent, 5);
}

TEST_F(SafetyWebhookTest, AnUnreachableReceiverOpensTheBreakerAndEveryEventIsAccountedFor) {
    // A port nothing listens on: every attempt fails. The breaker opens after three failures,
    // and the queue waits for it rather than spending attempts on a receiver known to be down.
    auto sink = Sink({.url = "http://127.0.0.1:1/hooks",
                      .timeout = 200ms,
                      .max_attempts = 2,
                      .breaker = {3, 50ms}});
    for (std::uint64_t t = 1; t <= 20; ++t) ASSERT_TRUE(sink->Record(Event("s", t)));
    ASSERT_TRUE(sink->Flush(30s));
    EXPECT_EQ(sink->Totals().failed, 20);
    EXPECT_EQ(sink->Totals().sent, 0);
    EXPECT_NE(registry_.Expose().find("tta_safety_webhook_failed_total 20"), std::string::npos)
        << registry_.Expose();
}

TEST(WebhookOptions, ComeFromTheSafetySectionWithTheSecretFromItsVariable) {
    SafetyConfig config;
    config.webhook_url = "https://clinic.example/hooks";
    config.webhook_secret_env = "TTA_TEST_WEBHOOK_KEY_UNSET";
    ::unsetenv("TTA_TEST_WEBHOOK_KEY_UNSET");
    auto missing = WebhookOptionsFrom(config);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("TTA_TEST_WEBHOOK_KEY_UNSET"), std::string::npos);
    ::setenv("TTA_TEST_WEBHOOK_KEY_UNSET", "k3y", 1);
    auto options = WebhookOptionsFrom(config);
    ASSERT_TRUE(options) << options.error().message;
    EXPECT_EQ(options->secret, "k3y");
    ::unsetenv("TTA_TEST_WEBHOOK_KEY_UNSET");

    metrics::Registry registry;
    SystemClock clock;
    auto bad = WebhookSafetyEventSink::Create({.url = "ftp://x/?token=s3cret"}, registry, clock);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message.find("s3cret"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace tta::server
