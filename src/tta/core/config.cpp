#include "tta/core/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

extern char** environ;

namespace tta {
namespace {

using std::chrono::milliseconds;

// A key's setter returns "" on success or what the value must be ("must be an integer ...").
struct Field {
    std::string key;
    std::string help;
    std::function<std::string(Config&, std::string_view)> set;
    std::function<std::string(const Config&)> show;
    std::string alias_env;  // a short environment name besides TTA_<KEY>
    bool secret = false;
};

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string EnvName(std::string_view key) {
    std::string out = "TTA_";
    for (char c : key) {
        out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && p == end && !text.empty();
}

std::string FormatByteSize(std::uint64_t n) {
    static const std::pair<std::uint64_t, const char*> kUnits[] = {
        {1ull << 30, "GiB"}, {1ull << 20, "MiB"}, {1ull << 10, "KiB"}};
    for (const auto& [size, name] : kUnits) {
        if (n != 0 && n % size == 0) return std::to_string(n / size) + name;
    }
    return std::to_string(n);
}

std::string FormatReal(double v) {
    if (v == static_cast<double>(static_cast<long long>(v)) && std::abs(v) < 1e15) {
        return std::to_string(static_cast<long long>(v));
    }
    std::ostringstream s;
    s << v;
    return s.str();
}

// Builders for the key table. `Get` returns a reference to the field inside a Config.
template <typename Get>
Field String(std::string key, std::string help, Get get, bool secret = false) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", secret};
    f.set = [get](Config& c, std::string_view v) {
        get(c) = std::string(v);
        return std::string();
    };
    f.show = [get](const Config& c) { return std::string(get(c)); };
    return f;
}

template <typename Get>
Field Path(std::string key, std::string help, Get get) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get](Config& c, std::string_view v) {
        get(c) = std::filesystem::path(std::string(v));
        return std::string();
    };
    f.show = [get](const Config& c) { return get(c).string(); };
    return f;
}

template <typename Get>
Field OneOf(std::string key, std::string help, Get get, std::vector<std::string> choices) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get, choices](Config& c, std::string_view v) {
        if (std::find(choices.begin(), choices.end(), v) == choices.end()) {
            std::string all;
            for (const auto& ch : choices) all += (all.empty() ? "" : ", ") + ch;
            return "must be one of " + all;
        }
        get(c) = std::string(v);
        return std::string();
    };
    f.show = [get](const Config& c) { return std::string(get(c)); };
    return f;
}

template <typename Get>
Field Integer(std::string key, std::string help, Get get, long long lo, long long hi) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get, lo, hi](Config& c, std::string_view v) {
        long long n = 0;
        if (!ParseNumber(v, n) || n < lo || n > hi) {
            return "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
        }
        get(c) = static_cast<std::remove_cvref_t<decltype(get(c))>>(n);
        return std::string();
    };
    f.show = [get](const Config& c) { return std::to_string(get(c)); };
    return f;
}

template <typename Get>
Field Real(std::string key, std::string help, Get get, double lo, double hi) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get, lo, hi](Config& c, std::string_view v) {
        double n = 0;
        if (!ParseNumber(v, n) || !(n >= lo && n <= hi)) {
            return "must be a number from " + FormatReal(lo) + " to " + FormatReal(hi);
        }
        get(c) = n;
        return std::string();
    };
    f.show = [get](const Config& c) { return FormatReal(get(c)); };
    return f;
}

template <typename Get>
Field Bytes(std::string key, std::string help, Get get, std::uint64_t lo, std::uint64_t hi) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get, lo, hi](Config& c, std::string_view v) {
        const auto n = ParseByteSize(v);
        if (!n || *n < lo || *n > hi) {
            return "must be a size from " + FormatByteSize(lo) + " to " + FormatByteSize(hi) +
                   " (bytes, or with a unit: KiB, MiB, GiB, KB, MB, GB)";
        }
        get(c) = *n;
        return std::string();
    };
    f.show = [get](const Config& c) { return FormatByteSize(get(c)); };
    return f;
}

