#include "tta/narrative/model/router.hpp"

#include <gtest/gtest.h>

#include "tta/narrative/model/scripted_transport.hpp"

namespace tta::narrative::model {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

ProviderSpec Spec(const std::string& name, double cost = 0, int max_concurrent = 4,
                  std::vector<Task> tasks = {Task::kNarration, Task::kDialogue}) {
    ProviderSpec s;
    s.config.name = name;
    s.config.model = name + "-model";
    s.config.base_url = "http://" + name + "/v1";
    s.config.cost_per_1k_completion_tokens = cost;
    s.config.cost_per_1k_prompt_tokens = cost;
    s.config.max_concurrent = max_concurrent;
    s.endpoint = *ParseBaseUrl(s.config.base_url);
    s.tasks = std::move(tasks);
    return s;
}

class RouterTest : public ::testing::Test {
  protected:
    RouterOptions Options() {
        RouterOptions o;
        o.breaker = {.failure_threshold = 3, .open_for = seconds(30)};
        o.retry_budget = {.ratio = 1.0, .min_retries = 100, .window = seconds(10)};
        o.backoff = {.base = milliseconds(1), .max = milliseconds(2)};
        o.max_attempts = 2;
        o.seed = 42;
        return o;
    }
    std::unique_ptr<ModelRouter> Make(std::vector<ProviderSpec> specs,
                                      std::optional<RouterOptions> options = std::nullopt) {
        return std::make_unique<ModelRouter>(std::move(specs), options.value_or(Options()),
                                             transport_, clock_, &registry_);
    }
    RouteRequest Request(Task task = Task::kNarration) {
        RouteRequest r;
        r.task = task;
        r.messages = {{"system", "Narrate."}, {"user", "Facts."}};
        r.deadline = resilience::Deadline::After(seconds(5));
        r.on_text = [this](std::string_view t) {
            text_ += t;
            return true;
        };
        r.on_attempt = [this](const Provider&) { text_.clear(); };
        return r;
    }
    std::vector<std::string> Order(ModelRouter& router, Task task = Task::kNarration) {
        std::vector<std::string> names;
        for (auto* p : router.Candidates(task)) names.push_back(p->Name());
        return names;
    }
    // Makes b a slow but healthy fallback, so that a stays first while its breaker is
    // closed, however many of its requests fail.
    static void SlowB(ModelRouter& router, ScriptedTransport& transport) {
        Scripted slow = Says("From b.");
        slow.elapsed = seconds(10);
        transport.SetFallback("b", slow);
        for (auto* p : router.Candidates(Task::kNarration)) {
            if (p->Name() == "b") Heard(*p, 10.0);
        }
    }
    static void Heard(Provider& p, double seconds_taken, bool ok = true) {
        StreamResult r;
        r.failure = ok ? Failure::kNone : Failure::kStatus;
        r.elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::duration<double>(seconds_taken));
        p.Monitor().Record(r, Usage{10, 10}, 0);
        p.Recorded(!ok);
    }

    ScriptedTransport transport_;
    ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::hours(1000))};
    metrics::Registry registry_;
    std::string text_;
};

TEST_F(RouterTest, WithNoProviderThereIsNoAttempt) {
    auto router = Make({});
    const auto r = router->Route(Request());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "no_provider");
    EXPECT_EQ(r.attempts, 0);
}

TEST_F(RouterTest, OnlyProvidersServingTheTaskAreCandidates) {
    auto router = Make({Spec("a", 0, 4, {Task::kSummary}), Spec("b")});
    EXPECT_EQ(Order(*router, Task::kNarration), (std::vector<std::string>{"b"}));
    EXPECT_EQ(Order(*router, Task::kSummary), (std::vector<std::string>{"a"}));
    EXPECT_FALSE(Make({Spec("a", 0, 4, {Task::kSummary})})->Serves(Task::kDialogue));
}

