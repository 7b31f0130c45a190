// tta::engine therapy layer: the therapeutic side of a turn, kept apart from the pipeline so
// the engine only calls it at a few points (docs/therapy.md, "In play").
//
// - Out of character: `check in` (a 0-10 rating and feeling words), `journal` (read or write),
//   `questionnaire phq9|gad7` (item by item; PHQ-9 item 9 above 0 asks the engine for the
//   safety response), `questionnaire schedule weekly|fortnightly|off` (kept in the profile; when
//   due, offered once at the start of a session) and `progress`.
// - In the story: after the world stage, when no scene is open, the beat planner decides from
//   the profile, recent emotion cues, this sitting's check-ins and pacing whether to open a
//   technique scene; every committed turn feeds the sitting; technique scenes that end are
//   recorded as skill practice; a quit, an ending or a long pause closes the sitting with a
//   stored session summary.
//
// Records are kept through a TherapyService; without one (SetService(nullptr)) the planner
// still runs and the out-of-character commands say that nothing can be kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/clock.hpp"
#include "tta/engine/sitting.hpp"
#include "tta/engine/therapy_dialog.hpp"
#include "tta/engine/therapy_profile.hpp"
#include "tta/engine/therapy_service.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/store/session_store.hpp"
#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/planner.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/state.hpp"

namespace tta::engine {

// What the engine keeps per session for this layer.
struct SessionTherapy {
    Sitting sitting;
    std::optional<Dialog> dialog;
    PlayerProfile profile;
    std::string profile_json = "{}";
    std::string profile_error;  // why the stored profile could not be used (defaults apply)
};

// An answer given outside the story.
struct TherapyAnswer {
    std::string kind;  // "check_in", "journal", "questionnaire", "progress"
    std::string text;
    // Set when the safety response must be given instead, with `text` said first.
    std::optional<safety::Assessment> crisis;
    // Set when the profile changed and must be saved.
    std::optional<std::string> profile_json;
};

// The beat planner's decision for a turn and how many beats it weighed.
struct PlannedBeat {
    therapy::BeatDecision decision;
    int candidates = 0;
};

// The end of a sitting: the summary (also stored) and its words for the player.
struct SittingSummary {
    therapy::SessionSummary summary;
    std::string text;
};

class TherapyLayer {
  public:
    // How far back a restarted engine reads turns to find where the sitting began.
    static constexpr int kMaxRebuildTurns = 500;

    TherapyLayer(const therapy::Catalogue& catalogue, const Clock& clock,
                 therapy::PlannerPolicy policy = {});

    void SetService(TherapyService* service) { service_ = service; }
    TherapyService* service() const { return service_; }
    const therapy::Catalogue& catalogue() const { return catalogue_; }

    // Reads the character's profile; an unreadable one leaves the defaults and says why.
    void LoadProfile(SessionTherapy& st, std::string profile_json) const;

    // Begins a sitting with the player at `place`. Returns the questionnaire offer to add to
    // the reply when the schedule says one is due (the offer is then awaiting yes or no), or
    // an empty string.
    std::string BeginSitting(SessionTherapy& st, const RecordContext& where, std::string place);
    // Rebuilds the sitting that was under way from the turns at the head of the session
    // (RecentTurns), after an engine restart; a long pause since starts a fresh one.
    void RebuildSitting(SessionTherapy& st, const RecordContext& where, const world::Pack& pack,
                        const std::vector<TurnFacts>& recent, std::string place);
    // Closes the sitting, storing and returning its summary when anything happened in it, and
    // begins the next one at once with the player at `place` (quietly: nothing is offered).
    std::optional<SittingSummary> EndSitting(SessionTherapy& st, const RecordContext& where,
                                             std::string place);

    // An open dialog's answer to `text`; nullopt when the player moved on (a check-in answer
    // that is not a number, anything but yes to a questionnaire offer): the dialog is closed
    // and the input is played as usual.
    std::optional<TherapyAnswer> ContinueDialog(SessionTherapy& st, const RecordContext& where,
                                                std::string_view text);

