// tta::engine: the turn pipeline (ARCHITECTURE.md, "One turn") and event-sourced sessions.
// A turn passes the safety gate, the input stage (IPA), the world stage (WBA) and the
// narrative stage (NGA); its record — input, action, effects, narrative, safety level,
// timings, seed — is committed to the session store before the reply is returned
// (principle 4). State is the pack's initial state folded over the effects on the session's
// history, from the latest snapshot; `undo` moves the session's head back one turn, and the
// next turn starts a new branch.
//
// The therapeutic layer (therapy_layer.hpp) rides along: the beat planner may open a technique
// scene after the world stage, committed turns feed the player's sitting, and the
// out-of-character commands (check in, journal, questionnaire, progress) are answered without
// a turn record, their results kept in a store::TherapyStore (SetTherapyStore).
#pragma once

#include <boost/json/object.hpp>

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
#include "tta/core/metrics.hpp"
#include "tta/engine/safety_plan_dialog.hpp"
#include "tta/engine/therapy_layer.hpp"
#include "tta/engine/therapy_service.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/narrative/narrator.hpp"
#include "tta/safety/event_sink.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/output_gate.hpp"
#include "tta/safety/response.hpp"
#include "tta/safety/safety_plan.hpp"
#include "tta/store/session_store.hpp"
#include "tta/store/therapy_store.hpp"
#include "tta/therapy/progress.hpp"
#include "tta/world/state.hpp"

namespace tta::engine {

struct EngineOptions {
    int snapshot_every = 25;        // store a state snapshot with every Nth turn
    std::size_t max_cached_sessions = 10000;
    std::string default_locale = "en";  // for crisis resources when the player has none
    metrics::Registry* metrics = nullptr;  // nullptr: metrics::DefaultRegistry()
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
    // Set when the safety gate found high or imminent risk: the message, resources and plan
    // shown instead of the story.
    std::optional<safety::CrisisResponse> crisis;
    // Set when this reply closes a session of play (quit, or an ending): what the player did,
    // stored as a session summary, and a few sentences for them to read after the reply.
    std::optional<therapy::SessionSummary> session_summary;
    std::string summary_text;
};

// Who the player of a session is: name and pronouns for templates, locale for crisis lines.
struct PlayerContext {
    narrative::PlayerInfo player;
    std::string locale;  // empty: EngineOptions::default_locale
    // The character's therapeutic profile JSON (therapy_profile.hpp); "{}" for the defaults.
    std::string profile = "{}";
};
using PlayerResolver = std::function<PlayerContext(const store::Session&)>;
// The player's current safety plan, looked up only when a crisis reply is composed.
using SafetyPlanLookup = std::function<std::optional<safety::SafetyPlan>(const store::Session&)>;
// Keeps the player's safety plan, written or changed in play (`safety plan edit`).
using SafetyPlanSaver = std::function<Status(const store::Session&, const safety::SafetyPlan&)>;
// Saves the character's changed profile JSON (the player set a questionnaire schedule).
using ProfileSaver = std::function<Status(const store::Session&, const std::string& profile)>;

// How a turn can be followed while it is made (tta serve's event streams).
struct PlayOptions {
    // Narration as it becomes fit to show, sentence by sentence, while a model writes it (the
    // narrator checks each before it is sent); the committed turn is what the player keeps.
    narrative::ChunkSink draft;
    // Stops waiting on a model: the turn is answered with authored text.
    resilience::CancelToken cancel;
};

class Engine {
public:
    Engine(const WorldCatalog& worlds, store::SessionStore& store, const Clock& clock,
           EngineOptions options = {});
    ~Engine();

    void SetPlayerResolver(PlayerResolver resolver) { player_resolver_ = std::move(resolver); }
    void SetSafetyPlanLookup(SafetyPlanLookup lookup) { plan_lookup_ = std::move(lookup); }
    // Without a saver, `safety plan edit` says the plan cannot be kept here.
    void SetSafetyPlanSaver(SafetyPlanSaver saver) { plan_saver_ = std::move(saver); }
    // Told of every concern and crisis after the reply is composed; must outlive the engine.
    void SetSafetyEventSink(safety::SafetyEventSink* sink) { safety_sink_ = sink; }
    void SetNarrator(std::unique_ptr<narrative::NarrativeStage> narrator);
    // Where check-ins, questionnaire results, skills practised, journal entries, session
    // summaries and planner decisions are kept; must outlive the engine. Without one the
    // planner still runs and the out-of-character commands say nothing can be kept.
    void SetTherapyStore(store::TherapyStore* store);
    void SetProfileSaver(ProfileSaver saver) { profile_saver_ = std::move(saver); }
    // The service over the therapy store (null without one), for the HTTP routes of mood,
    // measures, journal and progress.
    TherapyService* Therapy() { return therapy_service_.get(); }

