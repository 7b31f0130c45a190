// The only translation unit of the server that includes Beast and Asio (STYLE.md: one such TU
// costs ~16 s to compile on this machine). Everything route handlers need is in plain headers.
#include "tta/server/server.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "tta/core/rng.hpp"
#include "tta/server/rate_limit.hpp"
#include "tta/server/sse.hpp"

namespace tta::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
// Unsent event-stream bytes beyond which a client counts as too slow and is cut off; it
// reconnects with Last-Event-ID and catches up from the store.
constexpr std::size_t kMaxStreamBacklog = 1 << 20;
// After refusing a request whose body we did not read, how long to keep reading (and
// discarding) so that closing does not reset the connection before the client reads the
// answer.
constexpr milliseconds kLinger{1000};
constexpr std::size_t kLingerBytes = 1 << 20;

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool IsSafeRequestId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

// The per-route cells, found once: latency by route and method, counts by status.
struct RouteMetrics {
    std::string route;
    std::string method;
    metrics::CounterFamily* requests = nullptr;
    metrics::Histogram* latency = nullptr;
    std::array<std::atomic<metrics::Counter*>, 600> by_status{};

    void Record(int status, double seconds) {
        if (status < 100 || status >= 600) status = 500;
        metrics::Counter* c =
            by_status[static_cast<std::size_t>(status)].load(std::memory_order_acquire);
        if (c == nullptr) {
            const std::string code = std::to_string(status);
            c = &requests->With({route, method, code});
            by_status[static_cast<std::size_t>(status)].store(c, std::memory_order_release);
        }
        c->Inc();
        latency->Observe(seconds);
    }
};

class StreamImpl final : public EventStream {
  public:
    StreamImpl(std::string last_event_id, std::function<void()> wake)
        : last_event_id_(std::move(last_event_id)), wake_(std::move(wake)) {}

    bool Send(const SseEvent& event) override {
        std::string text = FormatSseEvent(event);
        {
            std::lock_guard lock(mu_);
            if (closing_ || ended_) return false;
            if (queue_.size() + text.size() > kMaxStreamBacklog) {
                closing_ = true;  // too slow: cut it off, it will resume from its last id
                queue_.clear();
            } else {
                queue_ += text;
            }
        }
        wake_();
        return true;
    }

    void Close() override {
        {
            std::lock_guard lock(mu_);
            closing_ = true;
        }
        wake_();
    }

    void CloseWithRetry(milliseconds retry) {
        {
            std::lock_guard lock(mu_);
            if (!closing_) retry_ = retry;
            closing_ = true;
        }
        wake_();
    }

    bool IsOpen() const override {
        std::lock_guard lock(mu_);
        return !closing_ && !ended_;
    }

    void OnClose(std::function<void()> callback) override {
        {
            std::lock_guard lock(mu_);
            if (!ended_) {
                on_close_.push_back(std::move(callback));
                return;
            }
        }
        callback();
    }

    const std::string& LastEventId() const override { return last_event_id_; }

    struct Batch {
        std::string data;
        bool closing = false;
        std::optional<milliseconds> retry;
    };
    Batch Take() {
        std::lock_guard lock(mu_);
        Batch b{std::move(queue_), closing_, retry_};
        queue_.clear();
        return b;
    }

    void End() {
        std::vector<std::function<void()>> callbacks;
        {
            std::lock_guard lock(mu_);
            if (ended_) return;
            ended_ = true;
            closing_ = true;
            callbacks.swap(on_close_);
        }
        for (auto& cb : callbacks) cb();
    }

  private:
    const std::string last_event_id_;
    const std::function<void()> wake_;
    mutable std::mutex mu_;
    std::string queue_;
    bool closing_ = false;
    bool ended_ = false;
    std::optional<milliseconds> retry_;
    std::vector<std::function<void()>> on_close_;
};

}  // namespace

class Connection;

class Server::Impl {
  public:
    Impl(const Config& config, Router& router, metrics::Registry& registry, const Clock& clock);
    ~Impl();

    Status Start(bool handle_signals);
    void RequestShutdown();
    void Wait();

    // Called by connections.
    void Unregister(std::uint64_t id);
    bool AcquireStream(const std::string& account);
    void ReleaseStream(const std::string& account);
    RouteMetrics& MetricsFor(const Route* route, Method method);
    void CountInternalError() { internal_errors_.Inc(); }
    std::string NextRequestId() {
        return request_id_prefix_ + std::to_string(next_request_.fetch_add(1));
    }

