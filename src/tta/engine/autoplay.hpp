// tta::engine autoplay: plays many random commands — well-formed ones built from a world's own
// vocabulary, and noise — through the whole engine, checking after every turn that the state
// is one the world's rules allow. Used by the test suite and by `tta worlds test`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tta/core/rng.hpp"
#include "tta/engine/engine.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/state.hpp"

namespace tta::engine {

struct AutoplayOptions {
    int sessions = 3;
    int turns = 700;  // per session
    std::uint64_t seed = 1000;
};

struct AutoplayReport {
    int turns = 0;
    // "turn 41 'give shell to mira': <what went wrong>"; empty when all went well. Play stops
    // at the first problem of each session.
    std::vector<std::string> problems;
};

AutoplayReport Autoplay(Engine& engine, const world::Pack& pack, const AutoplayOptions& options);

// Everything that must hold for any state a session can reach; empty when all does.
std::vector<std::string> StateProblems(const world::Pack& pack, const world::State& state);

// A random command for this world: mostly well-formed over its own names, some noise.
std::string RandomCommand(const world::Pack& pack, Rng& rng);

}  // namespace tta::engine
