#include "tta/server/test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <cctype>
#include <deque>
#include <functional>

namespace tta::server::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

template <typename Message>
ClientResponse ToResponse(const Message& m) {
    ClientResponse r;
    r.status = static_cast<int>(m.result_int());
    for (const auto& f : m) {
        r.headers.emplace_back(Lower(std::string_view(f.name_string())), std::string(f.value()));
    }
    return r;
}

Error Failed(const beast::error_code& ec) {
    if (ec == net::error::timed_out) {
        return {ErrorCode::kDeadline, "timed out"};
    }
    return Error::Unavailable(ec.message());
}

}  // namespace

struct HttpClient::State {
    // Each client runs its own io_context, only while it waits for one operation, so that
    // every wait has a timeout without closing the socket.
    net::io_context ioc;
    tcp::socket socket{ioc};
    beast::flat_buffer buffer;
    std::string host;
    bool connected = false;
    bool head_request = false;
    // Event stream.
    std::unique_ptr<http::response_parser<http::empty_body>> stream_parser;
    std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> on_chunk;
    std::string stream_text;  // received, not yet split into lines
    std::deque<StreamItem> items;
    std::string event_id, event_type, data;
    bool has_data = false;

    std::chrono::milliseconds timeout{30000};

    // Starts an asynchronous operation with `start(handler)` and runs it to completion or
    // until the timeout, when it is cancelled and net::error::timed_out returned.
    template <typename Start>
    beast::error_code Run(Start&& start) {
        net::steady_timer timer(ioc, timeout);
        bool done = false;
        bool timed_out = false;
        beast::error_code result;
        start([&](beast::error_code ec, std::size_t) {
            result = ec;
            done = true;
            timer.cancel();
        });
        timer.async_wait([&](beast::error_code ec) {
            if (!ec && !done) {
                timed_out = true;
                beast::error_code ignored;
                socket.cancel(ignored);
            }
        });
        ioc.restart();
        ioc.run();
        return timed_out ? beast::error_code(net::error::timed_out) : result;
    }

    // The WHATWG "interpret an event stream" steps for complete lines of stream_text.
    void ParseLines() {
        for (;;) {
            const auto end = stream_text.find_first_of("\r\n");
            if (end == std::string::npos) return;
            // A CR at the very end might be the first half of CRLF: wait for more.
            if (stream_text[end] == '\r' && end + 1 == stream_text.size()) return;
            std::string line = stream_text.substr(0, end);
            const bool crlf = stream_text[end] == '\r' && stream_text[end + 1] == '\n';
            stream_text.erase(0, end + (crlf ? 2 : 1));
            if (line.empty()) {
                if (has_data) {
                    StreamItem item;
                    item.kind = StreamItem::Kind::kEvent;
                    item.id = event_id;
                    item.event = event_type.empty() ? "message" : event_type;
                    item.data = data.substr(0, data.size() - 1);  // the last LF
                    items.push_back(std::move(item));
                }
                data.clear();
                event_type.clear();
                has_data = false;
                continue;
            }
            if (line[0] == ':') {
                StreamItem item;
                item.kind = StreamItem::Kind::kComment;
                item.comment = line.substr(line.size() > 1 && line[1] == ' ' ? 2 : 1);
                items.push_back(std::move(item));
                continue;
            }
            const auto colon = line.find(':');
            const std::string field = line.substr(0, colon);
            std::string value;
            if (colon != std::string::npos) {
                value = line.substr(colon + 1);
                if (!value.empty() && value[0] == ' ') value.erase(0, 1);
            }
            if (field == "data") {
                data += value + "\n";
                has_data = true;
            } else if (field == "event") {
                event_type = value;
            } else if (field == "id") {
                if (value.find('\0') == std::string::npos) event_id = value;
            } else if (field == "retry") {
                if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos) {
                    StreamItem item;
                    item.kind = StreamItem::Kind::kRetry;
                    item.retry_ms = std::stoll(value);
                    items.push_back(std::move(item));
                }
            }
        }
    }
};

std::string ClientResponse::Header(std::string_view name) const {
    const std::string lower = Lower(name);
    for (const auto& [k, v] : headers) {
        if (k == lower) return v;
    }
    return "";
}

boost::json::value ClientResponse::Json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    return ec ? boost::json::value() : v;
}

HttpClient::HttpClient(int port, std::string host) : s_(std::make_unique<State>()) {
    s_->host = host + ":" + std::to_string(port);
    beast::error_code ec;
    s_->socket.connect(
        tcp::endpoint(net::ip::make_address(host), static_cast<unsigned short>(port)), ec);
    s_->connected = !ec;
}

HttpClient::~HttpClient() {
    beast::error_code ec;
    s_->socket.close(ec);
}

