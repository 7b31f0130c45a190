// tta::metrics: a small Prometheus registry every module uses to make itself observable
// (ARCHITECTURE.md, principle 10). Counters, gauges and histograms, each a family with label
// names; one cell per set of label values. Output is the Prometheus text exposition format
// 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// Names follow `tta_<subsystem>_<name>_{total,seconds}`: counters end in `_total`, latency
// histograms in `_seconds` and observe seconds.
//
// Cost model: registering a family and looking up a cell (`With`) take a lock and allocate, so
// do both once, at start-up or on first use, and keep the returned reference; cells live as
// long as the registry. Updating a cell is a few atomic operations, safe from any thread.
//
//     auto& turns = registry.AddCounter("tta_engine_turns_total", "Turns committed.", {"world"});
//     metrics::Counter& forest = turns.With({"forest"});   // cache this
//     forest.Inc();
//     static auto& latency = registry.AddHistogram("tta_engine_turn_seconds", "Turn latency.",
//                                                   {}, metrics::kLatencyBuckets).With({});
//     { metrics::ScopedTimer t(latency); RunTurn(); }
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tta::metrics {

// A monotonically increasing value (events, bytes). Never decreases; resets only on restart.
class Counter {
  public:
    void Inc(double v = 1.0) { value_.fetch_add(v, std::memory_order_relaxed); }
    double Value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

// A value that goes up and down (open connections, queue depth).
class Gauge {
  public:
    void Set(double v) { value_.store(v, std::memory_order_relaxed); }
    void Inc(double v = 1.0) { value_.fetch_add(v, std::memory_order_relaxed); }
    void Dec(double v = 1.0) { value_.fetch_sub(v, std::memory_order_relaxed); }
    double Value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

// Counts observations into buckets with inclusive upper bounds (`le`), plus their sum.
class Histogram {
  public:
    // `bounds` must be strictly increasing and finite; +Inf is implicit.
    explicit Histogram(std::span<const double> bounds);

    void Observe(double v);

    struct Snapshot {
        std::vector<double> bounds;             // without +Inf
        std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
        double sum = 0.0;
        std::uint64_t Count() const { return cumulative.empty() ? 0 : cumulative.back(); }
    };
    // The cumulative view the exposition format needs. Taken while other threads observe,
    // each bucket is exact but the sum may be an observation ahead or behind.
    Snapshot Read() const;

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
    std::atomic<double> sum_{0.0};
};

// Observes the seconds between construction and destruction into a histogram.
class ScopedTimer {
  public:
    explicit ScopedTimer(Histogram& h) : h_(h), start_(std::chrono::steady_clock::now()) {}
    ~ScopedTimer() {
        h_.Observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    ScopedTimer(const ScopedTimer&) = delete;
    ScopedTimer& operator=(const ScopedTimer&) = delete;

  private:
    Histogram& h_;
    std::chrono::steady_clock::time_point start_;
};

// Latency buckets in seconds, 0.5 ms to 10 s: fits an in-process turn as well as a model call.
inline constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

// `count` bounds start, start*factor, ... (start > 0, factor > 1).
std::vector<double> ExponentialBuckets(double start, double factor, int count);

enum class Type { kCounter, kGauge, kHistogram };

class FamilyBase {
  public:
    virtual ~FamilyBase() = default;
    const std::string& Name() const { return name_; }
    const std::string& Help() const { return help_; }
    Type GetType() const { return type_; }
    const std::vector<std::string>& LabelNames() const { return label_names_; }
    // Appends this family's HELP, TYPE and sample lines.
    virtual void Expose(std::string& out) const = 0;

  protected:
    FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> labels)
        : name_(std::move(name)),
          help_(std::move(help)),
          type_(type),
          label_names_(std::move(labels)) {}

    std::string name_, help_;
    Type type_;
    std::vector<std::string> label_names_;
};

// All cells of one metric, one per distinct list of label values.
template <typename Cell>
class Family final : public FamilyBase {
  public:
    // The cell for these label values, in the order of the family's label names; created on
    // first use. The reference stays valid for the registry's lifetime: cache it. Passing the
    // wrong number of values is a programmer error and aborts.
    Cell& With(std::initializer_list<std::string_view> values) {
        return With(std::span<const std::string_view>(values.begin(), values.size()));
    }
    Cell& With(std::span<const std::string_view> values);
    Cell& With(std::span<const std::string> values);

    void Expose(std::string& out) const override;

    // For the registry only.
    Family(std::string name, std::string help, Type type, std::vector<std::string> labels,
           std::vector<double> bounds)
        : FamilyBase(std::move(name), std::move(help), type, std::move(labels)),
          bounds_(std::move(bounds)) {}

  private:
    Cell& Find(std::vector<std::string> key);

    std::vector<double> bounds_;  // histograms only
    mutable std::shared_mutex mu_;
    std::map<std::vector<std::string>, std::unique_ptr<Cell>> cells_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Owns metric families and renders them. Registering a name again with the same type, help
// and label names returns the existing family (so two components, or two server instances in
// one test, can share a registry); anything else with the same name aborts, as does a name or
// label name that Prometheus would reject, or a counter whose name does not end in `_total`.
class Registry {
  public:
    Registry() = default;
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    CounterFamily& AddCounter(std::string_view name, std::string_view help,
                              std::vector<std::string> label_names = {});
    GaugeFamily& AddGauge(std::string_view name, std::string_view help,
                          std::vector<std::string> label_names = {});
    HistogramFamily& AddHistogram(std::string_view name, std::string_view help,
                                  std::vector<std::string> label_names,
                                  std::span<const double> bounds = kLatencyBuckets);

    // Runs before every exposition, e.g. to refresh gauges that are cheaper to read on demand
    // (process memory, store sizes) than to keep current. Scrapes run hooks one at a time.
    void OnScrape(std::function<void()> hook);

    // The text exposition format 0.0.4, families sorted by name, cells by label values.
    std::string Expose() const;

  private:
    template <typename Cell>
    Family<Cell>& Add(std::string_view name, std::string_view help, Type type,
                      std::vector<std::string> labels, std::vector<double> bounds);

    mutable std::mutex scrape_mu_;
    mutable std::mutex mu_;
    std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
    std::vector<std::function<void()>> hooks_;
};

// The process-wide registry `GET /metrics` serves unless a server is given another one.
Registry& DefaultRegistry();

// The content type of Expose()'s output.
inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Exposition helpers, public so other renderers and tests agree on the details.
// A sample value: shortest round-trip decimal, or +Inf, -Inf, NaN.
std::string FormatValue(double v);
// Escapes a label value (backslash, double quote, newline).
std::string EscapeLabelValue(std::string_view v);
bool IsValidMetricName(std::string_view name);
bool IsValidLabelName(std::string_view name);

}  // namespace tta::metrics