    TherapyAnswer CheckIn(SessionTherapy& st, const RecordContext& where,
                          std::string_view argument);
    // Someone in the story asked how the player is (a check_in() effect): their next input, if
    // it begins with a number, is an in-story check-in. Returns the line that says how to
    // answer, or "" when check-ins cannot be kept here (then nothing is awaited).
    std::string AwaitInStoryCheckIn(SessionTherapy& st);
    // Records a check-in given as data (the HTTP API), as `check in` does.
    Result<therapy::MoodCheckIn> RecordCheckIn(SessionTherapy& st, const RecordContext& where,
                                               therapy::MoodCheckIn check_in);
    TherapyAnswer Journal(SessionTherapy& st, const RecordContext& where,
                          std::string_view argument);
    TherapyAnswer Questionnaire(SessionTherapy& st, std::string_view argument);
    // `world_line` says where the story stands (turns, places found).
    TherapyAnswer Progress(SessionTherapy& st, const RecordContext& where,
                           std::string_view world_line);

    // The planner's decision for this turn, with `after` the state after the world stage
    // (no scene open) and `now` what the turn has done so far (FactsOfTurn).
    PlannedBeat Plan(const SessionTherapy& st, const world::Pack& pack, const world::State& after,
                     const TurnFacts& now) const;
    // For words of concern (the safety gate's middle level): a grounding beat from the
    // offerable scenes whose technique `grounding` accepts, without waiting for a cue or a
    // cooldown, but only one that suits the player now — the planner's filters still apply
    // (box breathing is not offered to someone who says they are panicking), and nothing is
    // offered while a crisis path is active.
    PlannedBeat GroundingBeat(const SessionTherapy& st, const world::Pack& pack,
                              const world::State& after, const TurnFacts& now,
                              bool (*grounding)(std::string_view technique)) const;
    // A turn was committed: feeds the sitting and records the practice of technique scenes
    // that ended and the planner's decision (the body's "planner") when it offered a beat or
    // ruled one out for this player. An error means a record was not kept; the turn itself
    // is committed.
    Status Committed(SessionTherapy& st, const RecordContext& where, const world::Pack& pack,
                     const TurnFacts& facts);

  private:
    TherapyAnswer Unavailable(std::string kind, std::string_view what) const;
    TherapyAnswer StartQuestionnaire(SessionTherapy& st, std::vector<therapy::MeasureId> queue);
    TherapyAnswer AnswerQuestion(SessionTherapy& st, const RecordContext& where,
                                 QuestionnairePending& pending, std::string_view text);
    therapy::PlannerInput InputFor(const SessionTherapy& st, const world::Pack& pack,
                                   const TurnFacts& now) const;
    TherapyAnswer AnswerCheckIn(SessionTherapy& st, const RecordContext& where,
                                const CheckInAnswer& answer, therapy::CheckInMode mode);

    const therapy::Catalogue& catalogue_;
    const Clock& clock_;
    therapy::BeatPlanner planner_;
    therapy::BeatPlanner grounding_planner_;
    TherapyService* service_ = nullptr;
};

// Turns at the head of a session that may belong to the sitting under way, oldest first:
// walking back from `head_seq` until a pause of Sitting::kPauseMs, an ending, the first turn
// or `max_turns`.
Result<std::vector<TurnFacts>> RecentTurns(store::SessionStore& store, std::string_view session_id,
                                           std::int64_t head_seq, int max_turns);

// The technique catalogue compiled into the binary, loaded once (it is tested, so a failure
// to load is a broken build and aborts with the reason).
const therapy::Catalogue& BuiltinCatalogue();

// The safety gate's verdict for PHQ-9 item 9 answered above 0: high risk, suicide and self-harm,
// so the engine answers through the same crisis path as a high-risk input.
safety::Assessment Item9Assessment();

}  // namespace tta::engine