TEST_F(RouterTest, PrefersTheFasterProvider) {
    auto router = Make({Spec("slow"), Spec("fast")});
    EXPECT_EQ(Order(*router), (std::vector<std::string>{"slow", "fast"}));  // config order
    auto providers = router->Candidates(Task::kNarration);
    Heard(*providers[0], 3.0);
    Heard(*providers[1], 0.4);
    EXPECT_EQ(Order(*router), (std::vector<std::string>{"fast", "slow"}));
}

TEST_F(RouterTest, PrefersTheCheaperOfEquallyFastProviders) {
    auto router = Make({Spec("hosted", 0.6), Spec("local", 0)});
    EXPECT_EQ(Order(*router), (std::vector<std::string>{"local", "hosted"}));
}

TEST_F(RouterTest, RecentErrorsCostMoreThanALittleLatency) {
    auto router = Make({Spec("flaky"), Spec("steady")});
    auto providers = router->Candidates(Task::kNarration);
    for (int i = 0; i < 3; ++i) Heard(*providers[0], 0.5, i != 1);
    Heard(*providers[1], 0.8);
    EXPECT_EQ(Order(*router), (std::vector<std::string>{"steady", "flaky"}));
}

TEST_F(RouterTest, OldErrorsFadeSoARecoveredProviderWinsAgain) {
    auto router = Make({Spec("a"), Spec("b")});
    auto providers = router->Candidates(Task::kNarration);
    Heard(*providers[0], 0.5, false);
    Heard(*providers[0], 0.5);
    Heard(*providers[1], 0.7);
    EXPECT_EQ(Order(*router), (std::vector<std::string>{"b", "a"}));
    clock_.Advance(seconds(120));
    EXPECT_EQ(Order(*router), (std::vector<std::string>{"a", "b"}));
}

TEST_F(RouterTest, AnswersFromTheFirstProviderWhenItWorks) {
    auto router = Make({Spec("a"), Spec("b")});
    transport_.Script("a", {Says("The lamp glows.")});
    const auto r = router->Route(Request());
    ASSERT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.provider->Name(), "a");
    EXPECT_EQ(r.model, "a-model");
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(text_, "The lamp glows.");
    EXPECT_EQ(r.usage.completion_tokens, 20);
    EXPECT_FALSE(r.usage_estimated);
    EXPECT_EQ(transport_.Requests().at(0).model, "a-model");
}

TEST_F(RouterTest, FallsBackAlongTheChain) {
    auto router = Make({Spec("a"), Spec("b")});
    transport_.Script("a", {Fails(Failure::kStatus, 503)});
    transport_.Script("b", {Says("From b.")});
    const auto r = router->Route(Request());
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.provider->Name(), "b");
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(text_, "From b.");
}

TEST_F(RouterTest, GivesUpAfterMaxAttempts) {
    auto router = Make({Spec("a"), Spec("b"), Spec("c")});
    for (auto host : {"a", "b", "c"}) transport_.SetFallback(host, Fails(Failure::kConnect));
    const auto r = router->Route(Request());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(r.reason, "connect");
    EXPECT_EQ(transport_.Calls("c"), 0);
}

TEST_F(RouterTest, RetriesALoneProviderAfterBackingOff) {
    auto router = Make({Spec("a")});
    transport_.Script("a", {Fails(Failure::kStatus, 500), Says("Second time.")});
    const auto r = router->Route(Request());
    ASSERT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(transport_.Calls("a"), 2);
}

TEST_F(RouterTest, ARetryAfterBeyondTheDeadlineEndsTheRequest) {
    auto router = Make({Spec("a")});
    Scripted limited = Fails(Failure::kStatus, 429);
    limited.retry_after = seconds(30);
    transport_.Script("a", {limited});
    auto request = Request();
    request.deadline = resilience::Deadline::After(milliseconds(200));
    const auto r = router->Route(request);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "deadline");
    EXPECT_EQ(transport_.Calls("a"), 1);
}

TEST_F(RouterTest, AFailureAfterTextIsNotRetried) {
    auto router = Make({Spec("a"), Spec("b")});
    Scripted broken;
    broken.pieces = {"The tide "};
    broken.failure = Failure::kTruncated;
    transport_.Script("a", {broken});
    const auto r = router->Route(Request());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "mid_stream");
    EXPECT_EQ(transport_.Calls("b"), 0);
}

