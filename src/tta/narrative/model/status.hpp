// tta::narrative::model status: what `tta models status` shows — each configured provider,
// whether it answers now (a probe), and what a running server's performance monitor says
// about it (read back from its /metrics exposition: breaker state, requests and failures,
// latency, time to first token, tokens per second, tokens and cost).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tta/narrative/model/http_transport.hpp"
#include "tta/narrative/model/router.hpp"

namespace tta::narrative::model {

// A provider as a running server's /metrics describes it.
struct MonitoredProvider {
    std::string name;
    std::string breaker = "unknown";  // closed, open, half_open
    double requests = 0;
    double failures = 0;      // requests that did not end "ok" (cancelled ones excluded)
    double error_ratio = 0;   // the monitor's recent error rate
    double mean_seconds = 0;  // over all requests
    double p50_seconds = 0;   // estimated from the histogram buckets
    double p95_seconds = 0;
    double mean_first_token_seconds = 0;
    double tokens_per_second = 0;
    double prompt_tokens = 0;
    double completion_tokens = 0;
    double cost = 0;
    double in_flight = 0;
    double rejections = 0;
};

// Reads every provider the exposition mentions (Prometheus text format 0.0.4).
std::vector<MonitoredProvider> ReadMonitor(std::string_view exposition);

struct ProbeResult {
    bool ok = false;
    std::string detail;  // "200 in 12 ms, model listed", or what went wrong
    std::chrono::milliseconds latency{0};
};

// Asks the provider for its model list (GET {base}/models): cheap, costs no tokens.
ProbeResult ProbeModels(HttpTransport& transport, const ProviderSpec& provider,
                        std::chrono::milliseconds timeout);

// The status table: one block per provider, configured facts first, then the probe (if any)
// and the monitor's figures (if any).
std::string FormatStatus(const std::vector<ProviderSpec>& providers,
                         const std::vector<std::optional<ProbeResult>>& probes,
                         const std::vector<MonitoredProvider>& monitored,
                         const std::vector<std::string>& warnings);

}  // namespace tta::narrative::model
