// tta::world session state: the small, copyable overlay of everything that has changed since
// the pack's initial state — where the player, items and people are, variables, trust,
// what has been visited, fired, revealed, started and ended. Elements are referred to by
// their index in the pack. The engine rebuilds a session's State by folding its stored
// effects over Initial(pack) (effect.hpp); snapshots are JSON (versioned, ids not indices).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/value.hpp"

namespace tta::world {

struct State {
    int player = -1;                         // place index
    std::vector<Where> items;                // by item index
    std::vector<int> people;                 // by person index: place index, -1 not present
    std::vector<Value> variables;            // by variable index (turns and stress included)
    std::vector<std::int64_t> trust;         // by person index
    std::vector<std::uint8_t> visited;       // by place index
    std::vector<std::uint8_t> fired;         // by rule index: fired at least once
    std::vector<std::string> outcomes;       // by scene index: "" not ended, else its outcome
    int scene = -1;                          // the open scene, -1 none
    int node = -1;                           // its current node
    std::vector<std::uint8_t> revealed;      // by exit slot
    int ending = -1;                         // ending index once the story is over
    std::vector<std::int16_t> last_variant;  // by text slot: variant shown last, -1 none

    friend bool operator==(const State&, const State&) = default;
};

// The state before the first turn: the player at `start`, everything where the pack puts it.
// The start place is not yet marked visited (the opening turn does that, see Begin()).
State Initial(const Pack& pack);

// Reading the state in the pack's terms.
std::int64_t Turns(const Pack& pack, const State& state);
const Place& PlayerPlace(const Pack& pack, const State& state);
bool Carries(const State& state, int item);
// Items lying in a place (not carried, not held), in pack order.
std::vector<int> ItemsAt(const State& state, int place);
std::vector<int> Inventory(const State& state);
// People present in a place, in pack order.
std::vector<int> PeopleAt(const State& state, int place);
// Whether an exit can be seen and used now (hidden exits need reveal; `when` is not checked).
bool ExitVisible(const State& state, const Exit& exit);
// A variable's value by id; nullptr when the pack has no such variable.
const Value* VariableValue(const Pack& pack, const State& state, std::string_view id);
// The id a location has in expressions and snapshots: a place or person id, "player", or "".
std::string WhereId(const Pack& pack, const Where& where);

// Snapshots. The JSON names everything by id and carries `"format": 1` and the pack's id and
// version; loading checks all three and that every id exists in the pack.
boost::json::value StateToJson(const Pack& pack, const State& state);
Result<State> StateFromJson(const Pack& pack, const boost::json::value& json);

}  // namespace tta::world
