// tta::server HTTP types: the plain request and response that route handlers see. Handlers are
// written against this header (and router.hpp, sse.hpp) only; Boost.Beast and Asio stay inside
// server.cpp, so a file of routes compiles in a second or two.
//
// Errors travel as tta::Error and become `{"error":{"code":"...","message":"..."}}` with the
// status the code maps to (tta/core/error.hpp), so a handler may simply `return r.error();`.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/resilience/cancel.hpp"

namespace tta::server {

class EventStream;

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);  // "GET", ...; "OTHER" for kOther
Method ParseMethod(std::string_view name);

// Who made an authenticated request (from a verified access token).
struct Principal {
    std::string user_id;
    std::vector<std::string> roles;
    bool HasRole(std::string_view role) const;
};

struct Request {
    Method method = Method::kGet;
    std::string target;  // as sent: path and query, percent-encoded
    std::string path;    // the target's path, still percent-encoded
    std::string query;   // after '?', still percent-encoded
    // Header names in lowercase, in arrival order.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string client_ip;
    std::string request_id;  // echoed as X-Request-Id

    // Filled by the router and the server before the handler runs.
    std::string route;  // the matched pattern, e.g. "/v1/sessions/{id}/turns"
    std::vector<std::pair<std::string, std::string>> params;  // decoded path parameters
    std::optional<Principal> principal;                       // on authenticated routes
    // Cancelled when the client goes away while a blocking handler runs (the player left), so
    // the handler can stop waiting on outside calls (a model); never on other routes.
    resilience::CancelToken cancel;

    // The first header with this name (any case), or "" when absent.
    std::string_view Header(std::string_view name) const;
    // A path parameter by name, or "" when the route has none of that name.
    std::string_view Param(std::string_view name) const;
    // A decoded query parameter, or nullopt when absent or not decodable.
    std::optional<std::string> Query(std::string_view name) const;

    // The body as JSON. kInvalid, with a message fit for the client, when the body is empty,
    // not valid UTF-8, not JSON, or sent with a Content-Type other than application/json.
    Result<boost::json::value> Json() const;
    // As Json(), and the value must be an object.
    Result<boost::json::object> JsonObject() const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    // When set, the response is an event stream (text/event-stream): the server sends the
    // status line and headers, then calls this once with the open stream. See sse.hpp.
    std::function<void(std::shared_ptr<EventStream>)> on_stream;

    Response() = default;
    // The error's JSON body and status; lets handlers `return result.error();`.
    Response(const Error& e);  // NOLINT(google-explicit-constructor)

    static Response Json(int status, const boost::json::value& value);
    static Response Text(int status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    // `{"error":{"code":code,"message":message}}`, for statuses with no ErrorCode (405, 431).
    static Response ErrorBody(int status, std::string_view code, std::string_view message);
    static Response NoContent();
    // An event stream; `on_open` runs on an I/O thread and must not block.
    static Response Stream(std::function<void(std::shared_ptr<EventStream>)> on_open);

    Response& WithHeader(std::string name, std::string value);
};

// Reads a required string field of at most max_chars code points; kInvalid naming the field.
Result<std::string> RequiredString(const boost::json::object& o, std::string_view key,
                                   std::size_t max_chars);
// As RequiredString, but absent or null gives nullopt.
Result<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                  std::string_view key, std::size_t max_chars);

// Decodes %XX escapes. nullopt for a malformed escape, an encoded NUL or invalid UTF-8.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space = false);

}  // namespace tta::server