    const Config config_;
    Router& router_;
    metrics::Registry& registry_;
    Authenticator authenticator_;
    std::vector<std::pair<std::string, std::function<Status()>>> readiness_;
    RateLimiter ip_limiter_;
    RateLimiter account_limiter_;
    std::atomic<bool> draining_{false};
    std::atomic<int> port_{0};

    metrics::CounterFamily& requests_;
    metrics::HistogramFamily& latency_;
    metrics::Gauge& open_connections_;
    metrics::Gauge& open_streams_;
    metrics::Counter& accepted_;
    metrics::Counter& rejected_connections_;
    metrics::Counter& internal_errors_;
    metrics::Counter& limited_by_ip_;
    metrics::Counter& limited_by_account_;

    std::unique_ptr<net::io_context> ioc_;
    std::unique_ptr<net::thread_pool> pool_;

  private:
    net::awaitable<void> AcceptLoop();
    void Drain();

    std::vector<std::unique_ptr<RouteMetrics>> route_metrics_;  // by Route::index
    std::mutex unmatched_mu_;
    std::map<std::string, std::unique_ptr<RouteMetrics>> unmatched_;  // by method

    std::string request_id_prefix_;
    std::atomic<std::uint64_t> next_request_{1};

    std::mutex conn_mu_;
    std::condition_variable conn_cv_;
    std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
    std::uint64_t next_connection_ = 1;

    std::mutex stream_mu_;
    std::unordered_map<std::string, std::size_t> streams_per_account_;

    std::mutex life_mu_;
    std::condition_variable life_cv_;
    bool started_ = false;
    bool shutdown_requested_ = false;
    bool stopping_ = false;
    bool stopped_ = false;

    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
    std::optional<tcp::acceptor> acceptor_;
    std::optional<net::strand<net::io_context::executor_type>> accept_strand_;
    std::optional<net::signal_set> signals_;
    std::vector<std::thread> threads_;
};

// One client connection: a coroutine on its own strand that reads requests, dispatches them
// and writes responses until the client leaves, a timeout fires or the server drains.
class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(Server::Impl& server, tcp::socket socket, std::uint64_t id)
        : server_(server), id_(id), stream_(std::move(socket)), timer_(stream_.get_executor()) {
        beast::error_code ec;
        const auto remote = stream_.socket().remote_endpoint(ec);
        client_ip_ = ec ? "unknown" : remote.address().to_string();
        server_.open_connections_.Inc();
    }

    ~Connection() {
        if (sse_) sse_->End();  // the server stopped with the stream open
        server_.open_connections_.Dec();
        server_.Unregister(id_);
    }

    net::any_io_executor Executor() { return stream_.get_executor(); }

    net::awaitable<void> Run(std::shared_ptr<Connection> self);

    // From any thread.
    void BeginShutdown() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            switch (self->state_) {
                case State::kIdle:
                    self->stream_.cancel();
                    break;
                case State::kStreaming:
                    if (self->sse_)
                        self->sse_->CloseWithRetry(self->server_.config_.server.sse_retry);
                    break;
                case State::kBusy:
                    break;  // answers with Connection: close, then ends
            }
        });
    }

    void ForceClose() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
            self->stream_.socket().close(ec);
            self->timer_.cancel();
        });
    }

  private:
    enum class State { kIdle, kBusy, kStreaming };

    Request Convert(http::request<http::string_body>&& in);
    net::awaitable<Response> Dispatch(Request& req, RouteMetrics*& metrics);
    net::awaitable<bool> Write(const Request& req, Response& res, bool keep_alive);
    net::awaitable<void> Refuse(beast::error_code ec);
    net::awaitable<void> Linger();
    // Sends an event stream until it ends; returns the status it answered with.
    net::awaitable<int> Stream(std::shared_ptr<Connection> self, Request& req, Response& res);
    net::awaitable<void> WatchPeer(std::shared_ptr<Connection> self);
    // A blocking route's handler on the worker pool, with req.cancel tied to the client.
    net::awaitable<Response> RunBlocking(Request& req, const Route& route);
    net::awaitable<bool> WriteChunk(std::string_view data);

    Server::Impl& server_;
    const std::uint64_t id_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    net::steady_timer timer_;  // event streams: heartbeat and wake-up
    std::string client_ip_;
    State state_ = State::kIdle;
    std::shared_ptr<StreamImpl> sse_;
    bool peer_gone_ = false;
    std::atomic<bool> wake_pending_{false};
};

