// tta::engine: the turn pipeline (ARCHITECTURE.md, "One turn") and event-sourced sessions.
// A turn passes the safety gate, the input stage (IPA), the world stage (WBA) and the
// narrative stage (NGA); its record — input, action, effects, narrative, safety level,
// timings, seed — is committed to the session store before the reply is returned
// (principle 4). State is the pack's initial state folded over the effects on the session's
// history, from the latest snapshot; `undo` moves the session's head back one turn, and the
// next turn starts a new branch.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tta/core/clock.hpp"
#include "tta/core/error.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/narrative/narrator.hpp"
#include "tta/store/session_store.hpp"
#include "tta/world/state.hpp"

namespace tta::engine {

struct EngineOptions {
    int snapshot_every = 25;        // store a state snapshot with every Nth turn
    std::size_t max_cached_sessions = 10000;
};

struct NewSession {
    std::string id;             // empty: a random id is chosen
    std::string owner_user_id;  // empty for offline play
    std::string character_id;
    std::string world_id;
    std::optional<std::uint64_t> seed;  // empty: a random seed
    std::string title;
};

// What the player sees after a turn, and whether it was recorded.
struct TurnReply {
    std::string session_id;
    std::int64_t seq = 0;  // the turn the session now stands on (0: none yet)
    // story: the world answered; crisis: stepped out of the fiction; help, undo, progress,
    // not_understood, empty: answered without changing the story.
    std::string kind = "story";
    std::string text;
    std::vector<std::string> choices;
    std::string safety_level = "none";
    bool ended = false;
    std::string ending;  // ending id once the story is over
    bool recorded = false;
};

// Resolves who the player is in a session (name and pronouns for templates).
using PlayerResolver = std::function<narrative::PlayerInfo(const store::Session&)>;

class Engine {
public:
    Engine(const WorldCatalog& worlds, store::SessionStore& store, const Clock& clock,
           EngineOptions options = {});
    ~Engine();

    void SetPlayerResolver(PlayerResolver resolver) { player_resolver_ = std::move(resolver); }
    void SetNarrator(std::unique_ptr<narrative::NarrativeStage> narrator);

    // Creates the session and commits its opening turn (intro and first place).
    Result<TurnReply> Start(const NewSession& spec);
    // One player turn. Turns on one session are serialised; concurrent calls wait.
    Result<TurnReply> Play(std::string_view session_id, std::string_view text);
    // Steps back one turn (not past the opening).
    Result<TurnReply> Undo(std::string_view session_id);
    // The text of the turn the session stands on, for resuming.
    Result<TurnReply> Resume(std::string_view session_id);

    // The current state, for inspection (tests, tools).
    Result<world::State> CurrentState(std::string_view session_id);

private:
    struct Slot;
    std::shared_ptr<Slot> SlotFor(std::string_view session_id);
    Status Load(Slot& slot, std::string_view session_id);
    Result<TurnReply> UndoLocked(Slot& slot, std::string_view session_id);
    Result<TurnReply> Commit(Slot& slot, std::string_view input, std::string kind,
                             std::uint64_t seed, const world::Outcome& outcome,
                             narrative::Narration narration, std::string safety_level,
                             std::string body_extra);
    narrative::PlayerInfo PlayerFor(const store::Session& session) const;

    const WorldCatalog& worlds_;
    store::SessionStore& store_;
    const Clock& clock_;
    EngineOptions options_;
    PlayerResolver player_resolver_;
    std::unique_ptr<narrative::NarrativeStage> narrator_;

    std::mutex slots_mutex_;
    std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace tta::engine
