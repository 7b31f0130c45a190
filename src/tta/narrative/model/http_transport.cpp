#include "tta/narrative/model/http_transport.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <mutex>

namespace tta::narrative::model {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxErrorBody = 16 * 1024;
constexpr std::size_t kMaxPendingEvent = 1 << 20;  // an event larger than this is malformed
constexpr std::size_t kMaxJsonBody = 1 << 20;

auto Redirect(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// The "message" of an OpenAI-style error body, or the body's first line.
std::string ErrorMessage(std::string_view body) {
    boost::json::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (!ec && v.is_object()) {
        if (const auto* e = v.as_object().if_contains("error")) {
            if (e->is_string()) return std::string(e->as_string());
            if (e->is_object()) {
                if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) {
                    return std::string(m->as_string());
                }
            }
        }
    }
    return std::string(body.substr(0, std::min<std::size_t>(body.find('\n'), 200)));
}

// What one call knows: its deadlines, progress, and the result so far. Lives on the calling
// thread's stack for the whole call; the coroutine and the cancel handler both touch it, on
// the io_context's one thread.
struct Call {
    Call(const Endpoint& e, const StreamLimits& l, const TextSink* s)
        : endpoint(e),
          limits(l),
          sink(s),
          start(SteadyClock::now()),
          connect_deadline(start + std::min(l.connect, l.total)),
          first_token_deadline(start + std::min(l.first_token, l.total)),
          total_deadline(start + l.total) {}

    const Endpoint& endpoint;
    const StreamLimits& limits;
    const TextSink* sink;
    const SteadyClock::time_point start;
    const SteadyClock::time_point connect_deadline;
    const SteadyClock::time_point first_token_deadline;
    const SteadyClock::time_point total_deadline;

    StreamResult result;
    bool finished = false;  // a verdict is in (success or failure)
    bool cancelled = false;
    bool got_header = false;
    // Which deadline the pending operation runs under, to name a timeout.
    Failure timeout_kind = Failure::kConnect;

    // Set while the objects exist, so that a cancel can reach them.
    tcp::resolver* resolver = nullptr;
    beast::tcp_stream* socket = nullptr;

    SseDecoder sse;
    Utf8Joiner utf8;
    bool json_body = false;  // the server answered with a whole completion, not a stream
    std::string raw;
    bool plain = false;  // a plain GET: every body byte goes to the sink, any status
    std::string content_type;

    void Fail(Failure f, std::string message) {
        if (finished) return;
        finished = true;
        result.failure = f;
        result.message = std::move(message);
    }
    void Succeed() {
        if (finished) return;
        finished = true;
        result.failure = Failure::kNone;
    }

    void Cancel() {
        cancelled = true;
        if (resolver != nullptr) resolver->cancel();
        if (socket != nullptr) socket->cancel();
    }

    // Arms the stream's timer for the next operation: connect, waiting for the first text,
    // or the gap allowed between pieces of text — never past the total deadline.
    void Arm(beast::tcp_stream& stream, bool connecting) {
        SteadyClock::time_point at;
        if (connecting) {
            at = connect_deadline;
            timeout_kind =
                connect_deadline < total_deadline ? Failure::kConnect : Failure::kTotalTimeout;
        } else if (result.first_token.count() < 0) {
            at = first_token_deadline;
            timeout_kind = first_token_deadline < total_deadline ? Failure::kFirstTokenTimeout
                                                                 : Failure::kTotalTimeout;
        } else {
            const auto stall = SteadyClock::now() + limits.stall;
            at = std::min(stall, total_deadline);
            timeout_kind = stall < total_deadline ? Failure::kStallTimeout : Failure::kTotalTimeout;
        }
        stream.expires_at(at);
    }