net::awaitable<void> Connection::Run(std::shared_ptr<Connection> self) {
    const ServerConfig& cfg = server_.config_.server;
    for (;;) {
        state_ = State::kIdle;
        if (server_.draining_.load()) break;
        if (buffer_.size() == 0) {
            stream_.expires_after(cfg.idle_timeout);
            auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kNoThrow);
            if (ec) break;
            buffer_.commit(n);
        }
        state_ = State::kBusy;

        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(cfg.max_header_bytes));
        parser.body_limit(cfg.max_body_bytes);
        stream_.expires_after(cfg.request_timeout);
        {
            auto [ec, n] = co_await http::async_read_header(stream_, buffer_, parser, kNoThrow);
            if (ec) {
                co_await Refuse(ec);
                break;
            }
        }
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
            http::response<http::empty_body> go_on{http::status::continue_, 11};
            auto [ec, n] = co_await http::async_write(stream_, go_on, kNoThrow);
            if (ec) break;
        }
        if (!parser.is_done()) {
            auto [ec, n] = co_await http::async_read(stream_, buffer_, parser, kNoThrow);
            if (ec) {
                co_await Refuse(ec);
                break;
            }
        }
        const bool client_keep_alive = parser.get().keep_alive();
        Request req = Convert(parser.release());

        const auto start = std::chrono::steady_clock::now();
        RouteMetrics* metrics = nullptr;
        Response res = co_await Dispatch(req, metrics);
        const auto seconds = [&] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
        if (res.on_stream && req.method == Method::kHead) {
            res.on_stream = nullptr;  // the headers of a stream, and no stream
            res.headers.emplace_back("Cache-Control", "no-cache");
        }
        if (res.on_stream) {
            metrics->Record(co_await Stream(self, req, res), seconds());
            break;
        }
        const int status = res.status;
        const bool keep_alive = client_keep_alive && !server_.draining_.load();
        const bool written = co_await Write(req, res, keep_alive);
        metrics->Record(status, seconds());
        if (!written || !keep_alive) break;
    }
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
}

Request Connection::Convert(http::request<http::string_body>&& in) {
    Request req;
    req.method = ParseMethod(std::string_view(in.method_string()));
    req.target = std::string(in.target());
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    req.headers.reserve(16);
    for (const auto& field : in) {
        req.headers.emplace_back(Lower(std::string_view(field.name_string())),
                                 std::string(field.value()));
    }
    req.body = std::move(in.body());
    req.client_ip = client_ip_;
    if (server_.config_.server.trust_forwarded_for) {
        std::string_view xff = req.Header("x-forwarded-for");
        if (!xff.empty()) {
            const auto comma = xff.rfind(',');
            if (comma != std::string_view::npos) xff.remove_prefix(comma + 1);
            const auto b = xff.find_first_not_of(' ');
            const auto e = xff.find_last_not_of(' ');
            if (b != std::string_view::npos) req.client_ip = std::string(xff.substr(b, e - b + 1));
        }
    }
    const std::string_view given_id = req.Header("x-request-id");
    req.request_id = IsSafeRequestId(given_id) ? std::string(given_id) : server_.NextRequestId();
    return req;
}

