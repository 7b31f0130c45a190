// tta::narrative::model ModelNarrator: the narrative stage with a language model behind it and
// the authored narrator under it. For a turn worth narrating afresh (arrivals, looking,
// examining, taking, talking, rules' text, offers) it asks the router for prose grounded in
// the turn's facts, checks everything before it is shown — the safety output gate, the
// coherence check, length bounds — sentence by sentence as the text streams (so a bad
// sentence stops the stream at once) and whole at the end, regenerates once with a note on
// what was wrong, and otherwise answers with the authored text. Nothing a model does can fail
// a turn: no provider, a dead one, a slow one, one that fails mid-stream, unsafe or
// incoherent text — each ends in a complete authored turn, and provenance says which.
//
// Turns that carry a scene's reviewed therapeutic text, a choice's reply or an ending are
// always authored (that text is shown as written), as are plain mechanical replies ("You
// can't go that way"), where a model adds latency and nothing else. The model's prose
// replaces the authored paragraphs; the ways on, anything here the prose left out, and the
// scene's choices are appended from the authored narration so the player can always act.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "tta/core/config.hpp"
#include "tta/core/metrics.hpp"
#include "tta/narrative/model/coherence.hpp"
#include "tta/narrative/model/router.hpp"
#include "tta/narrative/narrator.hpp"

namespace tta::narrative::model {

// The output gate's verdict on a text: empty when it may be shown, else the reason.
using OutputCheck = std::function<std::optional<std::string>(std::string_view text)>;
// The safety module's output gate (rules embedded at build time).
OutputCheck SafetyOutputCheck();

struct ModelNarratorOptions {
    std::chrono::milliseconds turn_timeout{std::chrono::seconds(15)};
    std::size_t min_chars = 20;
    std::size_t max_chars = 1500;
    int window_turns = 3;
    std::map<std::string, std::string, std::less<>> voices;  // by world id
    std::size_t max_sessions = 10000;                        // windows kept in memory
};
ModelNarratorOptions NarratorOptionsFrom(const ModelsConfig& config);

// Whether a turn's events are worth a model's prose, and for which task; nullopt: authored.
std::optional<Task> TaskForTurn(const world::Outcome& outcome);

class ModelNarrator final : public NarrativeStage {
  public:
    // `transport` is kept alive for `router`, which calls it.
    ModelNarrator(std::shared_ptr<ChatTransport> transport, std::shared_ptr<ModelRouter> router,
                  OutputCheck output_check, ModelNarratorOptions options,
                  metrics::Registry* registry = nullptr);

    std::string_view Name() const override { return "model"; }
    Narration Narrate(const world::Pack& pack, const world::Outcome& outcome,
                      const PlayerInfo& player, Rng& rng,
                      const NarrationContext& context = {}) override;

    ModelRouter& Router() { return *router_; }

  private:
    const CoherenceChecker& CheckerFor(const world::Pack& pack);
    std::vector<std::string> Window(const std::string& session, const std::string& previous);
    void Remember(const std::string& session, std::string text);

    std::shared_ptr<ChatTransport> transport_;
    std::shared_ptr<ModelRouter> router_;
    OutputCheck output_check_;
    ModelNarratorOptions options_;
    AuthoredNarrator authored_;

    std::mutex checkers_mu_;
    std::map<const world::Pack*, std::unique_ptr<CoherenceChecker>> checkers_;
    std::mutex windows_mu_;
    std::unordered_map<std::string, std::deque<std::string>> windows_;

    metrics::CounterFamily* turns_ = nullptr;
    metrics::CounterFamily* checks_failed_ = nullptr;
    metrics::Histogram* seconds_ = nullptr;
};

// What `tta serve` and `tta play` install: a ModelNarrator over HTTP when providers are
// configured (and resolve), else the authored narrator. `warnings` gets anything worth
// logging (a provider left out for want of its key).
std::unique_ptr<NarrativeStage> MakeNarrator(const ModelsConfig& config,
                                             metrics::Registry& registry, const Clock& clock,
                                             std::vector<std::string>* warnings = nullptr);

}  // namespace tta::narrative::model
