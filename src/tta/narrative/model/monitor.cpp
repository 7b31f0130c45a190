#include "tta/narrative/model/monitor.hpp"

namespace tta::narrative::model {
namespace {

constexpr double kWeight = 0.2;  // of each new sample in the moving averages

double Seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

ProviderMonitor::ProviderMonitor(std::string provider, metrics::Registry* registry)
    : provider_(std::move(provider)) {
    if (registry == nullptr) return;
    auto& r = *registry;
    const std::string_view p = provider_;
    results_ = &r.AddCounter("tta_model_requests_total",
                             "Model requests by provider and how they ended (ok or the failure).",
                             {"provider", "result"});
    rejections_family_ = &r.AddCounter(
        "tta_model_rejections_total",
        "Model texts not shown because a check failed (output gate, coherence, length).",
        {"provider", "check"});
    request_seconds_ =
        &r.AddHistogram("tta_model_request_seconds",
                        "Model request latency, start to end of stream.", {"provider"})
             .With({p});
    first_token_seconds_ =
        &r.AddHistogram("tta_model_first_token_seconds",
                        "Time from a model request to its first text.", {"provider"})
             .With({p});
    auto& tokens = r.AddCounter("tta_model_tokens_total", "Tokens by provider and kind.",
                                {"provider", "kind"});
    prompt_tokens_ = &tokens.With({p, "prompt"});
    completion_tokens_ = &tokens.With({p, "completion"});
    cost_ = &r.AddCounter("tta_model_cost_total",
                          "Cost of model requests in the configured currency.", {"provider"})
                 .With({p});
    tokens_per_second_gauge_ =
        &r.AddGauge("tta_model_tokens_per_second",
                    "Completion tokens per second while streaming, moving average.", {"provider"})
             .With({p});
    error_rate_gauge_ =
        &r.AddGauge("tta_model_error_ratio",
                    "Share of recent requests that failed, moving average.", {"provider"})
             .With({p});
    in_flight_gauge_ =
        &r.AddGauge("tta_model_in_flight", "Model requests in flight.", {"provider"}).With({p});
}

void ProviderMonitor::Blend(std::atomic<double>& average, double sample) {
    double old = average.load(std::memory_order_relaxed);
    while (!average.compare_exchange_weak(old, old + kWeight * (sample - old),
                                          std::memory_order_relaxed)) {
    }
}

void ProviderMonitor::Started() {
    ++in_flight_;
    if (in_flight_gauge_ != nullptr) in_flight_gauge_->Inc();
}

void ProviderMonitor::Finished() {
    --in_flight_;
    if (in_flight_gauge_ != nullptr) in_flight_gauge_->Dec();
}

void ProviderMonitor::Record(const StreamResult& result, const Usage& usage, double cost) {
    if (results_ != nullptr) results_->With({provider_, FailureName(result.failure)}).Inc();
    prompt_total_ += usage.prompt_tokens;
    completion_total_ += usage.completion_tokens;
    cost_total_.fetch_add(cost, std::memory_order_relaxed);
    if (prompt_tokens_ != nullptr) {
        prompt_tokens_->Inc(static_cast<double>(usage.prompt_tokens));
        completion_tokens_->Inc(static_cast<double>(usage.completion_tokens));
        cost_->Inc(cost);
    }
    if (result.failure == Failure::kCancelled) return;  // the player left: no verdict
    const bool failed = !result.ok() && result.failure != Failure::kStopped;
    ++requests_;
    if (failed) ++failures_;
    Blend(error_rate_, failed ? 1.0 : 0.0);
    if (error_rate_gauge_ != nullptr) error_rate_gauge_->Set(error_rate_.load());
    if (request_seconds_ != nullptr) request_seconds_->Observe(Seconds(result.elapsed));
    if (result.first_token.count() >= 0) {
        Blend(first_token_latency_, Seconds(result.first_token));
        if (first_token_seconds_ != nullptr) {
            first_token_seconds_->Observe(Seconds(result.first_token));
        }
    }
    if (!result.ok()) return;  // a partial stream says nothing about full latency
    if (!has_latency_.exchange(true)) {
        latency_.store(Seconds(result.elapsed));
    } else {
        Blend(latency_, Seconds(result.elapsed));
    }
    const double streaming =
        Seconds(result.elapsed - std::max(result.first_token, std::chrono::nanoseconds(0)));
    if (usage.completion_tokens > 1 && streaming > 0) {
        Blend(tokens_per_second_, static_cast<double>(usage.completion_tokens - 1) / streaming);
        if (tokens_per_second_gauge_ != nullptr) {
            tokens_per_second_gauge_->Set(tokens_per_second_.load());
        }
    }
}

void ProviderMonitor::RecordRejection(std::string_view check) {
    ++rejections_;
    if (rejections_family_ != nullptr) rejections_family_->With({provider_, check}).Inc();
    // A provider whose text keeps failing checks is worth less than one that passes them.
    Blend(error_rate_, 1.0);
    if (error_rate_gauge_ != nullptr) error_rate_gauge_->Set(error_rate_.load());
}

ProviderSnapshot ProviderMonitor::Read() const {
    ProviderSnapshot s;
    s.requests = requests_.load();
    s.failures = failures_.load();
    s.latency_seconds = latency_.load();
    s.first_token_seconds = first_token_latency_.load();
    s.error_rate = error_rate_.load();
    s.tokens_per_second = tokens_per_second_.load();
    s.prompt_tokens = prompt_total_.load();
    s.completion_tokens = completion_total_.load();
    s.cost = cost_total_.load();
    s.in_flight = in_flight_.load();
    s.rejections = rejections_.load();
    s.has_latency = has_latency_.load();
    return s;
}

}  // namespace tta::narrative::model