net::awaitable<Response> Connection::Dispatch(Request& req, RouteMetrics*& metrics) {
    const RouteMatch match = server_.router_.Find(req.method, req.path);
    metrics = &server_.MetricsFor(match.route, req.method);
    // The per-address limit comes first, for paths no route knows too (scanners), except on
    // routes exempt from it (probes, metrics).
    if (match.kind != RouteMatch::Kind::kFound || match.route->options.rate_limited) {
        const auto d = server_.ip_limiter_.Take(req.client_ip);
        if (!d.allowed) {
            server_.limited_by_ip_.Inc();
            co_return Response(Error{ErrorCode::kRateLimited, "too many requests"})
                .WithHeader("Retry-After",
                            std::to_string(RateLimiter::RetryAfterSeconds(d.retry_after)));
        }
    }
    switch (match.kind) {
        case RouteMatch::Kind::kFound:
            break;
        case RouteMatch::Kind::kNotFound:
            co_return Response(Error::NotFound("no route for " + req.path));
        case RouteMatch::Kind::kBadPath:
            co_return Response(Error::Invalid("malformed request path"));
        case RouteMatch::Kind::kMethodNotAllowed:
            co_return Response::ErrorBody(405, "method_not_allowed",
                                          std::string(MethodName(req.method)) +
                                              " is not allowed here; allowed: " + match.allow)
                .WithHeader("Allow", match.allow);
    }
    const Route& route = *match.route;
    req.route = route.pattern;
    req.params = match.params;

    if (route.options.authenticated) {
        if (!server_.authenticator_) {
            co_return Response(Error{ErrorCode::kUnauthenticated, "authentication required"})
                .WithHeader("WWW-Authenticate", "Bearer");
        }
        auto principal = server_.authenticator_(req);
        if (!principal) {
            Error e = principal.error();
            if (e.code != ErrorCode::kUnauthenticated) co_return Response(e);
            co_return Response(e).WithHeader(
                "WWW-Authenticate",
                req.Header("authorization").empty() ? "Bearer" : "Bearer error=\"invalid_token\"");
        }
        req.principal = std::move(*principal);
        const auto d = server_.account_limiter_.Take(req.principal->user_id);
        if (!d.allowed) {
            server_.limited_by_account_.Inc();
            co_return Response(Error{ErrorCode::kRateLimited, "too many requests"})
                .WithHeader("Retry-After",
                            std::to_string(RateLimiter::RetryAfterSeconds(d.retry_after)));
        }
    }

    // The one last-resort catch (STYLE.md, "Errors"): handlers report failures as tta::Error,
    // so anything thrown here is a bug; answer 500, count it and keep serving.
    std::string failure;
    try {
        if (route.options.blocking) co_return co_await RunBlocking(req, route);
        co_return route.handler(req);
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown exception";
    }
    server_.CountInternalError();
    spdlog::error("request {} {} {} failed: {}", req.request_id, MethodName(req.method),
                  route.pattern, failure);
    co_return Response(Error::Internal("internal error (request " + req.request_id + ")"));
}

net::awaitable<bool> Connection::Write(const Request& req, Response& res, bool keep_alive) {
    http::response<http::string_body> out{static_cast<http::status>(res.status), 11};
    if (!res.content_type.empty()) out.set(http::field::content_type, res.content_type);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("X-Request-Id", req.request_id);
    for (const auto& [name, value] : res.headers) out.insert(name, value);
    out.keep_alive(keep_alive);
    out.body() = std::move(res.body);
    out.prepare_payload();
    if (req.method == Method::kHead) out.body().clear();  // Content-Length stays
    stream_.expires_after(server_.config_.server.request_timeout);
    auto [ec, n] = co_await http::async_write(stream_, out, kNoThrow);
    co_return !ec;
}

net::awaitable<void> Connection::Refuse(beast::error_code ec) {
    int status = 0;
    Response res;
    if (ec == http::error::header_limit) {
        status = 431;
        res = Response::ErrorBody(431, "header_too_large",
                                  "request headers exceed " +
                                      std::to_string(server_.config_.server.max_header_bytes) +
                                      " bytes");
    } else if (ec == http::error::body_limit) {
        status = 413;
        res = Response(Error{ErrorCode::kTooLarge,
                             "request body exceeds " +
                                 std::to_string(server_.config_.server.max_body_bytes) + " bytes"});
    } else if (ec.category() == beast::error_code(http::error::bad_target).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
        status = 400;
        res = Response(Error::Invalid("malformed HTTP request"));
    } else {
        co_return;  // the client left or timed out: nobody to answer
    }
    Request req;
    req.request_id = server_.NextRequestId();
    server_.MetricsFor(nullptr, Method::kOther).Record(status, 0);
    if (co_await Write(req, res, false)) co_await Linger();
}

net::awaitable<void> Connection::Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLinger);
    std::array<char, kReadChunk> sink;
    std::size_t total = 0;
    while (total < kLingerBytes) {
        auto [e, n] = co_await stream_.async_read_some(net::buffer(sink), kNoThrow);
        if (e) break;
        total += n;
    }
}