    // Names what went wrong with an I/O operation.
    void FailIo(const beast::error_code& ec, std::string_view during) {
        if (cancelled) return Fail(Failure::kCancelled, "cancelled");
        if (ec == beast::error::timeout) {
            return Fail(timeout_kind, "timed out " + std::string(during));
        }
        const Failure f = got_header ? Failure::kTruncated : Failure::kConnect;
        Fail(f, std::string(during) + ": " + ec.message());
    }

    // Forwards text; false when the caller wants no more.
    bool Forward(std::string_view text) {
        if (text.empty()) return true;
        if (result.first_token.count() < 0) result.first_token = SteadyClock::now() - start;
        result.bytes += text.size();
        if (sink != nullptr && *sink && !(*sink)(text)) {
            Fail(Failure::kStopped, "the caller stopped the stream");
            return false;
        }
        return true;
    }

    // Consumes body bytes; false once the stream has reached a verdict.
    bool OnBytes(std::string_view bytes) {
        if (json_body) {
            raw.append(bytes);
            if (raw.size() > kMaxJsonBody) {
                Fail(Failure::kMalformed, "completion body too large");
                return false;
            }
            return true;
        }
        std::vector<std::string> events;
        sse.Feed(bytes, events);
        for (const auto& data : events) {
            auto chunk = ParseChunk(data);
            if (!chunk) {
                Fail(Failure::kMalformed, chunk.error().message);
                return false;
            }
            if (!chunk->error.empty()) {
                Fail(Failure::kProviderError, chunk->error);
                return false;
            }
            if (chunk->usage) result.usage = chunk->usage;
            if (!chunk->finish_reason.empty()) result.finish_reason = chunk->finish_reason;
            if (chunk->done) {
                if (!Forward(utf8.Flush())) return false;
                Succeed();
                return false;
            }
            if (!Forward(utf8.Push(chunk->content))) return false;
        }
        if (sse.Pending() > kMaxPendingEvent) {
            Fail(Failure::kMalformed, "an event without an end");
            return false;
        }
        return true;
    }

    // The body ended.
    void OnEnd() {
        if (finished) return;
        if (json_body) return OnJsonBody();
        if (!Forward(utf8.Flush())) return;
        // Some servers end the body without [DONE]; a finish reason is as good.
        if (!result.finish_reason.empty()) return Succeed();
        Fail(Failure::kTruncated, "the stream ended before [DONE]");
    }

    // A server that ignored "stream": true and sent one chat.completion object.
    void OnJsonBody() {
        boost::json::error_code ec;
        auto v = boost::json::parse(raw, ec);
        const boost::json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
        const boost::json::value* choices = o ? o->if_contains("choices") : nullptr;
        if (choices == nullptr || !choices->is_array() || choices->as_array().empty() ||
            !choices->as_array()[0].is_object()) {
            return Fail(Failure::kMalformed, "not a chat completion");
        }
        const auto& choice = choices->as_array()[0].as_object();
        const auto* message = choice.if_contains("message");
        const auto* content =
            message && message->is_object() ? message->as_object().if_contains("content") : nullptr;
        if (content == nullptr || !content->is_string()) {
            return Fail(Failure::kMalformed, "a completion without text");
        }
        if (const auto* usage = o->if_contains("usage"); usage && usage->is_object()) {
            const auto& u = usage->as_object();
            Usage parsed;
            if (const auto* p = u.if_contains("prompt_tokens"); p && p->is_int64()) {
                parsed.prompt_tokens = p->as_int64();
            }
            if (const auto* c = u.if_contains("completion_tokens"); c && c->is_int64()) {
                parsed.completion_tokens = c->as_int64();
            }
            result.usage = parsed;
        }
        if (const auto* fr = choice.if_contains("finish_reason"); fr && fr->is_string()) {
            result.finish_reason = std::string(fr->as_string());
        }
        if (!Forward(utf8.Push(content->as_string())) || !Forward(utf8.Flush())) return;
        Succeed();
    }
};

// Clears a pointer in Call when the object it points to goes away.
template <typename T>
class Expose {
  public:
    Expose(T*& slot, T& object) : slot_(slot) { slot_ = &object; }
    ~Expose() { slot_ = nullptr; }
    Expose(const Expose&) = delete;
    Expose& operator=(const Expose&) = delete;

