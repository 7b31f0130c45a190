#include "tta/resilience/retry.hpp"

#include <algorithm>
#include <cmath>

namespace tta::resilience {

std::chrono::milliseconds Backoff(const BackoffOptions& options, int retry, Rng& rng) {
    const double base = static_cast<double>(options.base.count());
    const double cap = static_cast<double>(options.max.count());
    const double ceiling = std::min(cap, base * std::ldexp(1.0, std::clamp(retry, 0, 30)));
    return std::chrono::milliseconds(static_cast<std::int64_t>(rng.Unit() * ceiling));
}

RetryBudget::RetryBudget(std::string name, RetryBudgetOptions options, const Clock& clock,
                         metrics::Registry* registry)
    : name_(std::move(name)), options_(options), clock_(clock) {
    if (registry != nullptr) {
        auto& family = registry->AddCounter("tta_resilience_retries_total",
                                            "Retries the retry budget allowed or refused.",
                                            {"budget", "result"});
        allowed_ = &family.With({name_, "allowed"});
        denied_ = &family.With({name_, "denied"});
    }
}

void RetryBudget::Expire(std::chrono::system_clock::time_point now) {
    const auto horizon = now - options_.window;
    while (!requests_.empty() && requests_.front() <= horizon) requests_.pop_front();
    while (!retries_.empty() && retries_.front() <= horizon) retries_.pop_front();
}

void RetryBudget::RecordRequest() {
    std::lock_guard lock(mu_);
    const auto now = clock_.Now();
    Expire(now);
    requests_.push_back(now);
}

bool RetryBudget::TryRetry() {
    std::lock_guard lock(mu_);
    const auto now = clock_.Now();
    Expire(now);
    const double allowed =
        options_.min_retries + options_.ratio * static_cast<double>(requests_.size());
    if (static_cast<double>(retries_.size()) + 1.0 > allowed) {
        if (denied_ != nullptr) denied_->Inc();
        return false;
    }
    retries_.push_back(now);
    if (allowed_ != nullptr) allowed_->Inc();
    return true;
}

}  // namespace tta::resilience