TEST_F(RouterTest, BreakerOpensAfterConsecutiveFailuresAndSkipsTheProvider) {
    auto router = Make({Spec("a"), Spec("b")});
    SlowB(*router, transport_);
    transport_.SetFallback("a", Fails(Failure::kStatus, 503));
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(router->Route(Request()).ok);
    EXPECT_EQ(transport_.Calls("a"), 3);
    const Provider* a = router->Providers()[0];
    EXPECT_EQ(a->Breaker().State(), resilience::BreakerState::kOpen);
    for (int i = 0; i < 5; ++i) {
        const auto r = router->Route(Request());
        EXPECT_TRUE(r.ok);
        EXPECT_EQ(r.attempts, 1);  // straight to b
    }
    EXPECT_EQ(transport_.Calls("a"), 3);
    EXPECT_NE(registry_.Expose().find(
                  "tta_resilience_breaker_state{breaker=\"model:a\",state=\"open\"} 1"),
              std::string::npos);
}

TEST_F(RouterTest, BreakerRecoversThroughOneProbe) {
    auto router = Make({Spec("a"), Spec("b")});
    SlowB(*router, transport_);
    transport_.Script(
        "a", {Fails(Failure::kConnect), Fails(Failure::kConnect), Fails(Failure::kConnect)});
    for (int i = 0; i < 3; ++i) (void)router->Route(Request());
    const Provider* a = router->Providers()[0];
    ASSERT_EQ(a->Breaker().State(), resilience::BreakerState::kOpen);

    clock_.Advance(seconds(30));
    EXPECT_EQ(a->Breaker().State(), resilience::BreakerState::kHalfOpen);
    EXPECT_EQ(Order(*router).front(), "a");   // owed its probe
    const auto r = router->Route(Request());  // a answers again (the fallback script)
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.provider->Name(), "a");
    EXPECT_EQ(a->Breaker().State(), resilience::BreakerState::kClosed);
    EXPECT_NE(registry_.Expose().find(
                  "tta_resilience_breaker_state{breaker=\"model:a\",state=\"closed\"} 1"),
              std::string::npos);
}

TEST_F(RouterTest, AFailedProbeReopensAndTheRequestFallsBack) {
    auto router = Make({Spec("a"), Spec("b")});
    SlowB(*router, transport_);
    transport_.SetFallback("a", Fails(Failure::kFirstTokenTimeout));
    for (int i = 0; i < 3; ++i) (void)router->Route(Request());
    clock_.Advance(seconds(30));
    const auto r = router->Route(Request());
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.provider->Name(), "b");
    EXPECT_EQ(transport_.Calls("a"), 4);  // three failures and the probe
    EXPECT_EQ(router->Providers()[0]->Breaker().State(), resilience::BreakerState::kOpen);
}

TEST_F(RouterTest, AllOpenMeansUnavailableWithoutCallingAnyone) {
    auto router = Make({Spec("a")}, [&] {
        auto o = Options();
        o.max_attempts = 1;
        return o;
    }());
    transport_.SetFallback("a", Fails(Failure::kConnect));
    for (int i = 0; i < 3; ++i) (void)router->Route(Request());
    const auto r = router->Route(Request());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "unavailable");
    EXPECT_EQ(transport_.Calls("a"), 3);
}

TEST_F(RouterTest, TheRetryBudgetCapsRetries) {
    auto options = Options();
    options.retry_budget = {.ratio = 0.0, .min_retries = 1, .window = seconds(10)};
    options.breaker.failure_threshold = 100;
    auto router = Make({Spec("a"), Spec("b")}, options);
    SlowB(*router, transport_);
    transport_.SetFallback("a", Fails(Failure::kStatus, 500));
    EXPECT_TRUE(router->Route(Request()).ok);  // the one retry the budget allows
    const auto r = router->Route(Request());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "retry_budget");
    EXPECT_EQ(transport_.Calls("b"), 1);
    clock_.Advance(seconds(10));
    EXPECT_TRUE(router->Route(Request()).ok);
}