  private:
    T*& slot_;
};

// Resolves and connects under the connect deadline. Returns false (with a verdict) on failure.
asio::awaitable<bool> Connect(Call& call, beast::tcp_stream& stream) {
    auto ex = co_await asio::this_coro::executor;
    beast::error_code ec;
    tcp::resolver resolver(ex);
    tcp::resolver::results_type endpoints;
    {
        Expose<tcp::resolver> exposed(call.resolver, resolver);
        // getaddrinfo has no timeout of its own: a timer cancels it at the connect deadline.
        asio::steady_timer watchdog(ex);
        watchdog.expires_at(call.connect_deadline);
        bool timed_out = false;
        watchdog.async_wait([&resolver, &timed_out](const beast::error_code& e) {
            if (!e) {
                timed_out = true;
                resolver.cancel();
            }
        });
        endpoints =
            co_await resolver.async_resolve(call.endpoint.host, call.endpoint.port, Redirect(ec));
        watchdog.cancel();
        if (ec) {
            if (call.cancelled) {
                call.Fail(Failure::kCancelled, "cancelled");
            } else {
                call.Fail(Failure::kConnect, "resolving " + call.endpoint.host + ": " +
                                                 (timed_out ? "timed out" : ec.message()));
            }
            co_return false;
        }
    }
    if (call.cancelled) {
        call.Fail(Failure::kCancelled, "cancelled");
        co_return false;
    }
    call.Arm(stream, true);
    co_await stream.async_connect(endpoints, Redirect(ec));
    if (ec) {
        call.FailIo(ec, "connecting to " + call.endpoint.host_header);
        co_return false;
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    co_return true;
}

template <typename Stream>
asio::awaitable<void> Exchange(Call& call, Stream& stream, beast::tcp_stream& tcp,
                               http::request<http::string_body> request) {
    beast::error_code ec;
    call.Arm(tcp, false);
    co_await http::async_write(stream, request, Redirect(ec));
    if (ec) co_return call.FailIo(ec, "sending the request");

    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // the caller bounds the text it accepts
    parser.header_limit(16 * 1024);
    co_await http::async_read_header(stream, buffer, parser, Redirect(ec));
    if (ec) co_return call.FailIo(ec, "waiting for the response");
    call.got_header = true;
    const auto& head = parser.get();
    call.result.status = static_cast<int>(head.result_int());

    call.content_type = std::string(head[http::field::content_type]);
    if (call.plain) {
        char buf[8192];
        while (!parser.is_done()) {
            parser.get().body().data = buf;
            parser.get().body().size = sizeof buf;
            co_await http::async_read_some(stream, buffer, parser, Redirect(ec));
            if (ec == http::error::need_buffer) ec = {};
            const std::size_t n = sizeof buf - parser.get().body().size;
            if (n > 0 && !call.Forward(std::string_view(buf, n))) co_return;
            if (ec) co_return call.FailIo(ec, "reading the response");
        }
        co_return call.Succeed();
    }
    if (call.result.status != 200) {
        std::string body;
        char buf[4096];
        while (!parser.is_done() && body.size() < kMaxErrorBody) {
            parser.get().body().data = buf;
            parser.get().body().size = sizeof buf;
            co_await http::async_read_some(stream, buffer, parser, Redirect(ec));
            if (ec == http::error::need_buffer) ec = {};
            body.append(buf, sizeof buf - parser.get().body().size);
            if (ec) break;
        }
        if (call.cancelled) co_return call.Fail(Failure::kCancelled, "cancelled");
        const std::string_view retry_after = parser.get()[http::field::retry_after];
        int seconds = 0;
        if (std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds)
                    .ec == std::errc() &&
            seconds > 0) {
            call.result.retry_after = std::chrono::seconds(seconds);
        }
        co_return call.Fail(Failure::kStatus, "HTTP " + std::to_string(call.result.status) + ": " +
                                                  ErrorMessage(body));
    }
    call.json_body = call.content_type.find("application/json") != std::string::npos;

    char buf[8192];
    while (!parser.is_done()) {
        parser.get().body().data = buf;
        parser.get().body().size = sizeof buf;
        call.Arm(tcp, false);
        co_await http::async_read_some(stream, buffer, parser, Redirect(ec));
        if (ec == http::error::need_buffer) ec = {};
        const std::size_t n = sizeof buf - parser.get().body().size;
        if (n > 0 && !call.OnBytes(std::string_view(buf, n))) co_return;
        if (ec) co_return call.FailIo(ec, "reading the stream");
        if (call.cancelled) co_return call.Fail(Failure::kCancelled, "cancelled");
    }
    call.OnEnd();
}

http::request<http::string_body> MakeRequest(http::verb verb, const Endpoint& e, std::string target,
                                             std::string body) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, e.host_header);
    req.set(http::field::user_agent, "tta");
    req.set(http::field::connection, "close");
    if (!e.api_key.empty()) req.set(http::field::authorization, "Bearer " + e.api_key);
    if (verb == http::verb::post) {
        req.set(http::field::content_type, "application/json");
        req.set(http::field::accept, "text/event-stream");
        req.body() = std::move(body);
    } else {
        req.set(http::field::accept, "application/json");
    }
    req.prepare_payload();
    return req;
}

