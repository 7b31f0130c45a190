// tta::server router: maps a method and a path to a handler. Patterns are literal segments and
// `{name}` parameters, e.g. "/v1/sessions/{id}/turns"; a literal segment wins over a parameter
// at the same place ("/v1/worlds/featured" before "/v1/worlds/{id}"). A path that matches a
// pattern under another method answers 405 with an Allow header; HEAD is served by the GET
// handler. Segments are percent-decoded before matching; a parameter value never contains '/'.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tta/server/http.hpp"

namespace tta::server {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
    // Requires a valid access token (Authorization: Bearer); 401 otherwise. The handler sees
    // Request::principal, and the per-account rate limit applies.
    bool authenticated = false;
    // Runs on the server's worker pool instead of an I/O thread: for handlers that wait on
    // the store or spend CPU (password hashing).
    bool blocking = false;
    // Counts against the per-client-address rate limit (off for health checks and metrics).
    bool rate_limited = true;
};

struct Route {
    std::size_t index = 0;  // dense, in order of registration
    Method method = Method::kGet;
    std::string pattern;
    Handler handler;
    RouteOptions options;
};

struct RouteMatch {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed, kBadPath };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;                             // kFound
    std::vector<std::pair<std::string, std::string>> params;  // kFound
    std::string allow;  // kMethodNotAllowed: "GET, HEAD, POST"
};

class Router {
  public:
    Router();
    ~Router();
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    // Registering the same method and pattern twice, a malformed pattern, or any route after
    // Freeze() is a programmer error and aborts.
    const Route& Add(Method method, std::string_view pattern, Handler handler,
                     RouteOptions options = {});

    RouteMatch Find(Method method, std::string_view raw_path) const;

    // The server freezes its router when it starts, then reads it without locks.
    void Freeze() { frozen_ = true; }
    const std::vector<std::unique_ptr<Route>>& Routes() const { return routes_; }

  private:
    struct Node;
    std::unique_ptr<Node> root_;
    std::vector<std::unique_ptr<Route>> routes_;
    bool frozen_ = false;
};

}  // namespace tta::server
