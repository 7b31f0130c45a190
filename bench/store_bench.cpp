// Durable turn appends per second through the SQLite store's group commit, with 1, 16 and 256
// concurrent writers (each playing its own session, as players on a server do), and the cost
// of loading a session's chain. Every append counted here returned only after its COMMIT did.
//
//   cmake --preset release -B build/release && cmake --build build/release --target tta_store_bench
//   ./build/release/bench/tta_store_bench                       # data in a temp dir
//   TTA_BENCH_DATA=/path/on/the/real/disk ./build/release/bench/tta_store_bench
//
// The first argument is the sync setting: 0 = synchronous=FULL (the default, fsync per
// commit), 1 = synchronous=NORMAL (no fsync per commit; see docs/storage.md).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "tta/store/sqlite/sqlite_store.hpp"

namespace {

using tta::store::NewTurn;
using tta::store::Session;
using tta::store::sqlite::SqliteOptions;
using tta::store::sqlite::SqliteStore;

// Counts group commits, to report how many appends one fsync carried.
class CommitCounter final : public tta::store::StoreObserver {
  public:
    void OnCall(std::string_view, std::string_view, std::chrono::nanoseconds) noexcept override {}
    void OnCommit(std::size_t writes, std::chrono::nanoseconds) noexcept override {
        commits.fetch_add(1, std::memory_order_relaxed);
        this->writes.fetch_add(writes, std::memory_order_relaxed);
    }
    std::atomic<std::uint64_t> commits{0};
    std::atomic<std::uint64_t> writes{0};
};

std::filesystem::path g_dir;
CommitCounter g_commits;
std::unique_ptr<SqliteStore> g_store;

std::filesystem::path MakeDataDir() {
    const char* base = std::getenv("TTA_BENCH_DATA");
    std::filesystem::path root = base != nullptr ? base : std::filesystem::temp_directory_path();
    std::string pattern = (root / "tta-store-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
}

std::string SessionId(int i) { return "bench-" + std::to_string(i); }

// A turn of the size the engine writes: intent, effects, text ids, timings, provenance.
NewTurn RealisticTurn(const std::string& session_id) {
    NewTurn t;
    t.session_id = session_id;
    t.created_ms = 1'700'000'000'000;
    t.seed = 0x9e3779b97f4a7c15ULL;
    t.safety_level = "none";
    t.body = R"({"intent":{"verb":"go","object":"harbour","confidence":0.93},)"
             R"("effects":[{"op":"move","to":"harbour"},{"op":"set","var":"tide","value":"low"},)"
             R"({"op":"add","var":"stress","value":-1}],"beat":"grounding-5-4-3-2-1",)"
             R"("narrative":["place.harbour.enter.2","people.mira.greet.1","exits.list"],)"
             R"("timings_us":{"safety":14,"input":85,"world":40,"narrative":120},)"
             R"("provenance":{"narrator":"authored","model":null}})";
    t.personal = tta::store::ToBytes("walk down to the harbour and look at the boats");
    return t;
}

void OpenStore(const benchmark::State& state) {
    g_dir = MakeDataDir();
    SqliteOptions options;
    options.data_dir = g_dir;
    options.observer = &g_commits;
    g_commits.commits.store(0);
    g_commits.writes.store(0);
    options.sync =
        state.range(0) == 0 ? tta::store::sqlite::Sync::kFull : tta::store::sqlite::Sync::kNormal;
    auto store = SqliteStore::Open(options);
    if (!store) std::abort();
    g_store = std::move(*store);
    for (int i = 0; i < state.threads(); ++i) {
        Session s;
        s.id = SessionId(i);
        s.world_id = "lighthouse";
        if (!g_store->CreateSession(s)) std::abort();
    }
}

void CloseStore(const benchmark::State&) {
    g_store.reset();
    std::error_code ec;
    std::filesystem::remove_all(g_dir, ec);
}

void BM_DurableAppend(benchmark::State& state) {
    NewTurn turn = RealisticTurn(SessionId(state.thread_index()));
    std::int64_t head = 0;
    for (auto _ : state) {
        auto seq = g_store->AppendTurn(turn, head);
        if (!seq) {
            state.SkipWithError(seq.error().message.c_str());
            break;
        }
        head = *seq;
    }
    state.SetItemsProcessed(state.iterations());
    if (state.thread_index() == 0) {
        // Includes the sessions created in setup; negligible against the appends.
        state.counters["writes_per_commit"] =
            static_cast<double>(g_commits.writes.load()) /
            static_cast<double>(std::max<std::uint64_t>(1, g_commits.commits.load()));
    }
}
BENCHMARK(BM_DurableAppend)
    ->Setup(OpenStore)
    ->Teardown(CloseStore)
    ->ArgName("normal_sync")
    ->Arg(0)
    ->Arg(1)
    ->Threads(1)
    ->Threads(16)
    ->Threads(256)
    ->MinTime(3.0)
    ->UseRealTime();

// Rebuilding a session from its log: the chain of 50 turns since the last snapshot.
void BM_LoadChain50(benchmark::State& state) {
    std::string id = SessionId(0);
    std::int64_t head = 0;
    for (int i = 0; i < 50; ++i) head = *g_store->AppendTurn(RealisticTurn(id), head);
    for (auto _ : state) {
        auto chain = g_store->LoadChain(id, head, 0);
        if (!chain || chain->size() != 50) {
            state.SkipWithError("LoadChain failed");
            break;
        }
        benchmark::DoNotOptimize(chain->data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LoadChain50)->Setup(OpenStore)->Teardown(CloseStore)->Arg(0)->ArgName("normal_sync");

}  // namespace

BENCHMARK_MAIN();
