// tta::resilience deadlines and cancellation: how a caller bounds an outside call in time and
// stops it early (the player left, the turn was abandoned).
//
// A Deadline is a point on the steady clock (wall-clock jumps must not fire or postpone it);
// CancelSource/CancelToken are a one-shot flag with callbacks, shared by copies of the token,
// so an I/O loop can close its socket the moment the caller cancels rather than at its next
// poll.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace tta::resilience {
namespace detail {
struct CancelState;
}

class Deadline {
  public:
    using Clock = std::chrono::steady_clock;

    // Never expires.
    Deadline() = default;
    static Deadline At(Clock::time_point at) { return Deadline(at); }
    static Deadline After(std::chrono::nanoseconds d) { return Deadline(Clock::now() + d); }
    static Deadline Never() { return Deadline(); }

    bool IsNever() const { return at_ == Clock::time_point::max(); }
    Clock::time_point When() const { return at_; }
    bool Expired(Clock::time_point now = Clock::now()) const { return now >= at_; }
    // Time left, zero once expired; a very long time for Never().
    std::chrono::nanoseconds Remaining(Clock::time_point now = Clock::now()) const;
    // The earlier of the two.
    Deadline Min(const Deadline& other) const { return at_ <= other.at_ ? *this : other; }

  private:
    explicit Deadline(Clock::time_point at) : at_(at) {}
    Clock::time_point at_ = Clock::time_point::max();
};

class CancelToken;

// Owns the flag. Cancel() is thread-safe, idempotent, and runs every registered callback once,
// on the cancelling thread.
class CancelSource {
  public:
    CancelSource();
    void Cancel();
    bool IsCancelled() const;
    CancelToken Token() const;

  private:
    std::shared_ptr<detail::CancelState> state_;
};

// Keeps a callback registered for as long as it lives.
class CancelRegistration {
  public:
    CancelRegistration() = default;
    CancelRegistration(CancelRegistration&& other) noexcept;
    CancelRegistration& operator=(CancelRegistration&& other) noexcept;
    CancelRegistration(const CancelRegistration&) = delete;
    CancelRegistration& operator=(const CancelRegistration&) = delete;
    ~CancelRegistration();

  private:
    friend class CancelToken;
    CancelRegistration(std::shared_ptr<detail::CancelState> state, std::uint64_t id)
        : state_(std::move(state)), id_(id) {}
    void Reset();
    std::shared_ptr<detail::CancelState> state_;
    std::uint64_t id_ = 0;
};

// What a callee sees. A default-constructed token is never cancelled.
class CancelToken {
  public:
    CancelToken() = default;
    bool IsCancelled() const;
    // Runs `callback` when the source is cancelled, or at once (on this thread) if it already
    // is. The callback may run on another thread; keep the registration alive while anything
    // it touches is.
    [[nodiscard]] CancelRegistration OnCancel(std::function<void()> callback) const;

  private:
    friend class CancelSource;
    explicit CancelToken(std::shared_ptr<detail::CancelState> state) : state_(std::move(state)) {}
    std::shared_ptr<detail::CancelState> state_;
};

}  // namespace tta::resilience
