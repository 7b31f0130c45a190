#include "tta/narrative/model/status.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "tta/narrative/model/http_transport.hpp"

namespace tta::narrative::model {
namespace {

struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// One sample line: name{label="value",...} value. Escapes in label values are kept simple:
// \" \\ and \n, as the exposition format defines.
std::optional<Sample> ParseSample(std::string_view line) {
    Sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = std::string(line.substr(0, i));
    if (i < line.size() && line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            const auto eq = line.find('=', i);
            if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
                return std::nullopt;
            }
            std::string key(line.substr(i, eq - i));
            std::string value;
            std::size_t j = eq + 2;
            for (; j < line.size() && line[j] != '"'; ++j) {
                if (line[j] == '\\' && j + 1 < line.size()) {
                    ++j;
                    value += line[j] == 'n' ? '\n' : line[j];
                } else {
                    value += line[j];
                }
            }
            s.labels[std::move(key)] = std::move(value);
            i = j + 1;
            if (i < line.size() && line[i] == ',') ++i;
        }
        ++i;
    }
    while (i < line.size() && line[i] == ' ') ++i;
    const std::string_view number = line.substr(i, line.find(' ', i) - i);
    if (number == "+Inf") {
        s.value = std::numeric_limits<double>::infinity();
    } else if (std::from_chars(number.data(), number.data() + number.size(), s.value).ec !=
               std::errc()) {
        return std::nullopt;
    }
    return s;
}

// histogram_quantile's estimate: linear within the bucket the rank falls in.
double Quantile(double q, std::vector<std::pair<double, double>> buckets) {
    std::sort(buckets.begin(), buckets.end());
    if (buckets.empty() || buckets.back().second <= 0) return 0;
    const double rank = q * buckets.back().second;
    double lower = 0, below = 0;
    for (const auto& [le, count] : buckets) {
        if (count >= rank) {
            if (std::isinf(le)) return lower;
            const double in_bucket = count - below;
            return in_bucket <= 0 ? le : lower + (le - lower) * (rank - below) / in_bucket;
        }
        lower = le;
        below = count;
    }
    return lower;
}

std::string Fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string Millis(double seconds) { return Fixed(seconds * 1000, 0) + " ms"; }

}  // namespace

std::vector<MonitoredProvider> ReadMonitor(std::string_view exposition) {
    std::map<std::string, MonitoredProvider> by_name;
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;
    std::map<std::string, std::pair<double, double>> first_token;  // sum, count
    std::map<std::string, std::pair<double, double>> request;      // sum, count
    auto provider = [&](const std::string& name) -> MonitoredProvider& {
        auto& p = by_name[name];
        p.name = name;
        return p;
    };
    std::size_t start = 0;
    while (start < exposition.size()) {
        auto end = exposition.find('\n', start);
        if (end == std::string_view::npos) end = exposition.size();
        const std::string_view line = exposition.substr(start, end - start);
        start = end + 1;
        if (line.empty() || line.front() == '#' || !line.starts_with("tta_")) continue;
        auto s = ParseSample(line);
        if (!s) continue;
        if (s->name == "tta_resilience_breaker_state") {
            const std::string& breaker = s->labels["breaker"];
            if (!breaker.starts_with("model:") || s->value != 1) continue;
            provider(breaker.substr(6)).breaker = s->labels["state"];
            continue;
        }
        auto it = s->labels.find("provider");
        if (it == s->labels.end()) continue;
        MonitoredProvider& p = provider(it->second);
        if (s->name == "tta_model_requests_total") {
            const std::string& result = s->labels["result"];
            if (result == "cancelled") continue;
            p.requests += s->value;
            if (result != "ok" && result != "stopped") p.failures += s->value;
        } else if (s->name == "tta_model_error_ratio") {
            p.error_ratio = s->value;
        } else if (s->name == "tta_model_tokens_per_second") {
            p.tokens_per_second = s->value;
        } else if (s->name == "tta_model_tokens_total") {
            (s->labels["kind"] == "prompt" ? p.prompt_tokens : p.completion_tokens) += s->value;
        } else if (s->name == "tta_model_cost_total") {
            p.cost = s->value;
        } else if (s->name == "tta_model_in_flight") {
            p.in_flight = s->value;
        } else if (s->name == "tta_model_rejections_total") {
            p.rejections += s->value;
        } else if (s->name == "tta_model_request_seconds_bucket") {
            const std::string& le = s->labels["le"];
            double bound = std::numeric_limits<double>::infinity();
            if (le != "+Inf") std::from_chars(le.data(), le.data() + le.size(), bound);
            buckets[p.name].emplace_back(bound, s->value);
        } else if (s->name == "tta_model_request_seconds_sum") {
            request[p.name].first = s->value;
        } else if (s->name == "tta_model_request_seconds_count") {
            request[p.name].second = s->value;
        } else if (s->name == "tta_model_first_token_seconds_sum") {
            first_token[p.name].first = s->value;
        } else if (s->name == "tta_model_first_token_seconds_count") {
            first_token[p.name].second = s->value;
        }
    }
    std::vector<MonitoredProvider> out;
    for (auto& [name, p] : by_name) {
        if (auto r = request.find(name); r != request.end() && r->second.second > 0) {
            p.mean_seconds = r->second.first / r->second.second;
        }
        if (auto f = first_token.find(name); f != first_token.end() && f->second.second > 0) {
            p.mean_first_token_seconds = f->second.first / f->second.second;
        }
        p.p50_seconds = Quantile(0.5, buckets[name]);
        p.p95_seconds = Quantile(0.95, buckets[name]);
        out.push_back(std::move(p));
    }
    return out;
}

