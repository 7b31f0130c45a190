// The streaming client against the fake OpenAI-compatible server over real HTTP (and TLS) on
// 127.0.0.1: every way a provider can fail ends in a named verdict within its deadline.
#include "tta/narrative/model/http_transport.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "tta/core/utf8.hpp"
#include "tta/narrative/testing/fake_openai_server.hpp"

namespace tta::narrative::model {
namespace {

using std::chrono::milliseconds;
using testing::FakeOpenAiServer;
using testing::FakeReply;

// Short deadlines keep the suite quick; the faults below are well past them.
constexpr StreamLimits kLimits{.connect = milliseconds(500),
                               .first_token = milliseconds(150),
                               .stall = milliseconds(150),
                               .total = milliseconds(2000)};

class HttpTransportTest : public ::testing::Test {
  protected:
    Endpoint At(const FakeOpenAiServer& server) {
        auto e = ParseBaseUrl(server.BaseUrl());
        EXPECT_TRUE(e);
        return *e;
    }
    ChatRequest Request() {
        ChatRequest r;
        r.model = "fake-model";
        r.messages = {{"system", "Narrate."}, {"user", "The player looks around."}};
        return r;
    }
    StreamResult Run(const FakeOpenAiServer& server, const StreamLimits& limits = kLimits,
                     const resilience::CancelToken& cancel = {}) {
        text_.clear();
        pieces_ = 0;
        return transport_.Stream(At(server), Request(), limits, cancel,
                                 [this](std::string_view piece) {
                                     EXPECT_TRUE(IsValidUtf8(piece));
                                     text_ += piece;
                                     ++pieces_;
                                     return true;
                                 });
    }

    HttpTransport transport_;
    std::string text_;
    int pieces_ = 0;
};

TEST_F(HttpTransportTest, StreamsTextAndUsage) {
    FakeOpenAiServer server;
    const std::string line = "Rain needles the harbour — “Ada” waits by the hut. 🌊";
    server.Enqueue(testing::Streamed(line, 5, 321, 17));
    const auto r = Run(server);
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(text_, line);
    EXPECT_GT(pieces_, 5);
    ASSERT_TRUE(r.usage);
    EXPECT_EQ(r.usage->prompt_tokens, 321);
    EXPECT_EQ(r.usage->completion_tokens, 17);
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_GE(r.first_token.count(), 0);
    EXPECT_EQ(r.status, 200);
}

TEST_F(HttpTransportTest, SendsAStreamingRequestWithTheKey) {
    FakeOpenAiServer server;
    auto endpoint = At(server);
    endpoint.api_key = "sk-test";
    const auto r = transport_.Stream(endpoint, Request(), kLimits, {}, {});
    ASSERT_TRUE(r.ok()) << r.message;
    const auto requests = server.Requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/v1/chat/completions");
    EXPECT_EQ(requests[0].authorization, "Bearer sk-test");
    const auto body = boost::json::parse(requests[0].body).as_object();
    EXPECT_TRUE(body.at("stream").as_bool());
    EXPECT_EQ(body.at("model").as_string(), "fake-model");
}

TEST_F(HttpTransportTest, ASlowFirstTokenTimesOutAtItsDeadline) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("Late words.");
    reply.first_delay = milliseconds(1500);
    server.Enqueue(reply);
    const auto r = Run(server);
    EXPECT_EQ(r.failure, Failure::kFirstTokenTimeout) << r.message;
    EXPECT_LT(r.elapsed, milliseconds(600));
    EXPECT_TRUE(text_.empty());
}

TEST_F(HttpTransportTest, SlowHeadersCountAgainstTheFirstToken) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("Late words.");
    reply.header_delay = milliseconds(1500);
    server.Enqueue(reply);
    EXPECT_EQ(Run(server).failure, Failure::kFirstTokenTimeout);
}

