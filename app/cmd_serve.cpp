// `tta serve` and `tta admin grant`: start the HTTP server from the configuration — the API of
// docs/api.md over the SQLite store, the worlds in ./worlds (or $TTA_WORLDS) and the narrator
// the `models` section configures — and the one account operation an operator does by hand.
// docs/operations.md is the runbook.
#include "cmd_serve.hpp"

#include <dirent.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "tta/auth/jwt.hpp"
#include "tta/auth/keys.hpp"
#include "tta/core/config.hpp"
#include "tta/core/metrics.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/narrative/model/model_narrator.hpp"
#include "tta/server/accounts.hpp"
#include "tta/server/api.hpp"
#include "tta/server/safety_webhook.hpp"
#include "tta/server/server.hpp"
#include "tta/store/metrics_observer.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/web/static_site.hpp"

namespace tta::app {
namespace {

// The log message as a JSON string body, so that JSON-lines logs stay valid whatever a
// message contains.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr char kHex[] = "0123456789abcdef";
        for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                dest.push_back('\\');
                dest.push_back(c);
            } else if (u < 0x20) {
                const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
                dest.append(esc, esc + sizeof esc);
            } else {
                dest.push_back(c);
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessageFlag>();
    }
};

void SetUpLogging(const LogConfig& log) {
    auto logger =
        std::make_shared<spdlog::logger>("tta", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    if (log.format == "json") {
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<JsonMessageFlag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","msg":"%*"})");
        logger->set_formatter(std::move(formatter));
    } else {
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
    }
    logger->set_level(spdlog::level::from_str(log.level));
    spdlog::set_default_logger(std::move(logger));
}

// process_resident_memory_bytes and process_open_fds, the names Prometheus client libraries
// use, refreshed at each scrape.
void AddProcessMetrics(metrics::Registry& registry) {
    auto& rss =
        registry.AddGauge("process_resident_memory_bytes", "Resident memory size.").With({});
    auto& fds = registry.AddGauge("process_open_fds", "Open file descriptors.").With({});
    registry.OnScrape([&rss, &fds] {
        std::ifstream statm("/proc/self/statm");
        long long pages = 0, resident = 0;
        if (statm >> pages >> resident) {
            rss.Set(static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)));
        }
        if (DIR* dir = ::opendir("/proc/self/fd")) {
            int n = 0;
            while (::readdir(dir) != nullptr) ++n;
            ::closedir(dir);
            fds.Set(n - 3);  // ".", ".." and the directory itself
        }
    });
}

int Fail(std::string_view command, std::string_view message) {
    std::cerr << "tta " << command << ": " << message << "\n";
    return 1;
}

struct ServeFlags {
    std::string config;
    std::string data;
    std::optional<int> port;
    std::string web;  // the built web player; "" means ./web/dist
};

Result<Config> Load(const ServeFlags& flags) {
    ConfigInputs inputs;
    if (!flags.config.empty()) inputs.file = flags.config;
    inputs.env = ProcessEnvironment();
    if (!flags.data.empty()) inputs.overrides.push_back({"storage.data_dir", flags.data, "--data"});
    if (flags.port) {
        inputs.overrides.push_back({"server.port", std::to_string(*flags.port), "--port"});
    }
    return LoadConfig(inputs);
}

Result<std::unique_ptr<store::sqlite::SqliteStore>> OpenStore(const Config& config,
                                                              store::StoreObserver* observer) {
    if (config.storage.backend != "sqlite") {
        return Error::Unavailable("storage.backend " + config.storage.backend +
                                  " is not available in this build; use sqlite");
    }
    store::sqlite::SqliteOptions options;
    options.data_dir = config.storage.data_dir;
    options.observer = observer;
    return store::sqlite::SqliteStore::Open(options);
}

// The web player's built files (docs/web.md). Without them the API still serves; a directory
// named on purpose with --web that does not load is an error.
Result<std::optional<web::StaticSite>> LoadWebPlayer(const ServeFlags& flags) {
    const bool chosen = !flags.web.empty();
    auto site = web::StaticSite::Load(chosen ? std::filesystem::path(flags.web) : "web/dist");
    if (site) return std::optional<web::StaticSite>(std::move(*site));
    if (chosen || site.error().code != ErrorCode::kNotFound) return site.error();
    spdlog::warn("web player not served: {}", site.error().message);
    return std::optional<web::StaticSite>();
}

