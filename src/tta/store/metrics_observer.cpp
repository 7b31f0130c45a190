#include "tta/store/metrics_observer.hpp"

#include <mutex>

#include "tta/core/error.hpp"

namespace tta::store {

namespace {

constexpr ErrorCode kCodes[] = {
    ErrorCode::kInvalid,     ErrorCode::kUnauthenticated, ErrorCode::kForbidden,
    ErrorCode::kNotFound,    ErrorCode::kConflict,        ErrorCode::kTooLarge,
    ErrorCode::kRateLimited, ErrorCode::kInternal,        ErrorCode::kUnavailable,
    ErrorCode::kDeadline,
};

// 0 for "ok", 1 + the code's position otherwise; unknown outcomes count as internal.
std::size_t OutcomeIndex(std::string_view outcome) {
    if (outcome == "ok") return 0;
    for (std::size_t i = 0; i < std::size(kCodes); ++i) {
        if (CodeName(kCodes[i]) == outcome) return i + 1;
    }
    return 1 + 7;  // kInternal
}

std::string_view OutcomeName(std::size_t index) {
    return index == 0 ? std::string_view("ok") : CodeName(kCodes[index - 1]);
}

double Seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

MetricsObserver::MetricsObserver(metrics::Registry& registry)
    : calls_(registry.AddCounter("tta_store_calls_total",
                                 "Store calls by method and outcome (ok or the error code).",
                                 {"op", "outcome"})),
      call_seconds_(registry.AddHistogram("tta_store_call_seconds",
                                          "Latency of store calls as the caller saw them.", {"op"},
                                          metrics::kLatencyBuckets)),
      commit_seconds_(registry
                          .AddHistogram("tta_store_commit_seconds",
                                        "Duration of one group commit, BEGIN to COMMIT.", {},
                                        metrics::kLatencyBuckets)
                          .With({})),
      batch_size_(registry
                      .AddHistogram("tta_store_commit_batch_size",
                                    "Writes carried by one group commit.", {},
                                    metrics::ExponentialBuckets(1, 2, 11))
                      .With({})) {}

MetricsObserver::OpCells& MetricsObserver::Cells(std::string_view op) {
    {
        std::shared_lock lock(mu_);
        auto it = ops_.find(op);
        if (it != ops_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto it = ops_.find(op);
    if (it == ops_.end()) {
        auto cells = std::make_unique<OpCells>();
        cells->seconds = &call_seconds_.With({op});
        it = ops_.emplace(std::string(op), std::move(cells)).first;
    }
    return *it->second;
}

void MetricsObserver::OnCall(std::string_view op, std::string_view outcome,
                             std::chrono::nanoseconds elapsed) noexcept {
    OpCells& cells = Cells(op);
    const std::size_t i = OutcomeIndex(outcome);
    metrics::Counter* counter = cells.calls[i].load(std::memory_order_acquire);
    if (counter == nullptr) {
        // With() returns the same cell to every thread, so a race here only repeats a lookup.
        counter = &calls_.With({op, OutcomeName(i)});
        cells.calls[i].store(counter, std::memory_order_release);
    }
    counter->Inc();
    cells.seconds->Observe(Seconds(elapsed));
}

void MetricsObserver::OnCommit(std::size_t writes, std::chrono::nanoseconds elapsed) noexcept {
    commit_seconds_.Observe(Seconds(elapsed));
    batch_size_.Observe(static_cast<double>(writes));
}

}  // namespace tta::store
