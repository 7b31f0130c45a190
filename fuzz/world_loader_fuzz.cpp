// Fuzzes the world loader: any bytes as a world file must give diagnostics or a pack, never a
// crash, a hang or an uncaught exception. A pack that loads is also validated and played for a
// few turns, so the simulator meets every shape of world the loader accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tta/core/rng.hpp"
#include "tta/world/loader.hpp"
#include "tta/world/simulator.hpp"
#include "tta/world/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tta::world;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<Diagnostic> diagnostics;
    auto pack = LoadPackFromSources({{"fuzz.yaml", text}}, diagnostics);
    if (!pack) return 0;
    const Pack& p = **pack;
    (void)Validate(p);
    tta::Rng rng(size);
    State state = Begin(p, Initial(p), rng).state;
    const Verb verbs[] = {Verb::kLook,    Verb::kGo,      Verb::kTake,      Verb::kDrop,
                          Verb::kGive,    Verb::kUse,     Verb::kOpen,      Verb::kExamine,
                          Verb::kTalk,    Verb::kAsk,     Verb::kInventory, Verb::kChoose,
                          Verb::kReflect, Verb::kBreathe, Verb::kWait};
    for (int turn = 0; turn < 16; ++turn) {
        Action a;
        a.verb = verbs[rng.Below(std::size(verbs))];
        auto pick_id = [&]() -> std::string {
            const auto& terms = p.vocabulary.terms;
            return terms.empty() ? std::string() : terms[rng.Below(terms.size())].id;
        };
        a.object = pick_id();
        a.target = pick_id();
        a.topic = pick_id();
        a.direction = std::string(kDirections[rng.Below(std::size(kDirections))]);
        a.choice = static_cast<int>(rng.Below(4));
        state = Resolve(p, state, a, rng).state;
        for (int scene : OfferableScenes(p, state)) {
            state = StartScene(p, state, p.scenes[static_cast<std::size_t>(scene)].id, rng).state;
        }
    }
    (void)StateToJson(p, state);
    return 0;
}
