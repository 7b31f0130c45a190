// Integration tests of the HTTP server over real connections on 127.0.0.1, port 0.
#include "tta/server/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "tta/server/sse.hpp"
#include "tta/server/test_client.hpp"

namespace tta::server {
namespace {

using namespace std::chrono_literals;
using testing::HttpClient;
using testing::StreamItem;

// Waits for something another thread does; fails the test after `limit`.
bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

class ServerTest : public ::testing::Test {
  protected:
    ServerTest() {
        config_.server.port = 0;
        config_.server.threads = 2;
        config_.server.worker_threads = 4;
        config_.server.max_body_bytes = 1024;
        config_.server.max_header_bytes = 2048;
        config_.server.sse_heartbeat = 100ms;
        config_.server.sse_retry = 2500ms;
        config_.server.shutdown_grace = 5s;
        config_.limits.ip_requests_per_second = 1000;
        config_.limits.ip_burst = 1000;

        router_.Add(Method::kGet, "/v1/sessions/{id}/turns/{n}", [](Request& req) {
            return Response::Json(
                200, {{"id", req.Param("id")}, {"n", req.Param("n")}, {"route", req.route}});
        });
        router_.Add(Method::kPost, "/v1/echo", [](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            return Response::Json(200, *body);
        });
        router_.Add(Method::kGet, "/v1/throw",
                    [](Request&) -> Response { throw std::runtime_error("bug"); });
        RouteOptions blocking;
        blocking.blocking = true;
        router_.Add(
            Method::kGet, "/v1/thread",
            [](Request&) {
                return Response::Text(
                    200, std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())));
            },
            blocking);
        router_.Add(Method::kGet, "/v1/io-thread", [](Request&) {
            return Response::Text(
                200, std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())));
        });
        RouteOptions authenticated;
        authenticated.authenticated = true;
        router_.Add(
            Method::kGet, "/v1/me",
            [](Request& req) { return Response::Text(200, req.principal->user_id); },
            authenticated);
        router_.Add(
            Method::kGet, "/v1/events",
            [this](Request& req) {
                std::string user = req.principal->user_id;
                return Response::Stream([this, user](std::shared_ptr<EventStream> s) {
                    std::lock_guard lock(mu_);
                    by_user_[user].push_back(s);
                    streams_.push_back(std::move(s));
                });
            },
            authenticated);
        router_.Add(Method::kGet, "/v1/public-events", [this](Request&) {
            return Response::Stream([this](std::shared_ptr<EventStream> s) {
                std::lock_guard lock(mu_);
                streams_.push_back(std::move(s));
            });
        });
    }

    ~ServerTest() override {
        if (server_) server_->Shutdown();
    }

    void Start() {
        server_ = std::make_unique<Server>(config_, router_, registry_, clock_);
        server_->SetAuthenticator([](const Request& req) -> Result<Principal> {
            const std::string_view auth = req.Header("authorization");
            if (auth.starts_with("Bearer good-")) {
                return Principal{std::string(auth.substr(12)), {"player"}};
            }
            return Error{ErrorCode::kUnauthenticated, "bad token"};
        });
        ASSERT_TRUE(server_->Start());
        ASSERT_GT(server_->Port(), 0);
    }

    std::unique_ptr<HttpClient> Client() { return std::make_unique<HttpClient>(server_->Port()); }

    std::shared_ptr<EventStream> Stream(std::size_t i) {
        EXPECT_TRUE(Eventually([&] {
            std::lock_guard lock(mu_);
            return streams_.size() > i;
        }));
        std::lock_guard lock(mu_);
        return streams_.at(i);
    }

    // The i-th stream the given account opened (streams open in the server's own order).
    std::shared_ptr<EventStream> UserStream(const std::string& user, std::size_t i) {
        EXPECT_TRUE(Eventually([&] {
            std::lock_guard lock(mu_);
            return by_user_[user].size() > i;
        }));
        std::lock_guard lock(mu_);
        return by_user_[user].at(i);
    }

    double Metric(const std::string& series) {
        const std::string text = registry_.Expose();
        const auto at = text.find("\n" + series + " ");
        if (at == std::string::npos) return -1;
        return std::stod(text.substr(at + series.size() + 2));
    }

    Config config_;
    Router router_;
    metrics::Registry registry_;
    ManualClock clock_;
    std::unique_ptr<Server> server_;
    std::mutex mu_;
    std::vector<std::shared_ptr<EventStream>> streams_;
    std::map<std::string, std::vector<std::shared_ptr<EventStream>>> by_user_;
};

