#include "tta/server/http.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "tta/core/utf8.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::size_t CodePoints(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string_view MethodName(Method m) {
    switch (m) {
        case Method::kGet:
            return "GET";
        case Method::kHead:
            return "HEAD";
        case Method::kPost:
            return "POST";
        case Method::kPut:
            return "PUT";
        case Method::kPatch:
            return "PATCH";
        case Method::kDelete:
            return "DELETE";
        case Method::kOptions:
            return "OPTIONS";
        case Method::kOther:
            return "OTHER";
    }
    return "OTHER";
}

Method ParseMethod(std::string_view name) {
    for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                     Method::kDelete, Method::kOptions}) {
        if (name == MethodName(m)) return m;
    }
    return Method::kOther;
}

bool Principal::HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string_view Request::Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (EqualsIgnoreCase(k, name)) return v;
    }
    return {};
}

std::string_view Request::Param(std::string_view name) const {
    for (const auto& [k, v] : params) {
        if (k == name) return v;
    }
    return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        const auto key = PercentDecode(pair.substr(0, eq), true);
        if (!key || *key != name) continue;
        if (eq == std::string_view::npos) return std::string();
        return PercentDecode(pair.substr(eq + 1), true);
    }
    return std::nullopt;
}

Result<json::value> Request::Json() const {
    const std::string_view type = Header("content-type");
    if (!type.empty()) {
        const std::string_view media = type.substr(0, type.find(';'));
        if (!EqualsIgnoreCase(media.substr(0, media.find_last_not_of(' ') + 1),
                              "application/json")) {
            return Error::Invalid("expected Content-Type: application/json");
        }
    }
    if (body.empty()) return Error::Invalid("expected a JSON body");
    if (!IsValidUtf8(body)) return Error::Invalid("the body is not valid UTF-8");
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 32;
    json::value v = json::parse(body, ec, {}, options);
    if (ec) return Error::Invalid("malformed JSON: " + ec.message());
    return v;
}

Result<json::object> Request::JsonObject() const {
    auto v = Json();
    if (!v) return v.error();
    if (!v->is_object()) return Error::Invalid("expected a JSON object");
    return std::move(v->as_object());
}

Response::Response(const Error& e)
    : Response(ErrorBody(HttpStatus(e.code), CodeName(e.code), e.message)) {}

Response Response::Json(int status, const json::value& value) {
    Response r;
    r.status = status;
    r.body = json::serialize(value);
    return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
}

Response Response::ErrorBody(int status, std::string_view code, std::string_view message) {
    json::object error;
    error["code"] = code;
    error["message"] = message;
    json::object outer;
    outer["error"] = std::move(error);
    return Json(status, outer);
}

Response Response::NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

Response Response::Stream(std::function<void(std::shared_ptr<EventStream>)> on_open) {
    Response r;
    r.content_type = "text/event-stream";
    r.on_stream = std::move(on_open);
    return r;
}

Response& Response::WithHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

Result<std::string> RequiredString(const json::object& o, std::string_view key,
                                   std::size_t max_chars) {
    auto v = OptionalString(o, key, max_chars);
    if (!v) return v.error();
    if (!*v) return Error::Invalid(std::string(key) + " is required");
    return std::move(**v);
}

Result<std::optional<std::string>> OptionalString(const json::object& o, std::string_view key,
                                                  std::size_t max_chars) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::optional<std::string>();
    if (!v->is_string()) return Error::Invalid(std::string(key) + " must be a string");
    const json::string& s = v->as_string();
    if (CodePoints(s) > max_chars) {
        return Error::Invalid(std::string(key) + " must be at most " + std::to_string(max_chars) +
                              " characters");
    }
    return std::optional<std::string>(std::string(s));
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = HexValue(s[i + 1]);
            const int lo = HexValue(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            const char c = static_cast<char>(hi * 16 + lo);
            if (c == '\0') return std::nullopt;
            out += c;
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    if (!IsValidUtf8(out)) return std::nullopt;
    return out;
}

}  // namespace tta::server
