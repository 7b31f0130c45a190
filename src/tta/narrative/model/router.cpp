#include "tta/narrative/model/router.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>

namespace tta::narrative::model {
namespace {

constexpr double kPriorLatencySeconds = 1.0;
constexpr double kErrorWeight = 4.0;
constexpr double kSecondsPerCostUnit = 0.5;
constexpr double kErrorHalfLifeMs = 30'000;

}  // namespace

std::int64_t EstimateTokens(std::size_t bytes) {
    return static_cast<std::int64_t>((bytes + 3) / 4);
}

Result<ResolvedProviders> ResolveProviders(const ModelsConfig& config,
                                           const std::function<const char*(const char*)>& getenv) {
    ResolvedProviders out;
    for (const auto& p : config.providers) {
        auto endpoint = ParseBaseUrl(p.base_url);
        if (!endpoint) {
            return Error::Invalid("models provider '" + p.name + "': " + endpoint.error().message);
        }
        endpoint->ca_file = p.ca_file;
        if (!p.api_key_env.empty()) {
            const char* key = getenv(p.api_key_env.c_str());
            if (key == nullptr || *key == '\0') {
                out.warnings.push_back("models provider '" + p.name +
                                       "' left out: its key "
                                       "variable " +
                                       p.api_key_env + " is not set");
                continue;
            }
            endpoint->api_key = key;
        }
        ProviderSpec spec{p, std::move(*endpoint), {}};
        for (const auto& t : p.tasks) {
            if (auto task = ParseTask(t)) spec.tasks.push_back(*task);
        }
        out.providers.push_back(std::move(spec));
    }
    return out;
}

RouterOptions RouterOptionsFrom(const ModelsConfig& config) {
    RouterOptions o;
    o.breaker.failure_threshold = config.breaker_failures;
    o.breaker.open_for = config.breaker_open_for;
    o.retry_budget.ratio = config.retry_budget_ratio;
    o.max_attempts = config.max_attempts;
    return o;
}

Provider::Provider(ProviderSpec spec, const RouterOptions& options, const Clock& clock,
                   metrics::Registry* registry)
    : spec_(std::move(spec)),
      clock_(clock),
      breaker_("model:" + spec_.config.name, options.breaker, clock, registry),
      monitor_(spec_.config.name, registry) {}

bool Provider::Serves(Task task) const {
    return std::find(spec_.tasks.begin(), spec_.tasks.end(), task) != spec_.tasks.end();
}

double Provider::Score() const {
    const ProviderSnapshot s = monitor_.Read();
    const double latency = s.has_latency ? s.latency_seconds : kPriorLatencySeconds;
    const double load = static_cast<double>(in_flight_.load(std::memory_order_relaxed)) /
                        std::max(1, spec_.config.max_concurrent);
    const double since_failure_ms =
        static_cast<double>(clock_.NowMillis() - last_failure_ms_.load(std::memory_order_relaxed));
    const double error =
        s.error_rate * std::exp2(-std::max(0.0, since_failure_ms) / kErrorHalfLifeMs);
    return latency * (1 + kErrorWeight * error) * (1 + load) +
           kSecondsPerCostUnit * spec_.config.cost_per_1k_completion_tokens;
}

void Provider::Recorded(bool failed) {
    if (failed) last_failure_ms_.store(clock_.NowMillis(), std::memory_order_relaxed);
}

bool Provider::TryReserve() {
    int n = in_flight_.load(std::memory_order_relaxed);
    while (n < spec_.config.max_concurrent) {
        if (in_flight_.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel)) {
            monitor_.Started();
            return true;
        }
    }
    return false;
}

void Provider::Release() {
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    monitor_.Finished();
}

double Provider::Cost(const Usage& usage) const {
    return static_cast<double>(usage.prompt_tokens) / 1000.0 *
               spec_.config.cost_per_1k_prompt_tokens +
           static_cast<double>(usage.completion_tokens) / 1000.0 *
               spec_.config.cost_per_1k_completion_tokens;
}

ModelRouter::ModelRouter(std::vector<ProviderSpec> providers, RouterOptions options,
                         ChatTransport& transport, const Clock& clock, metrics::Registry* registry)
    : options_(options),
      transport_(transport),
      clock_(clock),
      budget_("models", options.retry_budget, clock, registry),
      rng_(options.seed != 0 ? options.seed : RandomSeed()) {
    for (auto& spec : providers) {
        providers_.push_back(
            std::make_unique<Provider>(std::move(spec), options_, clock_, registry));
    }
}

bool ModelRouter::Serves(Task task) const {
    return std::any_of(providers_.begin(), providers_.end(),
                       [&](const auto& p) { return p->Serves(task); });
}

std::vector<const Provider*> ModelRouter::Providers() const {
    std::vector<const Provider*> out;
    for (const auto& p : providers_) out.push_back(p.get());
    return out;
}

