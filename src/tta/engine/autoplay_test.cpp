// Autoplay: plays thousands of random commands — valid ones built from each shipped world's
// own vocabulary and invalid ones — through the whole engine, and fails on any engine error
// or any state the world's rules say cannot happen.
#include <gtest/gtest.h>

#include <filesystem>

#include "tta/core/rng.hpp"
#include "tta/engine/engine.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::engine {
namespace {

namespace fs = std::filesystem;

// Everything that must hold for any state a session can reach.
std::vector<std::string> StateProblems(const world::Pack& pack, const world::State& s) {
    std::vector<std::string> problems;
    auto check = [&](bool ok, const std::string& what) {
        if (!ok) problems.push_back(what);
    };
    const int places = static_cast<int>(pack.places.size());
    const int people = static_cast<int>(pack.people.size());
    check(s.player >= 0 && s.player < places, "player is nowhere");
    check(s.items.size() == pack.items.size(), "item table size");
    for (const auto& where : s.items) {
        switch (where.kind) {
            case world::Where::Kind::kPlace:
                check(where.index >= 0 && where.index < places, "item in no place");
                break;
            case world::Where::Kind::kPerson:
                check(where.index >= 0 && where.index < people, "item held by nobody");
                break;
            default:
                break;
        }
    }
    check(s.people.size() == pack.people.size(), "people table size");
    for (int p : s.people) check(p >= -1 && p < places, "person in no place");
    check(s.variables.size() == pack.variables.size(), "variable table size");
    for (std::size_t i = 0; i < s.variables.size() && i < pack.variables.size(); ++i) {
        const auto& v = pack.variables[i];
        check(world::TypeOf(s.variables[i]) == v.type, "variable " + v.id + " changed type");
        if (v.type == world::VarType::kNumber) {
            const auto n = std::get<std::int64_t>(s.variables[i]);
            if (v.min) check(n >= *v.min, "variable " + v.id + " below its minimum");
            if (v.max) check(n <= *v.max, "variable " + v.id + " above its maximum");
        }
        if (v.type == world::VarType::kString && !v.values.empty()) {
            const auto& str = std::get<std::string>(s.variables[i]);
            check(std::find(v.values.begin(), v.values.end(), str) != v.values.end(),
                  "variable " + v.id + " holds a value it does not allow");
        }
    }
    if (s.scene >= 0) {
        check(s.scene < static_cast<int>(pack.scenes.size()), "open scene does not exist");
        if (s.scene < static_cast<int>(pack.scenes.size())) {
            check(s.node >= 0 && s.node < static_cast<int>(pack.scenes[s.scene].nodes.size()),
                  "open scene stands on no node");
        }
    } else {
        check(s.node == -1, "a node without a scene");
    }
    check(s.ending >= -1 && s.ending < static_cast<int>(pack.endings.size()), "unknown ending");
    return problems;
}

// A random command: mostly well-formed ones over the world's own names, some noise.
std::string RandomCommand(const world::Pack& pack, Rng& rng) {
    static const char* kVerbs[] = {"take", "drop", "examine", "use", "open", "talk to",
                                   "give", "go to", "ask"};
    static const char* kSolo[] = {"look", "inventory", "wait", "breathe", "help", "undo",
                                  "I feel anxious", "I'm so tired", "progress", "1", "2", "3"};
    static const char* kNoise[] = {"", "xyzzy", "take", "give to", "\xFF\xFE", "ask about",
                                   "use on", "go", "!!!", "take take take", "42"};
    const auto& terms = pack.vocabulary.terms;
    auto term = [&] {
        return terms.empty() ? std::string("thing") : terms[rng.Below(terms.size())].phrase;
    };
    switch (rng.Below(10)) {
        case 0:
        case 1:
            return std::string(world::kDirections[rng.Below(std::size(world::kDirections))]);
        case 2:
            return kSolo[rng.Below(std::size(kSolo))];
        case 3:
            return kNoise[rng.Below(std::size(kNoise))];
        case 4:
            return "use " + term() + " on " + term();
        case 5:
            return "give " + term() + " to " + term();
        case 6:
            return "ask " + term() + " about " + term();
        default:
            return std::string(kVerbs[rng.Below(std::size(kVerbs))]) + " " + term();
    }
}

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

    constexpr int kSessionsPerWorld = 3;
    constexpr int kTurnsPerSession = 700;
    for (const auto& loaded : catalog->All()) {
        const world::Pack& pack = *loaded->pack;
        for (int s = 0; s < kSessionsPerWorld; ++s) {
            NewSession spec;
            spec.world_id = pack.meta.id;
            spec.seed = 1000 + s;
            auto started = engine.Start(spec);
            ASSERT_TRUE(started) << started.error().message;
            Rng rng(spec.seed.value());
            for (int t = 0; t < kTurnsPerSession; ++t) {
                const std::string command = RandomCommand(pack, rng);
                auto reply = engine.Play(started->session_id, command);
                ASSERT_TRUE(reply) << pack.meta.id << " turn " << t << " '" << command
                                   << "': " << reply.error().message;
                ASSERT_FALSE(reply->text.empty()) << pack.meta.id << " '" << command << "'";
                auto state = engine.CurrentState(started->session_id);
                ASSERT_TRUE(state);
                const auto problems = StateProblems(pack, *state);
                ASSERT_TRUE(problems.empty())
                    << pack.meta.id << " after '" << command << "': " << problems.front();
                if (reply->ended) {
                    // Step back and keep exploring, as a curious player would.
                    ASSERT_TRUE(engine.Undo(started->session_id));
                }
            }
        }
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace tta::engine