bool HttpClient::Connected() const { return s_->connected; }

Result<ClientResponse> HttpClient::Send(std::string_view method, std::string_view target,
                                        std::string_view body, const Headers& headers) {
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, s_->host);
    bool has_type = false;
    for (const auto& [k, v] : headers) {
        req.insert(k, v);
        has_type = has_type || Lower(k) == "content-type";
    }
    if (!body.empty()) {
        if (!has_type) req.set(http::field::content_type, "application/json");
        req.body() = std::string(body);
    }
    req.prepare_payload();
    s_->timeout = std::chrono::seconds(30);
    const auto ec = s_->Run([&](auto handler) { http::async_write(s_->socket, req, handler); });
    if (ec) return Failed(ec);
    s_->head_request = method == "HEAD";
    return ReadResponse();
}

Status HttpClient::SendRaw(std::string_view bytes) {
    s_->timeout = std::chrono::seconds(30);
    const auto ec = s_->Run([&](auto handler) {
        net::async_write(s_->socket, net::buffer(bytes.data(), bytes.size()), handler);
    });
    if (ec) return Failed(ec);
    return Ok();
}

Result<ClientResponse> HttpClient::ReadResponse() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(s_->head_request);  // a response to HEAD has no body, whatever it announces
    s_->head_request = false;
    s_->timeout = std::chrono::seconds(30);
    const auto ec =
        s_->Run([&](auto handler) { http::async_read(s_->socket, s_->buffer, parser, handler); });
    if (ec) return Failed(ec);
    ClientResponse r = ToResponse(parser.get());
    r.body = std::move(parser.get().body());
    return r;
}

bool HttpClient::WaitClosed(std::chrono::milliseconds timeout) {
    s_->timeout = timeout;
    char sink[4096];
    for (;;) {
        const auto ec =
            s_->Run([&](auto handler) { s_->socket.async_read_some(net::buffer(sink), handler); });
        if (ec == net::error::eof || ec == net::error::connection_reset) return true;
        if (ec) return false;  // timed out
    }
}

Result<ClientResponse> HttpClient::OpenStream(std::string_view target, const Headers& headers) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, s_->host);
    req.set(http::field::accept, "text/event-stream");
    for (const auto& [k, v] : headers) req.insert(k, v);
    s_->timeout = std::chrono::seconds(30);
    auto ec = s_->Run([&](auto handler) { http::async_write(s_->socket, req, handler); });
    if (ec) return Failed(ec);
    s_->stream_parser = std::make_unique<http::response_parser<http::empty_body>>();
    auto& parser = *s_->stream_parser;
    ec = s_->Run(
        [&](auto handler) { http::async_read_header(s_->socket, s_->buffer, parser, handler); });
    if (ec) return Failed(ec);
    ClientResponse r = ToResponse(parser.get());
    if (r.status != 200 || !parser.chunked()) {
        // Not a stream: read the body as an ordinary response.
        http::response_parser<http::string_body> body_parser(std::move(parser));
        ec = s_->Run(
            [&](auto handler) { http::async_read(s_->socket, s_->buffer, body_parser, handler); });
        r.body = body_parser.get().body();
        s_->stream_parser.reset();
        return r;
    }
    s_->on_chunk = [this](std::uint64_t remain, std::string_view body,
                          beast::error_code& chunk_ec) -> std::size_t {
        if (remain == body.size()) chunk_ec = http::error::end_of_chunk;
        s_->stream_text.append(body.data(), body.size());
        return body.size();
    };
    parser.on_chunk_body(s_->on_chunk);
    return r;
}

Result<StreamItem> HttpClient::NextItem(std::chrono::milliseconds timeout) {
    if (!s_->stream_parser) return Error::Invalid("no open stream");
    s_->timeout = timeout;
    for (;;) {
        s_->ParseLines();
        if (!s_->items.empty()) {
            StreamItem item = std::move(s_->items.front());
            s_->items.pop_front();
            return item;
        }
        if (s_->stream_parser->is_done()) return StreamItem{};
        const auto ec = s_->Run([&](auto handler) {
            http::async_read(s_->socket, s_->buffer, *s_->stream_parser, handler);
        });
        if (ec == http::error::end_of_chunk) continue;
        if (ec == net::error::eof || ec == http::error::partial_message ||
            ec == net::error::connection_reset) {
            return StreamItem{};
        }
        if (ec) return Failed(ec);
    }
}

Result<StreamItem> HttpClient::NextEvent(std::chrono::milliseconds timeout) {
    for (;;) {
        auto item = NextItem(timeout);
        if (!item) return item;
        if (item->kind == StreamItem::Kind::kEvent || item->kind == StreamItem::Kind::kEnd) {
            return item;
        }
    }
}

}  // namespace tta::server::testing
