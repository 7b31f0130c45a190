#include "tta/narrative/testing/fake_openai_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <deque>
#include <mutex>
#include <thread>

namespace tta::narrative::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

auto Redirect(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

asio::awaitable<void> Sleep(std::chrono::milliseconds d) {
    if (d.count() <= 0) co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    beast::error_code ec;
    co_await timer.async_wait(Redirect(ec));
}

// Code points, so that pieces are valid UTF-8 and valid JSON strings.
std::vector<std::string> Pieces(std::string_view text, std::size_t max_bytes) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = std::min(text.size(), i + std::max<std::size_t>(max_bytes, 1));
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
            ++end;
        }
        out.emplace_back(text.substr(i, end - i));
        i = end;
    }
    return out;
}

}  // namespace

std::string ChunkJson(std::string_view content) {
    boost::json::object delta{{"content", content}};
    boost::json::object choice{{"index", 0}, {"delta", delta}, {"finish_reason", nullptr}};
    return boost::json::serialize(boost::json::object{{"id", "chatcmpl-fake"},
                                                      {"object", "chat.completion.chunk"},
                                                      {"model", "fake-model"},
                                                      {"choices", boost::json::array{choice}}});
}

std::string FinishJson(std::string_view reason) {
    boost::json::object choice{
        {"index", 0}, {"delta", boost::json::object{}}, {"finish_reason", reason}};
    return boost::json::serialize(boost::json::object{{"id", "chatcmpl-fake"},
                                                      {"object", "chat.completion.chunk"},
                                                      {"choices", boost::json::array{choice}}});
}

std::string UsageJson(std::int64_t prompt_tokens, std::int64_t completion_tokens) {
    return boost::json::serialize(boost::json::object{
        {"id", "chatcmpl-fake"},
        {"object", "chat.completion.chunk"},
        {"choices", boost::json::array{}},
        {"usage", boost::json::object{{"prompt_tokens", prompt_tokens},
                                      {"completion_tokens", completion_tokens},
                                      {"total_tokens", prompt_tokens + completion_tokens}}}});
}

FakeReply Streamed(std::string_view text, std::size_t piece_bytes, std::int64_t prompt_tokens,
                   std::int64_t completion_tokens) {
    FakeReply r;
    for (auto& p : Pieces(text, piece_bytes)) r.events.push_back(ChunkJson(p));
    r.events.push_back(FinishJson("stop"));
    r.events.push_back(UsageJson(prompt_tokens, completion_tokens > 0
                                                    ? completion_tokens
                                                    : static_cast<std::int64_t>(text.size() / 4)));
    return r;
}

FakeReply Status(int status, std::string_view message, int retry_after_seconds) {
    FakeReply r;
    r.status = status;
    r.content_type = "application/json";
    r.body = boost::json::serialize(boost::json::object{
        {"error", boost::json::object{{"message", message}, {"type", "server_error"}}}});
    if (retry_after_seconds > 0) r.headers["Retry-After"] = std::to_string(retry_after_seconds);
    return r;
}

