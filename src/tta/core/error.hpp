// tta::core errors: the one error type that crosses module boundaries (ARCHITECTURE.md,
// principle 9). Functions that can fail return Result<T>; exceptions thrown by libraries are
// caught in adapters and turned into an Error. Codes map one-to-one onto HTTP statuses.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace tta {

enum class ErrorCode {
    kInvalid,          // bad input from a caller: 400
    kUnauthenticated,  // 401
    kForbidden,        // 403
    kNotFound,         // 404
    kConflict,         // 409
    kTooLarge,         // 413
    kRateLimited,      // 429
    kInternal,         // a bug or a broken invariant: 500
    kUnavailable,      // a dependency is down or the store is damaged: 503
    kDeadline,         // an outside call ran out of time: 504
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;

    static Error Invalid(std::string m) { return {ErrorCode::kInvalid, std::move(m)}; }
    static Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
    static Error Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
    static Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
    static Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
};

// The HTTP status for a code (see STYLE.md, "Errors").
int HttpStatus(ErrorCode code);
// A stable lowercase name for a code, used in JSON error bodies: "invalid", "not_found", ...
std::string_view CodeName(ErrorCode code);

// Lets Result<T>::value() report an Error if it is ever called on a failed result.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <typename T>
using Result = boost::system::result<T, Error>;
using Status = boost::system::result<void, Error>;

// Success for Status-returning functions: `return Ok();`
inline Status Ok() { return {}; }

}  // namespace tta