asio::awaitable<void> Run(Call& call, ssl::context* tls, http::request<http::string_body> req) {
    auto ex = co_await asio::this_coro::executor;
    beast::tcp_stream tcp(ex);
    {
        Expose<beast::tcp_stream> exposed(call.socket, tcp);
        if (!co_await Connect(call, tcp)) co_return;
        if (tls == nullptr) {
            co_await Exchange(call, tcp, tcp, std::move(req));
            beast::error_code ignored;
            tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
            co_return;
        }
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *tls);
    auto& lowest = beast::get_lowest_layer(stream);
    Expose<beast::tcp_stream> exposed(call.socket, lowest);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), call.endpoint.host.c_str())) {
        co_return call.Fail(Failure::kConnect, "TLS: cannot set the server name");
    }
    stream.set_verify_callback(ssl::host_name_verification(call.endpoint.host));
    beast::error_code ec;
    call.Arm(lowest, true);
    co_await stream.async_handshake(ssl::stream_base::client, Redirect(ec));
    if (ec) co_return call.FailIo(ec, "TLS handshake with " + call.endpoint.host);
    co_await Exchange(call, stream, lowest, std::move(req));
}

}  // namespace

struct HttpTransport::Impl {
    std::mutex mu;
    std::map<std::string, std::shared_ptr<ssl::context>> tls;  // by CA file ("" = system)

    Result<std::shared_ptr<ssl::context>> Tls(const std::filesystem::path& ca_file) {
        std::lock_guard lock(mu);
        auto& slot = tls[ca_file.string()];
        if (slot) return slot;
        try {
            auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
            ctx->set_default_verify_paths();
            if (!ca_file.empty()) ctx->load_verify_file(ca_file.string());
            ctx->set_verify_mode(ssl::verify_peer);
            slot = std::move(ctx);
            return slot;
        } catch (const std::exception& e) {
            tls.erase(ca_file.string());
            return Error::Invalid("TLS setup with CA file '" + ca_file.string() + "': " + e.what());
        }
    }