TestCertificate MakeTestCertificate() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -24 * 3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("tta test server"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                     std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        X509_add_ext(cert, ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(cert, key, EVP_sha256());

    auto pem = [](auto write) {
        BIO* bio = BIO_new(BIO_s_mem());
        write(bio);
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        std::string out(data, static_cast<std::size_t>(n));
        BIO_free(bio);
        return out;
    };
    TestCertificate out;
    out.cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, cert); });
    out.key_pem = pem(
        [&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

struct FakeOpenAiServer::Impl {
    // Members die in reverse order: the acceptor, then the io_context with any coroutine
    // frames still pending — which touch the TLS context and the counters, declared above.
    FakeServerOptions options;
    std::unique_ptr<ssl::context> tls;
    mutable std::mutex mu;
    std::deque<FakeReply> queue;
    FakeReply fallback = Streamed("The tide turns, slow and grey, along the quay.");
    std::function<FakeReply(const RecordedRequest&)> handler;
    std::vector<RecordedRequest> requests;
    std::atomic<int> open{0};
    int port = 0;
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    std::thread thread;

    FakeReply Pick(const RecordedRequest& request) {
        std::lock_guard lock(mu);
        requests.push_back(request);
        if (handler) return handler(request);
        if (request.method == "GET") {
            FakeReply models;
            models.content_type = "application/json";
            models.body = R"({"object":"list","data":[{"id":"fake-model","object":"model"}]})";
            return models;
        }
        if (queue.empty()) return fallback;
        FakeReply r = std::move(queue.front());
        queue.pop_front();
        return r;
    }

    template <typename Stream>
    asio::awaitable<void> Serve(Stream& stream, beast::tcp_stream& tcp) {
        beast::error_code ec;
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        co_await http::async_read(stream, buffer, req, Redirect(ec));
        if (ec) co_return;
        RecordedRequest recorded{std::string(req.method_string()), std::string(req.target()),
                                 std::string(req[http::field::authorization]), req.body()};
        const FakeReply reply = Pick(recorded);
        co_await Sleep(reply.header_delay);

        if (reply.status != 200 || !reply.body.empty()) {
            http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
            res.set(http::field::content_type, reply.content_type);
            for (const auto& [k, v] : reply.headers) res.set(k, v);
            res.body() = reply.body;
            res.keep_alive(false);
            res.prepare_payload();
            co_await http::async_write(stream, res, Redirect(ec));
            co_return;
        }

        http::response<http::empty_body> res{http::status::ok, 11};
        res.set(http::field::content_type, reply.content_type);
        res.set(http::field::cache_control, "no-cache");
        for (const auto& [k, v] : reply.headers) res.set(k, v);
        res.keep_alive(false);
        res.chunked(true);
        http::response_serializer<http::empty_body> serializer{res};
        co_await http::async_write_header(stream, serializer, Redirect(ec));
        if (ec) co_return;
        co_await Sleep(reply.first_delay);

        auto stall = [&]() -> asio::awaitable<void> {
            // Send nothing more; return when the client gives up and closes.
            tcp.expires_never();
            char byte;
            co_await stream.async_read_some(asio::buffer(&byte, 1), Redirect(ec));
        };
        for (std::size_t i = 0; i < reply.events.size(); ++i) {
            const int n = static_cast<int>(i);
            if (n == reply.stall_after) co_return co_await stall();
            if (n == reply.drop_after) {
                tcp.socket().close(ec);
                co_return;
            }
            if (i > 0) co_await Sleep(reply.gap);
            const std::string payload = "data: " + reply.events[i] + "\n\n";
            co_await asio::async_write(stream, http::make_chunk(asio::buffer(payload)),
                                       Redirect(ec));
            if (ec) co_return;
        }
        if (reply.stall_after == static_cast<int>(reply.events.size())) co_return co_await stall();
        if (reply.drop_after == static_cast<int>(reply.events.size())) {
            tcp.socket().close(ec);
            co_return;
        }
        if (reply.send_done) {
            const std::string done = "data: [DONE]\n\n";
            co_await asio::async_write(stream, http::make_chunk(asio::buffer(done)), Redirect(ec));
        }
        co_await asio::async_write(stream, http::make_chunk_last(), Redirect(ec));
    }

    asio::awaitable<void> Connection(tcp::socket socket) {
        ++open;
        struct Count {
            std::atomic<int>& n;
            ~Count() { --n; }
        } count{open};
        beast::tcp_stream tcp(std::move(socket));
        beast::error_code ec;
        if (!tls) {
            co_await Serve(tcp, tcp);
            tcp.socket().shutdown(tcp::socket::shutdown_both, ec);
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *tls);
        co_await stream.async_handshake(ssl::stream_base::server, Redirect(ec));
        if (ec) co_return;
        co_await Serve(stream, beast::get_lowest_layer(stream));
    }

    asio::awaitable<void> Accept() {
        for (;;) {
            beast::error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(Redirect(ec));
            if (ec) co_return;
            asio::co_spawn(ioc, Connection(std::move(socket)), asio::detached);
        }
    }
};

FakeOpenAiServer::FakeOpenAiServer(FakeServerOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    if (!impl_->options.tls_cert_pem.empty()) {
        impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
        impl_->tls->use_certificate_chain(asio::buffer(impl_->options.tls_cert_pem));
        impl_->tls->use_private_key(asio::buffer(impl_->options.tls_key_pem), ssl::context::pem);
    }
    const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(at.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(at);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(impl_->ioc, impl_->Accept(), asio::detached);
    impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

FakeOpenAiServer::~FakeOpenAiServer() {
    impl_->ioc.stop();
    impl_->thread.join();
}

int FakeOpenAiServer::Port() const { return impl_->port; }

std::string FakeOpenAiServer::BaseUrl() const {
    return std::string(impl_->tls ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(impl_->port) + "/v1";
}

void FakeOpenAiServer::Enqueue(FakeReply reply) {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back(std::move(reply));
}

void FakeOpenAiServer::SetDefault(FakeReply reply) {
    std::lock_guard lock(impl_->mu);
    impl_->fallback = std::move(reply);
}

void FakeOpenAiServer::SetHandler(std::function<FakeReply(const RecordedRequest&)> handler) {
    std::lock_guard lock(impl_->mu);
    impl_->handler = std::move(handler);
}

std::vector<RecordedRequest> FakeOpenAiServer::Requests() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests;
}

int FakeOpenAiServer::RequestCount() const {
    std::lock_guard lock(impl_->mu);
    return static_cast<int>(impl_->requests.size());
}

int FakeOpenAiServer::OpenConnections() const { return impl_->open.load(); }

}  // namespace tta::narrative::testing
