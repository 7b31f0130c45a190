#include "tta/core/error.hpp"

#include <stdexcept>

namespace tta {

int HttpStatus(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalid: return 400;
        case ErrorCode::kUnauthenticated: return 401;
        case ErrorCode::kForbidden: return 403;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kTooLarge: return 413;
        case ErrorCode::kRateLimited: return 429;
        case ErrorCode::kInternal: return 500;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kDeadline: return 504;
    }
    return 500;
}

std::string_view CodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalid: return "invalid";
        case ErrorCode::kUnauthenticated: return "unauthenticated";
        case ErrorCode::kForbidden: return "forbidden";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kTooLarge: return "too_large";
        case ErrorCode::kRateLimited: return "rate_limited";
        case ErrorCode::kInternal: return "internal";
        case ErrorCode::kUnavailable: return "unavailable";
        case ErrorCode::kDeadline: return "deadline";
    }
    return "internal";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw std::runtime_error(std::string(CodeName(e.code)) + ": " + e.message);
}

}  // namespace tta
