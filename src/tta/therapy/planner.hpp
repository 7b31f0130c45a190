// tta::therapy beat planner: decides, each turn, whether to offer a therapeutic beat and which
// one, from the player's therapeutic profile, recent emotion cues, mood check-ins, pacing and
// the beats the world has available right now. It never offers during a crisis path, respects
// contraindications and topics to avoid, backs off when the player declines, and explains every
// decision in a sentence a clinician can read. Deterministic: the same input gives the same
// decision. The policy is described in docs/therapy.md ("The beat planner").
//
// The planner knows nothing about worlds: the engine adapts the world's beats (scenes with a
// technique) into CandidateBeat and the input stage's cues into EmotionCue.
#pragma once

#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/mood.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tta::therapy {

struct TherapeuticProfile {
    std::vector<std::string> goals;  // catalogue tags the player wants help with, e.g. worry
    std::vector<Framework> preferred_frameworks;
    Intensity max_intensity = Intensity::kModerate;  // the most demanding the player wants
    // Topics the player does not want to meet, matched (content.hpp) against a beat's content
    // tags and its technique's (e.g. "water", "family", "breath_focus").
    std::vector<std::string> topics_to_avoid;
    // Health conditions from the catalogue, recorded with consent (e.g. heart_condition).
    std::vector<std::string> conditions;
};

// Checks goals and conditions against the catalogue, so a profile is fixed when saved rather
// than silently ignored when planning.
Status ValidateProfile(const Catalogue& catalogue, const TherapeuticProfile& profile);

// An emotion the input stage recognised: a feeling word or a tag, and the turn it was said.
struct EmotionCue {
    std::string label;
    int turn = 0;
};

// Counts are for the current session.
struct PacingState {
    int turn = 0;  // the current turn, numbered like cues and check-ins
    int turns_this_session = 0;
    std::optional<int> turns_since_last_offer;  // none: nothing offered yet this session
    int offered = 0;
    int completed = 0;
    int declined = 0;
    std::vector<std::string> offered_techniques;   // in order, repeats included
    std::vector<std::string> declined_techniques;  // technique ids the player said no to
};

struct CandidateBeat {
    std::string id;            // the beat (scene) id in the world
    std::string technique_id;  // a catalogue technique
    bool fixed = false;        // the author placed it here: offered without needing a cue
    std::vector<std::string> content_tags;
};

struct PlannerInput {
    TherapeuticProfile profile;
    std::vector<EmotionCue> cues;          // recent cues, any order
    std::vector<MoodCheckIn> check_ins;    // recent check-ins, any order
    PacingState pacing;
    bool crisis = false;                   // a crisis path is active: never offer
    std::vector<CandidateBeat> candidates;  // beats available now, in the world's order
};

// Tunable numbers of the policy; the defaults are what TTA ships.
struct PlannerPolicy {
    int cue_window_turns = 5;        // a cue counts for this many turns after it was said
    int check_in_window_turns = 15;  // a check-in counts for this many turns
    int low_mood_score = 3;          // a check-in at or below this signals low_mood
    int cooldown_turns = 6;          // minimum gap between offers the planner starts
    int cooldown_per_decline = 4;    // added to the cooldown for each decline this session
    int fixed_beat_gap_turns = 2;    // minimum gap before an author-placed beat
    int practice_after_turns = 20;   // with no cue, offer goal practice after this long
    int max_declines_per_session = 3;
    int max_offers_per_session = 8;
};

struct BeatDecision {
    std::optional<std::string> beat_id;  // none: offer nothing this turn
    std::string technique_id;            // empty when beat_id is none
    // One line for the clinician's timeline, e.g. "offered box_breathing (beat keeper_breath):
    // player said 'anxious' at turn 12; profile prefers mindfulness; 9 turns since last beat".
    std::string reason;
    // Candidates passed over and why, e.g. "tipp_spring (dbt_tipp): not with heart_condition".
    std::vector<std::string> skipped;

    bool offers() const { return beat_id.has_value(); }
};

class BeatPlanner {
public:
    explicit BeatPlanner(const Catalogue& catalogue, PlannerPolicy policy = {});

    BeatDecision Decide(const PlannerInput& input) const;

private:
    const Catalogue& catalogue_;
    PlannerPolicy policy_;
};

}  // namespace tta::therapy
