#include "tta/resilience/retry.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tta::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Backoff, StaysBelowTheExponentialCeiling) {
    Rng rng(1);
    const BackoffOptions options{.base = milliseconds(50), .max = milliseconds(2000)};
    for (int retry = 0; retry < 10; ++retry) {
        const auto ceiling = std::min<std::int64_t>(2000, 50LL << retry);
        for (int i = 0; i < 200; ++i) {
            const auto wait = Backoff(options, retry, rng);
            EXPECT_GE(wait.count(), 0);
            EXPECT_LT(wait.count(), ceiling);
        }
    }
}

TEST(Backoff, IsJitteredRatherThanFixed) {
    Rng rng(2);
    const BackoffOptions options{.base = milliseconds(100), .max = milliseconds(1000)};
    std::set<std::int64_t> seen;
    for (int i = 0; i < 50; ++i) seen.insert(Backoff(options, 2, rng).count());
    EXPECT_GT(seen.size(), 20u);
}

TEST(Backoff, IsReproducibleFromTheSeed) {
    Rng a(9), b(9);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(Backoff({}, i, a), Backoff({}, i, b));
}

TEST(RetryBudget, AllowsTheFloorWithNoTraffic) {
    ManualClock clock;
    RetryBudget budget("models", {.ratio = 0.2, .min_retries = 3, .window = seconds(10)}, clock);
    EXPECT_TRUE(budget.TryRetry());
    EXPECT_TRUE(budget.TryRetry());
    EXPECT_TRUE(budget.TryRetry());
    EXPECT_FALSE(budget.TryRetry());
}

TEST(RetryBudget, AllowsARatioOfRecentRequests) {
    ManualClock clock;
    metrics::Registry registry;
    RetryBudget budget("models", {.ratio = 0.2, .min_retries = 0, .window = seconds(10)}, clock,
                       &registry);
    for (int i = 0; i < 50; ++i) budget.RecordRequest();
    int allowed = 0;
    for (int i = 0; i < 100; ++i) allowed += budget.TryRetry() ? 1 : 0;
    EXPECT_EQ(allowed, 10);
    const std::string text = registry.Expose();
    EXPECT_NE(text.find("tta_resilience_retries_total{budget=\"models\",result=\"allowed\"} 10"),
              std::string::npos);
    EXPECT_NE(text.find("tta_resilience_retries_total{budget=\"models\",result=\"denied\"} 90"),
              std::string::npos);
}

TEST(RetryBudget, RefillsAsTheWindowSlides) {
    ManualClock clock;
    RetryBudget budget("models", {.ratio = 0.0, .min_retries = 1, .window = seconds(10)}, clock);
    EXPECT_TRUE(budget.TryRetry());
    EXPECT_FALSE(budget.TryRetry());
    clock.Advance(seconds(10));
    EXPECT_TRUE(budget.TryRetry());
}

}  // namespace
}  // namespace tta::resilience
