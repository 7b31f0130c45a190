// tta::store metrics: a StoreObserver that turns store calls and group commits into Prometheus
// metrics in a tta::metrics::Registry (ARCHITECTURE.md, principle 10). Works for every backend.
//
//   tta_store_calls_total{op,outcome}   calls by method and result ("ok", "conflict", ...)
//   tta_store_call_seconds{op}          latency of each call, as the caller saw it
//   tta_store_commit_seconds            one write transaction (group commit), BEGIN to COMMIT
//   tta_store_commit_batch_size         writes carried by one group commit
//
//   metrics::Registry& registry = metrics::DefaultRegistry();
//   store::MetricsObserver observer(registry);   // must outlive the store
//   options.observer = &observer;
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "tta/core/metrics.hpp"
#include "tta/store/observer.hpp"

namespace tta::store {

class MetricsObserver final : public StoreObserver {
  public:
    explicit MetricsObserver(metrics::Registry& registry);

    void OnCall(std::string_view op, std::string_view outcome,
                std::chrono::nanoseconds elapsed) noexcept override;
    void OnCommit(std::size_t writes, std::chrono::nanoseconds elapsed) noexcept override;

  private:
    // "ok" and one per tta::ErrorCode.
    static constexpr std::size_t kOutcomes = 11;

    // The cells of one op, found once and then reached without the registry's locks.
    struct OpCells {
        metrics::Histogram* seconds = nullptr;
        std::array<std::atomic<metrics::Counter*>, kOutcomes> calls{};
    };
    OpCells& Cells(std::string_view op);

    metrics::CounterFamily& calls_;
    metrics::HistogramFamily& call_seconds_;
    metrics::Histogram& commit_seconds_;
    metrics::Histogram& batch_size_;
    std::shared_mutex mu_;
    std::map<std::string, std::unique_ptr<OpCells>, std::less<>> ops_;
};

}  // namespace tta::store