TEST_F(ServerTest, HealthReadinessAndMetricsAnswer) {
    Start();
    auto c = Client();
    auto r = c->Send("GET", "/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"status":"ok"})");
    EXPECT_EQ(r->Header("content-type"), "application/json");
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
    EXPECT_FALSE(r->Header("x-request-id").empty());

    r = c->Send("GET", "/readyz");
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"status":"ready"})");

    r = c->Send("GET", "/metrics");
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(
        r->body.find(R"(tta_http_requests_total{route="/healthz",method="GET",code="200"} 1)"),
        std::string::npos)
        << r->body;
    EXPECT_NE(r->body.find(R"(tta_http_request_seconds_count{route="/readyz",method="GET"} 1)"),
              std::string::npos);
    EXPECT_NE(r->body.find("tta_http_open_connections 1"), std::string::npos);
}

TEST_F(ServerTest, EveryServerMetricIsInTheOperationsGuide) {
    Start();
    ASSERT_EQ(Client()->Send("GET", "/healthz")->status, 200);
    std::ifstream in(std::string(TTA_SOURCE_DIR) + "/docs/operations.md");
    ASSERT_TRUE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream exposition(registry_.Expose());
    int families = 0;
    for (std::string line; std::getline(exposition, line);) {
        if (!line.starts_with("# TYPE ")) continue;
        const std::string name = line.substr(7, line.find(' ', 7) - 7);
        EXPECT_NE(doc.find("| `" + name + "` |"), std::string::npos)
            << name << " is missing from docs/operations.md";
        ++families;
    }
    EXPECT_GE(families, 8);
}

TEST(ServerReadiness, AFailingCheckMakesReadyz503) {
    Config config;
    config.server.port = 0;
    config.server.threads = 1;
    Router router;
    metrics::Registry registry;
    SystemClock clock;
    Server server(config, router, registry, clock);
    server.AddReadinessCheck("store", [] { return Status(Error::Unavailable("disk full")); });
    ASSERT_TRUE(server.Start());
    HttpClient c(server.Port());
    auto r = c.Send("GET", "/readyz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->body, R"({"status":"unavailable","check":"store","message":"disk full"})");
    server.Shutdown();
}

TEST_F(ServerTest, PathParametersReachTheHandler) {
    Start();
    auto r = Client()->Send("GET", "/v1/sessions/s%201/turns/7");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"id":"s 1","n":"7","route":"/v1/sessions/{id}/turns/{n}"})");
}

TEST_F(ServerTest, UnknownPathsAre404AndWrongMethods405WithAllow) {
    Start();
    auto c = Client();
    auto r = c->Send("GET", "/v1/nothing");
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->body, R"({"error":{"code":"not_found","message":"no route for /v1/nothing"}})");
    r = c->Send("DELETE", "/v1/echo");
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->Header("allow"), "POST");
    EXPECT_EQ(r->Json().at("error").at("code"), "method_not_allowed");
    r = c->Send("GET", "/v1/sessions/%zz/turns/1");
    EXPECT_EQ(r->status, 400);
    // All on one kept-alive connection.
    EXPECT_EQ(c->Send("GET", "/healthz")->status, 200);
    EXPECT_EQ(Metric(R"(tta_http_requests_total{route="unmatched",method="GET",code="404"})"), 1);
}

