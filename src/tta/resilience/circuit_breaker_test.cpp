#include "tta/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace tta::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class CircuitBreakerTest : public ::testing::Test {
  protected:
    BreakerOptions options_{.failure_threshold = 5, .open_for = seconds(30)};
    ManualClock clock_;
    metrics::Registry registry_;
    CircuitBreaker breaker_{"model:local", options_, clock_, &registry_};

    void Fail(int n) {
        for (int i = 0; i < n; ++i) {
            auto permit = breaker_.TryAcquire();
            ASSERT_TRUE(permit);
            permit.Failure();
        }
    }
    double Gauge(std::string_view state) {
        return registry_
            .AddGauge("tta_resilience_breaker_state",
                      "Circuit breaker state: 1 for the state each breaker is in, 0 "
                      "for the others.",
                      {"breaker", "state"})
            .With({"model:local", state})
            .Value();
    }
};

TEST_F(CircuitBreakerTest, StartsClosedAndLetsCallsThrough) {
    EXPECT_EQ(breaker_.State(), BreakerState::kClosed);
    auto permit = breaker_.TryAcquire();
    EXPECT_TRUE(permit);
    EXPECT_FALSE(permit.IsProbe());
    EXPECT_EQ(Gauge("closed"), 1);
    EXPECT_EQ(Gauge("open"), 0);
}

TEST_F(CircuitBreakerTest, OpensAfterFiveConsecutiveFailures) {
    Fail(4);
    EXPECT_EQ(breaker_.State(), BreakerState::kClosed);
    Fail(1);
    EXPECT_EQ(breaker_.State(), BreakerState::kOpen);
    EXPECT_FALSE(breaker_.TryAcquire());
    EXPECT_EQ(Gauge("open"), 1);
    EXPECT_EQ(Gauge("closed"), 0);
}

TEST_F(CircuitBreakerTest, ASuccessResetsTheFailureCount) {
    Fail(4);
    breaker_.TryAcquire().Success();
    Fail(4);
    EXPECT_EQ(breaker_.State(), BreakerState::kClosed);
    EXPECT_EQ(breaker_.ConsecutiveFailures(), 4);
}

TEST_F(CircuitBreakerTest, LetsExactlyOneProbeThroughAfterTheWait) {
    Fail(5);
    clock_.Advance(seconds(29));
    EXPECT_FALSE(breaker_.TryAcquire());
    clock_.Advance(seconds(1));
    EXPECT_EQ(breaker_.State(), BreakerState::kHalfOpen);
    auto probe = breaker_.TryAcquire();
    ASSERT_TRUE(probe);
    EXPECT_TRUE(probe.IsProbe());
    EXPECT_FALSE(breaker_.TryAcquire());  // the one probe is out
    EXPECT_EQ(Gauge("half_open"), 1);
}

TEST_F(CircuitBreakerTest, ASuccessfulProbeClosesIt) {
    Fail(5);
    clock_.Advance(seconds(30));
    breaker_.TryAcquire().Success();
    EXPECT_EQ(breaker_.State(), BreakerState::kClosed);
    EXPECT_EQ(breaker_.ConsecutiveFailures(), 0);
    EXPECT_TRUE(breaker_.TryAcquire());
    EXPECT_EQ(Gauge("closed"), 1);
    EXPECT_EQ(Gauge("half_open"), 0);
}

TEST_F(CircuitBreakerTest, AFailedProbeOpensItForAnotherFullWait) {
    Fail(5);
    clock_.Advance(seconds(30));
    breaker_.TryAcquire().Failure();
    EXPECT_EQ(breaker_.State(), BreakerState::kOpen);
    EXPECT_EQ(breaker_.RetryAt(), clock_.Now() + seconds(30));
    clock_.Advance(seconds(29));
    EXPECT_FALSE(breaker_.TryAcquire());
    clock_.Advance(seconds(1));
    EXPECT_TRUE(breaker_.TryAcquire());
}

TEST_F(CircuitBreakerTest, AnAbandonedProbeFreesTheSlot) {
    Fail(5);
    clock_.Advance(seconds(30));
    { auto probe = breaker_.TryAcquire(); }  // the caller gave up: no verdict
    EXPECT_EQ(breaker_.State(), BreakerState::kHalfOpen);
    EXPECT_TRUE(breaker_.TryAcquire());
}

TEST_F(CircuitBreakerTest, ResultsOfCallsAdmittedBeforeATransitionAreIgnored) {
    auto slow = breaker_.TryAcquire();  // started while closed
    Fail(5);
    clock_.Advance(seconds(30));
    auto probe = breaker_.TryAcquire();
    slow.Success();  // a stale success must not close the breaker under the probe
    EXPECT_EQ(breaker_.State(), BreakerState::kHalfOpen);
    probe.Failure();
    EXPECT_EQ(breaker_.State(), BreakerState::kOpen);
}

TEST_F(CircuitBreakerTest, CountsRefusalsAndTransitions) {
    Fail(5);
    (void)breaker_.TryAcquire();
    (void)breaker_.TryAcquire();
    const std::string text = registry_.Expose();
    EXPECT_NE(text.find("tta_resilience_breaker_rejected_total{breaker=\"model:local\"} 2"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("tta_resilience_breaker_transitions_total{breaker=\"model:local\",to="
                        "\"open\"} 1"),
              std::string::npos)
        << text;
}

TEST(CircuitBreaker, WorksWithoutARegistry) {
    ManualClock clock;
    CircuitBreaker breaker("x", {.failure_threshold = 1, .open_for = milliseconds(10)}, clock);
    breaker.TryAcquire().Failure();
    EXPECT_EQ(breaker.State(), BreakerState::kOpen);
    clock.Advance(milliseconds(10));
    breaker.TryAcquire().Success();
    EXPECT_EQ(breaker.State(), BreakerState::kClosed);
}

}  // namespace
}  // namespace tta::resilience
