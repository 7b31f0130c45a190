#include "tta/server/safety_webhook.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "tta/core/rng.hpp"
#include "tta/narrative/model/http_transport.hpp"
#include "tta/resilience/cancel.hpp"

namespace tta::server {
namespace {

namespace model = narrative::model;

// Statuses worth another attempt: the receiver is busy, restarting or broken for now. Any
// other non-2xx (a wrong path, a refused signature, a redirect) will not change by retrying.
bool Retryable(int status) { return status == 408 || status == 429 || status >= 500; }

std::string DeliveryId() {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx",
                  static_cast<unsigned long long>(RandomSeed()),
                  static_cast<unsigned long long>(RandomSeed()));
    return buf;
}

}  // namespace

Result<WebhookOptions> WebhookOptionsFrom(const SafetyConfig& config) {
    WebhookOptions options;
    options.url = config.webhook_url;
    options.timeout = config.webhook_timeout;
    options.max_attempts = config.webhook_max_attempts;
    options.queue_size = config.webhook_queue_size;
    if (!config.webhook_secret_env.empty()) {
        const char* secret = std::getenv(config.webhook_secret_env.c_str());
        if (secret == nullptr || *secret == '\0') {
            return Error::Invalid("safety.webhook_secret_env names " +
                                  config.webhook_secret_env +
                                  ", which is not set: set it to the webhook's signing key");
        }
        options.secret = secret;
    }
    return options;
}

std::string WebhookSignature(std::string_view secret, std::string_view body) {
    if (sodium_init() < 0) std::abort();  // libsodium cannot work on this machine at all
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                  body.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string("sha256=") + hex;
}

struct WebhookSafetyEventSink::Impl {
    struct Pending {
        std::string body;
        std::string delivery;
    };

    Impl(WebhookOptions o, model::Endpoint e, metrics::Registry& registry, const Clock& c)
        : options(std::move(o)),
          endpoint(std::move(e)),
          clock(c),
          breaker("safety_webhook", options.breaker, c, &registry),
          rng(options.seed != 0 ? options.seed : RandomSeed()),
          sent(registry
                   .AddCounter("tta_safety_webhook_sent_total",
                               "Safety events the webhook receiver accepted (2xx).")
                   .With({})),
          failed(registry
                     .AddCounter("tta_safety_webhook_failed_total",
                                 "Safety events given up on after their attempts, or refused "
                                 "by the receiver.")
                     .With({})),
          dropped(registry
                      .AddCounter("tta_safety_webhook_dropped_total",
                                  "Safety events dropped unsent: the queue was full, or the "
                                  "process stopped.")
                      .With({})),
          retries(registry
                      .AddCounter("tta_safety_webhook_retries_total",
                                  "Delivery attempts after an event's first.")
                      .With({})),
          depth(registry
                    .AddGauge("tta_safety_webhook_queue_depth", "Safety events waiting to be sent.")
                    .With({})) {}

    // The sender's loop: one event at a time, oldest first.
    void Run() {
        std::unique_lock lock(mu);
        for (;;) {
            wake.wait(lock, [&] { return stopping || !queue.empty(); });
            if (stopping) break;
            Pending next = std::move(queue.front());
            queue.pop_front();
            depth.Set(static_cast<double>(queue.size()));
            in_flight = true;
            lock.unlock();
            Deliver(next);
            lock.lock();
            in_flight = false;
            idle.notify_all();
        }
        Drop(queue.size());
        queue.clear();
        depth.Set(0);
        idle.notify_all();
    }

    void Drop(std::size_t n) {
        if (n == 0) return;
        dropped.Inc(static_cast<double>(n));
        dropped_count += static_cast<double>(n);
    }

    // Sleeps `d` unless asked to stop; false when stopping.
    bool Pause(std::chrono::nanoseconds d) {
        std::unique_lock lock(mu);
        return !wake.wait_for(lock, d, [&] { return stopping; });
    }