int RunServe(const ServeFlags& flags) {
    auto config = Load(flags);
    if (!config) return Fail("serve", config.error().message);
    SetUpLogging(config->log);
    for (const auto& w : config->warnings) spdlog::warn("{}", w);

    auto key = auth::LoadMasterKey(*config);
    if (!key) return Fail("serve", key.error().message);
    for (const auto& w : key->warnings) spdlog::warn("{}", w);

    metrics::Registry& registry = metrics::DefaultRegistry();
    AddProcessMetrics(registry);
    store::MetricsObserver observer(registry);
    auto store = OpenStore(*config, &observer);
    if (!store) return Fail("serve", store.error().message);

    std::vector<world::Diagnostic> diagnostics;
    const auto worlds_dir = engine::DefaultWorldsDir();
    auto worlds = engine::WorldCatalog::LoadDirectory(worlds_dir, diagnostics);
    for (const auto& d : diagnostics) {
        if (d.severity == world::Severity::kError) spdlog::error("{}", d.ToString());
    }
    if (!worlds) return Fail("serve", worlds.error().message);

    SystemClock clock;
    server::Api api(*config, {**store, **store, **store}, key->key, *worlds, clock, registry,
                    server::AccountOptionsFrom(*config));
    std::vector<std::string> narrator_warnings;
    auto narrator =
        narrative::model::MakeNarrator(config->models, registry, clock, &narrator_warnings);
    for (const auto& w : narrator_warnings) spdlog::warn("{}", w);
    spdlog::info("narration: {}", narrator->Name());
    api.SetNarrator(std::move(narrator));
    std::unique_ptr<server::WebhookSafetyEventSink> webhook;
    if (!config->safety.webhook_url.empty()) {
        auto options = server::WebhookOptionsFrom(config->safety);
        if (!options) return Fail("serve", options.error().message);
        auto created = server::WebhookSafetyEventSink::Create(std::move(*options), registry, clock);
        if (!created) return Fail("serve", created.error().message);
        webhook = std::move(*created);
        api.AddSafetyNotifier(webhook.get());
        spdlog::info("safety events also go to the configured webhook");
    }

    auto web_player = LoadWebPlayer(flags);
    if (!web_player) return Fail("serve", web_player.error().message);

    server::Router router;
    api.AddRoutes(router);
    if (*web_player) {
        (*web_player)->AddRoutes(router);
        spdlog::info("web player: {} files ({} bytes) at /", (*web_player)->FileCount(),
                     (*web_player)->TotalBytes());
    }
    server::Server server(*config, router, registry, clock);
    server.SetAuthenticator(api.Authenticator());
    server.AddReadinessCheck("store", [&store]() -> Status {
        auto version = (*store)->SchemaVersion();
        if (!version) return version.error();
        return Ok();
    });
    if (auto started = server.Start(/*handle_signals=*/true); !started) {
        return Fail("serve", started.error().message);
    }
    spdlog::info("listening on {}:{} (data in {}, master key from {}, {} worlds from {})",
                 config->server.host, server.Port(), config->storage.data_dir.string(),
                 key->source, worlds->All().size(), worlds_dir.string());
    server.Wait();
    if (webhook && !webhook->Flush(std::chrono::seconds(5))) {
        spdlog::warn("safety webhook: events still unsent at shutdown were dropped");
    }
    spdlog::info("stopped");
    return 0;
}

int RunGrant(const ServeFlags& flags, const std::string& username, const std::string& role) {
    auto config = Load(flags);
    if (!config) return Fail("admin grant", config.error().message);
    auto store = OpenStore(*config, nullptr);
    if (!store) return Fail("admin grant", store.error().message);
    auto user = server::GrantRole(**store, username, role);
    if (!user) return Fail("admin grant", user.error().message);
    std::string roles;
    for (const auto& r : user->roles) roles += (roles.empty() ? "" : ", ") + r;
    std::cout << user->username << " now has the roles: " << roles << "\n";
    return 0;
}

}  // namespace

void AddServeCommands(CLI::App& app) {
    auto flags = std::make_shared<ServeFlags>();
    auto* serve = app.add_subcommand("serve", "Run the HTTP API (see docs/operations.md)");
    serve->add_option("--config", flags->config, "YAML configuration file")
        ->check(CLI::ExistingFile);
    serve->add_option("--data", flags->data, "Data directory (storage.data_dir)");
    serve
        ->add_option_function<int>(
            "--port", [flags](int p) { flags->port = p; }, "TCP port (server.port)")
        ->check(CLI::Range(0, 65535));
    serve->add_option("--web", flags->web, "Built web player to serve at / (default ./web/dist)");
    serve->callback([flags] { throw CLI::RuntimeError(RunServe(*flags)); });

    auto grant_flags = std::make_shared<ServeFlags>();
    auto grant_args = std::make_shared<std::pair<std::string, std::string>>();
    auto* admin = app.add_subcommand("admin", "Account administration");
    admin->require_subcommand(1);
    auto* grant = admin->add_subcommand("grant", "Give a registered user a role");
    grant->add_option("--config", grant_flags->config, "YAML configuration file")
        ->check(CLI::ExistingFile);
    grant->add_option("--data", grant_flags->data, "Data directory (storage.data_dir)");
    grant->add_option("USER", grant_args->first, "Username")->required();
    grant->add_option("ROLE", grant_args->second, "player, clinician, editor or admin")->required();
    grant->callback([grant_flags, grant_args] {
        throw CLI::RuntimeError(RunGrant(*grant_flags, grant_args->first, grant_args->second));
    });
}

}  // namespace tta::app
