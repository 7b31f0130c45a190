#include "tta/resilience/cancel.hpp"

#include <condition_variable>
#include <thread>
#include <utility>

namespace tta::resilience {

std::chrono::nanoseconds Deadline::Remaining(Clock::time_point now) const {
    if (IsNever()) return std::chrono::hours(24 * 365);
    return now >= at_ ? std::chrono::nanoseconds(0) : at_ - now;
}

struct detail::CancelState {
    std::mutex mu;
    bool cancelled = false;
    std::uint64_t next_id = 1;
    std::map<std::uint64_t, std::function<void()>> callbacks;
    // While Cancel() runs the callbacks (without the lock), a registration being destroyed
    // must wait for it: its callback may be running and touching what the owner frees next.
    std::condition_variable done;
    bool running = false;
    std::thread::id runner;  // the thread running the callbacks
};

CancelSource::CancelSource() : state_(std::make_shared<detail::CancelState>()) {}

void CancelSource::Cancel() {
    std::map<std::uint64_t, std::function<void()>> callbacks;
    {
        std::lock_guard lock(state_->mu);
        if (state_->cancelled) return;
        state_->cancelled = true;
        state_->running = true;
        state_->runner = std::this_thread::get_id();
        callbacks.swap(state_->callbacks);
    }
    for (auto& [id, callback] : callbacks) callback();
    {
        std::lock_guard lock(state_->mu);
        state_->running = false;
    }
    state_->done.notify_all();
}

bool CancelSource::IsCancelled() const {
    std::lock_guard lock(state_->mu);
    return state_->cancelled;
}

CancelToken CancelSource::Token() const { return CancelToken(state_); }

bool CancelToken::IsCancelled() const {
    if (!state_) return false;
    std::lock_guard lock(state_->mu);
    return state_->cancelled;
}

CancelRegistration CancelToken::OnCancel(std::function<void()> callback) const {
    if (!state_) return {};
    {
        std::lock_guard lock(state_->mu);
        if (!state_->cancelled) {
            const std::uint64_t id = state_->next_id++;
            state_->callbacks.emplace(id, std::move(callback));
            return CancelRegistration(state_, id);
        }
    }
    callback();
    return {};
}

CancelRegistration::CancelRegistration(CancelRegistration&& other) noexcept
    : state_(std::move(other.state_)), id_(other.id_) {}

CancelRegistration& CancelRegistration::operator=(CancelRegistration&& other) noexcept {
    if (this != &other) {
        Reset();
        state_ = std::move(other.state_);
        id_ = other.id_;
    }
    return *this;
}

CancelRegistration::~CancelRegistration() { Reset(); }

void CancelRegistration::Reset() {
    if (!state_) return;
    std::unique_lock lock(state_->mu);
    state_->callbacks.erase(id_);
    // A callback that drops a registration runs on the cancelling thread: it must not wait.
    if (state_->runner != std::this_thread::get_id()) {
        state_->done.wait(lock, [&] { return !state_->running; });
    }
    state_.reset();
}

}  // namespace tta::resilience
