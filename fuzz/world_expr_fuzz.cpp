// Fuzzes the expression language: any bytes as a condition and as an effect list must compile
// or give errors with offsets inside the source; whatever compiles is evaluated and run.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tta/core/rng.hpp"
#include "tta/world/effect.hpp"
#include "tta/world/expr.hpp"
#include "tta/world/loader.hpp"
#include "tta/world/state.hpp"

namespace {

// A small world with one of everything, so names resolve and effects have things to move.
constexpr const char* kWorld = R"(world: {id: fuzz, title: Fuzz, start: a}
variables:
  tide: {type: string, initial: high, values: [high, low]}
  lit: false
  coins: {type: number, initial: 2, min: 0, max: 5}
places:
  a: {description: A., exits: {north: b, east: {to: b, hidden: true}}}
  b: {description: B., exits: {south: a}, ending: true}
people:
  p: {location: a, description: P., greeting: Hi., topics: {sea: The sea.}}
items:
  i: {location: a, description: I.}
  j: {location: p, description: J.}
rules:
  - {id: r, on: wait, effects: set(lit)}
scenes:
  s: {nodes: {n: {text: N., end: done}}}
endings:
  e: {when: lit, text: E.}
)";

const tta::world::Pack& FuzzPack() {
    static const std::shared_ptr<const tta::world::Pack> pack = [] {
        std::vector<tta::world::Diagnostic> diagnostics;
        auto loaded = tta::world::LoadPackFromSources({{"fuzz.yaml", kWorld}}, diagnostics);
        if (!loaded) __builtin_trap();
        return *loaded;
    }();
    return *pack;
}

void CheckOffsets(const std::vector<tta::world::ExprError>& errors, std::size_t size) {
    for (const auto& e : errors) {
        if (e.offset > size || e.message.empty()) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tta::world;
    const Pack& pack = FuzzPack();
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    State state = Initial(pack);
    tta::Rng rng(size);

    std::vector<ExprError> errors;
    const Condition condition = CompileCondition(source, pack, errors);
    CheckOffsets(errors, size);
    if (errors.empty()) {
        (void)condition.Holds({pack, state, &rng});
        (void)condition.Evaluate({pack, state, &rng});
        (void)condition.RequiredPlaces(pack);
    }
    CheckOffsets(CheckConditionSyntax(source), size);

    errors.clear();
    const Script script = CompileEffects(source, pack, errors);
    CheckOffsets(errors, size);
    if (errors.empty()) {
        std::vector<Effect> effects;
        script.Run(pack, state, &rng, effects);
        (void)script.Summary();
        // Folding the recorded effects over the initial state must give the same state.
        State folded = Initial(pack);
        for (const Effect& e : effects) (void)Apply(pack, folded, e);
        if (!(folded == state)) __builtin_trap();
    }
    CheckOffsets(CheckEffectsSyntax(source), size);
    return 0;
}
