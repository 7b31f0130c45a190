#include "tta/world/effect.hpp"

#include <array>
#include <boost/json.hpp>

namespace tta::world {
namespace json = boost::json;

namespace {

constexpr std::array<std::pair<EffectKind, const char*>, 15> kNames = {{
    {EffectKind::kMovePlayer, "move_player"},
    {EffectKind::kSetVariable, "set_variable"},
    {EffectKind::kMoveItem, "move_item"},
    {EffectKind::kMovePerson, "move_person"},
    {EffectKind::kSetTrust, "set_trust"},
    {EffectKind::kVisit, "visit"},
    {EffectKind::kRuleFired, "rule_fired"},
    {EffectKind::kSceneStarted, "scene_started"},
    {EffectKind::kSceneAdvanced, "scene_advanced"},
    {EffectKind::kSceneEnded, "scene_ended"},
    {EffectKind::kExitRevealed, "exit_revealed"},
    {EffectKind::kEndingReached, "ending_reached"},
    {EffectKind::kTurn, "turn"},
    {EffectKind::kTextShown, "text_shown"},
    {EffectKind::kCheckIn, "check_in"},
}};

bool UsesTarget(EffectKind k) {
    return k == EffectKind::kMoveItem || k == EffectKind::kMovePerson ||
           k == EffectKind::kSceneStarted || k == EffectKind::kSceneAdvanced ||
           k == EffectKind::kSceneEnded || k == EffectKind::kExitRevealed;
}
bool UsesNumber(EffectKind k) { return k == EffectKind::kSetTrust || k == EffectKind::kTextShown; }

Error Unknown(const Effect& e, const char* what, const std::string& id) {
    return Error::NotFound(std::string(EffectKindName(e.kind)) + ": unknown " + what + " '" + id +
                           "'");
}

}  // namespace

const char* EffectKindName(EffectKind k) {
    for (const auto& [kind, name] : kNames) {
        if (kind == k) return name;
    }
    return "turn";
}

Status Apply(const Pack& pack, State& state, const Effect& e) {
    switch (e.kind) {
        case EffectKind::kMovePlayer: {
            const int p = pack.PlaceIndex(e.subject);
            if (p < 0) return Unknown(e, "place", e.subject);
            state.player = p;
            return Ok();
        }
        case EffectKind::kSetVariable: {
            const int v = pack.VariableIndex(e.subject);
            if (v < 0) return Unknown(e, "variable", e.subject);
            if (TypeOf(e.value) != pack.variables[static_cast<std::size_t>(v)].type) {
                return Error::Invalid("set_variable: wrong type for '" + e.subject + "'");
            }
            state.variables[static_cast<std::size_t>(v)] = e.value;
            return Ok();
        }
        case EffectKind::kMoveItem: {
            const int i = pack.ItemIndex(e.subject);
            if (i < 0) return Unknown(e, "item", e.subject);
            Where w;
            if (e.target == "player") {
                w = {Where::Kind::kPlayer, -1};
            } else if (int p = pack.PlaceIndex(e.target); p >= 0) {
                w = {Where::Kind::kPlace, p};
            } else if (int q = pack.PersonIndex(e.target); q >= 0) {
                w = {Where::Kind::kPerson, q};
            } else if (!e.target.empty()) {
                return Unknown(e, "location", e.target);
            }
            state.items[static_cast<std::size_t>(i)] = w;
            return Ok();
        }
        case EffectKind::kMovePerson: {
            const int i = pack.PersonIndex(e.subject);
            if (i < 0) return Unknown(e, "person", e.subject);
            const int p = e.target.empty() ? -1 : pack.PlaceIndex(e.target);
            if (p < 0 && !e.target.empty()) return Unknown(e, "place", e.target);
            state.people[static_cast<std::size_t>(i)] = p;
            return Ok();
        }
        case EffectKind::kSetTrust: {
            const int i = pack.PersonIndex(e.subject);
            if (i < 0) return Unknown(e, "person", e.subject);
            state.trust[static_cast<std::size_t>(i)] = e.number;
            return Ok();
        }
        case EffectKind::kVisit: {
            const int p = pack.PlaceIndex(e.subject);
            if (p < 0) return Unknown(e, "place", e.subject);
            state.visited[static_cast<std::size_t>(p)] = 1;
            return Ok();
        }
        case EffectKind::kRuleFired: {
            const int r = pack.RuleIndex(e.subject);
            if (r < 0) return Unknown(e, "rule", e.subject);
            state.fired[static_cast<std::size_t>(r)] = 1;
            return Ok();
        }
        case EffectKind::kSceneStarted:
        case EffectKind::kSceneAdvanced: {
            const int s = pack.SceneIndex(e.subject);
            if (s < 0) return Unknown(e, "scene", e.subject);
            const SceneNode* node = pack.scenes[static_cast<std::size_t>(s)].FindNode(e.target);
            if (node == nullptr) return Unknown(e, "scene node", e.target);
            state.scene = s;
            state.node = node->index;
            return Ok();
        }
        case EffectKind::kSceneEnded: {
            const int s = pack.SceneIndex(e.subject);
            if (s < 0) return Unknown(e, "scene", e.subject);
            state.outcomes[static_cast<std::size_t>(s)] = e.target;
            if (state.scene == s) {
                state.scene = -1;
                state.node = -1;
            }
            return Ok();
        }
        case EffectKind::kExitRevealed: {
            const Place* place = pack.FindPlace(e.subject);
            if (place == nullptr) return Unknown(e, "place", e.subject);
            const Exit* exit = place->FindExit(e.target);
            if (exit == nullptr) return Unknown(e, "exit", e.subject + "." + e.target);
            state.revealed[static_cast<std::size_t>(exit->slot)] = 1;
            return Ok();
        }
        case EffectKind::kEndingReached: {
            const int i = pack.EndingIndex(e.subject);
            if (i < 0) return Unknown(e, "ending", e.subject);
            state.ending = i;
            return Ok();
        }
        case EffectKind::kTurn: {
            const int t = pack.VariableIndex(kTurnsVariable);
            if (t < 0) return Unknown(e, "variable", std::string(kTurnsVariable));
            Value& v = state.variables[static_cast<std::size_t>(t)];
            if (std::int64_t* n = std::get_if<std::int64_t>(&v)) ++*n;
            return Ok();
        }
        case EffectKind::kCheckIn:
            // The world asked how the player is; the answer is a therapy record, not state.
            if (!e.subject.empty() && pack.PersonIndex(e.subject) < 0) {
                return Unknown(e, "person", e.subject);
            }
            return Ok();
        case EffectKind::kTextShown: {
            const int slot = pack.TextSlot(e.subject);
            if (slot < 0) return Unknown(e, "text", e.subject);
            state.last_variant[static_cast<std::size_t>(slot)] =
                static_cast<std::int16_t>(e.number);
            return Ok();
        }
    }
    return Error::Invalid("unknown effect kind");
}

json::value EffectToJson(const Effect& e) {
    json::object o;
    o["kind"] = EffectKindName(e.kind);
    if (e.kind != EffectKind::kTurn) o["subject"] = e.subject;
    if (UsesTarget(e.kind)) o["target"] = e.target;
    if (UsesNumber(e.kind)) o["number"] = e.number;
    if (e.kind == EffectKind::kSetVariable) {
        if (const bool* b = std::get_if<bool>(&e.value)) {
            o["value"] = *b;
        } else if (const std::int64_t* n = std::get_if<std::int64_t>(&e.value)) {
            o["value"] = *n;
        } else {
            o["value"] = std::get<std::string>(e.value);
        }
    }
    return o;
}

Result<Effect> EffectFromJson(const json::value& j) {
    const json::object* o = j.if_object();
    if (o == nullptr) return Error::Invalid("effect: not a JSON object");
    const json::value* kind = o->if_contains("kind");
    if (kind == nullptr || !kind->is_string()) return Error::Invalid("effect: missing kind");
    Effect e;
    bool found = false;
    for (const auto& [k, name] : kNames) {
        if (kind->as_string() == name) {
            e.kind = k;
            found = true;
        }
    }
    if (!found)
        return Error::Invalid("effect: unknown kind '" + std::string(kind->as_string()) + "'");
    auto text = [&](const char* key, std::string& out) -> Status {
        const json::value* v = o->if_contains(key);
        if (v == nullptr || !v->is_string()) {
            return Error::Invalid(std::string("effect: missing ") + key);
        }
        out = std::string(v->as_string());
        return Ok();
    };
    if (e.kind != EffectKind::kTurn) {
        if (auto s = text("subject", e.subject); !s) return s.error();
    }
    if (UsesTarget(e.kind)) {
        if (auto s = text("target", e.target); !s) return s.error();
    }
    if (UsesNumber(e.kind)) {
        const json::value* n = o->if_contains("number");
        if (n == nullptr || !n->is_int64()) return Error::Invalid("effect: missing number");
        e.number = n->as_int64();
    }
    if (e.kind == EffectKind::kSetVariable) {
        const json::value* v = o->if_contains("value");
        if (v == nullptr) return Error::Invalid("effect: missing value");
        if (v->is_bool()) {
            e.value = v->as_bool();
        } else if (v->is_int64()) {
            e.value = v->as_int64();
        } else if (v->is_string()) {
            e.value = std::string(v->as_string());
        } else {
            return Error::Invalid("effect: value must be a flag, number or string");
        }
    }
    return e;
}

json::value EffectsToJson(const std::vector<Effect>& effects) {
    json::array a;
    a.reserve(effects.size());
    for (const Effect& e : effects) a.push_back(EffectToJson(e));
    return a;
}

Result<std::vector<Effect>> EffectsFromJson(const json::value& j) {
    const json::array* a = j.if_array();
    if (a == nullptr) return Error::Invalid("effects: not a JSON array");
    std::vector<Effect> out;
    out.reserve(a->size());
    for (const json::value& v : *a) {
        auto e = EffectFromJson(v);
        if (!e) return e.error();
        out.push_back(std::move(*e));
    }
    return out;
}

}  // namespace tta::world