TEST_F(ServerTest, HeadAnswersWithHeadersOnly) {
    Start();
    auto c = Client();
    auto r = c->Send("HEAD", "/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Header("content-length"), "15");
    EXPECT_EQ(r->body, "");
    EXPECT_EQ(c->Send("GET", "/healthz")->body, R"({"status":"ok"})");
}

TEST_F(ServerTest, JsonBodiesRoundTrip) {
    Start();
    auto r = Client()->Send("POST", "/v1/echo", R"({"text":"caf\u00e9 \u2713"})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Json().at("text"), "café ✓");
}

TEST_F(ServerTest, MalformedJsonAndInvalidUtf8Are400WithTheErrorBody) {
    Start();
    auto c = Client();
    const std::string bodies[] = {"{\"text\":", "not json", "{\"text\":\"\xC0\xAF\"}",
                                  "{\"text\":\"a\xff\"}", "[1,2]"};
    for (const auto& body : bodies) {
        auto r = c->Send("POST", "/v1/echo", body);
        ASSERT_TRUE(r) << body;
        EXPECT_EQ(r->status, 400) << body;
        EXPECT_EQ(r->Json().at("error").at("code"), "invalid") << body;
        EXPECT_FALSE(r->Json().at("error").at("message").as_string().empty());
    }
    auto r = c->Send("POST", "/v1/echo", "{}", {{"Content-Type", "text/plain"}});
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(c->Send("POST", "/v1/echo", "{}")->status, 200);  // still the same connection
}

TEST_F(ServerTest, OversizedBodiesAre413AndTheConnectionCloses) {
    Start();
    auto c = Client();
    auto r = c->Send("POST", "/v1/echo", "\"" + std::string(2000, 'x') + "\"");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->Json().at("error").at("code"), "too_large");
    EXPECT_EQ(r->Header("connection"), "close");
    EXPECT_TRUE(c->WaitClosed(5s));

    // Chunked bodies are counted as they arrive.
    auto chunked = Client();
    ASSERT_TRUE(chunked->SendRaw(
        "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "400\r\n" +
        std::string(1024, ' ') + "\r\n400\r\n" + std::string(1024, ' ') + "\r\n0\r\n\r\n"));
    r = chunked->ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
    Start();
    auto c = Client();
    auto r = c->Send("GET", "/healthz", "", {{"X-Padding", std::string(4000, 'p')}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_EQ(r->Json().at("error").at("code"), "header_too_large");
}

TEST_F(ServerTest, MalformedHttpIs400) {
    Start();
    auto c = Client();
    ASSERT_TRUE(c->SendRaw("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"));
    auto r = c->ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_TRUE(c->WaitClosed(5s));
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimResponse) {
    Start();
    auto c = Client();
    ASSERT_TRUE(
        c->SendRaw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                   "\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
    auto interim = c->ReadResponse();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(c->SendRaw("{}"));
    auto r = c->ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, AThrowingHandlerIs500CountedAndTheServerCarriesOn) {
    Start();
    auto c = Client();
    auto r = c->Send("GET", "/v1/throw");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(r->Json().at("error").at("code"), "internal");
    EXPECT_EQ(r->body.find("bug"), std::string::npos);  // internals stay in the log
    EXPECT_EQ(Metric("tta_http_internal_errors_total"), 1);
    EXPECT_EQ(c->Send("GET", "/healthz")->status, 200);
}

TEST_F(ServerTest, BlockingHandlersRunOnWorkerThreads) {
    Start();
    auto c = Client();
    const std::string io_thread = c->Send("GET", "/v1/io-thread")->body;
    const std::string worker = c->Send("GET", "/v1/thread")->body;
    EXPECT_NE(io_thread, worker);
}

TEST_F(ServerTest, PerAddressRateLimitAnswers429WithRetryAfterUntilTheClockMoves) {
    config_.limits.ip_requests_per_second = 1;
    config_.limits.ip_burst = 3;
    Start();
    auto c = Client();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c->Send("GET", "/v1/io-thread")->status, 200) << i;
    auto r = c->Send("GET", "/v1/io-thread");
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->Header("retry-after"), "1");
    EXPECT_EQ(r->Json().at("error").at("code"), "rate_limited");
    EXPECT_EQ(c->Send("GET", "/v1/unknown")->status, 429);  // scanning counts too
    EXPECT_EQ(c->Send("GET", "/healthz")->status, 200);     // probes are never limited
    EXPECT_EQ(c->Send("GET", "/metrics")->status, 200);
    clock_.Advance(1s);
    EXPECT_EQ(c->Send("GET", "/v1/io-thread")->status, 200);
    EXPECT_EQ(c->Send("GET", "/v1/io-thread")->status, 429);
    EXPECT_EQ(Metric(R"(tta_http_rate_limited_total{scope="address"})"), 3);
}

TEST_F(ServerTest, AuthenticatedRoutesNeedATokenAndHaveAPerAccountLimit) {
    config_.limits.account_requests_per_second = 1;
    config_.limits.account_burst = 2;
    Start();
    auto c = Client();
    auto r = c->Send("GET", "/v1/me");
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->Header("www-authenticate"), "Bearer");
    EXPECT_EQ(r->Json().at("error").at("code"), "unauthenticated");
    r = c->Send("GET", "/v1/me", "", {{"Authorization", "Bearer forged"}});
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->Header("www-authenticate"), R"(Bearer error="invalid_token")");

    const testing::Headers mira = {{"Authorization", "Bearer good-mira"}};
    r = c->Send("GET", "/v1/me", "", mira);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "mira");
    EXPECT_EQ(c->Send("GET", "/v1/me", "", mira)->status, 200);
    r = c->Send("GET", "/v1/me", "", mira);
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->Header("retry-after"), "1");
    EXPECT_EQ(c->Send("GET", "/v1/me", "", {{"Authorization", "Bearer good-ash"}})->status, 200);
    clock_.Advance(1s);
    EXPECT_EQ(c->Send("GET", "/v1/me", "", mira)->status, 200);
}

