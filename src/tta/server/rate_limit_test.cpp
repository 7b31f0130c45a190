#include "tta/server/rate_limit.hpp"

#include <gtest/gtest.h>

namespace tta::server {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, AllowsABurstThenRefusesUntilATokenRefills) {
    ManualClock clock;
    RateLimiter limiter(2, 3, clock);  // 2 a second, bursts of 3
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a").allowed) << i;
    const auto refused = limiter.Take("a");
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, milliseconds(500));
    clock.Advance(milliseconds(499));
    EXPECT_FALSE(limiter.Take("a").allowed);
    clock.Advance(milliseconds(1));
    EXPECT_TRUE(limiter.Take("a").allowed);
    EXPECT_FALSE(limiter.Take("a").allowed);
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
    ManualClock clock;
    RateLimiter limiter(1, 1, clock);
    EXPECT_TRUE(limiter.Take("10.0.0.1").allowed);
    EXPECT_FALSE(limiter.Take("10.0.0.1").allowed);
    EXPECT_TRUE(limiter.Take("10.0.0.2").allowed);
}

TEST(RateLimiter, RefillNeverExceedsTheBurst) {
    ManualClock clock;
    RateLimiter limiter(10, 2, clock);
    clock.Advance(std::chrono::hours(1));
    EXPECT_TRUE(limiter.Take("a").allowed);
    EXPECT_TRUE(limiter.Take("a").allowed);
    EXPECT_FALSE(limiter.Take("a").allowed);
}

TEST(RateLimiter, ForgettingIdleKeysKeepsMemoryBoundedWithoutFreeingBusyOnes) {
    ManualClock clock;
    RateLimiter limiter(1, 1, clock, /*max_keys=*/16);  // one key per shard
    EXPECT_TRUE(limiter.Take("busy").allowed);
    for (int i = 0; i < 1000; ++i) limiter.Take("k" + std::to_string(i));
    // Whatever was pruned, a key that is still empty stays refused within its window.
    clock.Advance(milliseconds(10));
    EXPECT_FALSE(limiter.Take("k999").allowed);
}

TEST(RateLimiter, RetryAfterIsWholeSecondsRoundedUp) {
    EXPECT_EQ(RateLimiter::RetryAfterSeconds(milliseconds(1)), 1);
    EXPECT_EQ(RateLimiter::RetryAfterSeconds(milliseconds(1000)), 1);
    EXPECT_EQ(RateLimiter::RetryAfterSeconds(milliseconds(1001)), 2);
    EXPECT_EQ(RateLimiter::RetryAfterSeconds(milliseconds(0)), 1);
}

}  // namespace
}  // namespace tta::server
