#include "tta/server/route_helpers.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include "tta/core/rng.hpp"

namespace tta::server {

std::string Rfc3339(std::int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string NewId() {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx",
                  static_cast<unsigned long long>(RandomSeed()),
                  static_cast<unsigned long long>(RandomSeed()));
    return buf;
}

Status OnlyKnownFields(const boost::json::object& o,
                       std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : o) {
        bool known = false;
        for (std::string_view a : allowed) known = known || key == a;
        if (!known) return Error::Invalid("unknown field '" + std::string(key) + "'");
    }
    return Ok();
}

Result<std::int64_t> QueryNumber(const Request& req, std::string_view name, std::int64_t min,
                                 std::int64_t max, std::int64_t fallback) {
    auto given = req.Query(name);
    if (!given) return fallback;
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(given->data(), given->data() + given->size(), n);
    if (ec != std::errc() || ptr != given->data() + given->size() || n < min || n > max) {
        return Error::Invalid(std::string(name) + " must be a whole number from " +
                              std::to_string(min) + " to " + std::to_string(max));
    }
    return n;
}

Error NoSession(std::string_view id) {
    return Error::NotFound("no session '" + std::string(id) + "'");
}

Result<store::Session> OwnedSession(store::SessionStore& sessions, const Request& req,
                                    std::string_view id) {
    auto session = sessions.GetSession(id);
    if (!session) {
        if (session.error().code == ErrorCode::kNotFound) return NoSession(id);
        return session.error();
    }
    if (session->owner_user_id != req.principal->user_id) return NoSession(id);
    return session;
}

}  // namespace tta::server