    // Runs one exchange to its end on this thread.
    void Perform(Call& call, const resilience::CancelToken& cancel,
                 http::request<http::string_body> req) {
        std::shared_ptr<ssl::context> ctx;
        if (call.endpoint.tls) {
            auto made = Tls(call.endpoint.ca_file);
            if (!made) return call.Fail(Failure::kConnect, made.error().message);
            ctx = *made;
        }
        asio::io_context ioc(1);
        asio::co_spawn(ioc, Run(call, ctx.get(), std::move(req)), [&call](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                call.Fail(call.got_header ? Failure::kTruncated : Failure::kConnect, x.what());
            }
        });
        // Declared after the io_context so that it is dropped first; the handler it posts
        // runs on this thread inside run(), or never.
        auto registration =
            cancel.OnCancel([&ioc, &call] { asio::post(ioc, [&call] { call.Cancel(); }); });
        ioc.run();
        if (!call.finished) call.Fail(Failure::kTruncated, "the exchange ended without a verdict");
        call.result.elapsed = SteadyClock::now() - call.start;
    }

    // One exchange under one deadline whose whole response, of any status, is the result.
    Result<HttpResponse> Plain(const Endpoint& endpoint, http::request<http::string_body> req,
                               std::chrono::milliseconds timeout,
                               const resilience::CancelToken& cancel, std::size_t max_bytes) {
        const StreamLimits limits{
            .connect = timeout, .first_token = timeout, .stall = timeout, .total = timeout};
        HttpResponse response;
        bool too_large = false;
        const TextSink sink = [&](std::string_view text) {
            response.body.append(text);
            too_large = response.body.size() > max_bytes;
            return !too_large;
        };
        Call call(endpoint, limits, &sink);
        call.plain = true;
        if (cancel.IsCancelled()) return Error::Unavailable("cancelled");
        Perform(call, cancel, std::move(req));
        if (too_large) {
            return Error::Unavailable("response larger than " + std::to_string(max_bytes));
        }
        if (!call.result.ok()) {
            if (call.result.failure == Failure::kCancelled) return Error::Unavailable("cancelled");
            const bool timeout = call.result.failure == Failure::kConnect &&
                                 call.result.message.starts_with("timed out");
            return Error{timeout || call.result.failure == Failure::kTotalTimeout ||
                                 call.result.failure == Failure::kFirstTokenTimeout
                             ? ErrorCode::kDeadline
                             : ErrorCode::kUnavailable,
                         call.result.message};
        }
        response.status = call.result.status;
        response.content_type = call.content_type;
        return response;
    }
};

HttpTransport::HttpTransport() : impl_(std::make_unique<Impl>()) {}
HttpTransport::~HttpTransport() = default;

StreamResult HttpTransport::Stream(const Endpoint& endpoint, const ChatRequest& request,
                                   const StreamLimits& limits,
                                   const resilience::CancelToken& cancel, const TextSink& sink) {
    Call call(endpoint, limits, &sink);
    if (cancel.IsCancelled()) {
        call.Fail(Failure::kCancelled, "cancelled");
        return call.result;
    }
    impl_->Perform(
        call, cancel,
        MakeRequest(http::verb::post, endpoint, endpoint.path_prefix + "/chat/completions",
                    EncodeChatRequest(request)));
    return call.result;
}

Result<HttpResponse> HttpTransport::Get(const Endpoint& endpoint, std::string_view path,
                                        std::chrono::milliseconds timeout, std::size_t max_bytes) {
    return impl_->Plain(
        endpoint,
        MakeRequest(http::verb::get, endpoint, endpoint.path_prefix + std::string(path), ""),
        timeout, {}, max_bytes);
}

Result<HttpResponse> HttpTransport::Post(
    const Endpoint& endpoint, std::string_view path, std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers, std::string body,
    std::chrono::milliseconds timeout, const resilience::CancelToken& cancel,
    std::size_t max_bytes) {
    auto req = MakeRequest(http::verb::post, endpoint, endpoint.path_prefix + std::string(path),
                           std::move(body));
    req.set(http::field::content_type, content_type);
    req.set(http::field::accept, "*/*");
    for (const auto& [name, value] : headers) req.set(name, value);
    return impl_->Plain(endpoint, std::move(req), timeout, cancel, max_bytes);
}

}  // namespace tta::narrative::model