net::awaitable<bool> Connection::WriteChunk(std::string_view data) {
    stream_.expires_after(server_.config_.server.request_timeout);
    auto [ec, n] =
        co_await net::async_write(stream_, http::make_chunk(net::buffer(data)), kNoThrow);
    co_return !ec;
}

// Whether the client has closed its side or the connection failed, without reading: bytes of
// a pipelined request waiting to be read are not a departure.
static bool PeerClosed(int fd) {
    pollfd p{fd, POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

net::awaitable<Response> Connection::RunBlocking(Request& req, const Route& route) {
    // The handler runs on the worker pool; meanwhile this connection's executor looks at the
    // socket every kPeerCheck and cancels the request's token when the client has gone, so a
    // turn waiting on a model stops waiting (its authored text is committed all the same).
    struct Run {
        explicit Run(net::any_io_executor ex) : wake(std::move(ex)) {}
        net::steady_timer wake;
        std::atomic<bool> done{false};
        std::optional<Response> response;
        std::exception_ptr failure;
    };
    auto run = std::make_shared<Run>(stream_.get_executor());
    resilience::CancelSource cancel;
    req.cancel = cancel.Token();
    net::post(server_.pool_->get_executor(), [run, &req, &route] {
        try {
            run->response = route.handler(req);
        } catch (...) {
            run->failure = std::current_exception();
        }
        run->done = true;
        net::post(run->wake.get_executor(), [run] { run->wake.cancel(); });
    });
    constexpr auto kPeerCheck = std::chrono::milliseconds(100);
    while (!run->done) {
        run->wake.expires_after(kPeerCheck);
        co_await run->wake.async_wait(kNoThrow);
        if (!run->done && !cancel.IsCancelled() && PeerClosed(stream_.socket().native_handle())) {
            cancel.Cancel();
        }
    }
    if (run->failure) std::rethrow_exception(run->failure);
    co_return std::move(*run->response);
}

net::awaitable<void> Connection::WatchPeer([[maybe_unused]] std::shared_ptr<Connection> self) {
    // While a stream only writes, this notices the client leaving (EOF or reset) at once
    // rather than at the next heartbeat. Stray bytes from the client are discarded.
    std::array<char, 512> sink;
    for (;;) {
        auto [ec] = co_await stream_.socket().async_wait(tcp::socket::wait_read, kNoThrow);
        if (!ec) {
            beast::error_code read_ec;
            const std::size_t n = stream_.socket().available(read_ec) > 0
                                      ? stream_.socket().read_some(net::buffer(sink), read_ec)
                                      : 0;
            if (!read_ec && n > 0) continue;
        }
        peer_gone_ = true;
        timer_.cancel();
        co_return;
    }
}

net::awaitable<int> Connection::Stream(std::shared_ptr<Connection> self, Request& req,
                                       Response& res) {
    const std::string account = req.principal ? req.principal->user_id : "";
    if (!account.empty() && !server_.AcquireStream(account)) {
        Response refused(Error{ErrorCode::kRateLimited, "too many open event streams"});
        refused.WithHeader("Retry-After", "5");
        co_await Write(req, refused, false);
        co_return 429;
    }

    http::response<http::empty_body> head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    head.set("X-Content-Type-Options", "nosniff");
    head.set("X-Accel-Buffering", "no");  // nginx: pass events through at once
    head.set("X-Request-Id", req.request_id);
    for (const auto& [name, value] : res.headers) head.insert(name, value);
    head.chunked(true);
    http::response_serializer<http::empty_body> serializer{head};
    stream_.expires_after(server_.config_.server.request_timeout);
    auto [ec, n] = co_await http::async_write_header(stream_, serializer, kNoThrow);
    if (ec) {
        if (!account.empty()) server_.ReleaseStream(account);
        co_return 200;  // the client left as the stream opened
    }

    // Handlers may keep the stream after the connection (and the server) are gone, so the
    // wake-up holds nothing of Asio's, only a weak reference to the connection.
    std::weak_ptr<Connection> weak = self;
    auto wake = [weak] {
        auto c = weak.lock();
        if (!c || c->wake_pending_.exchange(true)) return;
        net::post(c->Executor(), [c] {
            c->wake_pending_.store(false);
            c->timer_.cancel();
        });
    };
    sse_ = std::make_shared<StreamImpl>(std::string(req.Header("last-event-id")), wake);
    state_ = State::kStreaming;
    server_.open_streams_.Inc();
    net::co_spawn(stream_.get_executor(), WatchPeer(self), net::detached);

    try {
        res.on_stream(sse_);
    } catch (const std::exception& e) {
        server_.CountInternalError();
        spdlog::error("request {}: event stream handler failed: {}", req.request_id, e.what());
        sse_->Close();
    }
    if (server_.draining_.load()) sse_->CloseWithRetry(server_.config_.server.sse_retry);

    const auto heartbeat = FormatSseComment("heartbeat");
    while (!peer_gone_) {
        StreamImpl::Batch batch = sse_->Take();
        if (!batch.data.empty()) {
            if (!co_await WriteChunk(batch.data)) break;
            continue;
        }
        if (batch.closing) {
            if (batch.retry && !co_await WriteChunk(FormatSseRetry(*batch.retry))) break;
            stream_.expires_after(server_.config_.server.request_timeout);
            co_await net::async_write(stream_, http::make_chunk_last(), kNoThrow);
            break;
        }
        timer_.expires_after(server_.config_.server.sse_heartbeat);
        auto [wait_ec] = co_await timer_.async_wait(kNoThrow);
        if (!wait_ec && !peer_gone_ && !co_await WriteChunk(heartbeat)) break;
    }
    sse_->End();
    server_.open_streams_.Dec();
    if (!account.empty()) server_.ReleaseStream(account);
    co_return 200;
}

Server::Impl::Impl(const Config& config, Router& router, metrics::Registry& registry,
                   const Clock& clock)
    : config_(config),
      router_(router),
      registry_(registry),
      ip_limiter_(config.limits.ip_requests_per_second, config.limits.ip_burst, clock),
      account_limiter_(config.limits.account_requests_per_second, config.limits.account_burst,
                       clock),
      requests_(registry.AddCounter("tta_http_requests_total",
                                    "HTTP requests answered, by route pattern, method and status.",
                                    {"route", "method", "code"})),
      latency_(registry.AddHistogram(
          "tta_http_request_seconds",
          "Time from a request's arrival to its response written, by route and method.",
          {"route", "method"})),
      open_connections_(
          registry.AddGauge("tta_http_open_connections", "Open client connections.").With({})),
      open_streams_(
          registry.AddGauge("tta_http_open_streams", "Open server-sent event streams.").With({})),
      accepted_(
          registry.AddCounter("tta_http_connections_accepted_total", "Client connections accepted.")
              .With({})),
      rejected_connections_(registry
                                .AddCounter("tta_http_connections_rejected_total",
                                            "Connections refused because server.max_connections "
                                            "were open.")
                                .With({})),
      internal_errors_(registry
                           .AddCounter("tta_http_internal_errors_total",
                                       "Requests answered 500 because a handler threw.")
                           .With({})),
      limited_by_ip_(registry
                         .AddCounter("tta_http_rate_limited_total",
                                     "Requests refused with 429, by the limit that refused them.",
                                     {"scope"})
                         .With({"address"})),
      limited_by_account_(registry
                              .AddCounter("tta_http_rate_limited_total",
                                          "Requests refused with 429, by the limit that refused "
                                          "them.",
                                          {"scope"})
                              .With({"account"})) {
    Rng rng(RandomSeed());
    static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 8; ++i) request_id_prefix_ += kAlphabet[rng.Below(36)];
    request_id_prefix_ += '-';

    RouteOptions internal;
    internal.rate_limited = false;
    router_.Add(
        Method::kGet, "/healthz",
        [](Request&) {
            return Response::Json(200, boost::json::object{{"status", "ok"}});
        },
        internal);
    RouteOptions readiness = internal;
    readiness.blocking = true;  // checks may touch the store
    router_.Add(
        Method::kGet, "/readyz",
        [this](Request&) {
            if (draining_.load()) {
                return Response::Json(503, boost::json::object{{"status", "draining"}});
            }
            for (const auto& [name, check] : readiness_) {
                const Status s = check();
                if (!s) {
                    return Response::Json(503, boost::json::object{{"status", "unavailable"},
                                                                   {"check", name},
                                                                   {"message", s.error().message}});
                }
            }
            return Response::Json(200, boost::json::object{{"status", "ready"}});
        },
        readiness);
    router_.Add(
        Method::kGet, "/metrics",
        [this](Request&) {
            return Response::Text(200, registry_.Expose(),
                                  std::string(metrics::kExpositionContentType));
        },
        internal);
}

Server::Impl::~Impl() {
    {
        std::unique_lock lock(life_mu_);
        if (started_ && !stopped_) {
            shutdown_requested_ = true;
            life_cv_.notify_all();
        }
    }
    if (started_) Wait();
    // Destroying the io_context destroys unfinished coroutines (and their connections), which
    // still touch the members above; so it goes first, explicitly.
    signals_.reset();
    acceptor_.reset();
    accept_strand_.reset();
    ioc_.reset();
}

Status Server::Impl::Start(bool handle_signals) {
    {
        std::lock_guard lock(life_mu_);
        if (started_) return Error::Internal("server already started");
    }
    router_.Freeze();
    for (const auto& route : router_.Routes()) {
        auto m = std::make_unique<RouteMetrics>();
        m->route = route->pattern;
        m->method = std::string(MethodName(route->method));
        m->requests = &requests_;
        m->latency = &latency_.With({m->route, m->method});
        route_metrics_.push_back(std::move(m));
    }

    ioc_ = std::make_unique<net::io_context>();
    pool_ =
        std::make_unique<net::thread_pool>(static_cast<std::size_t>(config_.server.worker_threads));
    accept_strand_.emplace(net::make_strand(*ioc_));
    acceptor_.emplace(*accept_strand_);
    beast::error_code ec;
    const auto address = net::ip::make_address(config_.server.host, ec);
    if (ec) {
        return Error::Invalid("server.host: '" + config_.server.host + "' is not an IP address");
    }
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(config_.server.port));
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        return Error::Unavailable("cannot listen on " + config_.server.host + ":" +
                                  std::to_string(config_.server.port) + ": " + ec.message());
    }
    port_ = acceptor_->local_endpoint().port();

    if (handle_signals) {
        signals_.emplace(*ioc_, SIGTERM, SIGINT);
        signals_->async_wait([this](const beast::error_code& e, int signal) {
            if (e) return;
            spdlog::info("signal {} received: shutting down", signal);
            RequestShutdown();
        });
    }
    work_.emplace(net::make_work_guard(*ioc_));
    net::co_spawn(*accept_strand_, AcceptLoop(), net::detached);
    const int threads = config_.server.threads > 0
                            ? config_.server.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_->run(); });
    std::lock_guard lock(life_mu_);
    started_ = true;
    return Ok();
}