template <typename Get>
Field Duration(std::string key, std::string help, Get get, milliseconds lo, milliseconds hi) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get, lo, hi](Config& c, std::string_view v) {
        const auto d = ParseDuration(v);
        if (!d || *d < lo || *d > hi) {
            return "must be a duration from " + FormatDuration(lo) + " to " + FormatDuration(hi) +
                   " with a unit (ms, s, m, h, d)";
        }
        get(c) = *d;
        return std::string();
    };
    f.show = [get](const Config& c) { return FormatDuration(get(c)); };
    return f;
}

template <typename Get>
Field Boolean(std::string key, std::string help, Get get) {
    Field f{std::move(key), std::move(help), nullptr, nullptr, "", false};
    f.set = [get](Config& c, std::string_view v) {
        const std::string s = Lower(v);
        if (s == "true" || s == "yes" || s == "on" || s == "1") {
            get(c) = true;
        } else if (s == "false" || s == "no" || s == "off" || s == "0") {
            get(c) = false;
        } else {
            return std::string("must be true or false");
        }
        return std::string();
    };
    f.show = [get](const Config& c) { return std::string(get(c) ? "true" : "false"); };
    return f;
}

Field Strength() {
    Field f{"auth.password_strength",
            "Argon2id cost: interactive (64 MiB, fast logins), moderate (256 MiB) or sensitive "
            "(1 GiB).",
            nullptr,
            nullptr,
            "",
            false};
    f.set = [](Config& c, std::string_view v) {
        if (v == "interactive") {
            c.auth.password_strength = PasswordStrength::kInteractive;
        } else if (v == "moderate") {
            c.auth.password_strength = PasswordStrength::kModerate;
        } else if (v == "sensitive") {
            c.auth.password_strength = PasswordStrength::kSensitive;
        } else {
            return std::string("must be one of interactive, moderate, sensitive");
        }
        return std::string();
    };
    f.show = [](const Config& c) {
        switch (c.auth.password_strength) {
            case PasswordStrength::kInteractive:
                return std::string("interactive");
            case PasswordStrength::kModerate:
                return std::string("moderate");
            case PasswordStrength::kSensitive:
                return std::string("sensitive");
        }
        return std::string();
    };
    return f;
}

Field WithAlias(Field f, std::string alias) {
    f.alias_env = std::move(alias);
    return f;
}

