// Turn pipeline benchmarks: microseconds per turn for the stages alone (input → world →
// narrative, no storage), and durable turns per second through the engine with SQLite.
// Plays the first shipped world (or $TTA_WORLDS) with a fixed tour of commands.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <thread>

#include "tta/core/clock.hpp"
#include "tta/core/rng.hpp"
#include "tta/engine/engine.hpp"
#include "tta/input/parser.hpp"
#include "tta/narrative/narrator.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/world/simulator.hpp"

namespace {

namespace fs = std::filesystem;
using namespace tta;

const engine::WorldCatalog& Catalog() {
    static const engine::WorldCatalog catalog = [] {
        std::vector<world::Diagnostic> diagnostics;
        auto loaded = engine::WorldCatalog::LoadDirectory(engine::DefaultWorldsDir(), diagnostics);
        if (!loaded) {
            std::fprintf(stderr, "no worlds: %s\n", loaded.error().message.c_str());
            std::exit(1);
        }
        return std::move(*loaded);
    }();
    return catalog;
}

// A mix of what players type: movement, looking, talking, taking, feelings, nonsense.
const std::vector<std::string>& Commands(const world::Pack& pack) {
    static std::vector<std::string> commands;
    if (commands.empty()) {
        for (auto d : {"north", "south", "east", "west", "look", "inventory", "wait"}) {
            commands.emplace_back(d);
        }
        for (const auto& term : pack.vocabulary.terms) {
            if (term.kind == world::Kind::kItem) commands.push_back("examine " + term.phrase);
            if (term.kind == world::Kind::kPerson) commands.push_back("talk to " + term.phrase);
            if (commands.size() > 40) break;
        }
        commands.emplace_back("I feel anxious");
        commands.emplace_back("take the flurble");
    }
    return commands;
}

void BM_PipelineTurn(benchmark::State& bench) {
    const auto& loaded = *Catalog().All().front();
    const world::Pack& pack = *loaded.pack;
    const auto& commands = Commands(pack);
    narrative::AuthoredNarrator narrator;
    narrative::PlayerInfo player;
    world::State state = world::Initial(pack);
    std::size_t i = 0;
    for (auto _ : bench) {
        Rng rng(i);
        input::Scope scope;
        auto in = input::Interpret(commands[i % commands.size()], loaded.lexicon, scope);
        if (in.kind == input::Interpretation::Kind::kAction) {
            auto outcome = world::Resolve(pack, state, in.action, rng);
            auto narration = narrator.Narrate(pack, outcome, player, rng);
            benchmark::DoNotOptimize(narration);
            state = std::move(outcome.state);
            if (state.ending >= 0) state = world::Initial(pack);
        }
        ++i;
    }
    bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_PipelineTurn);

// Durable turns: each Play returns only after its record is committed (synchronous=FULL).
// Threads play separate sessions, so the store's group commit can batch them.
void BM_DurableTurns(benchmark::State& bench) {
    static std::unique_ptr<store::sqlite::SqliteStore> store;
    static std::unique_ptr<engine::Engine> engine;
    static SystemClock clock;
    static fs::path dir;
    if (bench.thread_index() == 0) {
        dir = fs::temp_directory_path() / "tta-turn-bench";
        fs::remove_all(dir);
        store::sqlite::SqliteOptions options;
        options.data_dir = dir;
        store = std::move(*store::sqlite::SqliteStore::Open(options));
        engine = std::make_unique<engine::Engine>(Catalog(), *store, clock);
    }
    // Google Benchmark starts all threads' loops together, after thread 0's setup.
    const auto& pack = *Catalog().All().front()->pack;
    const auto& commands = Commands(pack);
    std::string session;
    std::size_t i = 0;
    for (auto _ : bench) {
        if (session.empty()) {
            engine::NewSession spec;
            spec.world_id = pack.meta.id;
            spec.seed = bench.thread_index();
            session = engine->Start(spec)->session_id;
        }
        auto reply = engine->Play(session, commands[i++ % commands.size()]);
        if (!reply) bench.SkipWithError(reply.error().message.c_str());
        if (reply && reply->ended) session.clear();
    }
    bench.SetItemsProcessed(bench.iterations());
    if (bench.thread_index() == 0) {
        engine.reset();
        store.reset();
        fs::remove_all(dir);
    }
}
BENCHMARK(BM_DurableTurns)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
