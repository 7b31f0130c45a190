#include "tta/server/account_routes.hpp"

#include <ctime>

namespace tta::server {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxField = 1024;

std::string Rfc3339(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

Response SessionResponse(int status, const IssuedSession& s) {
    json::object body;
    body["access_token"] = s.access_token;
    body["token_type"] = "Bearer";
    body["expires_in"] = s.expires_in;
    body["refresh_token"] = s.refresh_token;
    body["user"] = UserJson(s.user);
    Response r = Response::Json(status, body);
    r.WithHeader("Cache-Control", "no-store");
    return r;
}

}  // namespace

json::object UserJson(const store::User& user) {
    json::object o;
    o["id"] = user.id;
    o["username"] = user.username;
    o["email"] = user.email ? json::value(*user.email) : json::value(nullptr);
    json::array roles;
    for (const auto& r : user.roles) roles.emplace_back(r);
    o["roles"] = std::move(roles);
    o["created_at"] = Rfc3339(user.created_ms);
    return o;
}

void AddAccountRoutes(Router& router, Accounts& accounts) {
    RouteOptions blocking;  // store calls and password hashing
    blocking.blocking = true;

    router.Add(
        Method::kPost, "/v1/auth/register",
        [&accounts](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            auto username = RequiredString(*body, "username", kMaxField);
            if (!username) return username.error();
            auto password = RequiredString(*body, "password", kMaxField);
            if (!password) return password.error();
            auto email = OptionalString(*body, "email", 254);
            if (!email) return email.error();
            // Any "roles" in the body is ignored: everyone starts as a player.
            auto session = accounts.Register(*username, *password, std::move(*email));
            if (!session) return session.error();
            return SessionResponse(201, *session);
        },
        blocking);

    router.Add(
        Method::kPost, "/v1/auth/login",
        [&accounts](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            auto username = RequiredString(*body, "username", kMaxField);
            if (!username) return username.error();
            auto password = RequiredString(*body, "password", kMaxField);
            if (!password) return password.error();
            auto session = accounts.Login(*username, *password);
            if (!session) return session.error();
            return SessionResponse(200, *session);
        },
        blocking);

    router.Add(
        Method::kPost, "/v1/auth/refresh",
        [&accounts](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            auto token = RequiredString(*body, "refresh_token", kMaxField);
            if (!token) return token.error();
            auto session = accounts.Refresh(*token);
            if (!session) return session.error();
            return SessionResponse(200, *session);
        },
        blocking);

    router.Add(
        Method::kPost, "/v1/auth/logout",
        [&accounts](Request& req) -> Response {
            auto body = req.JsonObject();
            if (!body) return body.error();
            auto token = RequiredString(*body, "refresh_token", kMaxField);
            if (!token) return token.error();
            if (auto s = accounts.Logout(*token); !s) return s.error();
            return Response::NoContent();
        },
        blocking);

    RouteOptions authenticated = blocking;
    authenticated.authenticated = true;
    router.Add(
        Method::kGet, "/v1/me",
        [&accounts](Request& req) -> Response {
            auto user = accounts.GetUser(req.principal->user_id);
            if (!user) {
                if (user.error().code == ErrorCode::kNotFound) {
                    return Error{ErrorCode::kUnauthenticated, "the account no longer exists"};
                }
                return user.error();
            }
            Response r = Response::Json(200, UserJson(*user));
            r.WithHeader("Cache-Control", "no-store");
            return r;
        },
        authenticated);
}

}  // namespace tta::server