TEST_F(RouterTest, AFullProviderIsSkippedNotQueued) {
    auto router = Make({Spec("a", 0, 1), Spec("b")});
    Provider* a = router->Candidates(Task::kNarration)[0];
    ASSERT_EQ(a->Name(), "a");
    ASSERT_TRUE(a->TryReserve());
    const auto r = router->Route(Request());
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.provider->Name(), "b");
    EXPECT_EQ(r.attempts, 1);
    a->Release();
}

TEST_F(RouterTest, ACancelledRequestStopsWithoutBlamingTheProvider) {
    auto router = Make({Spec("a"), Spec("b")});
    resilience::CancelSource source;
    source.Cancel();
    auto request = Request();
    request.cancel = source.Token();
    const auto r = router->Route(request);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "cancelled");
    EXPECT_EQ(router->Providers()[0]->Breaker().ConsecutiveFailures(), 0);
}

TEST_F(RouterTest, ACallerThatStopsTheTextEndsTheRequest) {
    auto router = Make({Spec("a"), Spec("b")});
    auto request = Request();
    request.on_text = [](std::string_view) { return false; };
    const auto r = router->Route(request);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, "stopped");
    EXPECT_EQ(transport_.Calls("b"), 0);
    EXPECT_EQ(router->Providers()[0]->Breaker().ConsecutiveFailures(), 0);
}

TEST_F(RouterTest, EstimatesTokensWhenTheProviderSendsNoUsage) {
    auto router = Make({Spec("a", 1.0)});
    Scripted s = Says("12345678");
    s.usage.reset();
    transport_.Script("a", {s});
    const auto r = router->Route(Request());
    ASSERT_TRUE(r.ok);
    EXPECT_TRUE(r.usage_estimated);
    EXPECT_EQ(r.usage.completion_tokens, 2);
    EXPECT_EQ(r.usage.prompt_tokens, EstimateTokens(std::string("Narrate.Facts.").size()));
    EXPECT_GT(router->Providers()[0]->Monitor().Read().cost, 0);
}

TEST_F(RouterTest, ExportsThePerformanceMonitor) {
    auto router = Make({Spec("a", 0.5)});
    transport_.Script("a", {Fails(Failure::kStatus, 503)});
    (void)router->Route(Request());
    const std::string text = registry_.Expose();
    for (std::string_view needle :
         {"tta_model_requests_total{provider=\"a\",result=\"status\"} 1",
          "tta_model_requests_total{provider=\"a\",result=\"ok\"} 1",
          "tta_model_tokens_total{provider=\"a\",kind=\"completion\"} 20",
          "tta_model_request_seconds_count{provider=\"a\"} 2",
          "tta_model_cost_total{provider=\"a\"}", "tta_model_error_ratio{provider=\"a\"}",
          "tta_model_in_flight{provider=\"a\"} 0",
          "tta_resilience_retries_total{budget=\"models\",result=\"allowed\"} 1"}) {
        EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
    }
}

TEST(ResolveProviders, ReadsKeysFromTheNamedVariableAndLeavesOutProvidersWithout) {
    ModelsConfig config;
    ModelProviderConfig a;
    a.name = "a";
    a.base_url = "https://a.example/v1";
    a.model = "m";
    a.api_key_env = "A_KEY";
    a.tasks = {"dialogue"};
    ModelProviderConfig b = a;
    b.name = "b";
    b.api_key_env = "B_KEY";
    config.providers = {a, b};
    auto env = [](const char* name) -> const char* {
        return std::string_view(name) == "A_KEY" ? "sk-a" : nullptr;
    };
    auto resolved = ResolveProviders(config, env);
    ASSERT_TRUE(resolved);
    ASSERT_EQ(resolved->providers.size(), 1u);
    EXPECT_EQ(resolved->providers[0].endpoint.api_key, "sk-a");
    EXPECT_EQ(resolved->providers[0].tasks, (std::vector<Task>{Task::kDialogue}));
    ASSERT_EQ(resolved->warnings.size(), 1u);
    EXPECT_NE(resolved->warnings[0].find("B_KEY"), std::string::npos);
}

}  // namespace
}  // namespace tta::narrative::model