    void Deliver(const Pending& p) {
        std::vector<std::pair<std::string, std::string>> headers = {
            {"X-TTA-Delivery", p.delivery}};
        if (!options.secret.empty()) {
            headers.emplace_back("X-TTA-Signature", WebhookSignature(options.secret, p.body));
        }
        std::string last = "no attempt was made";
        for (int attempt = 0; attempt < options.max_attempts;) {
            // An open breaker means the receiver has failed again and again: wait for it to
            // let one attempt through rather than spend this event's attempts on nothing.
            resilience::Permit permit = breaker.TryAcquire();
            if (!permit) {
                const auto wait = breaker.RetryAt() - clock.Now();
                if (!Pause(std::max<std::chrono::nanoseconds>(wait, std::chrono::milliseconds(1)))) {
                    return Drop(1);
                }
                continue;
            }
            if (attempt > 0) {
                retries.Inc();
                retry_count += 1;
            }
            ++attempt;
            auto response = transport.Post(endpoint, "", "application/json", headers, p.body,
                                           options.timeout, cancel.Token());
            if (response && response->status >= 200 && response->status < 300) {
                permit.Success();
                sent.Inc();
                sent_count += 1;
                return;
            }
            if (response && !Retryable(response->status)) {
                // The receiver is up and refused this event; its availability is not in doubt.
                last = "HTTP " + std::to_string(response->status);
                break;
            }
            permit.Failure();
            last = response ? "HTTP " + std::to_string(response->status)
                            : response.error().message;
            if (attempt < options.max_attempts &&
                !Pause(resilience::Backoff(options.backoff, attempt - 1, rng))) {
                return Drop(1);
            }
            if (cancel.IsCancelled()) return Drop(1);
        }
        if (cancel.IsCancelled()) return Drop(1);
        failed.Inc();
        failed_count += 1;
        spdlog::warn("safety webhook: event {} not delivered ({})", p.delivery, last);
    }

    const WebhookOptions options;
    const model::Endpoint endpoint;
    const Clock& clock;
    model::HttpTransport transport;
    resilience::CircuitBreaker breaker;
    resilience::CancelSource cancel;
    Rng rng;  // the sender thread's only

    metrics::Counter& sent;
    metrics::Counter& failed;
    metrics::Counter& dropped;
    metrics::Counter& retries;
    metrics::Gauge& depth;
    std::atomic<double> sent_count{0}, failed_count{0}, dropped_count{0}, retry_count{0};

    std::mutex mu;
    std::condition_variable wake;  // an event arrived, or stop
    std::condition_variable idle;  // the queue emptied with nothing in flight
    std::deque<Pending> queue;
    bool in_flight = false;
    bool stopping = false;
    std::thread thread;
};

Result<std::unique_ptr<WebhookSafetyEventSink>> WebhookSafetyEventSink::Create(
    WebhookOptions options, metrics::Registry& registry, const Clock& clock) {
    auto endpoint = model::ParseBaseUrl(options.url);
    if (!endpoint) {
        // The parser's message quotes the URL, which may carry a token: say only what is wrong.
        std::string why = endpoint.error().message;
        if (why.starts_with("not a URL")) why = "not a URL";
        if (why.starts_with("a provider URL ")) why = why.substr(std::string_view("a provider URL ").size());
        return Error::Invalid("safety.webhook_url: " + why);
    }
    if (options.max_attempts < 1) return Error::Invalid("the webhook needs at least one attempt");
    if (options.queue_size < 1) return Error::Invalid("the webhook queue needs room for an event");
    auto impl = std::make_unique<Impl>(std::move(options), std::move(*endpoint), registry, clock);
    Impl* raw = impl.get();
    impl->thread = std::thread([raw] { raw->Run(); });
    return std::unique_ptr<WebhookSafetyEventSink>(new WebhookSafetyEventSink(std::move(impl)));
}

WebhookSafetyEventSink::WebhookSafetyEventSink(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

WebhookSafetyEventSink::~WebhookSafetyEventSink() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    impl_->cancel.Cancel();
    impl_->thread.join();
}

Status WebhookSafetyEventSink::Record(const safety::SafetyEvent& event) {
    Impl::Pending p{safety::SafetyEventToJson(event), DeliveryId()};
    {
        std::lock_guard lock(impl_->mu);
        if (impl_->stopping) {
            impl_->Drop(1);
            return Error::Unavailable("the safety webhook has stopped");
        }
        if (impl_->queue.size() >= impl_->options.queue_size) {
            impl_->queue.pop_front();  // the oldest waiting: the newest is the most actionable
            impl_->Drop(1);
            spdlog::warn("safety webhook: queue full ({} events), the oldest was dropped",
                         impl_->options.queue_size);
        }
        impl_->queue.push_back(std::move(p));
        impl_->depth.Set(static_cast<double>(impl_->queue.size()));
    }
    impl_->wake.notify_one();
    return Ok();
}

bool WebhookSafetyEventSink::Flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mu);
    return impl_->idle.wait_for(lock, timeout,
                                [&] { return impl_->queue.empty() && !impl_->in_flight; });
}

WebhookSafetyEventSink::Counts WebhookSafetyEventSink::Totals() const {
    return {impl_->sent_count.load(), impl_->failed_count.load(), impl_->dropped_count.load(),
            impl_->retry_count.load()};
}

}  // namespace tta::server