ProbeResult ProbeModels(HttpTransport& transport, const ProviderSpec& provider,
                        std::chrono::milliseconds timeout) {
    ProbeResult out;
    const auto start = std::chrono::steady_clock::now();
    auto response = transport.Get(provider.endpoint, "/models", timeout);
    out.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (!response) {
        out.detail = response.error().message;
        return out;
    }
    out.ok = response->status == 200;
    out.detail =
        std::to_string(response->status) + " in " + std::to_string(out.latency.count()) + " ms";
    if (out.ok) {
        const bool listed =
            response->body.find("\"" + provider.config.model + "\"") != std::string::npos;
        out.detail += listed ? ", model listed" : ", model not in its list";
    }
    return out;
}

std::string FormatStatus(const std::vector<ProviderSpec>& providers,
                         const std::vector<std::optional<ProbeResult>>& probes,
                         const std::vector<MonitoredProvider>& monitored,
                         const std::vector<std::string>& warnings) {
    std::string out;
    for (const auto& w : warnings) out += "warning: " + w + "\n";
    if (providers.empty()) {
        out +=
            "No model providers are configured: every turn is narrated from the worlds' "
            "authored text.\n";
    }
    for (std::size_t i = 0; i < providers.size(); ++i) {
        const auto& p = providers[i].config;
        std::string tasks;
        for (const auto& t : p.tasks) tasks += (tasks.empty() ? "" : ", ") + t;
        out += p.name + "\n";
        out += "  model      " + p.model + " at " + p.base_url + "\n";
        out += "  tasks      " + tasks + "\n";
        out += "  key        " +
               (p.api_key_env.empty() ? std::string("none") : p.api_key_env + " (set)") + "\n";
        out += "  limits     connect " + std::to_string(p.connect_timeout.count()) +
               " ms, first token " + std::to_string(p.first_token_timeout.count()) + " ms, stall " +
               std::to_string(p.stall_timeout.count()) + " ms, total " +
               std::to_string(p.total_timeout.count()) + " ms, " +
               std::to_string(p.max_concurrent) + " at once\n";
        out += "  cost       " + Fixed(p.cost_per_1k_prompt_tokens, 4) + " / " +
               Fixed(p.cost_per_1k_completion_tokens, 4) + " per 1k prompt / completion tokens\n";
        if (i < probes.size() && probes[i]) {
            out += std::string("  probe      ") + (probes[i]->ok ? "up: " : "DOWN: ") +
                   probes[i]->detail + "\n";
        }
        const auto m = std::find_if(monitored.begin(), monitored.end(),
                                    [&](const MonitoredProvider& x) { return x.name == p.name; });
        if (m != monitored.end()) {
            out += "  breaker    " + m->breaker + "\n";
            out += "  requests   " + Fixed(m->requests, 0) + " (" + Fixed(m->failures, 0) +
                   " failed, recent error rate " + Fixed(m->error_ratio * 100, 1) + "%, " +
                   Fixed(m->in_flight, 0) + " in flight, " + Fixed(m->rejections, 0) +
                   " texts refused)\n";
            out += "  latency    mean " + Millis(m->mean_seconds) + ", p50 " +
                   Millis(m->p50_seconds) + ", p95 " + Millis(m->p95_seconds) +
                   "; first token mean " + Millis(m->mean_first_token_seconds) + "\n";
            out += "  tokens     " + Fixed(m->prompt_tokens, 0) + " prompt, " +
                   Fixed(m->completion_tokens, 0) + " completion, " +
                   Fixed(m->tokens_per_second, 1) + " tokens/s; cost " + Fixed(m->cost, 4) + "\n";
        }
    }
    return out;
}

}  // namespace tta::narrative::model
