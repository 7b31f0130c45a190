// tta::server route helpers shared by the route files of characters and sessions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "tta/core/error.hpp"

namespace tta::server {

// "2027-01-15T08:00:00Z" (RFC 3339, UTC, whole seconds).
std::string Rfc3339(std::int64_t unix_ms);

// A new random id: 32 lowercase hex digits.
std::string NewId();

// kInvalid naming the first key of `o` not in `allowed`, so that a misspelt field is not
// silently ignored.
Status OnlyKnownFields(const boost::json::object& o, std::initializer_list<std::string_view> allowed);

}  // namespace tta::server
