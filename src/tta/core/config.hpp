// tta::core config: the settings of a running TTA, read once at start from one YAML file plus
// `TTA_*` environment variables, then validated as a whole so that a bad setting stops the
// process with a message naming the key and where it was set ("tta.yaml:4:9: server.port:
// ...", "environment TTA_SERVER_PORT: ..."). With no file and no variables every setting has
// a default that runs a single node on a laptop (data in ./data, port 8080).
//
// Precedence, lowest first: defaults, the file, the environment, command-line overrides.
// Every key `a.b_c` has the variable `TTA_A_B_C`; a few also have a short alias
// (TTA_MASTER_KEY, TTA_DATA_DIR). Durations are written with a unit ("250ms", "15s", "10m",
// "12h", "30d"), sizes in bytes or with a unit ("64KiB", "1MiB", "1MB").
//
// To add a setting: add the field (with its default) below and one line to the key table in
// config.cpp; docs/operations.md lists every key (a test checks it).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tta/core/error.hpp"

namespace tta {

struct ServerConfig {
    std::string host = "127.0.0.1";  // set 0.0.0.0 to listen on every interface
    int port = 8080;                 // 0 picks a free port
    int threads = 0;                 // I/O threads; 0 = one per core
    // Threads for handlers that block (store calls, password hashing).
    int worker_threads = 16;
    std::size_t max_connections = 16384;
    std::uint64_t max_body_bytes = 64 * 1024;
    std::uint64_t max_header_bytes = 8 * 1024;
    // Keep-alive connections idle longer than this are closed.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    // A request must arrive whole, and a response be taken whole, within this (slow clients).
    std::chrono::milliseconds request_timeout{std::chrono::seconds(15)};
    // On SIGTERM: how long in-flight requests may run before connections are cut.
    std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
    std::chrono::milliseconds sse_heartbeat{std::chrono::seconds(15)};
    // The `retry:` hint sent to event streams when the server closes them.
    std::chrono::milliseconds sse_retry{std::chrono::seconds(3)};
    // Take the client address from the last X-Forwarded-For entry (only behind a proxy).
    bool trust_forwarded_for = false;
};

enum class PasswordStrength { kInteractive, kModerate, kSensitive };

struct AuthConfig {
    std::string issuer = "tta";
    std::string audience = "tta";
    std::chrono::milliseconds access_ttl{std::chrono::minutes(15)};
    std::chrono::milliseconds refresh_ttl{std::chrono::hours(24 * 30)};
    // The master key that wraps every user's data key: base64 of 32 bytes, given inline
    // (prefer the environment), or a file holding it. With neither, one is generated into
    // <data_dir>/master.key on first run.
    std::string master_key;  // secret: never logged
    std::filesystem::path master_key_file;
    PasswordStrength password_strength = PasswordStrength::kInteractive;
    std::size_t min_password_length = 8;
};

struct LimitsConfig {
    // Token buckets: a sustained rate and a burst (bucket size).
    double ip_requests_per_second = 20;
    double ip_burst = 60;
    double account_requests_per_second = 10;
    double account_burst = 30;
    std::size_t max_input_chars = 2000;  // a turn's free text, in code points
    std::size_t max_streams_per_account = 4;
};

struct StorageConfig {
    std::string backend = "sqlite";  // "sqlite" or "postgres"
    std::filesystem::path data_dir = "./data";
    std::string postgres_url;  // secret: may hold a password
    std::string redis_url;     // empty: single node, in-process pub/sub and locks
};

struct LogConfig {
    std::string level = "info";   // trace, debug, info, warn, error, off
    std::string format = "json";  // json (one object a line) or text
};

// One OpenAI-compatible chat completions endpoint (llama.cpp server, Ollama, vLLM or a hosted
// API) that the narrative stage may use; docs/models.md. Listed under `models.providers`.
struct ModelProviderConfig {
    std::string name;      // unique: labels metrics, breakers and provenance
    std::string base_url;  // up to and including /v1: "http://127.0.0.1:11434/v1"
    std::string model;     // the "model" of each request
    // The environment variable holding the API key (never the key itself); empty: no key.
    std::string api_key_env;
    // What it may be asked to write: narration, dialogue, summary.
    std::vector<std::string> tasks = {"narration", "dialogue", "summary"};
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(2)};
    std::chrono::milliseconds first_token_timeout{std::chrono::seconds(5)};
    std::chrono::milliseconds stall_timeout{std::chrono::seconds(3)};  // between chunks
    std::chrono::milliseconds total_timeout{std::chrono::seconds(20)};
    int max_concurrent = 4;  // requests in flight; more are routed elsewhere, not queued
    double cost_per_1k_prompt_tokens = 0;  // in any one currency; 0 for local models
    double cost_per_1k_completion_tokens = 0;
    int max_tokens = 400;
    double temperature = 0.7;
    std::filesystem::path ca_file;  // extra trusted CAs (PEM) for a private endpoint
};

