// tta::narrative (NGA, the narrative stage): turns what the world stage decided — its events —
// into prose for the player. The authored narrator renders the pack's own Mustache text and a
// small set of stock lines; it needs nothing outside the process and is the fallback for
// every other narrator (a model-backed one comes later behind the same interface).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tta/core/rng.hpp"
#include "tta/narrative/template.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/simulator.hpp"

namespace tta::narrative {

struct Narration {
    std::vector<std::string> paragraphs;
    // Labels of the open scene's available choices; the player picks them by number (1-based).
    std::vector<std::string> choices;

    // Paragraphs separated by blank lines, then the numbered choices, one per line.
    std::string Text() const;
};

class NarrativeStage {
public:
    virtual ~NarrativeStage() = default;
    virtual std::string_view Name() const = 0;
    // `outcome.state` is the state after the turn's effects; templates read it.
    virtual Narration Narrate(const world::Pack& pack, const world::Outcome& outcome,
                              const PlayerInfo& player, Rng& rng) = 0;
};

class AuthoredNarrator final : public NarrativeStage {
public:
    std::string_view Name() const override { return "authored"; }
    Narration Narrate(const world::Pack& pack, const world::Outcome& outcome,
                      const PlayerInfo& player, Rng& rng) override;
};

// "You can see a brass lantern and a coil of rope here." style lists: "a, b and c".
std::string JoinList(const std::vector<std::string>& parts);

}  // namespace tta::narrative
