// `tta models status`: the configured providers, whether each answers now, and — with
// --metrics URL pointing at a running `tta serve` — its performance monitor: breaker state,
// requests and failures, latency, time to first token, tokens per second, tokens and cost.
// Exit status 0 when every probed provider answered (or none is configured), 1 otherwise, 2
// when the configuration is invalid.
#include "cmd_models.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "tta/core/config.hpp"
#include "tta/narrative/model/http_transport.hpp"
#include "tta/narrative/model/status.hpp"

namespace tta::app {
namespace {

struct ModelsFlags {
    std::string config;
    bool no_probe = false;
    std::string timeout = "3s";
    std::string metrics_url;
};

int RunStatus(const ModelsFlags& flags) {
    using namespace narrative::model;
    ConfigInputs inputs;
    if (!flags.config.empty()) inputs.file = flags.config;
    inputs.env = ProcessEnvironment();
    auto config = LoadConfig(inputs);
    if (!config) {
        std::cerr << "tta models: " << config.error().message << "\n";
        return 2;
    }
    const auto timeout = ParseDuration(flags.timeout);
    if (!timeout) {
        std::cerr << "tta models: --timeout: " << timeout.error().message << "\n";
        return 2;
    }
    auto resolved = ResolveProviders(config->models);
    if (!resolved) {
        std::cerr << "tta models: " << resolved.error().message << "\n";
        return 2;
    }

    HttpTransport transport;
    std::vector<std::optional<ProbeResult>> probes(resolved->providers.size());
    bool all_up = true;
    if (!flags.no_probe) {
        for (std::size_t i = 0; i < resolved->providers.size(); ++i) {
            probes[i] = ProbeModels(transport, resolved->providers[i], *timeout);
            all_up = all_up && probes[i]->ok;
        }
    }
    std::vector<MonitoredProvider> monitored;
    std::vector<std::string> warnings = resolved->warnings;
    if (!flags.metrics_url.empty()) {
        // The URL is the metrics endpoint itself: http://host:port/metrics.
        const auto slash = flags.metrics_url.find('/', flags.metrics_url.find("://") + 3);
        const std::string base =
            slash == std::string::npos ? flags.metrics_url : flags.metrics_url.substr(0, slash);
        const std::string path =
            slash == std::string::npos ? "/metrics" : flags.metrics_url.substr(slash);
        auto endpoint = ParseBaseUrl(base);
        auto scraped = endpoint ? transport.Get(*endpoint, path, *timeout, 64 << 20)
                                : Result<HttpResponse>(endpoint.error());
        if (!scraped || scraped->status != 200) {
            warnings.push_back(
                "could not read " + flags.metrics_url + ": " +
                (scraped ? "HTTP " + std::to_string(scraped->status) : scraped.error().message));
        } else {
            monitored = ReadMonitor(scraped->body);
        }
    }
    std::cout << FormatStatus(resolved->providers, probes, monitored, warnings);
    return all_up ? 0 : 1;
}

}  // namespace

void AddModelsCommands(CLI::App& app) {
    auto flags = std::make_shared<ModelsFlags>();
    CLI::App* models = app.add_subcommand("models", "Language-model providers for narration");
    models->require_subcommand(1);
    CLI::App* status = models->add_subcommand(
        "status", "Configured providers, a probe of each, and a running server's figures");
    status->add_option("--config", flags->config, "YAML configuration file")
        ->check(CLI::ExistingFile);
    status->add_flag("--no-probe", flags->no_probe, "Do not contact the providers");
    status->add_option("--timeout", flags->timeout, "Deadline for each probe")
        ->capture_default_str();
    status->add_option("--metrics", flags->metrics_url,
                       "A running server's metrics URL, e.g. http://127.0.0.1:8080/metrics");
    status->callback([flags] {
        if (const int rc = RunStatus(*flags); rc != 0) throw CLI::RuntimeError(rc);
    });
}

}  // namespace tta::app