std::vector<Provider*> ModelRouter::Candidates(Task task) {
    struct Ranked {
        Provider* provider;
        int tier;  // 0: half-open, owed its probe; 1: closed; 2: open
        double score;
    };
    std::vector<Ranked> ranked;
    for (const auto& p : providers_) {
        if (!p->Serves(task)) continue;
        const auto state = p->Breaker().State();
        const int tier = state == resilience::BreakerState::kHalfOpen ? 0
                         : state == resilience::BreakerState::kClosed ? 1
                                                                      : 2;
        ranked.push_back({p.get(), tier, p->Score()});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        return a.tier != b.tier ? a.tier < b.tier : a.score < b.score;
    });
    std::vector<Provider*> out;
    out.reserve(ranked.size());
    for (const auto& r : ranked) out.push_back(r.provider);
    return out;
}

bool ModelRouter::Wait(std::chrono::milliseconds wait, const RouteRequest& request) {
    if (wait.count() <= 0) return true;
    if (request.deadline.Remaining() <= wait) return false;
    std::mutex mu;
    std::condition_variable cv;
    bool cancelled = false;
    auto registration = request.cancel.OnCancel([&] {
        std::lock_guard lock(mu);
        cancelled = true;
        cv.notify_all();
    });
    std::unique_lock lock(mu);
    cv.wait_for(lock, wait, [&] { return cancelled; });
    return !cancelled;
}

RouteResult ModelRouter::Route(const RouteRequest& request) {
    RouteResult result;
    std::vector<Provider*> chain = Candidates(request.task);
    if (chain.empty()) {
        result.reason = "no_provider";
        return result;
    }
    budget_.RecordRequest();
    std::size_t prompt_bytes = 0;
    for (const auto& m : request.messages) prompt_bytes += m.content.size();

    std::vector<int> tries(chain.size(), 0);
    std::chrono::milliseconds retry_after{0};
    bool skipped = false;  // a provider was passed over (open or full)
    for (std::size_t step = 0;
         result.attempts < options_.max_attempts && step < chain.size() * options_.max_attempts;
         ++step) {
        if (request.cancel.IsCancelled()) {
            result.reason = "cancelled";
            return result;
        }
        if (request.deadline.Expired()) {
            result.reason = "deadline";
            return result;
        }
        const std::size_t index = step % chain.size();
        Provider& provider = *chain[index];
        if (step > 0 && index == 0 && result.attempts == 0) break;  // every one was skipped

        resilience::Permit permit = provider.Breaker().TryAcquire();
        if (!permit) {
            skipped = true;
            continue;
        }
        if (!provider.TryReserve()) {
            skipped = true;
            continue;
        }
        struct Reservation {
            Provider& p;
            ~Reservation() { p.Release(); }
        } reservation{provider};

        if (result.attempts > 0 && !budget_.TryRetry()) {
            result.reason = "retry_budget";
            return result;
        }
        if (tries[index] > 0) {  // the chain came round: back off first
            std::chrono::milliseconds wait;
            {
                std::lock_guard lock(rng_mu_);
                wait = resilience::Backoff(options_.backoff, tries[index] - 1, rng_);
            }
            if (!Wait(std::max(wait, retry_after), request)) {
                result.reason = request.cancel.IsCancelled() ? "cancelled" : "deadline";
                return result;
            }
        }
        ++tries[index];
        ++result.attempts;
        result.provider = &provider;
        result.model = provider.Config().model;
        if (request.on_attempt) request.on_attempt(provider);

        const auto& cfg = provider.Config();
        const auto remaining =
            std::chrono::duration_cast<std::chrono::milliseconds>(request.deadline.Remaining());
        StreamLimits limits{.connect = std::min(cfg.connect_timeout, remaining),
                            .first_token = std::min(cfg.first_token_timeout, remaining),
                            .stall = std::min(cfg.stall_timeout, remaining),
                            .total = std::min(cfg.total_timeout, remaining)};
        ChatRequest chat{cfg.model, request.messages, cfg.max_tokens, cfg.temperature};
        StreamResult r = transport_.Stream(provider.GetEndpoint(), chat, limits, request.cancel,
                                           request.on_text);

        Usage usage = r.usage.value_or(Usage{});
        const bool estimated = !r.usage.has_value();
        if (estimated) {
            usage.prompt_tokens = r.status == 200 ? EstimateTokens(prompt_bytes) : 0;
            usage.completion_tokens = EstimateTokens(r.bytes);
        }
        provider.Monitor().Record(r, usage, provider.Cost(usage));
        provider.Recorded(!r.ok() && r.failure != Failure::kCancelled &&
                          r.failure != Failure::kStopped);
        result.usage.prompt_tokens += usage.prompt_tokens;
        result.usage.completion_tokens += usage.completion_tokens;
        result.usage_estimated = result.usage_estimated || estimated;
        result.last = r;

        switch (r.failure) {
            case Failure::kNone:
                permit.Success();
                result.ok = true;
                result.reason.clear();
                return result;
            case Failure::kCancelled:
                result.reason = "cancelled";
                return result;  // the permit is dropped without a verdict
            case Failure::kStopped:
                permit.Success();  // it answered; the caller did not want the answer
                result.reason = "stopped";
                return result;
            default:
                permit.Failure();
                break;
        }
        result.reason = std::string(FailureName(r.failure));
        retry_after = r.retry_after;
        if (r.bytes > 0 && !request.retry_after_text) {
            result.reason = "mid_stream";
            return result;
        }
    }
    if (result.attempts == 0) result.reason = skipped ? "unavailable" : "no_provider";
    return result;
}

}  // namespace tta::narrative::model