TEST_F(ServerTest, EventStreamsAreFramedPerTheSpecAndPushedFromOtherThreads) {
    Start();
    auto c = Client();
    auto head = c->OpenStream("/v1/public-events", {{"Last-Event-ID", "41"}});
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->Header("content-type"), "text/event-stream");
    EXPECT_EQ(head->Header("cache-control"), "no-cache");
    auto stream = Stream(0);
    EXPECT_EQ(stream->LastEventId(), "41");
    EXPECT_TRUE(stream->IsOpen());

    std::thread pusher([&] {
        EXPECT_TRUE(stream->Send({"42", "narrative", "You stand at the\nriver's edge."}));
        EXPECT_TRUE(stream->Send({"43", "turn", R"({"number":3})"}));
    });
    pusher.join();
    auto e = c->NextEvent();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, StreamItem::Kind::kEvent);
    EXPECT_EQ(e->id, "42");
    EXPECT_EQ(e->event, "narrative");
    EXPECT_EQ(e->data, "You stand at the\nriver's edge.");
    e = c->NextEvent();
    EXPECT_EQ(e->id, "43");
    EXPECT_EQ(e->event, "turn");
    EXPECT_EQ(e->data, R"({"number":3})");
    EXPECT_EQ(Metric("tta_http_open_streams"), 1);

    // Idle streams get heartbeat comments.
    auto item = c->NextItem(5s);
    ASSERT_TRUE(item);
    EXPECT_EQ(item->kind, StreamItem::Kind::kComment);
    EXPECT_EQ(item->comment, "heartbeat");

    std::promise<void> closed;
    stream->OnClose([&] { closed.set_value(); });
    stream->Close();
    EXPECT_FALSE(stream->Send({"44", "", "late"}));
    e = c->NextEvent();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, StreamItem::Kind::kEnd);
    EXPECT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(Eventually([&] { return Metric("tta_http_open_streams") == 0; }));
}

TEST_F(ServerTest, HeadOnAStreamRouteAnswersHeadersWithoutAStream) {
    Start();
    auto c = Client();
    auto r = c->Send("HEAD", "/v1/public-events");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Header("content-type"), "text/event-stream");
    EXPECT_EQ(c->Send("GET", "/healthz")->status, 200);
    std::lock_guard lock(mu_);
    EXPECT_TRUE(streams_.empty());
}

