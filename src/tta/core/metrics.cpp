#include "tta/core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tta::metrics {
namespace {

// Misuse of the registry is a programmer error that must not go unnoticed in release builds,
// where assert() is compiled out.
[[noreturn]] void Die(std::string_view what, std::string_view name) {
    std::fprintf(stderr, "tta::metrics: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(name.size()), name.data());
    std::abort();
}

void AppendEscapedHelp(std::string& out, std::string_view help) {
    for (char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

void AppendHeader(std::string& out, const FamilyBase& f) {
    out += "# HELP ";
    out += f.Name();
    out += ' ';
    AppendEscapedHelp(out, f.Help());
    out += "\n# TYPE ";
    out += f.Name();
    switch (f.GetType()) {
        case Type::kCounter:
            out += " counter\n";
            break;
        case Type::kGauge:
            out += " gauge\n";
            break;
        case Type::kHistogram:
            out += " histogram\n";
            break;
    }
}

// `name{a="x",b="y"[,extra_name="extra_value"]} value\n`
void AppendSample(std::string& out, std::string_view name, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name,
                  std::string_view extra_value, double v) {
    out += name;
    if (!names.empty() || !extra_name.empty()) {
        out += '{';
        bool first = true;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (!first) out += ',';
            first = false;
            out += names[i];
            out += "=\"";
            out += EscapeLabelValue(values[i]);
            out += '"';
        }
        if (!extra_name.empty()) {
            if (!first) out += ',';
            out += extra_name;
            out += "=\"";
            out += extra_value;
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    out += FormatValue(v);
    out += '\n';
}

}  // namespace

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
    // Bounds are inclusive: the first bucket whose bound is >= v. NaN lands in +Inf.
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1,
                                                                       std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
    Snapshot s;
    s.bounds = bounds_;
    s.cumulative.resize(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative[i] = running;
    }
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
    if (!(start > 0) || !(factor > 1) || count < 1) Die("bad exponential buckets", "");
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(count));
    double b = start;
    for (int i = 0; i < count; ++i, b *= factor) out.push_back(b);
    return out;
}

template <typename Cell>
Cell& Family<Cell>::Find(std::vector<std::string> key) {
    if (key.size() != label_names_.size()) Die("wrong number of label values for", name_);
    {
        std::shared_lock lock(mu_);
        if (auto it = cells_.find(key); it != cells_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& slot = cells_[std::move(key)];
    if (!slot) {
        if constexpr (std::is_same_v<Cell, Histogram>) {
            slot = std::make_unique<Histogram>(bounds_);
        } else {
            slot = std::make_unique<Cell>();
        }
    }
    return *slot;
}

template <typename Cell>
Cell& Family<Cell>::With(std::span<const std::string_view> values) {
    return Find(std::vector<std::string>(values.begin(), values.end()));
}

template <typename Cell>
Cell& Family<Cell>::With(std::span<const std::string> values) {
    return Find(std::vector<std::string>(values.begin(), values.end()));
}

template <typename Cell>
void Family<Cell>::Expose(std::string& out) const {
    AppendHeader(out, *this);
    std::shared_lock lock(mu_);
    for (const auto& [values, cell] : cells_) {
        if constexpr (std::is_same_v<Cell, Histogram>) {
            const Histogram::Snapshot s = cell->Read();
            const std::string bucket = name_ + "_bucket";
            for (std::size_t i = 0; i < s.bounds.size(); ++i) {
                AppendSample(out, bucket, label_names_, values, "le", FormatValue(s.bounds[i]),
                             static_cast<double>(s.cumulative[i]));
            }
            AppendSample(out, bucket, label_names_, values, "le", "+Inf",
                         static_cast<double>(s.Count()));
            AppendSample(out, name_ + "_sum", label_names_, values, "", "", s.sum);
            AppendSample(out, name_ + "_count", label_names_, values, "", "",
                         static_cast<double>(s.Count()));
        } else {
            AppendSample(out, name_, label_names_, values, "", "", cell->Value());
        }
    }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

template <typename Cell>
Family<Cell>& Registry::Add(std::string_view name, std::string_view help, Type type,
                            std::vector<std::string> labels, std::vector<double> bounds) {
    if (!IsValidMetricName(name)) Die("invalid metric name", name);
    for (const auto& l : labels) {
        if (!IsValidLabelName(l)) Die("invalid label name", l);
        if (type == Type::kHistogram && l == "le") Die("histograms reserve the label le", name);
    }
    if (type == Type::kCounter && !name.ends_with("_total")) {
        Die("counter names end in _total", name);
    }
    if (type == Type::kHistogram) {
        for (std::size_t i = 0; i < bounds.size(); ++i) {
            if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
                Die("histogram bounds must be finite and strictly increasing", name);
            }
        }
    }
    std::lock_guard lock(mu_);
    if (auto it = families_.find(name); it != families_.end()) {
        auto* existing = dynamic_cast<Family<Cell>*>(it->second.get());
        if (existing == nullptr || existing->GetType() != type || existing->Help() != help ||
            existing->LabelNames() != labels) {
            Die("metric registered twice with different definitions", name);
        }
        return *existing;
    }
    auto family = std::make_unique<Family<Cell>>(std::string(name), std::string(help), type,
                                                 std::move(labels), std::move(bounds));
    auto& ref = *family;
    families_.emplace(std::string(name), std::move(family));
    return ref;
}

CounterFamily& Registry::AddCounter(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
    return Add<Counter>(name, help, Type::kCounter, std::move(label_names), {});
}

GaugeFamily& Registry::AddGauge(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names) {
    return Add<Gauge>(name, help, Type::kGauge, std::move(label_names), {});
}

HistogramFamily& Registry::AddHistogram(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names,
                                        std::span<const double> bounds) {
    return Add<Histogram>(name, help, Type::kHistogram, std::move(label_names),
                          std::vector<double>(bounds.begin(), bounds.end()));
}

void Registry::OnScrape(std::function<void()> hook) {
    std::lock_guard lock(mu_);
    hooks_.push_back(std::move(hook));
}

std::string Registry::Expose() const {
    // Hooks run outside mu_ so that they may register families; scrape_mu_ keeps two scrapes
    // from running them at once.
    std::lock_guard scrape(scrape_mu_);
    std::vector<std::function<void()>> hooks;
    {
        std::lock_guard lock(mu_);
        hooks = hooks_;
    }
    for (const auto& hook : hooks) hook();
    std::lock_guard lock(mu_);
    std::string out;
    out.reserve(4096);
    for (const auto& [name, family] : families_) family->Expose(out);
    return out;
}

Registry& DefaultRegistry() {
    static Registry* registry = new Registry();  // never destroyed: used until exit
    return *registry;
}

std::string FormatValue(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc()) return "NaN";
    return std::string(buf, end);
}

std::string EscapeLabelValue(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

bool IsValidMetricName(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool IsValidLabelName(std::string_view name) {
    if (name.empty() || name.starts_with("__")) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

}  // namespace tta::metrics
