#include "tta/server/route_helpers.hpp"

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

}  // namespace tta::server
