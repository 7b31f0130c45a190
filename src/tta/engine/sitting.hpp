// tta::engine sittings: what the therapeutic layer remembers of one session of play — the
// "session" of the beat planner's pacing and of the summary a player sees at the end. A
// sitting begins when a story starts or is resumed, after a quit or an ending, and after a
// pause of 30 minutes or more; it ends with quit, an ending or such a pause.
//
// A sitting is built from the session's turn records (their bodies), so it can be rebuilt
// after a restart: the technique scenes that started and ended (from `scene_started` and
// `scene_ended` effects), places arrived at, emotion cues, crisis turns; plus the check-ins
// made meanwhile. From it come the planner's PacingState and the SessionRecord that
// therapy::BuildSessionSummary summarises.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/mood.hpp"
#include "tta/therapy/planner.hpp"
#include "tta/therapy/progress.hpp"
#include "tta/world/effect.hpp"
#include "tta/world/pack.hpp"

namespace tta::engine {

// One recorded turn as the therapeutic layer reads it from the turn body.
struct TurnFacts {
    struct Cue {
        std::string label;  // the input stage's label, e.g. "anxious"
        std::string word;   // the word the player used, e.g. "panicky"
    };
    struct SceneChange {
        std::string scene;
        std::string outcome;  // empty: the scene started
    };
    // The beat planner's decision in this turn.
    struct Planner {
        std::string beat;  // empty: none offered
        std::string technique;
        std::string reason;
        int candidates = 0;  // beats it weighed
        int skipped = 0;     // of those, ruled out for this player (contraindication, ...)
    };

    std::int64_t seq = 0;
    std::int64_t created_ms = 0;
    std::string kind;                  // "begin", "story", "crisis"
    int turn = 0;                      // the world's turn number after the turn
    std::vector<std::string> arrived;  // places arrived at, in order
    std::vector<SceneChange> scenes;   // in order
    std::vector<Cue> cues;             // not negated
    bool ended = false;                // the story reached an ending
    std::optional<Planner> planner;
};

// Reads what the engine writes into a turn body ("kind", "turn", "effects", "events",
// "emotions", "planner"); anything missing reads as empty.
TurnFacts FactsFromBody(std::int64_t seq, std::int64_t created_ms, const boost::json::object& body);

// The facts of a turn not yet committed: its scene changes and cues, so the planner sees a
// beat that ended in this very turn (`kind` story, no time yet).
TurnFacts FactsOfTurn(const std::vector<world::Effect>& effects, int turn,
                      std::vector<TurnFacts::Cue> cues);

// The label the planner should hear for an emotion cue: the player's own word when the
// catalogue knows it ("panicky" keeps its panic), else the input stage's label, else a
// catalogue word for it ("afraid" -> "scared").
std::string PlannerCueLabel(const therapy::Catalogue& catalogue, const TurnFacts::Cue& cue);

// A technique scene that ended in a turn.
struct EndedBeat {
    std::string scene;
    std::string technique;
    std::string outcome;
    int turn = 0;
    std::int64_t at_ms = 0;
};

class Sitting {
  public:
    static constexpr std::int64_t kPauseMs = 30LL * 60 * 1000;
    static constexpr std::size_t kCuesKept = 20;

    // Starts a new sitting at `at_ms`, with the player at `place` (empty when the first turn
    // will say where they arrive).
    void Begin(std::int64_t at_ms, std::string place);
    void End() { active_ = false; }
    bool Active() const { return active_; }
    // Whether the player has been away long enough for this to be a new sitting.
    bool PausedAt(std::int64_t now_ms) const { return active_ && now_ms - last_ms_ >= kPauseMs; }
    // Whether anything happened worth summarising.
    bool HasActivity() const { return story_turns_ > 0 || !check_ins_.empty(); }

    // Adds a committed turn; returns the technique scenes that ended in it.
    std::vector<EndedBeat> Add(const world::Pack& pack, const TurnFacts& facts);
    void AddCheckIn(const therapy::MoodCheckIn& check_in);
    // Counts `place` as visited when no turn so far said where the player is.
    void EnsurePlace(std::string place);
    // A crisis reply that could not be recorded still silences the planner.
    void MarkCrisis() { crisis_ = true; }

    bool crisis() const { return crisis_; }
    std::int64_t started_ms() const { return started_ms_; }
    // Pacing for the planner at world turn `turn`. The planner runs only when no scene is
    // open, so a beat that started but never ended was left for another scene and is not
    // counted as offered.
    therapy::PacingState Pacing(int turn) const;
    std::vector<therapy::EmotionCue> Cues(const therapy::Catalogue& catalogue) const;
    const std::vector<therapy::MoodCheckIn>& CheckIns() const { return check_ins_; }
    therapy::SessionRecord Record(const std::string& session_id, std::int64_t now_ms) const;

  private:
    struct Offer {
        int turn = 0;
        std::string technique;
    };
    struct SeenCue {
        TurnFacts::Cue cue;
        int turn = 0;
    };

    bool active_ = false;
    std::int64_t started_ms_ = 0;
    std::int64_t last_ms_ = 0;
    int story_turns_ = 0;
    bool crisis_ = false;
    std::vector<std::string> places_;
    std::vector<Offer> offers_;
    std::vector<EndedBeat> ended_;
    std::vector<SeenCue> cues_;
    std::vector<therapy::MoodCheckIn> check_ins_;
};

}  // namespace tta::engine
