#include "tta/server/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace tta::server {

RateLimiter::RateLimiter(double rate_per_second, double burst, const Clock& clock,
                         std::size_t max_keys)
    : rate_(rate_per_second),
      burst_(burst),
      clock_(clock),
      max_keys_per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

RateLimiter::Decision RateLimiter::Take(std::string_view key) {
    const auto now = clock_.Now();
    Shard& shard = shards_[std::hash<std::string_view>()(key) % kShards];
    std::lock_guard lock(shard.mu);
    auto it = shard.buckets.find(std::string(key));
    if (it == shard.buckets.end()) {
        if (shard.buckets.size() >= max_keys_per_shard_) Prune(shard, now);
        it = shard.buckets.emplace(std::string(key), Bucket{burst_, now}).first;
    }
    Bucket& b = it->second;
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    if (elapsed > 0) {
        b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.last = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return {};
    }
    const double wait_s = (1.0 - b.tokens) / rate_;
    return {false, std::chrono::milliseconds(static_cast<long long>(std::ceil(wait_s * 1000)))};
}

void RateLimiter::Prune(Shard& shard, std::chrono::system_clock::time_point now) {
    std::erase_if(shard.buckets, [&](const auto& kv) {
        const double elapsed = std::chrono::duration<double>(now - kv.second.last).count();
        return kv.second.tokens + elapsed * rate_ >= burst_;
    });
    // Everyone is active: forget the oldest half rather than grow without bound.
    if (shard.buckets.size() >= max_keys_per_shard_) {
        std::vector<std::chrono::system_clock::time_point> times;
        for (const auto& kv : shard.buckets) times.push_back(kv.second.last);
        auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
        std::nth_element(times.begin(), mid, times.end());
        const auto cutoff = *mid;
        std::erase_if(shard.buckets, [&](const auto& kv) { return kv.second.last <= cutoff; });
    }
}

long long RateLimiter::RetryAfterSeconds(std::chrono::milliseconds wait) {
    return std::max<long long>(1, (wait.count() + 999) / 1000);
}

}  // namespace tta::server
