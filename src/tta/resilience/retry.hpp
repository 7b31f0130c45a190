// tta::resilience retries: how long to wait before trying again, and whether trying again is
// allowed at all.
//
// Backoff is exponential with "full jitter" (Brooker, "Exponential Backoff And Jitter", AWS
// Architecture Blog, 2015): the wait before retry n is uniform in [0, min(max, base * 2^n)),
// so clients that failed together do not retry together.
//
// A retry budget caps retries at a fraction of recent first attempts (plus a small floor so a
// quiet process can still retry), as Finagle and gRPC do. Without one, a provider that starts
// failing gets its normal load multiplied by the retry count exactly when it can least take
// it; with one, retries stop once they would exceed, say, 20% of traffic.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "tta/core/clock.hpp"
#include "tta/core/metrics.hpp"
#include "tta/core/rng.hpp"

namespace tta::resilience {

struct BackoffOptions {
    std::chrono::milliseconds base{50};
    std::chrono::milliseconds max{2000};
};

// The wait before retry `retry` (0 for the first retry), drawn with `rng`.
std::chrono::milliseconds Backoff(const BackoffOptions& options, int retry, Rng& rng);

struct RetryBudgetOptions {
    double ratio = 0.2;   // retries allowed per first attempt over the window
    int min_retries = 3;  // retries allowed in any window regardless of traffic
    std::chrono::milliseconds window{std::chrono::seconds(10)};
};

class RetryBudget {
  public:
    // `registry` may be null. `name` labels the metrics.
    RetryBudget(std::string name, RetryBudgetOptions options, const Clock& clock,
                metrics::Registry* registry = nullptr);
    RetryBudget(const RetryBudget&) = delete;
    RetryBudget& operator=(const RetryBudget&) = delete;

    // Every first attempt deposits into the budget.
    void RecordRequest();
    // A retry is about to happen: true (and it is counted) when the budget allows it.
    bool TryRetry();

  private:
    void Expire(std::chrono::system_clock::time_point now);  // mu_ held

    const std::string name_;
    const RetryBudgetOptions options_;
    const Clock& clock_;
    std::mutex mu_;
    std::deque<std::chrono::system_clock::time_point> requests_;
    std::deque<std::chrono::system_clock::time_point> retries_;
    metrics::Counter* allowed_ = nullptr;
    metrics::Counter* denied_ = nullptr;
};

}  // namespace tta::resilience