const std::vector<Field>& Fields() {
    using std::chrono::hours;
    using std::chrono::minutes;
    using std::chrono::seconds;
    constexpr long long kMaxCount = 1'000'000'000;
    static const std::vector<Field> kFields = {
        String(
            "server.host", "Address to listen on; 0.0.0.0 or :: for every interface.",
            [](auto& c) -> auto& { return c.server.host; }),
        Integer(
            "server.port", "TCP port; 0 picks a free one.",
            [](auto& c) -> auto& { return c.server.port; }, 0, 65535),
        Integer(
            "server.threads", "I/O threads; 0 means one per core.",
            [](auto& c) -> auto& { return c.server.threads; }, 0, 256),
        Integer(
            "server.worker_threads", "Threads for handlers that wait on storage or hash passwords.",
            [](auto& c) -> auto& { return c.server.worker_threads; }, 1, 1024),
        Integer(
            "server.max_connections",
            "Open connections (event streams included) beyond which new ones are refused.",
            [](auto& c) -> auto& { return c.server.max_connections; }, 1, kMaxCount),
        Bytes(
            "server.max_body_bytes", "Largest request body; larger ones get 413.",
            [](auto& c) -> auto& { return c.server.max_body_bytes; }, 1024, 1ull << 30),
        Bytes(
            "server.max_header_bytes", "Largest request head (request line and headers).",
            [](auto& c) -> auto& { return c.server.max_header_bytes; }, 1024, 1ull << 20),
        Duration(
            "server.idle_timeout", "Keep-alive connections idle this long are closed.",
            [](auto& c) -> auto& { return c.server.idle_timeout; }, milliseconds(100), hours(24)),
        Duration(
            "server.request_timeout",
            "A request must arrive, and its response be taken, within this (slow clients).",
            [](auto& c) -> auto& { return c.server.request_timeout; }, milliseconds(100), hours(1)),
        Duration(
            "server.shutdown_grace",
            "On SIGTERM, how long in-flight requests may finish before connections close.",
            [](auto& c) -> auto& { return c.server.shutdown_grace; }, milliseconds(0), minutes(10)),
        Duration(
            "server.sse_heartbeat", "Comment lines keep idle event streams open this often.",
            [](auto& c) -> auto& { return c.server.sse_heartbeat; }, milliseconds(100),
            minutes(10)),
        Duration(
            "server.sse_retry", "The reconnect delay hinted to event streams on shutdown.",
            [](auto& c) -> auto& { return c.server.sse_retry; }, milliseconds(0), minutes(10)),
        Boolean(
            "server.trust_forwarded_for",
            "Use the last X-Forwarded-For address as the client (only behind a proxy).",
            [](auto& c) -> auto& { return c.server.trust_forwarded_for; }),

        String(
            "auth.issuer", "The iss claim of access tokens, checked on every request.",
            [](auto& c) -> auto& { return c.auth.issuer; }),
        String(
            "auth.audience", "The aud claim of access tokens, checked on every request.",
            [](auto& c) -> auto& { return c.auth.audience; }),
        Duration(
            "auth.access_ttl", "Lifetime of an access token (JWT).",
            [](auto& c) -> auto& { return c.auth.access_ttl; }, seconds(10), hours(24)),
        Duration(
            "auth.refresh_ttl", "Lifetime of a refresh token.",
            [](auto& c) -> auto& { return c.auth.refresh_ttl; }, minutes(1), hours(24 * 365)),
        WithAlias(
            String(
                "auth.master_key", "Base64 of the 32-byte master key that wraps users' data keys.",
                [](auto& c) -> auto& { return c.auth.master_key; }, true),
            "TTA_MASTER_KEY"),
        Path(
            "auth.master_key_file", "A file holding the master key (base64).",
            [](auto& c) -> auto& { return c.auth.master_key_file; }),
        Strength(),
        Integer(
            "auth.min_password_length", "Shortest password accepted at registration.",
            [](auto& c) -> auto& { return c.auth.min_password_length; }, 1, 1024),

        Real(
            "limits.ip_requests_per_second", "Sustained request rate per client address.",
            [](auto& c) -> auto& { return c.limits.ip_requests_per_second; }, 0.001, 1e6),
        Real(
            "limits.ip_burst", "Requests a client address may make at once (bucket size).",
            [](auto& c) -> auto& { return c.limits.ip_burst; }, 1, 1e6),
        Real(
            "limits.account_requests_per_second", "Sustained request rate per account.",
            [](auto& c) -> auto& { return c.limits.account_requests_per_second; }, 0.001, 1e6),
        Real(
            "limits.account_burst", "Requests an account may make at once (bucket size).",
            [](auto& c) -> auto& { return c.limits.account_burst; }, 1, 1e6),
        Integer(
            "limits.max_input_chars", "Longest free-text turn input, in characters.",
            [](auto& c) -> auto& { return c.limits.max_input_chars; }, 1, 100000),
        Integer(
            "limits.max_streams_per_account", "Open event streams one account may hold.",
            [](auto& c) -> auto& { return c.limits.max_streams_per_account; }, 1, 10000),

        OneOf("storage.backend", "Where durable state lives: sqlite or postgres.",
              [](auto& c) -> auto& { return c.storage.backend; }, {"sqlite", "postgres"}),
        WithAlias(Path(
                      "storage.data_dir",
                      "Directory for the SQLite database, the generated master key and other "
                      "local state.",
                      [](auto& c) -> auto& { return c.storage.data_dir; }),
                  "TTA_DATA_DIR"),
        String(
            "storage.postgres_url", "libpq connection URI, when storage.backend is postgres.",
            [](auto& c) -> auto& { return c.storage.postgres_url; }, true),
        String(
            "storage.redis_url",
            "Redis URI for cross-node events, locks and rate limits; empty on one node.",
            [](auto& c) -> auto& { return c.storage.redis_url; }, true),

        OneOf("log.level", "Least severe log level written.",
              [](auto& c) -> auto& { return c.log.level; },
              {"trace", "debug", "info", "warn", "error", "off"}),
        OneOf("log.format", "json (one object a line) or text.",
              [](auto& c) -> auto& { return c.log.format; }, {"json", "text"}),

        Integer(
            "models.breaker_failures", "Consecutive failures that open a provider's breaker.",
            [](auto& c) -> auto& { return c.models.breaker_failures; }, 1, 1000),
        Duration(
            "models.breaker_open_for", "How long an open breaker refuses calls before a probe.",
            [](auto& c) -> auto& { return c.models.breaker_open_for; }, milliseconds(10),
            hours(1)),
        Real(
            "models.retry_budget_ratio", "Retries allowed per first attempt over ten seconds.",
            [](auto& c) -> auto& { return c.models.retry_budget_ratio; }, 0, 10),
        Integer(
            "models.max_attempts", "Providers tried for one request, the first included.",
            [](auto& c) -> auto& { return c.models.max_attempts; }, 1, 10),
        Duration(
            "models.turn_timeout",
            "All model work for one turn; past it the turn is narrated from authored text.",
            [](auto& c) -> auto& { return c.models.turn_timeout; }, milliseconds(10), minutes(5)),
        Integer(
            "models.min_chars", "Shortest model narration shown; shorter falls back.",
            [](auto& c) -> auto& { return c.models.min_chars; }, 0, 100000),
        Integer(
            "models.max_chars", "Longest model narration shown; longer falls back.",
            [](auto& c) -> auto& { return c.models.max_chars; }, 1, 100000),
        Integer(
            "models.window_turns", "Earlier turns shown to the model for continuity.",
            [](auto& c) -> auto& { return c.models.window_turns; }, 0, 50),
        Path(
            "models.voices_dir", "Folder of <world id>.txt files: each world's narrator voice.",
            [](auto& c) -> auto& { return c.models.voices_dir; }),

        String(
            "safety.webhook_url",
            "http:// or https:// URL that receives each safety event as JSON; empty: none.",
            [](auto& c) -> auto& { return c.safety.webhook_url; }, true),
        String(
            "safety.webhook_secret_env",
            "Environment variable holding the HMAC-SHA256 key for X-TTA-Signature; empty: "
            "unsigned.",
            [](auto& c) -> auto& { return c.safety.webhook_secret_env; }),
        Duration(
            "safety.webhook_timeout", "Deadline of one delivery attempt, connect to response.",
            [](auto& c) -> auto& { return c.safety.webhook_timeout; }, milliseconds(10),
            minutes(1)),
        Integer(
            "safety.webhook_max_attempts", "Delivery attempts per event, the first included.",
            [](auto& c) -> auto& { return c.safety.webhook_max_attempts; }, 1, 20),
        Integer(
            "safety.webhook_queue_size",
            "Events waiting to be sent; beyond it the oldest is dropped and counted.",
            [](auto& c) -> auto& { return c.safety.webhook_queue_size; }, 1, 1000000),
    };
    return kFields;
}