net::awaitable<void> Server::Impl::AcceptLoop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor_->async_accept(net::make_strand(*ioc_), kNoThrow);
        if (ec) {
            if (ec == net::error::operation_aborted || !acceptor_->is_open()) co_return;
            // Out of file descriptors or similar: back off briefly rather than spin.
            spdlog::warn("accept failed: {}", ec.message());
            net::steady_timer pause(*accept_strand_, milliseconds(50));
            co_await pause.async_wait(kNoThrow);
            continue;
        }
        if (draining_.load()) co_return;
        beast::error_code opt_ec;
        socket.set_option(tcp::no_delay(true), opt_ec);
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(conn_mu_);
            if (connections_.size() >= config_.server.max_connections) {
                rejected_connections_.Inc();
                static constexpr std::string_view kBusy =
                    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: "
                    "application/json\r\nContent-Length: 70\r\nConnection: close\r\n\r\n"
                    R"({"error":{"code":"unavailable","message":"too many open connections"}})";
                static_assert(kBusy.size() - kBusy.find("\r\n\r\n") - 4 == 70);
                socket.non_blocking(true, opt_ec);
                socket.send(net::buffer(kBusy), 0, opt_ec);
                socket.shutdown(tcp::socket::shutdown_both, opt_ec);
                socket.close(opt_ec);
                continue;
            }
            const std::uint64_t id = next_connection_++;
            connection = std::make_shared<Connection>(*this, std::move(socket), id);
            connections_.emplace(id, connection);
        }
        accepted_.Inc();
        net::co_spawn(connection->Executor(), connection->Run(connection),
                      [](std::exception_ptr e) {
                          if (!e) return;
                          try {
                              std::rethrow_exception(e);
                          } catch (const std::exception& ex) {
                              spdlog::error("connection failed: {}", ex.what());
                          }
                      });
    }
}

