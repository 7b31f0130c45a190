// tta::server rate limits: token buckets keyed by client address or account. A bucket holds
// up to `burst` tokens and refills at `rate` tokens a second; a request takes one token or is
// refused with the time until one is available (sent as Retry-After). Time comes from an
// injected tta::Clock, so tests move it by hand.
//
// Thread-safe; keys are spread over shards with a lock each. Memory is bounded: when a shard
// holds too many keys, buckets that have refilled completely (and so carry no state worth
// keeping) are dropped.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tta/core/clock.hpp"

namespace tta::server {

class RateLimiter {
  public:
    struct Decision {
        bool allowed = true;
        std::chrono::milliseconds retry_after{0};  // when refused: until one token is back
    };

    // `clock` must outlive the limiter. rate > 0, burst >= 1.
    RateLimiter(double rate_per_second, double burst, const Clock& clock,
                std::size_t max_keys = 100'000);

    Decision Take(std::string_view key);

    // Whole seconds for a Retry-After header: at least 1, rounded up.
    static long long RetryAfterSeconds(std::chrono::milliseconds wait);

  private:
    struct Bucket {
        double tokens;
        std::chrono::system_clock::time_point last;
    };
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Bucket> buckets;
    };
    static constexpr std::size_t kShards = 16;

    void Prune(Shard& shard, std::chrono::system_clock::time_point now);

    double rate_;
    double burst_;
    const Clock& clock_;
    std::size_t max_keys_per_shard_;
    std::array<Shard, kShards> shards_;
};

}  // namespace tta::server