const Field* FindField(std::string_view key) {
    for (const auto& f : Fields()) {
        if (f.key == key) return &f;
    }
    return nullptr;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string Suggest(std::string_view key) {
    std::string best;
    std::size_t best_d = 3;  // suggest only near misses
    for (const auto& f : Fields()) {
        const std::size_t d = EditDistance(key, f.key);
        if (d < best_d) {
            best_d = d;
            best = f.key;
        }
    }
    return best.empty() ? "" : " (did you mean " + best + "?)";
}

class Loader {
  public:
    explicit Loader(Config& config) : config_(config), sources_(config.sources) {}

    void Set(const std::string& key, std::string_view value, const std::string& source) {
        const Field* f = FindField(key);
        if (f == nullptr) {
            Fail(source, key, "unknown key" + Suggest(key));
            return;
        }
        const std::string problem = f->set(config_, value);
        if (!problem.empty()) {
            Fail(source, key, problem + (f->secret ? "" : ", got " + Quote(value)));
            return;
        }
        sources_[key] = source;
    }

    void Fail(const std::string& source, const std::string& key, const std::string& problem) {
        errors_.push_back(source + ": " + key + ": " + problem);
    }

    // Cross-key rules, reported against where the offending key was set.
    void FailKey(const std::string& key, const std::string& problem) {
        auto it = sources_.find(key);
        Fail(it == sources_.end() ? "default" : it->second, key, problem);
    }

    void LoadYaml(const std::filesystem::path& file) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            errors_.push_back(file.string() + ": cannot read the config file");
            return;
        }
        std::stringstream text;
        text << in.rdbuf();
        YAML::Node root;
        try {
            root = YAML::Load(text.str());
        } catch (const YAML::Exception& e) {
            errors_.push_back(Where(file, e.mark) + ": not valid YAML: " + e.msg);
            return;
        }
        if (root.IsNull()) return;  // empty or comments only
        if (!root.IsMap()) {
            errors_.push_back(Where(file, root.Mark()) + ": expected a mapping of settings");
            return;
        }
        Walk(file, root, "");
    }

    std::vector<std::string>& Errors() { return errors_; }

  private:
    static std::string Where(const std::filesystem::path& file, const YAML::Mark& mark) {
        if (mark.is_null()) return file.string();
        return file.string() + ":" + std::to_string(mark.line + 1) + ":" +
               std::to_string(mark.column + 1);
    }

    void Walk(const std::filesystem::path& file, const YAML::Node& map, const std::string& prefix) {
        for (const auto& kv : map) {
            const std::string key = prefix + kv.first.as<std::string>("");
            const YAML::Node& value = kv.second;
            const std::string where = Where(file, kv.first.Mark());
            if (value.IsMap()) {
                if (FindField(key) != nullptr) {
                    Fail(where, key, "expected a single value, got a mapping");
                } else {
                    Walk(file, value, key + ".");
                }
            } else if (value.IsSequence() && key == "models.providers") {
                LoadProviders(file, value);
            } else if (value.IsSequence()) {
                Fail(where, key, "expected a single value, got a list");
            } else if (value.IsNull()) {
                Set(key, "", where);
            } else {
                Set(key, value.Scalar(), where);
            }
        }
    }

    // models.providers: a list of mappings, one per OpenAI-compatible endpoint.
    void LoadProviders(const std::filesystem::path& file, const YAML::Node& list) {
        std::size_t n = 0;
        for (const auto& node : list) {
            const std::string prefix = "models.providers[" + std::to_string(n++) + "]";
            ModelProviderConfig p;
            if (!node.IsMap()) {
                Fail(Where(file, node.Mark()), prefix, "expected a mapping of provider settings");
                continue;
            }
            for (const auto& kv : node) {
                const std::string name = kv.first.as<std::string>("");
                const std::string key = prefix + "." + name;
                const std::string where = Where(file, kv.first.Mark());
                const YAML::Node& value = kv.second;
                std::string problem;
                if (name == "tasks") {
                    problem = SetTasks(p, value);
                } else if (!value.IsScalar()) {
                    problem = "expected a single value";
                } else {
                    problem = SetProviderField(p, name, value.Scalar());
                }
                if (!problem.empty()) Fail(where, key, problem);
            }
            const std::string where = Where(file, node.Mark());
            if (p.name.empty()) Fail(where, prefix + ".name", "is required");
            if (p.model.empty()) Fail(where, prefix + ".model", "is required");
            if (!p.base_url.starts_with("http://") && !p.base_url.starts_with("https://")) {
                Fail(where, prefix + ".base_url",
                     "is required and must start with http:// or https://");
            }
            for (const auto& other : config_.models.providers) {
                if (!p.name.empty() && other.name == p.name) {
                    Fail(where, prefix + ".name", "'" + p.name + "' names two providers");
                }
            }
            config_.models.providers.push_back(std::move(p));
        }
        sources_["models.providers"] = Where(file, list.Mark());
    }

    static std::string SetTasks(ModelProviderConfig& p, const YAML::Node& value) {
        if (!value.IsSequence()) return "expected a list of tasks";
        p.tasks.clear();
        for (const auto& t : value) {
            const std::string task = t.IsScalar() ? t.Scalar() : "";
            if (task != "narration" && task != "dialogue" && task != "summary") {
                return "tasks are narration, dialogue and summary, got '" + task + "'";
            }
            p.tasks.push_back(task);
        }
        return "";
    }

    static std::string SetProviderField(ModelProviderConfig& p, const std::string& name,
                                        const std::string& v) {
        auto duration = [&](milliseconds& out) {
            const auto d = ParseDuration(v);
            if (!d || *d < milliseconds(1) || *d > std::chrono::hours(1)) {
                return "must be a duration from 1ms to 1h with a unit, got " + Quote(v);
            }
            out = *d;
            return std::string();
        };
        auto real = [&](double& out, double hi) {
            double x = 0;
            if (!ParseNumber(std::string_view(v), x) || !(x >= 0 && x <= hi)) {
                return "must be a number from 0 to " + FormatReal(hi) + ", got " + Quote(v);
            }
            out = x;
            return std::string();
        };
        auto integer = [&](int& out, int lo, int hi) {
            int x = 0;
            if (!ParseNumber(std::string_view(v), x) || x < lo || x > hi) {
                return "must be an integer from " + std::to_string(lo) + " to " +
                       std::to_string(hi) + ", got " + Quote(v);
            }
            out = x;
            return std::string();
        };
        std::string* text = name == "name"          ? &p.name
                            : name == "base_url"    ? &p.base_url
                            : name == "model"       ? &p.model
                            : name == "api_key_env" ? &p.api_key_env
                                                    : nullptr;
        if (text != nullptr) {
            *text = v;
        } else if (name == "ca_file") {
            p.ca_file = v;
        } else if (name == "connect_timeout") {
            return duration(p.connect_timeout);
        } else if (name == "first_token_timeout") {
            return duration(p.first_token_timeout);
        } else if (name == "stall_timeout") {
            return duration(p.stall_timeout);
        } else if (name == "total_timeout") {
            return duration(p.total_timeout);
        } else if (name == "max_concurrent") {
            return integer(p.max_concurrent, 1, 10000);
        } else if (name == "max_tokens") {
            return integer(p.max_tokens, 1, 100000);
        } else if (name == "cost_per_1k_prompt_tokens") {
            return real(p.cost_per_1k_prompt_tokens, 1e6);
        } else if (name == "cost_per_1k_completion_tokens") {
            return real(p.cost_per_1k_completion_tokens, 1e6);
        } else if (name == "temperature") {
            return real(p.temperature, 2);
        } else if (name == "api_key") {
            return "put the key in an environment variable and name it in api_key_env";
        } else {
            return "unknown provider setting";
        }
        return "";
    }

    Config& config_;
    std::vector<std::string> errors_;
    std::map<std::string, std::string>& sources_;
};

}  // namespace