struct ModelsConfig {
    std::vector<ModelProviderConfig> providers;  // none: authored narration only
    int breaker_failures = 5;                    // consecutive failures that open a breaker
    std::chrono::milliseconds breaker_open_for{std::chrono::seconds(30)};
    double retry_budget_ratio = 0.2;  // retries per first attempt, over ten seconds
    int max_attempts = 2;             // providers tried for one request, first included
    // All model work for one turn (retries and the one regeneration included); past it the
    // turn is narrated from the authored text.
    std::chrono::milliseconds turn_timeout{std::chrono::seconds(15)};
    std::size_t min_chars = 20;       // model text outside these bounds is not shown
    std::size_t max_chars = 1500;
    int window_turns = 3;               // earlier turns shown to the model
    std::filesystem::path voices_dir;  // <world id>.txt: a world's narrator voice
};

// Where safety events (docs/safety.md) are sent so that someone can be told: a webhook that
// receives each concern and crisis as JSON, never the player's words.
struct SafetyConfig {
    std::string webhook_url;  // http:// or https://; empty: no webhook. Secret: may hold a token
    // The environment variable holding the HMAC-SHA256 key that signs each body (never the key
    // itself); empty: bodies are not signed.
    std::string webhook_secret_env;
    std::chrono::milliseconds webhook_timeout{std::chrono::seconds(5)};  // one attempt, whole
    int webhook_max_attempts = 4;             // per event, the first included
    std::size_t webhook_queue_size = 1000;    // events waiting; beyond it the oldest is dropped
};

struct Config {
    ServerConfig server;
    AuthConfig auth;
    LimitsConfig limits;
    StorageConfig storage;
    LogConfig log;
    ModelsConfig models;
    SafetyConfig safety;

    // Where each key that is not at its default was set ("tta.yaml:4:9",
    // "environment TTA_SERVER_PORT", "--port"), for messages of later checks.
    std::map<std::string, std::string> sources;
    // Things worth a warning at start (an unknown TTA_* variable), already worded.
    std::vector<std::string> warnings;
};

// Environment variables by name; ProcessEnvironment() gives the TTA_* ones of this process.
using Environment = std::map<std::string, std::string>;
Environment ProcessEnvironment();

// A setting from the command line; `source` names it in messages, e.g. "--port".
struct ConfigOverride {
    std::string key;  // "server.port"
    std::string value;
    std::string source;
};

struct ConfigInputs {
    // The YAML file; when empty, TTA_CONFIG from `env` if set, else none (defaults only).
    std::optional<std::filesystem::path> file = std::nullopt;
    Environment env = {};
    std::vector<ConfigOverride> overrides = {};
};

// Reads, overrides and validates. On failure the kInvalid error's message lists every
// problem, one a line, each naming the key and its source.
Result<Config> LoadConfig(const ConfigInputs& inputs);

// One row per key, for documentation and `--help`.
struct ConfigKey {
    std::string key;           // "server.port"
    std::string env;           // "TTA_SERVER_PORT"
    std::string default_text;  // "8080"
    std::string help;
};
std::vector<ConfigKey> ConfigKeys();

// Parsers shared with anything else that reads these notations.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
Result<std::uint64_t> ParseByteSize(std::string_view text);
std::string FormatDuration(std::chrono::milliseconds d);  // the largest exact unit: "15m"

}  // namespace tta
