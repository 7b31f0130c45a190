// tta::store observer: the seam through which a backend reports every store call and every
// group commit, so the server can expose them as Prometheus metrics
// (tta_store_calls_total{op,outcome}, tta_store_call_seconds{op},
// tta_store_commit_batch_size, tta_store_commit_seconds) without the store depending on a
// metrics library.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

namespace tta::store {

class StoreObserver {
  public:
    virtual ~StoreObserver() = default;
    // One public store call finished. `op` is the method name ("AppendTurn", "GetUser", ...);
    // `outcome` is "ok" or tta::CodeName of the error. Called on the caller's thread; must be
    // cheap and thread-safe.
    virtual void OnCall(std::string_view op, std::string_view outcome,
                        std::chrono::nanoseconds elapsed) noexcept = 0;
    // One write transaction (a group commit of `writes` queued writes) returned from COMMIT.
    virtual void OnCommit(std::size_t writes, std::chrono::nanoseconds elapsed) noexcept = 0;
};

}  // namespace tta::store