TEST_F(HttpTransportTest, AStallMidStreamTimesOutAndKeepsWhatArrived) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("First words, then silence.", 6);
    reply.stall_after = 2;
    server.Enqueue(reply);
    const auto r = Run(server);
    EXPECT_EQ(r.failure, Failure::kStallTimeout) << r.message;
    EXPECT_EQ(text_, "First words,");
    EXPECT_LT(r.elapsed, milliseconds(800));
}

TEST_F(HttpTransportTest, TheTotalDeadlineBoundsASlowTrickle) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("one two three four five six seven eight nine ten", 3);
    reply.gap = milliseconds(60);
    server.Enqueue(reply);
    StreamLimits limits = kLimits;
    limits.total = milliseconds(300);
    const auto r = Run(server, limits);
    EXPECT_EQ(r.failure, Failure::kTotalTimeout) << r.message;
    EXPECT_LT(r.elapsed, milliseconds(700));
    EXPECT_FALSE(text_.empty());
}

TEST_F(HttpTransportTest, ErrorStatusesCarryTheirMessageAndRetryAfter) {
    FakeOpenAiServer server;
    for (int status : {429, 500, 503}) {
        server.Enqueue(testing::Status(status, "slow down", status == 429 ? 2 : 0));
        const auto r = Run(server);
        EXPECT_EQ(r.failure, Failure::kStatus);
        EXPECT_EQ(r.status, status);
        EXPECT_NE(r.message.find("slow down"), std::string::npos) << r.message;
        EXPECT_EQ(r.retry_after, status == 429 ? milliseconds(2000) : milliseconds(0));
    }
}

TEST_F(HttpTransportTest, AMalformedChunkEndsTheStream) {
    FakeOpenAiServer server;
    FakeReply reply;
    reply.events = {testing::ChunkJson("Fine so far. "), "{\"choices\": [oops"};
    server.Enqueue(reply);
    const auto r = Run(server);
    EXPECT_EQ(r.failure, Failure::kMalformed) << r.message;
    EXPECT_EQ(text_, "Fine so far. ");
}

TEST_F(HttpTransportTest, AnInStreamErrorIsTheProvidersFailure) {
    FakeOpenAiServer server;
    FakeReply reply;
    reply.events = {R"({"error":{"message":"model crashed"}})"};
    server.Enqueue(reply);
    const auto r = Run(server);
    EXPECT_EQ(r.failure, Failure::kProviderError);
    EXPECT_EQ(r.message, "model crashed");
}

TEST_F(HttpTransportTest, ADroppedConnectionIsTruncation) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("The lamp gutters and", 4);
    reply.drop_after = 2;
    server.Enqueue(reply);
    EXPECT_EQ(Run(server).failure, Failure::kTruncated);
}

TEST_F(HttpTransportTest, AStreamEndingWithoutDoneButFinishedIsAccepted) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("Done enough.");
    reply.send_done = false;
    server.Enqueue(reply);
    EXPECT_TRUE(Run(server).ok());
    EXPECT_EQ(text_, "Done enough.");
}

TEST_F(HttpTransportTest, AStreamEndingWithNeitherIsTruncation) {
    FakeOpenAiServer server;
    FakeReply reply;
    reply.events = {testing::ChunkJson("Half a")};
    reply.send_done = false;
    server.Enqueue(reply);
    EXPECT_EQ(Run(server).failure, Failure::kTruncated);
}

TEST_F(HttpTransportTest, AcceptsAWholeJsonCompletion) {
    FakeOpenAiServer server;
    FakeReply reply;
    reply.content_type = "application/json";
    reply.body = R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Whole."},)"
                 R"("finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2}})";
    server.Enqueue(reply);
    const auto r = Run(server);
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(text_, "Whole.");
    EXPECT_EQ(r.usage->completion_tokens, 2);
}

TEST_F(HttpTransportTest, ARefusedConnectionFailsFast) {
    int port = 0;
    {
        FakeOpenAiServer gone;
        port = gone.Port();
    }
    auto e = ParseBaseUrl("http://127.0.0.1:" + std::to_string(port) + "/v1");
    const auto r = transport_.Stream(*e, Request(), kLimits, {}, {});
    EXPECT_EQ(r.failure, Failure::kConnect);
    EXPECT_LT(r.elapsed, milliseconds(500));
}

