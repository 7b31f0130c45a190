// What the model layer adds to a turn, without the network: a scripted transport answers at
// once, so the figures are the router's own cost (selector, breaker, concurrency slot, retry
// budget, performance monitor) and the narrator's (authored text, prompt assembly, streaming
// validation with the output gate and coherence check, provenance) over calling the
// transport directly or narrating from authored text alone.
#include <benchmark/benchmark.h>

#include "tta/core/clock.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/narrative/model/model_narrator.hpp"
#include "tta/narrative/model/scripted_transport.hpp"
#include "tta/world/simulator.hpp"

namespace {

using namespace tta;
using namespace tta::narrative::model;

constexpr std::string_view kProse =
    "The ferry noses against the quay and stops, its engine ticking. Gulls argue over the "
    "harbour wall. The air smells of salt and diesel, and somewhere a halyard knocks against "
    "a mast, patient as a clock.";

ProviderSpec Spec(const std::string& name) {
    ProviderSpec s;
    s.config.name = name;
    s.config.model = "bench";
    s.config.base_url = "http://" + name + "/v1";
    s.config.max_concurrent = 1 << 20;
    s.endpoint = *ParseBaseUrl(s.config.base_url);
    s.tasks = {Task::kNarration, Task::kDialogue};
    return s;
}

std::vector<ProviderSpec> Specs(int n) {
    std::vector<ProviderSpec> out;
    for (int i = 0; i < n; ++i) out.push_back(Spec("p" + std::to_string(i)));
    return out;
}

struct Fixture {
    SystemClock clock;
    metrics::Registry registry;
    std::shared_ptr<ScriptedTransport> transport = std::make_shared<ScriptedTransport>();
    Fixture() {
        transport->keep_requests_ = false;
        for (int i = 0; i < 8; ++i) {
            transport->SetFallback("p" + std::to_string(i), Says(std::string(kProse)));
        }
    }
};

std::vector<ChatMessage> Messages() {
    return {{"system", std::string(2000, 's')}, {"user", std::string(1500, 'u')}};
}

// The baseline: the transport alone.
void BM_TransportDirect(benchmark::State& state) {
    Fixture f;
    const Endpoint endpoint = Spec("p0").endpoint;
    const ChatRequest request{"bench", Messages(), 400, 0.7};
    std::size_t bytes = 0;
    const TextSink sink = [&](std::string_view t) {
        bytes += t.size();
        return true;
    };
    for (auto _ : state) {
        auto r = f.transport->Stream(endpoint, request, {}, {}, sink);
        benchmark::DoNotOptimize(r);
    }
    benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_TransportDirect);

// The same call through the router, choosing among `providers`.
void BM_Route(benchmark::State& state) {
    Fixture f;
    RouterOptions options;
    options.seed = 1;
    ModelRouter router(Specs(static_cast<int>(state.range(0))), options, *f.transport, f.clock,
                       &f.registry);
    RouteRequest request;
    request.messages = Messages();
    request.deadline = resilience::Deadline::After(std::chrono::hours(1));
    std::size_t bytes = 0;
    request.on_text = [&](std::string_view t) {
        bytes += t.size();
        return true;
    };
    for (auto _ : state) {
        auto r = router.Route(request);
        benchmark::DoNotOptimize(r);
    }
    benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_Route)->Arg(1)->Arg(3)->Arg(8);

// The selector alone.
void BM_Candidates(benchmark::State& state) {
    Fixture f;
    ModelRouter router(Specs(static_cast<int>(state.range(0))), {}, *f.transport, f.clock,
                       &f.registry);
    for (auto _ : state) {
        auto c = router.Candidates(Task::kNarration);
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(BM_Candidates)->Arg(1)->Arg(3)->Arg(8);

const world::Pack& Pack() {
    static const auto catalog = [] {
        std::vector<world::Diagnostic> diagnostics;
        auto loaded = engine::WorldCatalog::LoadDirectory(engine::DefaultWorldsDir(), diagnostics);
        if (!loaded) {
            std::fprintf(stderr, "no worlds: %s\n", loaded.error().message.c_str());
            std::exit(1);
        }
        return std::move(*loaded);
    }();
    return *catalog.All().front()->pack;
}

// A whole opening turn's narration: authored only, then with the model layer over a transport
// that answers at once with validated prose.
void BM_NarrateAuthored(benchmark::State& state) {
    const world::Pack& pack = Pack();
    Rng seed(1);
    const auto outcome = world::Begin(pack, world::Initial(pack), seed);
    narrative::AuthoredNarrator narrator;
    const auto player = narrative::MakePlayer("Sam", "they/them");
    for (auto _ : state) {
        Rng rng(1);
        auto n = narrator.Narrate(pack, outcome, player, rng);
        benchmark::DoNotOptimize(n);
    }
}
BENCHMARK(BM_NarrateAuthored);

void BM_NarrateModel(benchmark::State& state) {
    const world::Pack& pack = Pack();
    Rng seed(1);
    const auto outcome = world::Begin(pack, world::Initial(pack), seed);
    Fixture f;
    RouterOptions options;
    options.seed = 1;
    auto router =
        std::make_shared<ModelRouter>(Specs(1), options, *f.transport, f.clock, &f.registry);
    ModelNarrator narrator(f.transport, router, SafetyOutputCheck(), {}, &f.registry);
    const auto player = narrative::MakePlayer("Sam", "they/them");
    bool model = true;
    for (auto _ : state) {
        Rng rng(1);
        auto n = narrator.Narrate(pack, outcome, player, rng);
        model = model && n.provenance && n.provenance->narrator == "model";
        benchmark::DoNotOptimize(n);
    }
    if (!model) state.SkipWithError("the scripted prose was refused: not the model path");
}
BENCHMARK(BM_NarrateModel);

}  // namespace

BENCHMARK_MAIN();
