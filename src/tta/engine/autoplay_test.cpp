// Autoplay over every shipped world: thousands of random commands through the whole engine
// must never fail or reach a state the world's rules say cannot happen.
#include "tta/engine/autoplay.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::engine {
namespace {

namespace fs = std::filesystem;

TEST(Autoplay, RandomPlayNeverBreaksAShippedWorld) {
    std::vector<world::Diagnostic> diagnostics;
    auto catalog = WorldCatalog::LoadDirectory(fs::path(TTA_SOURCE_DIR) / "worlds", diagnostics);
    ASSERT_TRUE(catalog) << catalog.error().message;
    for (const auto& d : diagnostics) ADD_FAILURE() << d.ToString();

    const fs::path dir = fs::temp_directory_path() / "tta-autoplay";
    fs::remove_all(dir);
    store::sqlite::SqliteOptions options;
    options.data_dir = dir;
    options.sync = store::sqlite::Sync::kNormal;  // speed; durability is tested elsewhere
    auto store = store::sqlite::SqliteStore::Open(options);
    ASSERT_TRUE(store) << store.error().message;
    ManualClock clock;
    Engine engine(*catalog, **store, clock);

    for (const auto& loaded : catalog->All()) {
        const AutoplayReport report = Autoplay(engine, *loaded->pack, AutoplayOptions{});
        EXPECT_EQ(report.turns, 3 * 700) << loaded->pack->meta.id;
        for (const auto& problem : report.problems) {
            ADD_FAILURE() << loaded->pack->meta.id << " " << problem;
        }
    }
    fs::remove_all(dir);
}

TEST(Autoplay, StateProblemsNamesWhatIsImpossible) {
    std::vector<world::Diagnostic> diagnostics;
    auto catalog = WorldCatalog::LoadDirectory(fs::path(TTA_SOURCE_DIR) / "worlds", diagnostics);
    ASSERT_TRUE(catalog);
    const world::Pack& pack = *catalog->All().front()->pack;
    world::State state = world::Initial(pack);
    EXPECT_TRUE(StateProblems(pack, state).empty());
    state.player = -1;
    state.node = 3;  // a node without a scene
    const auto problems = StateProblems(pack, state);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0], "player is nowhere");
    EXPECT_EQ(problems[1], "a node without a scene");
}

}  // namespace
}  // namespace tta::engine
