#include "tta/narrative/model/status.hpp"

#include <gtest/gtest.h>

#include "tta/narrative/model/scripted_transport.hpp"

namespace tta::narrative::model {
namespace {

using std::chrono::milliseconds;

TEST(ReadMonitor, ReadsWhatTheRouterExports) {
    metrics::Registry registry;
    ManualClock clock;
    ScriptedTransport transport;
    ProviderSpec spec;
    spec.config.name = "local";
    spec.config.model = "m";
    spec.config.cost_per_1k_completion_tokens = 2.0;
    spec.endpoint = *ParseBaseUrl("http://local/v1");
    spec.tasks = {Task::kNarration};
    RouterOptions options;
    options.max_attempts = 1;
    options.breaker.failure_threshold = 2;
    ModelRouter router({spec}, options, transport, clock, &registry);
    Scripted ok = Says("Hello there.");
    ok.elapsed = milliseconds(400);
    ok.usage = Usage{100, 50};
    transport.Script("local", {ok, ok, ok, Fails(Failure::kStatus, 500), Fails(Failure::kConnect)});
    RouteRequest request;
    request.deadline = resilience::Deadline::After(std::chrono::seconds(5));
    for (int i = 0; i < 5; ++i) (void)router.Route(request);

    const auto monitored = ReadMonitor(registry.Expose());
    ASSERT_EQ(monitored.size(), 1u);
    const auto& m = monitored[0];
    EXPECT_EQ(m.name, "local");
    EXPECT_EQ(m.breaker, "open");
    EXPECT_EQ(m.requests, 5);
    EXPECT_EQ(m.failures, 2);
    EXPECT_EQ(m.prompt_tokens, 300);
    EXPECT_EQ(m.completion_tokens, 150);
    EXPECT_NEAR(m.cost, 0.3, 1e-9);
    EXPECT_GT(m.error_ratio, 0.3);
    EXPECT_NEAR(m.mean_seconds, (3 * 0.4 + 2 * 0.1) / 5, 1e-9);
    EXPECT_GT(m.p95_seconds, 0.25);
    EXPECT_LE(m.p95_seconds, 0.5);
    EXPECT_GT(m.tokens_per_second, 0);

    const std::string table =
        FormatStatus({spec}, {ProbeResult{true, "200 in 3 ms", {}}}, monitored, {"a warning"});
    for (std::string_view needle :
         {"warning: a warning", "local\n", "model      m at", "probe      up: 200 in 3 ms",
          "breaker    open", "requests   5 (2 failed", "cost 0.3000"}) {
        EXPECT_NE(table.find(needle), std::string::npos) << needle << "\n" << table;
    }
}

TEST(ReadMonitor, IgnoresOtherMetricsAndBadLines) {
    const auto monitored = ReadMonitor(
        "# HELP x y\n"
        "tta_engine_turns_total{kind=\"story\"} 4\n"
        "tta_model_requests_total{provider=\"a\",result=\"ok\"} nonsense\n"
        "tta_model_requests_total{provider=\"a\",result=\"cancelled\"} 3\n"
        "tta_resilience_breaker_state{breaker=\"store\",state=\"open\"} 1\n");
    ASSERT_EQ(monitored.size(), 1u);
    EXPECT_EQ(monitored[0].requests, 0);
    EXPECT_EQ(monitored[0].breaker, "unknown");
}

TEST(FormatStatus, SaysWhenNoModelIsConfigured) {
    EXPECT_NE(FormatStatus({}, {}, {}, {}).find("No model providers are configured"),
              std::string::npos);
}

}  // namespace
}  // namespace tta::narrative::model