TEST_F(HttpTransportTest, CancellingFromAnotherThreadStopsAtOnce) {
    FakeOpenAiServer server;
    auto reply = testing::Streamed("Words that never finish arriving.", 5);
    reply.stall_after = 1;
    server.Enqueue(reply);
    resilience::CancelSource source;
    StreamLimits limits = kLimits;
    limits.stall = milliseconds(5000);
    limits.total = milliseconds(5000);
    std::thread canceller;
    const auto r =
        transport_.Stream(At(server), Request(), limits, source.Token(), [&](std::string_view) {
            canceller = std::thread([&] { source.Cancel(); });
            return true;
        });
    canceller.join();
    EXPECT_EQ(r.failure, Failure::kCancelled) << r.message;
    EXPECT_LT(r.elapsed, milliseconds(1000));
}

TEST_F(HttpTransportTest, AnAlreadyCancelledTokenSendsNothing) {
    FakeOpenAiServer server;
    resilience::CancelSource source;
    source.Cancel();
    EXPECT_EQ(Run(server, kLimits, source.Token()).failure, Failure::kCancelled);
    EXPECT_EQ(server.RequestCount(), 0);
}

TEST_F(HttpTransportTest, TheSinkCanStopTheStream) {
    FakeOpenAiServer server;
    server.Enqueue(testing::Streamed("One. Two. Three. Four.", 5));
    const auto r = transport_.Stream(At(server), Request(), kLimits, {},
                                     [](std::string_view) { return false; });
    EXPECT_EQ(r.failure, Failure::kStopped);
}

TEST_F(HttpTransportTest, GetsTheModelList) {
    FakeOpenAiServer server;
    auto r = transport_.Get(At(server), "/models", milliseconds(500));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("fake-model"), std::string::npos);
    EXPECT_EQ(server.Requests().at(0).target, "/v1/models");
}

// A TLS handshake under sanitizers on a busy machine can take longer than kLimits allow for a
// first token; the TLS tests are about trust, not deadlines.
constexpr StreamLimits kTlsLimits{.connect = milliseconds(5000),
                                  .first_token = milliseconds(5000),
                                  .stall = milliseconds(5000),
                                  .total = milliseconds(10000)};

class HttpTransportTlsTest : public HttpTransportTest {
  protected:
    void SetUp() override {
        cert_ = testing::MakeTestCertificate();
        ca_file_ = std::filesystem::temp_directory_path() /
                   ("tta-test-ca-" + std::to_string(::getpid()) + ".pem");
        std::ofstream(ca_file_) << cert_.cert_pem;
    }
    void TearDown() override { std::filesystem::remove(ca_file_); }
    testing::TestCertificate cert_;
    std::filesystem::path ca_file_;
};

TEST_F(HttpTransportTlsTest, StreamsOverTlsWithATrustedCertificate) {
    FakeOpenAiServer server({.tls_cert_pem = cert_.cert_pem, .tls_key_pem = cert_.key_pem});
    auto endpoint = At(server);
    ASSERT_TRUE(endpoint.tls);
    endpoint.ca_file = ca_file_;
    std::string text;
    const auto r = transport_.Stream(endpoint, Request(), kTlsLimits, {}, [&](std::string_view p) {
        text += p;
        return true;
    });
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(text, "The tide turns, slow and grey, along the quay.");
}

TEST_F(HttpTransportTlsTest, RefusesAnUntrustedCertificate) {
    FakeOpenAiServer server({.tls_cert_pem = cert_.cert_pem, .tls_key_pem = cert_.key_pem});
    const auto r = Run(server, kTlsLimits);
    EXPECT_EQ(r.failure, Failure::kConnect);
    EXPECT_NE(r.message.find("TLS"), std::string::npos) << r.message;
    EXPECT_EQ(server.RequestCount(), 0);
}

}  // namespace
}  // namespace tta::narrative::model
