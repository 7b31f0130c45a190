// tta::narrative::model router: chooses a provider for each request and falls back along a
// chain when one fails (ARCHITECTURE.md, principle 5).
//
// The selector ranks the providers that serve the task by an expected cost in seconds:
//     recent latency × (1 + 4 × recent error rate) × (1 + share of its concurrency in use)
//     + 0.5 s per currency unit per 1k completion tokens
// with a prior of one second for a provider not yet heard from; ties keep config order. The
// error rate's weight halves every 30 s since the provider's last failure, so a provider
// that has recovered wins its traffic back. Each provider has a circuit breaker (an open one
// is skipped; a half-open one is tried first, for its one probe, so that recovery is noticed
// on the next request), a concurrency cap (a full provider is skipped rather than queued
// behind), and the
// whole router one retry budget: every attempt after a request's first must be allowed by it,
// so a failing fleet is not hammered with retries. With fewer providers than attempts the
// chain comes round again after a jittered backoff (longer if the provider sent
// Retry-After), never past the request's deadline.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tta/core/clock.hpp"
#include "tta/core/config.hpp"
#include "tta/core/metrics.hpp"
#include "tta/core/rng.hpp"
#include "tta/narrative/model/chat.hpp"
#include "tta/narrative/model/monitor.hpp"
#include "tta/narrative/model/transport.hpp"
#include "tta/resilience/circuit_breaker.hpp"
#include "tta/resilience/retry.hpp"

namespace tta::narrative::model {

// A configured provider with where to reach it (its key read from the environment).
struct ProviderSpec {
    ModelProviderConfig config;
    Endpoint endpoint;
    std::vector<Task> tasks;
};

// Reads `models.providers`: parses base URLs and reads each api_key_env with `getenv`.
// A provider whose key variable is unset is left out, with a warning naming the variable.
struct ResolvedProviders {
    std::vector<ProviderSpec> providers;
    std::vector<std::string> warnings;
};
Result<ResolvedProviders> ResolveProviders(
    const ModelsConfig& config, const std::function<const char*(const char*)>& getenv =
                                    [](const char* name) { return std::getenv(name); });

struct RouterOptions {
    resilience::BreakerOptions breaker;
    resilience::RetryBudgetOptions retry_budget;
    resilience::BackoffOptions backoff;
    int max_attempts = 2;
    std::uint64_t seed = 0;  // for backoff jitter; 0: a random seed
};
RouterOptions RouterOptionsFrom(const ModelsConfig& config);

class Provider {
  public:
    Provider(ProviderSpec spec, const RouterOptions& options, const Clock& clock,
             metrics::Registry* registry);

    const std::string& Name() const { return spec_.config.name; }
    const ModelProviderConfig& Config() const { return spec_.config; }
    const Endpoint& GetEndpoint() const { return spec_.endpoint; }
    bool Serves(Task task) const;
    resilience::CircuitBreaker& Breaker() { return breaker_; }
    const resilience::CircuitBreaker& Breaker() const { return breaker_; }
    ProviderMonitor& Monitor() { return monitor_; }
    const ProviderMonitor& Monitor() const { return monitor_; }
    // The selector's expected cost in seconds (lower is better).
    double Score() const;
    // Takes a concurrency slot; false when all are in use.
    bool TryReserve();
    void Release();
    double Cost(const Usage& usage) const;

    // Called by the router after each attempt it made.
    void Recorded(bool failed);

  private:
    ProviderSpec spec_;
    const Clock& clock_;
    std::atomic<std::int64_t> last_failure_ms_{0};
    resilience::CircuitBreaker breaker_;
    ProviderMonitor monitor_;
    std::atomic<int> in_flight_{0};
};

struct RouteRequest {
    Task task = Task::kNarration;
    std::vector<ChatMessage> messages;
    resilience::Deadline deadline;  // for the whole request, fallbacks included
    resilience::CancelToken cancel;
    // Text that arrives, whole UTF-8; returning false stops the stream (kStopped). A new
    // attempt begins with on_attempt: text from an earlier one is void.
    std::function<void(Provider&)> on_attempt;
    TextSink on_text;
    // Whether to try another provider after one failed with text already delivered. The
    // narrator says no: by then the authored text is the faster complete answer.
    bool retry_after_text = false;
};

struct RouteResult {
    bool ok = false;
    // Why no provider answered: no_provider, unavailable (all open or busy), retry_budget,
    // deadline, cancelled, stopped, mid_stream, or the last failure's name.
    std::string reason;
    const Provider* provider = nullptr;  // the one that answered, or was tried last
    std::string model;
    int attempts = 0;
    StreamResult last;
    Usage usage;
    bool usage_estimated = false;
};

class ModelRouter {
  public:
    ModelRouter(std::vector<ProviderSpec> providers, RouterOptions options,
                ChatTransport& transport, const Clock& clock,
                metrics::Registry* registry = nullptr);
    ModelRouter(const ModelRouter&) = delete;
    ModelRouter& operator=(const ModelRouter&) = delete;

    bool Serves(Task task) const;
    // The providers serving `task`, best first (see the header comment). Open breakers last.
    std::vector<Provider*> Candidates(Task task);
    RouteResult Route(const RouteRequest& request);

    std::vector<const Provider*> Providers() const;

  private:
    // Waits before a retry without outliving the deadline or ignoring cancellation.
    bool Wait(std::chrono::milliseconds wait, const RouteRequest& request);

    RouterOptions options_;
    ChatTransport& transport_;
    const Clock& clock_;
    std::vector<std::unique_ptr<Provider>> providers_;
    resilience::RetryBudget budget_;
    std::mutex rng_mu_;
    Rng rng_;
};

// Tokens as providers count them, roughly, for providers that send no usage: about four
// bytes of English a token.
std::int64_t EstimateTokens(std::size_t bytes);

}  // namespace tta::narrative::model
