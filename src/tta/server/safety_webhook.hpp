// tta::server safety webhook: tells someone outside TTA (a clinic's on-call system, a chat
// channel) of every safety event the engine records, by POSTing it as JSON to a configured URL
// (config `safety.*`, docs/safety.md "The webhook").
//
// The player is never kept waiting for it: Record() only queues the event, and one background
// thread sends. Each attempt has a deadline; failed attempts (no connection, a timeout, 408,
// 429 or a 5xx) are retried a bounded number of times with jittered exponential backoff, and a
// circuit breaker stops calling an endpoint that keeps failing so that the queue does not sit
// behind timeouts. The queue is bounded: when it is full the oldest waiting event is dropped
// (the newest crisis is the one someone can still act on) and counted. Every event is also
// kept in the account store by the engine's own sink, so the webhook is a notification, not the
// record.
//
// The body is safety::SafetyEventToJson: levels, categories, rule ids, session and turn —
// never the player's words. With a secret, `X-TTA-Signature: sha256=<hex>` carries
// HMAC-SHA256(secret, body) (RFC 2104, libsodium); `X-TTA-Delivery` names the event, the same
// on every attempt, so the receiver can ignore a repeat.
//
// HTTP and HTTPS both work: the client is the narrative model layer's (TLS with peer and host
// name verification), so Beast is compiled in one place only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "tta/core/clock.hpp"
#include "tta/core/config.hpp"
#include "tta/core/error.hpp"
#include "tta/core/metrics.hpp"
#include "tta/resilience/circuit_breaker.hpp"
#include "tta/resilience/retry.hpp"
#include "tta/safety/event_sink.hpp"

namespace tta::server {

struct WebhookOptions {
    std::string url;     // http:// or https://
    std::string secret;  // the HMAC key; empty: bodies are not signed
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};  // one attempt, whole exchange
    int max_attempts = 4;                                          // per event, first included
    std::size_t queue_size = 1000;
    resilience::BackoffOptions backoff{std::chrono::milliseconds(500), std::chrono::seconds(30)};
    resilience::BreakerOptions breaker{5, std::chrono::seconds(30)};
    std::uint64_t seed = 0;  // for the backoff jitter; 0: a random seed
};

// The options config's `safety` section gives; the secret is read from the environment
// variable it names (kInvalid when that variable is unset or empty).
Result<WebhookOptions> WebhookOptionsFrom(const SafetyConfig& config);

// "sha256=" and the lowercase hex HMAC-SHA256 of `body` under `secret`: X-TTA-Signature.
std::string WebhookSignature(std::string_view secret, std::string_view body);

class WebhookSafetyEventSink final : public safety::SafetyEventSink {
  public:
    // kInvalid for a URL that is not http:// or https://. The registry and clock (which drives
    // the breaker) must outlive the sink. Metrics: tta_safety_webhook_{sent,failed,dropped}
    // _total, tta_safety_webhook_retries_total, tta_safety_webhook_queue_depth and the
    // breaker's gauges under the name "safety_webhook".
    static Result<std::unique_ptr<WebhookSafetyEventSink>> Create(WebhookOptions options,
                                                                  metrics::Registry& registry,
                                                                  const Clock& clock);
    // Stops at once: an attempt in flight is cut off, and events still waiting are dropped
    // (counted). Call Flush first to give them time.
    ~WebhookSafetyEventSink() override;
    WebhookSafetyEventSink(const WebhookSafetyEventSink&) = delete;
    WebhookSafetyEventSink& operator=(const WebhookSafetyEventSink&) = delete;

    // Queues the event and returns; never waits on the network.
    Status Record(const safety::SafetyEvent& event) override;

    // Waits until every queued event has been sent or given up on, or `timeout` passes; true
    // when the queue is empty and nothing is in flight. For shutdown and tests.
    bool Flush(std::chrono::milliseconds timeout);

    struct Counts {
        double sent = 0, failed = 0, dropped = 0, retries = 0;
    };
    Counts Totals() const;

  private:
    struct Impl;
    explicit WebhookSafetyEventSink(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tta::server
