// tta::world effects: the structured record of one state change. The simulator produces
// them, the engine stores them in the session's event log, and Apply() folds them over
// Initial(pack) to rebuild a session's state. An effect carries resolved values (the new
// variable value after clamping, the new trust), so Apply needs nothing but the effect and
// the state, and replay never re-evaluates an expression.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/state.hpp"
#include "tta/world/value.hpp"

namespace tta::world {

enum class EffectKind {
    kMovePlayer,     // subject: place id
    kSetVariable,    // subject: variable id; value: the new value
    kMoveItem,       // subject: item id; target: place id, person id, "player", or "" (gone)
    kMovePerson,     // subject: person id; target: place id or "" (gone)
    kSetTrust,       // subject: person id; number: the new trust
    kVisit,          // subject: place id (marked visited)
    kRuleFired,      // subject: rule id
    kSceneStarted,   // subject: scene id; target: node id
    kSceneAdvanced,  // subject: scene id; target: node id
    kSceneEnded,     // subject: scene id; target: outcome ("completed", "declined", ...)
    kExitRevealed,   // subject: place id; target: direction
    kEndingReached,  // subject: ending id
    kTurn,           // turns + 1
    kTextShown,      // subject: text key; number: variant index shown
    kCheckIn,        // subject: the person asking, or "" (a mood check-in; changes no state)
};
// Stable lowercase names used in JSON: "move_player", "set_variable", ...
const char* EffectKindName(EffectKind k);

struct Effect {
    EffectKind kind = EffectKind::kTurn;
    std::string subject;
    std::string target;
    Value value = false;
    std::int64_t number = 0;

    friend bool operator==(const Effect&, const Effect&) = default;
};

// Folds one effect into the state. Deterministic; an effect naming something the pack no
// longer has (a log written against an older pack version) is ignored rather than fatal,
// and returns an error so the engine can count it.
Status Apply(const Pack& pack, State& state, const Effect& effect);

// {"kind":"set_variable","subject":"tide","value":"low"}; only the fields the kind uses.
boost::json::value EffectToJson(const Effect& effect);
Result<Effect> EffectFromJson(const boost::json::value& json);
boost::json::value EffectsToJson(const std::vector<Effect>& effects);
Result<std::vector<Effect>> EffectsFromJson(const boost::json::value& json);

}  // namespace tta::world