Environment ProcessEnvironment() {
    Environment env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string_view entry(*e);
        if (!entry.starts_with("TTA_")) continue;
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return env;
}

Result<Config> LoadConfig(const ConfigInputs& inputs) {
    Config config;
    Loader loader(config);

    std::optional<std::filesystem::path> file = inputs.file;
    if (!file) {
        if (auto it = inputs.env.find("TTA_CONFIG");
            it != inputs.env.end() && !it->second.empty()) {
            file = it->second;
        }
    }
    if (file) loader.LoadYaml(*file);

    // Aliases first so that the full name wins when both are set.
    for (const auto& f : Fields()) {
        if (f.alias_env.empty()) continue;
        if (auto it = inputs.env.find(f.alias_env); it != inputs.env.end()) {
            loader.Set(f.key, it->second, "environment " + f.alias_env);
        }
    }
    for (const auto& f : Fields()) {
        const std::string name = EnvName(f.key);
        if (auto it = inputs.env.find(name); it != inputs.env.end()) {
            loader.Set(f.key, it->second, "environment " + name);
        }
    }
    for (const auto& entry : inputs.env) {
        const std::string& name = entry.first;  // a plain reference: clang-14 cannot capture bindings
        if (!name.starts_with("TTA_") || name == "TTA_CONFIG") continue;
        const bool known = std::any_of(Fields().begin(), Fields().end(), [&](const Field& f) {
            return EnvName(f.key) == name || f.alias_env == name;
        });
        // The variable named by safety.webhook_secret_env is read by whoever sends the webhook.
        if (!known && name != config.safety.webhook_secret_env) {
            config.warnings.push_back("unknown environment variable " + name + " ignored");
        }
    }
    for (const auto& o : inputs.overrides) loader.Set(o.key, o.value, o.source);

    if (config.storage.backend == "postgres" && config.storage.postgres_url.empty()) {
        loader.FailKey("storage.postgres_url", "is required when storage.backend is postgres");
    }
    if (!config.auth.master_key.empty() && !config.auth.master_key_file.empty()) {
        loader.FailKey("auth.master_key_file", "set either auth.master_key or this, not both");
    }
    if (config.auth.access_ttl >= config.auth.refresh_ttl) {
        loader.FailKey("auth.access_ttl", "must be shorter than auth.refresh_ttl");
    }
    if (config.server.host.empty()) loader.FailKey("server.host", "must not be empty");
    if (config.storage.data_dir.empty()) loader.FailKey("storage.data_dir", "must not be empty");
    if (config.auth.issuer.empty()) loader.FailKey("auth.issuer", "must not be empty");
    if (config.auth.audience.empty()) loader.FailKey("auth.audience", "must not be empty");
    if (!config.safety.webhook_url.empty() &&
        !config.safety.webhook_url.starts_with("http://") &&
        !config.safety.webhook_url.starts_with("https://")) {
        loader.FailKey("safety.webhook_url", "must start with http:// or https://");
    }
    if (!config.safety.webhook_secret_env.empty() && config.safety.webhook_url.empty()) {
        loader.FailKey("safety.webhook_secret_env", "is set but safety.webhook_url is not");
    }
    if (config.models.min_chars >= config.models.max_chars) {
        loader.FailKey("models.min_chars", "must be less than models.max_chars");
    }

    if (!loader.Errors().empty()) {
        std::string message = "invalid configuration:";
        for (const auto& e : loader.Errors()) message += "\n  " + e;
        return Error::Invalid(std::move(message));
    }
    return config;
}