TEST_F(ServerTest, AStreamEndsWhenTheClientLeaves) {
    Start();
    {
        auto c = Client();
        ASSERT_EQ(c->OpenStream("/v1/public-events")->status, 200);
        Stream(0);
    }
    auto stream = Stream(0);
    EXPECT_TRUE(Eventually([&] { return !stream->IsOpen(); }));
    EXPECT_TRUE(Eventually([&] { return Metric("tta_http_open_streams") == 0; }));
    EXPECT_TRUE(Eventually([&] { return Metric("tta_http_open_connections") == 0; }));
}

TEST_F(ServerTest, StreamsPerAccountAreCapped) {
    config_.limits.max_streams_per_account = 2;
    Start();
    const testing::Headers mira = {{"Authorization", "Bearer good-mira"}};
    auto a = Client();
    auto b = Client();
    auto c = Client();
    EXPECT_EQ(a->OpenStream("/v1/events", mira)->status, 200);
    EXPECT_EQ(b->OpenStream("/v1/events", mira)->status, 200);
    auto refused = c->OpenStream("/v1/events", mira);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 429);
    EXPECT_EQ(Client()->OpenStream("/v1/events", {{"Authorization", "Bearer good-ash"}})->status,
              200);
    EXPECT_EQ(Metric(R"(tta_http_requests_total{route="/v1/events",method="GET",code="429"})"), 1);
    // Close both of mira's streams from the server side; whichever order they opened in,
    // each client sees its stream end and the cap frees up.
    UserStream("mira", 0)->Close();
    UserStream("mira", 1)->Close();
    EXPECT_EQ(a->NextEvent()->kind, StreamItem::Kind::kEnd);
    EXPECT_EQ(b->NextEvent()->kind, StreamItem::Kind::kEnd);
    EXPECT_TRUE(
        Eventually([&] { return Client()->OpenStream("/v1/events", mira)->status == 200; }));
}

TEST_F(ServerTest, IdleConnectionsAndSlowClientsAreClosed) {
    config_.server.idle_timeout = 200ms;
    config_.server.request_timeout = 300ms;
    Start();
    auto idle = Client();
    EXPECT_EQ(idle->Send("GET", "/healthz")->status, 200);
    EXPECT_TRUE(idle->WaitClosed(5s));

    auto slow = Client();
    ASSERT_TRUE(slow->SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n"));  // never finished
    EXPECT_TRUE(slow->WaitClosed(5s));
}

TEST_F(ServerTest, ConnectionsBeyondTheCapAreRefusedWith503) {
    config_.server.max_connections = 2;
    Start();
    auto a = Client();
    auto b = Client();
    EXPECT_EQ(a->Send("GET", "/healthz")->status, 200);
    EXPECT_EQ(b->Send("GET", "/healthz")->status, 200);
    auto c = Client();
    auto r = c->ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->Header("retry-after"), "1");
    EXPECT_EQ(r->Json().at("error").at("code"), "unavailable");
    EXPECT_EQ(Metric("tta_http_connections_rejected_total"), 1);
    a.reset();
    EXPECT_TRUE(Eventually([&] { return Client()->Send("GET", "/healthz")->status == 200; }));
}

