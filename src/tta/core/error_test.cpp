#include "tta/core/error.hpp"

#include <gtest/gtest.h>

namespace tta {
namespace {

Result<int> Half(int x) {
    if (x % 2 != 0) return Error::Invalid("odd");
    return x / 2;
}

TEST(Error, CodesMapToHttpStatuses) {
    EXPECT_EQ(HttpStatus(ErrorCode::kInvalid), 400);
    EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
    EXPECT_EQ(HttpStatus(ErrorCode::kForbidden), 403);
    EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
    EXPECT_EQ(HttpStatus(ErrorCode::kConflict), 409);
    EXPECT_EQ(HttpStatus(ErrorCode::kTooLarge), 413);
    EXPECT_EQ(HttpStatus(ErrorCode::kRateLimited), 429);
    EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
    EXPECT_EQ(HttpStatus(ErrorCode::kUnavailable), 503);
    EXPECT_EQ(HttpStatus(ErrorCode::kDeadline), 504);
    EXPECT_EQ(CodeName(ErrorCode::kNotFound), "not_found");
}

TEST(Error, ResultCarriesValueOrError) {
    auto ok = Half(4);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 2);
    auto bad = Half(3);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(bad.error().message, "odd");
    EXPECT_THROW(bad.value(), std::runtime_error);
}

}  // namespace
}  // namespace tta
