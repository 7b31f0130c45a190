// tta::resilience: what every outside call goes through (ARCHITECTURE.md, principle 5) — a
// circuit breaker per dependency, retries with jittered backoff under a retry budget,
// deadlines, and cancellation. Pure policy: no I/O, time from an injected tta::Clock, so the
// tests drive every state change without sleeping.
//
// This header: the circuit breaker. Closed, it lets calls through and counts consecutive
// failures; after `failure_threshold` of them it opens and refuses calls for `open_for`; then
// it lets exactly one probe through (half-open). The probe's success closes it, its failure
// opens it again. Each state is a gauge (1 for the current state, 0 for the others), as
// Envoy does, so dashboards can graph and alert on `state="open"`.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "tta/core/clock.hpp"
#include "tta/core/metrics.hpp"

namespace tta::resilience {

enum class BreakerState { kClosed, kOpen, kHalfOpen };
// "closed", "open", "half_open": the `state` label of the gauge.
std::string_view BreakerStateName(BreakerState state);

struct BreakerOptions {
    int failure_threshold = 5;  // consecutive failures that open the breaker
    std::chrono::milliseconds open_for{std::chrono::seconds(30)};
};

class CircuitBreaker;

// Leave to make one call. Report how it went with Success() or Failure(); a permit dropped
// without either (the caller gave up, e.g. the player left) counts as neither, and a probe's
// slot is freed for the next caller.
class Permit {
  public:
    Permit() = default;
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

    explicit operator bool() const { return breaker_ != nullptr; }
    bool IsProbe() const { return probe_; }
    void Success();
    void Failure();

  private:
    friend class CircuitBreaker;
    Permit(CircuitBreaker* breaker, bool probe, std::uint64_t generation)
        : breaker_(breaker), probe_(probe), generation_(generation) {}
    void Release();

    CircuitBreaker* breaker_ = nullptr;
    bool probe_ = false;
    std::uint64_t generation_ = 0;
};

class CircuitBreaker {
  public:
    // `registry` may be null (no metrics). The breaker must outlive its permits.
    CircuitBreaker(std::string name, BreakerOptions options, const Clock& clock,
                   metrics::Registry* registry = nullptr);
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    // A permit, or an empty one when the breaker is open or its one probe is out.
    Permit TryAcquire();

    // The state now (an open breaker whose wait is over reads as half-open).
    BreakerState State() const;
    const std::string& Name() const { return name_; }
    int ConsecutiveFailures() const;
    // When an open breaker will let a probe through; the epoch when not open.
    std::chrono::system_clock::time_point RetryAt() const;

  private:
    friend class Permit;
    void OnResult(bool probe, std::uint64_t generation, bool ok);
    void OnAbandoned(bool probe, std::uint64_t generation);
    void MoveTo(BreakerState next);  // mu_ held
    BreakerState StateLocked() const;

    const std::string name_;
    const BreakerOptions options_;
    const Clock& clock_;

    mutable std::mutex mu_;
    BreakerState state_ = BreakerState::kClosed;
    int failures_ = 0;
    bool probe_out_ = false;
    // Bumped on every transition so that results of calls admitted in an earlier state (a
    // slow call that started while closed and ends after the breaker opened) change nothing.
    std::uint64_t generation_ = 0;
    std::chrono::system_clock::time_point opened_at_{};

    metrics::Gauge* gauges_[3] = {nullptr, nullptr, nullptr};  // by BreakerState
    metrics::Counter* rejected_ = nullptr;
    metrics::CounterFamily* transitions_ = nullptr;
};

}  // namespace tta::resilience