TEST_F(ServerTest, ManyConcurrentConnectionsAreAllServed) {
    config_.limits.ip_burst = 1e6;
    Start();
    constexpr int kThreads = 8;
    constexpr int kConnectionsPerThread = 40;
    constexpr int kRequests = 5;
    std::atomic<int> ok{0};
    std::atomic<int> peak{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            std::vector<std::unique_ptr<HttpClient>> clients;
            for (int i = 0; i < kConnectionsPerThread; ++i) clients.push_back(Client());
            for (int round = 0; round < kRequests; ++round) {
                for (auto& c : clients) {
                    auto r = c->Send("POST", "/v1/echo", R"({"round":1})");
                    if (r && r->status == 200) ok.fetch_add(1);
                }
            }
            const int open = static_cast<int>(Metric("tta_http_open_connections"));
            int seen = peak.load();
            while (open > seen && !peak.compare_exchange_weak(seen, open)) {
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kThreads * kConnectionsPerThread * kRequests);
    EXPECT_GE(peak.load(), kConnectionsPerThread);
    EXPECT_EQ(Metric(R"(tta_http_requests_total{route="/v1/echo",method="POST",code="200"})"),
              kThreads * kConnectionsPerThread * kRequests);
    EXPECT_EQ(Metric("tta_http_connections_accepted_total"), kThreads * kConnectionsPerThread);
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequestsClosesIdleOnesAndHintsStreamsToRetry) {
    std::promise<void> started;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    RouteOptions blocking;
    blocking.blocking = true;
    router_.Add(
        Method::kPost, "/v1/slow",
        [&](Request&) {
            started.set_value();
            released.wait();
            return Response::Json(200, {{"done", true}});
        },
        blocking);
    Start();

    auto idle = Client();
    EXPECT_EQ(idle->Send("GET", "/healthz")->status, 200);
    auto streaming = Client();
    ASSERT_EQ(streaming->OpenStream("/v1/public-events")->status, 200);
    auto stream = Stream(0);
    auto in_flight = Client();
    std::future<Result<testing::ClientResponse>> slow_response =
        std::async(std::launch::async, [&] { return in_flight->Send("POST", "/v1/slow", "{}"); });
    started.get_future().wait();

    std::thread waiter([&] { server_->Shutdown(); });

    // The stream is told when to come back, then ends.
    auto item = streaming->NextItem();
    while (item && item->kind == StreamItem::Kind::kComment) item = streaming->NextItem();
    ASSERT_TRUE(item);
    EXPECT_EQ(item->kind, StreamItem::Kind::kRetry);
    EXPECT_EQ(item->retry_ms, 2500);
    EXPECT_EQ(streaming->NextItem()->kind, StreamItem::Kind::kEnd);
    EXPECT_FALSE(stream->IsOpen());
    // The idle keep-alive connection is closed and no new connection is accepted.
    EXPECT_TRUE(idle->WaitClosed(5s));
    EXPECT_TRUE(Eventually([&] { return !Client()->Connected(); }));

    // The request in flight still gets its answer, with Connection: close.
    EXPECT_EQ(slow_response.wait_for(50ms), std::future_status::timeout);
    release.set_value();
    auto r = slow_response.get();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"done":true})");
    EXPECT_EQ(r->Header("connection"), "close");
    waiter.join();
    server_.reset();
}

TEST_F(ServerTest, ShutdownCutsRequestsThatOutlastTheGrace) {
    config_.server.shutdown_grace = 100ms;
    std::promise<void> started;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    RouteOptions blocking;
    blocking.blocking = true;
    router_.Add(
        Method::kPost, "/v1/slow",
        [&](Request&) {
            started.set_value();
            released.wait();
            return Response::Json(200, {{"done", true}});
        },
        blocking);
    Start();
    auto in_flight = Client();
    auto slow_response =
        std::async(std::launch::async, [&] { return in_flight->Send("POST", "/v1/slow", "{}"); });
    started.get_future().wait();
    std::thread waiter([&] { server_->Shutdown(); });
    // The connection is cut after the grace, before the handler finishes.
    auto r = slow_response.get();
    EXPECT_FALSE(r);
    release.set_value();  // the worker finishes; Shutdown waits for it, then returns
    waiter.join();
}

TEST_F(ServerTest, SigtermShutsTheServerDown) {
    server_ = std::make_unique<Server>(config_, router_, registry_, clock_);
    ASSERT_TRUE(server_->Start(/*handle_signals=*/true));
    auto c = Client();
    EXPECT_EQ(c->Send("GET", "/healthz")->status, 200);
    std::raise(SIGTERM);
    server_->Wait();  // returns because the signal asked for shutdown
    EXPECT_TRUE(c->WaitClosed(5s));
    server_.reset();
}

}  // namespace
}  // namespace tta::server