void Server::Impl::Unregister(std::uint64_t id) {
    std::lock_guard lock(conn_mu_);
    connections_.erase(id);
    if (connections_.empty()) conn_cv_.notify_all();
}

bool Server::Impl::AcquireStream(const std::string& account) {
    std::lock_guard lock(stream_mu_);
    std::size_t& n = streams_per_account_[account];
    if (n >= config_.limits.max_streams_per_account) return false;
    ++n;
    return true;
}

void Server::Impl::ReleaseStream(const std::string& account) {
    std::lock_guard lock(stream_mu_);
    auto it = streams_per_account_.find(account);
    if (it != streams_per_account_.end() && --it->second == 0) streams_per_account_.erase(it);
}

RouteMetrics& Server::Impl::MetricsFor(const Route* route, Method method) {
    if (route != nullptr) return *route_metrics_[route->index];
    // Requests that matched no route share one label, so that scanners cannot mint series.
    const std::string name(MethodName(method));
    std::lock_guard lock(unmatched_mu_);
    auto& m = unmatched_[name];
    if (!m) {
        m = std::make_unique<RouteMetrics>();
        m->route = "unmatched";
        m->method = name;
        m->requests = &requests_;
        m->latency = &latency_.With({m->route, m->method});
    }
    return *m;
}

