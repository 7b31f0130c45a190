// tta::world simulator — the world-building stage (WBA) of the turn pipeline
// (ARCHITECTURE.md, "One turn"). Given the immutable pack, a session's state and the
// action the input stage understood, it decides what happens: checks exits and their
// conditions, item presence and portability, who is here, topics, rules (in order, with
// `once` and `then: continue`), `turn` rules, scene choices and endings. It returns the
// effects (for the event log) and the events (for the narrative stage to render with the
// state after the effects). Deterministic given the RNG's seed; never mutates the pack;
// a turn takes microseconds because every expression was compiled at load.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/rng.hpp"
#include "tta/world/action.hpp"
#include "tta/world/effect.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/state.hpp"

namespace tta::world {

enum class EventKind {
    kIntro,           // text: the world's intro (Begin only)
    kArrived,         // subject: place; first_visit; text: first_visit or description
    kLook,            // subject: place; text: description
    kNoExit,          // object: the direction or words the player gave
    kExitBlocked,     // subject: place; object: direction; text: the exit's `blocked` (or none)
    kTook,            // subject: item; text: take_text (or none)
    kDropped,         // subject: item
    kGave,            // subject: item; object: person (a give rule handed it over)
    kNotHere,         // object: the words or id that is not here
    kNotPortable,     // subject: item
    kNotCarried,      // subject: item (drop, give, use of something not carried)
    kAlreadyCarried,  // subject: item
    kExamined,        // subject: place, person or item id; text: its description
    kGreeting,        // subject: person; text: greeting
    kTopic,           // subject: person; object: topic; text: the topic's text
    kTopicLocked,     // subject: person; object: topic; text: locked
    kUnknownTopic,    // subject: person; object: the words; text: default topic (or none)
    kNobodyHere,      // talk/ask with no one (or no such person) here; object: words
    kRuleText,        // subject: rule; text: the rule's text
    kSceneOffered,    // subject: scene; text: offer
    kSceneNode,       // subject: scene; object: node; text: node text; choices: available
    kChoiceReply,     // subject: scene; object: node; number: choice index; text: reply
    kSceneEnded,      // subject: scene; object: outcome
    kInventory,       // ids: the items carried, in pack order (empty: carrying nothing)
    kReflected,       // object: the emotion (may be empty)
    kBreathed,
    kWaited,
    kNothingHappens,  // reason: why (see Reason below)
    kEnding,          // subject: ending; text: the ending's text
    kCheckIn,         // subject: the person asking, or none: a check_in() effect ran this turn
                      // (last of the turn's events; at most one per turn)
};
// Stable lowercase names used in JSON: "arrived", "exit_blocked", ...
const char* EventKindName(EventKind k);

// Reasons carried by kNothingHappens, for the narrator to phrase.
namespace reason {
inline constexpr std::string_view kStoryOver = "story_over";  // an ending was reached
inline constexpr std::string_view kNoScene = "no_scene";      // a choice with no scene open
inline constexpr std::string_view kNoSuchChoice = "no_such_choice";
inline constexpr std::string_view kNoEffect = "no_effect";            // use/open with no rule
inline constexpr std::string_view kNotPerson = "not_person";          // give/talk to a non-person
inline constexpr std::string_view kMissingObject = "missing_object";  // "take" with no object
inline constexpr std::string_view kNotWanted = "not_wanted";          // give with no rule for it
inline constexpr std::string_view kAlreadyHere = "already_here";      // go to the current place
}  // namespace reason

struct Event {
    EventKind kind = EventKind::kNothingHappens;
    std::string subject;
    std::string object;
    int number = 0;
    bool first_visit = false;
    std::vector<std::string> ids;  // kInventory: item ids
    std::vector<int> choices;      // kSceneNode: indices into the node's choices, as numbered
    std::string reason;
    const Text* text = nullptr;  // the template to render, in the pack (or none)
    int variant = 0;             // which of text->variants was chosen

    // The Mustache source to render, or an empty view when the event carries no text.
    std::string_view Source() const;
};

struct Outcome {
    std::vector<Effect> effects;
    std::vector<Event> events;
    State state;         // the input state with `effects` applied, in order
    bool ended = false;  // an ending was reached this turn
};

// The opening turn of a new session: the intro, arrival at the start place (marked visited).
Outcome Begin(const Pack& pack, const State& state, Rng& rng);

// One player turn.
Outcome Resolve(const Pack& pack, const State& state, const Action& action, Rng& rng);

// Opens a scene on behalf of the beat planner (therapy module): its offer and first node.
// Returns kNothingHappens with reason no_scene if the scene is unknown or one is open.
Outcome StartScene(const Pack& pack, const State& state, std::string_view scene, Rng& rng);

// Therapeutic beats the planner may offer now: scenes with a technique, not ended, none open,
// whose place (if any) is the player's, person (if any) is present and `when` holds.
std::vector<int> OfferableScenes(const Pack& pack, const State& state);

// The open scene's choices whose `when` holds, as indices into its node's choices; the
// player's choice N is element N-1. Empty when no scene is open.
std::vector<int> AvailableChoices(const Pack& pack, const State& state);

// {"kind":"arrived","subject":"harbour","first_visit":true,"text":"places.harbour.first_visit",
//  "variant":0}; only the fields the event uses.
boost::json::value EventToJson(const Event& event);

}  // namespace tta::world
