// tta::core clock: time is injected so that turns replay exactly and tests never sleep.
#pragma once

#include <chrono>
#include <cstdint>

namespace tta {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point Now() const = 0;
    // Milliseconds since the Unix epoch, the form stored in records.
    std::int64_t NowMillis() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch())
            .count();
    }
};

class SystemClock final : public Clock {
public:
    std::chrono::system_clock::time_point Now() const override {
        return std::chrono::system_clock::now();
    }
};

// A clock that moves only when told to; for tests and replays.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::chrono::system_clock::time_point start = {}) : now_(start) {}
    std::chrono::system_clock::time_point Now() const override { return now_; }
    void Advance(std::chrono::system_clock::duration d) { now_ += d; }
    void Set(std::chrono::system_clock::time_point t) { now_ = t; }

private:
    std::chrono::system_clock::time_point now_;
};

}  // namespace tta