std::vector<ConfigKey> ConfigKeys() {
    const Config defaults;
    std::vector<ConfigKey> out;
    for (const auto& f : Fields()) {
        std::string env = EnvName(f.key);
        if (!f.alias_env.empty()) env += " or " + f.alias_env;
        out.push_back({f.key, env, f.show(defaults), f.help});
    }
    return out;
}

Result<milliseconds> ParseDuration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
        ++digits;
    }
    std::int64_t n = 0;
    if (digits == 0 || !ParseNumber(text.substr(0, digits), n)) {
        return Error::Invalid("a duration is a whole number with a unit, e.g. 15s");
    }
    const std::string unit = Lower(text.substr(digits));
    std::int64_t scale = 0;
    if (unit == "ms") {
        scale = 1;
    } else if (unit == "s") {
        scale = 1000;
    } else if (unit == "m") {
        scale = 60'000;
    } else if (unit == "h") {
        scale = 3'600'000;
    } else if (unit == "d") {
        scale = 86'400'000;
    } else {
        return Error::Invalid("a duration needs a unit: ms, s, m, h or d");
    }
    if (n > std::numeric_limits<std::int64_t>::max() / scale) {
        return Error::Invalid("duration too long");
    }
    return milliseconds(n * scale);
}

Result<std::uint64_t> ParseByteSize(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
        ++digits;
    }
    std::uint64_t n = 0;
    if (digits == 0 || !ParseNumber(text.substr(0, digits), n)) {
        return Error::Invalid("a size is a whole number of bytes, optionally with a unit");
    }
    const std::string unit = Lower(text.substr(digits));
    static const std::pair<const char*, std::uint64_t> kUnits[] = {{"", 1},
                                                                   {"b", 1},
                                                                   {"kib", 1ull << 10},
                                                                   {"mib", 1ull << 20},
                                                                   {"gib", 1ull << 30},
                                                                   {"kb", 1000},
                                                                   {"mb", 1000 * 1000},
                                                                   {"gb", 1000 * 1000 * 1000}};
    for (const auto& [name, scale] : kUnits) {
        if (unit == name) {
            if (n > std::numeric_limits<std::uint64_t>::max() / scale) {
                return Error::Invalid("size too large");
            }
            return n * scale;
        }
    }
    return Error::Invalid("unknown size unit " + Quote(unit));
}

std::string FormatDuration(milliseconds d) {
    static const std::pair<std::int64_t, const char*> kUnits[] = {
        {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
    const std::int64_t ms = d.count();
    for (const auto& [size, name] : kUnits) {
        if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + name;
    }
    return std::to_string(ms) + "ms";
}

}  // namespace tta
