#include "tta/resilience/circuit_breaker.hpp"

#include <utility>

namespace tta::resilience {

std::string_view BreakerStateName(BreakerState state) {
    switch (state) {
        case BreakerState::kClosed:
            return "closed";
        case BreakerState::kOpen:
            return "open";
        case BreakerState::kHalfOpen:
            return "half_open";
    }
    return "closed";
}

Permit::Permit(Permit&& other) noexcept
    : breaker_(std::exchange(other.breaker_, nullptr)),
      probe_(other.probe_),
      generation_(other.generation_) {}

Permit& Permit::operator=(Permit&& other) noexcept {
    if (this != &other) {
        Release();
        breaker_ = std::exchange(other.breaker_, nullptr);
        probe_ = other.probe_;
        generation_ = other.generation_;
    }
    return *this;
}

Permit::~Permit() { Release(); }

void Permit::Release() {
    if (breaker_ != nullptr) std::exchange(breaker_, nullptr)->OnAbandoned(probe_, generation_);
}

void Permit::Success() {
    if (breaker_ != nullptr) std::exchange(breaker_, nullptr)->OnResult(probe_, generation_, true);
}

void Permit::Failure() {
    if (breaker_ != nullptr) std::exchange(breaker_, nullptr)->OnResult(probe_, generation_, false);
}

CircuitBreaker::CircuitBreaker(std::string name, BreakerOptions options, const Clock& clock,
                               metrics::Registry* registry)
    : name_(std::move(name)), options_(options), clock_(clock) {
    if (registry != nullptr) {
        auto& states = registry->AddGauge(
            "tta_resilience_breaker_state",
            "Circuit breaker state: 1 for the state each breaker is in, 0 for the others.",
            {"breaker", "state"});
        for (auto s : {BreakerState::kClosed, BreakerState::kOpen, BreakerState::kHalfOpen}) {
            gauges_[static_cast<int>(s)] = &states.With({name_, BreakerStateName(s)});
        }
        rejected_ = &registry
                         ->AddCounter("tta_resilience_breaker_rejected_total",
                                      "Calls a breaker refused because it was open.", {"breaker"})
                         .With({name_});
        transitions_ = &registry->AddCounter("tta_resilience_breaker_transitions_total",
                                             "Breaker state changes, by the state entered.",
                                             {"breaker", "to"});
        for (auto* g : gauges_) g->Set(0);
        gauges_[static_cast<int>(BreakerState::kClosed)]->Set(1);
    }
}

BreakerState CircuitBreaker::StateLocked() const {
    if (state_ == BreakerState::kOpen && clock_.Now() >= opened_at_ + options_.open_for) {
        return BreakerState::kHalfOpen;
    }
    return state_;
}

BreakerState CircuitBreaker::State() const {
    std::lock_guard lock(mu_);
    return StateLocked();
}

int CircuitBreaker::ConsecutiveFailures() const {
    std::lock_guard lock(mu_);
    return failures_;
}

std::chrono::system_clock::time_point CircuitBreaker::RetryAt() const {
    std::lock_guard lock(mu_);
    return state_ == BreakerState::kOpen ? opened_at_ + options_.open_for
                                         : std::chrono::system_clock::time_point{};
}

void CircuitBreaker::MoveTo(BreakerState next) {
    if (next == state_) return;
    if (gauges_[0] != nullptr) {
        gauges_[static_cast<int>(state_)]->Set(0);
        gauges_[static_cast<int>(next)]->Set(1);
        transitions_->With({name_, BreakerStateName(next)}).Inc();
    }
    state_ = next;
    ++generation_;
    probe_out_ = false;
    if (next == BreakerState::kOpen) opened_at_ = clock_.Now();
    if (next == BreakerState::kClosed) failures_ = 0;
}

Permit CircuitBreaker::TryAcquire() {
    std::lock_guard lock(mu_);
    if (StateLocked() != state_) MoveTo(StateLocked());  // the open wait is over
    switch (state_) {
        case BreakerState::kClosed:
            return Permit(this, false, generation_);
        case BreakerState::kHalfOpen:
            if (!probe_out_) {
                probe_out_ = true;
                return Permit(this, true, generation_);
            }
            break;
        case BreakerState::kOpen:
            break;
    }
    if (rejected_ != nullptr) rejected_->Inc();
    return Permit();
}

void CircuitBreaker::OnResult(bool probe, std::uint64_t generation, bool ok) {
    std::lock_guard lock(mu_);
    if (generation != generation_) return;  // admitted under an earlier state
    if (probe) {
        MoveTo(ok ? BreakerState::kClosed : BreakerState::kOpen);
        return;
    }
    if (ok) {
        failures_ = 0;
    } else if (++failures_ >= options_.failure_threshold) {
        MoveTo(BreakerState::kOpen);
    }
}

void CircuitBreaker::OnAbandoned(bool probe, std::uint64_t generation) {
    std::lock_guard lock(mu_);
    if (probe && generation == generation_) probe_out_ = false;
}

}  // namespace tta::resilience
