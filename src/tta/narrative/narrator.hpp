// tta::narrative (NGA, the narrative stage): turns what the world stage decided — its events —
// into prose for the player. The authored narrator renders the pack's own Mustache text and a
// small set of stock lines; it needs nothing outside the process and is the fallback for
// every other narrator (the model-backed one, narrative/model/, sits behind the same
// interface and falls back to it).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/rng.hpp"
#include "tta/narrative/template.hpp"
#include "tta/resilience/cancel.hpp"
#include "tta/world/action.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/simulator.hpp"

namespace tta::narrative {

// Who wrote a turn's text and how, stored with the turn record (ARCHITECTURE.md, principle 3).
struct Provenance {
    std::string narrator = "authored";  // whose text was shown: "model" or "authored"
    std::string provider;               // the provider that answered last, if any was asked
    std::string model;
    std::string prompt_hash;  // FNV-1a 64 of the prompt, hex: same facts, same hash
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    bool tokens_estimated = false;  // the provider sent no usage; counted from the text
    std::int64_t latency_ms = 0;    // all model work for the turn
    std::int64_t first_token_ms = -1;
    int attempts = 0;         // model requests made, the regeneration included
    bool validated = false;   // the text shown passed the output gate and coherence check
    bool fell_back = false;   // a model was asked but authored text was shown
    std::string reason;       // why it fell back: no_provider, unavailable, coherence, ...
};

boost::json::object ProvenanceToJson(const Provenance& provenance);

struct Narration {
    std::vector<std::string> paragraphs;
    // Labels of the open scene's available choices; the player picks them by number (1-based).
    std::vector<std::string> choices;
    // Set by narrators that may use a model; the authored narrator leaves it empty.
    std::optional<Provenance> provenance;

    // Paragraphs separated by blank lines, then the numbered choices, one per line.
    std::string Text() const;
};

// The therapeutic beat the planner chose for this turn, for a narrator to weave in.
struct Beat {
    std::string technique;  // therapy catalogue id: box_breathing
    std::string scene;      // the scene that carries it, if any
    std::string reason;     // the planner's reason, in words
};

// Text as it becomes fit to show, for streaming to the player before the turn is committed.
// kText appends; kRestart says that what was sent for this turn is void (a provider failed
// mid-turn and authored text takes over). The returned Narration is always the whole turn and
// is what the player keeps; a narrator may send nothing at all (the authored one does not).
struct NarrationChunk {
    enum class Kind { kText, kRestart };
    Kind kind = Kind::kText;
    std::string text;
};
using ChunkSink = std::function<void(const NarrationChunk&)>;

// What a narrator may know about the turn beyond its outcome.
struct NarrationContext {
    std::string session_id;
    const world::Action* action = nullptr;  // what the player did; null on the opening turn
    std::string previous_text;              // the narrative of the turn before, if any
    std::optional<Beat> beat;
    resilience::CancelToken cancel;  // the player left: stop waiting, answer with authored text
    ChunkSink sink;                  // empty: no streaming
};

class NarrativeStage {
public:
    virtual ~NarrativeStage() = default;
    virtual std::string_view Name() const = 0;
    // `outcome.state` is the state after the turn's effects; templates read it. Never fails:
    // a narrator that cannot do better answers with authored text.
    virtual Narration Narrate(const world::Pack& pack, const world::Outcome& outcome,
                              const PlayerInfo& player, Rng& rng,
                              const NarrationContext& context = {}) = 0;
};

class AuthoredNarrator final : public NarrativeStage {
public:
    std::string_view Name() const override { return "authored"; }
    Narration Narrate(const world::Pack& pack, const world::Outcome& outcome,
                      const PlayerInfo& player, Rng& rng,
                      const NarrationContext& context = {}) override;
};

// "You can see a brass lantern and a coil of rope here." style lists: "a, b and c".
std::string JoinList(const std::vector<std::string>& parts);

}  // namespace tta::narrative