void Server::Impl::RequestShutdown() {
    std::lock_guard lock(life_mu_);
    shutdown_requested_ = true;
    life_cv_.notify_all();
}

void Server::Impl::Wait() {
    {
        std::unique_lock lock(life_mu_);
        if (!started_) return;
        life_cv_.wait(lock, [this] { return shutdown_requested_ || stopped_; });
        if (stopping_) {
            life_cv_.wait(lock, [this] { return stopped_; });
            return;
        }
        stopping_ = true;
    }
    Drain();
    std::lock_guard lock(life_mu_);
    stopped_ = true;
    life_cv_.notify_all();
}

void Server::Impl::Drain() {
    draining_.store(true);
    net::post(*accept_strand_, [this] {
        beast::error_code ec;
        acceptor_->close(ec);
        if (signals_) signals_->cancel(ec);
    });
    const auto each = [this](auto fn) {
        std::vector<std::shared_ptr<Connection>> live;
        {
            std::lock_guard lock(conn_mu_);
            for (auto& [id, weak] : connections_) {
                if (auto c = weak.lock()) live.push_back(std::move(c));
            }
        }
        for (auto& c : live) fn(*c);
    };
    each([](Connection& c) { c.BeginShutdown(); });
    {
        std::unique_lock lock(conn_mu_);
        conn_cv_.wait_for(lock, config_.server.shutdown_grace,
                          [this] { return connections_.empty(); });
    }
    each([](Connection& c) { c.ForceClose(); });
    {
        std::unique_lock lock(conn_mu_);
        if (!conn_cv_.wait_for(lock, std::chrono::seconds(5),
                               [this] { return connections_.empty(); })) {
            spdlog::warn("{} connections still open after the shutdown grace; stopping anyway",
                         connections_.size());
        }
    }
    // Handlers still running on the pool finish before the I/O threads stop, so that no
    // handler outlives the objects it was given.
    pool_->join();
    work_.reset();
    ioc_->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
}

Server::Server(const Config& config, Router& router, metrics::Registry& registry,
               const Clock& clock)
    : impl_(std::make_unique<Impl>(config, router, registry, clock)) {}

Server::~Server() = default;

void Server::SetAuthenticator(Authenticator authenticator) {
    impl_->authenticator_ = std::move(authenticator);
}

void Server::AddReadinessCheck(std::string name, std::function<Status()> check) {
    impl_->readiness_.emplace_back(std::move(name), std::move(check));
}

Status Server::Start(bool handle_signals) { return impl_->Start(handle_signals); }

int Server::Port() const { return impl_->port_.load(); }

void Server::RequestShutdown() { impl_->RequestShutdown(); }

void Server::Wait() { impl_->Wait(); }

void Server::Shutdown() {
    impl_->RequestShutdown();
    impl_->Wait();
}

}  // namespace tta::server