    // Creates the session and commits its opening turn (intro and first place).
    Result<TurnReply> Start(const NewSession& spec);
    // One player turn. Turns on one session are serialised; concurrent calls wait.
    Result<TurnReply> Play(std::string_view session_id, std::string_view text,
                           const PlayOptions& options = {});
    // Steps back one turn (not past the opening).
    Result<TurnReply> Undo(std::string_view session_id);
    // The text of the turn the session stands on, for resuming. Begins a new session of play
    // (a sitting: the planner's pacing, the end-of-session summary) unless one is under way,
    // and adds the questionnaire offer when the player's schedule says one is due.
    Result<TurnReply> Resume(std::string_view session_id);

    // The current state, for inspection (tests, tools).
    Result<world::State> CurrentState(std::string_view session_id);

    // A check-in made outside the turn stream (POST .../sessions/{id}/mood): recorded with the
    // session's turn number and seen by the beat planner, like `check in` in play.
    Result<therapy::MoodCheckIn> RecordCheckIn(std::string_view session_id,
                                               therapy::MoodCheckIn check_in);
    // What this session of play has held so far (places, techniques, mood before and after),
    // or nullopt when nothing has happened in it yet.
    Result<std::optional<therapy::SessionSummary>> SittingSoFar(std::string_view session_id);

private:
    struct Slot;
    std::shared_ptr<Slot> SlotFor(std::string_view session_id);
    Status Load(Slot& slot, std::string_view session_id);
    Result<TurnReply> UndoLocked(Slot& slot, std::string_view session_id);
    Result<TurnReply> Commit(Slot& slot, std::string_view input, std::string kind,
                             std::uint64_t seed, const world::Outcome& outcome,
                             narrative::Narration narration, std::string safety_level,
                             boost::json::object body);
    PlayerContext PlayerFor(const store::Session& session) const;
    // `preface` is said before the crisis message (why the story stepped out, when it was not
    // the player's words, e.g. PHQ-9 item 9).
    Result<TurnReply> Crisis(Slot& slot, std::string_view input,
                             const safety::Assessment& assessment, std::string_view preface = {});
    RecordContext ContextFor(const Slot& slot) const;
    // An out-of-character answer as the reply (or, for PHQ-9 item 9, the crisis reply).
    Result<TurnReply> TherapyReply(Slot& slot, std::string_view input, TherapyAnswer answer,
                                   const safety::Assessment& assessment);
    // `safety plan` (show it) or `safety plan edit` (open the dialog); and an answer within it.
    std::string SafetyPlanCommand(Slot& slot, std::string_view argument);
    std::string ContinueSafetyPlan(Slot& slot, std::string_view text);
    // Closes the sitting (quit, an ending) and puts its summary in the reply.
    void CloseSitting(Slot& slot, TurnReply& reply);
    void ReportSafety(const Slot& slot, const safety::Assessment& assessment, std::int64_t seq,
                      bool stepped_out, bool plan_shown);
    struct Metrics;

    const WorldCatalog& worlds_;
    store::SessionStore& store_;
    const Clock& clock_;
    EngineOptions options_;
    PlayerResolver player_resolver_;
    SafetyPlanLookup plan_lookup_;
    SafetyPlanSaver plan_saver_;
    safety::SafetyEventSink* safety_sink_ = nullptr;
    std::unique_ptr<narrative::NarrativeStage> narrator_;
    TherapyLayer therapy_;
    std::unique_ptr<TherapyService> therapy_service_;
    ProfileSaver profile_saver_;
    const safety::InputGate& input_gate_;
    const safety::OutputGate& output_gate_;
    const safety::ResponseComposer& composer_;
    std::unique_ptr<Metrics> metrics_;

    std::mutex slots_mutex_;
    std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace tta::engine
