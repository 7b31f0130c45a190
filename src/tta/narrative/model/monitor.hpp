// tta::narrative::model performance monitor: what each provider has been doing lately — the
// router's selector reads it to choose, `/metrics` exports it, `tta models status` shows it.
// Recent behaviour is an exponentially weighted moving average over requests (each new one
// weighs 20%), so a provider that recovers is trusted again within a handful of requests.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "tta/core/metrics.hpp"
#include "tta/narrative/model/transport.hpp"

namespace tta::narrative::model {

struct ProviderSnapshot {
    std::uint64_t requests = 0;  // finished requests the provider answered or failed
    std::uint64_t failures = 0;
    double latency_seconds = 0;      // moving average over successful requests
    double first_token_seconds = 0;  // moving average
    double error_rate = 0;           // moving average of failures (0..1)
    double tokens_per_second = 0;    // completion tokens after the first, moving average
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    double cost = 0;  // in the configured currency
    int in_flight = 0;
    std::uint64_t rejections = 0;  // texts that failed validation
    bool has_latency = false;
};

class ProviderMonitor {
  public:
    // `registry` may be null (no export).
    ProviderMonitor(std::string provider, metrics::Registry* registry);

    // One finished request. Cancelled and caller-stopped requests say nothing about the
    // provider's health and are counted only by result.
    void Record(const StreamResult& result, const Usage& usage, double cost);
    // The caller rejected the provider's text (coherence, output gate, length).
    void RecordRejection(std::string_view check);
    void Started();
    void Finished();

    ProviderSnapshot Read() const;

  private:
    static void Blend(std::atomic<double>& average, double sample);

    const std::string provider_;
    metrics::CounterFamily* results_ = nullptr;
    metrics::CounterFamily* rejections_family_ = nullptr;
    metrics::Histogram* request_seconds_ = nullptr;
    metrics::Histogram* first_token_seconds_ = nullptr;
    metrics::Counter* prompt_tokens_ = nullptr;
    metrics::Counter* completion_tokens_ = nullptr;
    metrics::Counter* cost_ = nullptr;
    metrics::Gauge* tokens_per_second_gauge_ = nullptr;
    metrics::Gauge* error_rate_gauge_ = nullptr;
    metrics::Gauge* in_flight_gauge_ = nullptr;

    std::atomic<std::uint64_t> requests_{0};
    std::atomic<std::uint64_t> failures_{0};
    std::atomic<std::uint64_t> rejections_{0};
    std::atomic<double> latency_{0};
    std::atomic<double> first_token_latency_{0};
    std::atomic<double> error_rate_{0};
    std::atomic<double> tokens_per_second_{0};
    std::atomic<bool> has_latency_{false};
    std::atomic<std::int64_t> prompt_total_{0};
    std::atomic<std::int64_t> completion_total_{0};
    std::atomic<double> cost_total_{0};
    std::atomic<int> in_flight_{0};
};

}  // namespace tta::narrative::model
