// tta::server route helpers shared by the route files (characters, sessions, therapy records).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "tta/core/error.hpp"
#include "tta/server/http.hpp"
#include "tta/store/session_store.hpp"

namespace tta::server {

// "2027-01-15T08:00:00Z" (RFC 3339, UTC, whole seconds).
std::string Rfc3339(std::int64_t unix_ms);

// A new random id: 32 lowercase hex digits.
std::string NewId();

// kInvalid naming the first key of `o` not in `allowed`, so that a misspelt field is not
// silently ignored.
Status OnlyKnownFields(const boost::json::object& o, std::initializer_list<std::string_view> allowed);

// Lists answer this many records unless `limit` asks for another number up to the maximum.
inline constexpr std::int64_t kDefaultListLimit = 50;
inline constexpr std::int64_t kMaxListLimit = 100;

// A whole number from `min` to `max` in a query parameter, or `fallback` when it is absent.
Result<std::int64_t> QueryNumber(const Request& req, std::string_view name, std::int64_t min,
                                 std::int64_t max, std::int64_t fallback);

// 404 for a session that does not exist, or is someone else's (the same answer for both).
Error NoSession(std::string_view id);
// The session `id` when the caller owns it; NoSession otherwise; the store's error as it is.
Result<store::Session> OwnedSession(store::SessionStore& sessions, const Request& req,
                                    std::string_view id);

}  // namespace tta::server
