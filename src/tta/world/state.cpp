#include "tta/world/state.hpp"

#include <boost/json.hpp>

namespace tta::world {
namespace json = boost::json;

namespace {

constexpr std::int64_t kSnapshotFormat = 1;

json::value ValueToJson(const Value& v) {
    if (const bool* b = std::get_if<bool>(&v)) return *b;
    if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return *n;
    return json::string(std::get<std::string>(v));
}

Result<Value> ValueFromJson(const json::value& j, VarType type) {
    if (type == VarType::kFlag && j.is_bool()) return Value{j.as_bool()};
    if (type == VarType::kNumber && j.is_int64()) return Value{j.as_int64()};
    if (type == VarType::kNumber && j.is_uint64() &&
        j.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return Value{static_cast<std::int64_t>(j.as_uint64())};
    }
    if (type == VarType::kString && j.is_string()) return Value{std::string(j.as_string())};
    return Error::Invalid("snapshot: a variable has the wrong type");
}

Result<Where> WhereFromId(const Pack& pack, std::string_view id) {
    if (id.empty()) return Where{};
    if (id == "player") return Where{Where::Kind::kPlayer, -1};
    if (int p = pack.PlaceIndex(id); p >= 0) return Where{Where::Kind::kPlace, p};
    if (int p = pack.PersonIndex(id); p >= 0) return Where{Where::Kind::kPerson, p};
    return Error::Invalid("snapshot: unknown location '" + std::string(id) + "'");
}

const json::object* Object(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr ? v->if_object() : nullptr;
}
const json::array* Array(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr ? v->if_array() : nullptr;
}

}  // namespace

State Initial(const Pack& pack) {
    State s;
    s.player = pack.meta.start_index;
    s.items.reserve(pack.items.size());
    for (const Item& item : pack.items) s.items.push_back(item.location);
    s.people.reserve(pack.people.size());
    s.trust.reserve(pack.people.size());
    for (const Person& person : pack.people) {
        s.people.push_back(person.location_index);
        s.trust.push_back(person.trust);
    }
    s.variables.reserve(pack.variables.size());
    for (const Variable& v : pack.variables) s.variables.push_back(v.initial);
    s.visited.assign(pack.places.size(), 0);
    s.fired.assign(pack.rules.size(), 0);
    s.outcomes.assign(pack.scenes.size(), std::string());
    s.revealed.assign(static_cast<std::size_t>(pack.exit_slots), 0);
    s.last_variant.assign(static_cast<std::size_t>(pack.text_slots), -1);
    return s;
}

std::int64_t Turns(const Pack& pack, const State& state) {
    const Value* v = VariableValue(pack, state, kTurnsVariable);
    const std::int64_t* n = v != nullptr ? std::get_if<std::int64_t>(v) : nullptr;
    return n != nullptr ? *n : 0;
}

const Place& PlayerPlace(const Pack& pack, const State& state) {
    return pack.places[static_cast<std::size_t>(state.player)];
}

bool Carries(const State& state, int item) {
    return item >= 0 && static_cast<std::size_t>(item) < state.items.size() &&
           state.items[static_cast<std::size_t>(item)].kind == Where::Kind::kPlayer;
}

std::vector<int> ItemsAt(const State& state, int place) {
    std::vector<int> out;
    for (std::size_t i = 0; i < state.items.size(); ++i) {
        if (state.items[i].kind == Where::Kind::kPlace && state.items[i].index == place) {
            out.push_back(static_cast<int>(i));
        }
    }
    return out;
}

std::vector<int> Inventory(const State& state) {
    std::vector<int> out;
    for (std::size_t i = 0; i < state.items.size(); ++i) {
        if (state.items[i].kind == Where::Kind::kPlayer) out.push_back(static_cast<int>(i));
    }
    return out;
}

std::vector<int> PeopleAt(const State& state, int place) {
    std::vector<int> out;
    for (std::size_t i = 0; i < state.people.size(); ++i) {
        if (state.people[i] == place && place >= 0) out.push_back(static_cast<int>(i));
    }
    return out;
}

bool ExitVisible(const State& state, const Exit& exit) {
    return !exit.hidden ||
           (exit.slot >= 0 && static_cast<std::size_t>(exit.slot) < state.revealed.size() &&
            state.revealed[static_cast<std::size_t>(exit.slot)] != 0);
}

const Value* VariableValue(const Pack& pack, const State& state, std::string_view id) {
    const int i = pack.VariableIndex(id);
    if (i < 0 || static_cast<std::size_t>(i) >= state.variables.size()) return nullptr;
    return &state.variables[static_cast<std::size_t>(i)];
}

std::string WhereId(const Pack& pack, const Where& where) {
    switch (where.kind) {
        case Where::Kind::kNowhere:
            return {};
        case Where::Kind::kPlayer:
            return "player";
        case Where::Kind::kPlace:
            return pack.places[static_cast<std::size_t>(where.index)].id;
        case Where::Kind::kPerson:
            return pack.people[static_cast<std::size_t>(where.index)].id;
    }
    return {};
}

// Only what differs from Initial(pack) is written: snapshots stay small and a field the
// pack's author adds later simply starts at its initial value.
json::value StateToJson(const Pack& pack, const State& state) {
    const State initial = Initial(pack);
    json::object o;
    o["format"] = kSnapshotFormat;
    o["world"] = pack.meta.id;
    o["version"] = pack.meta.version;
    o["player"] = state.player >= 0
                      ? json::value(pack.places[static_cast<std::size_t>(state.player)].id)
                      : json::value(nullptr);
    json::object items;
    for (std::size_t i = 0; i < pack.items.size(); ++i) {
        if (state.items[i] != initial.items[i])
            items[pack.items[i].id] = WhereId(pack, state.items[i]);
    }
    o["items"] = std::move(items);
    json::object people;
    json::object trust;
    for (std::size_t i = 0; i < pack.people.size(); ++i) {
        if (state.people[i] != initial.people[i]) {
            people[pack.people[i].id] =
                state.people[i] < 0 ? std::string()
                                    : pack.places[static_cast<std::size_t>(state.people[i])].id;
        }
        if (state.trust[i] != initial.trust[i]) trust[pack.people[i].id] = state.trust[i];
    }
    o["people"] = std::move(people);
    o["trust"] = std::move(trust);
    json::object variables;
    for (std::size_t i = 0; i < pack.variables.size(); ++i) {
        if (state.variables[i] != initial.variables[i]) {
            variables[pack.variables[i].id] = ValueToJson(state.variables[i]);
        }
    }
    o["variables"] = std::move(variables);
    json::array visited;
    for (std::size_t i = 0; i < pack.places.size(); ++i) {
        if (state.visited[i] != 0) visited.emplace_back(pack.places[i].id);
    }
    o["visited"] = std::move(visited);
    json::array fired;
    for (std::size_t i = 0; i < pack.rules.size(); ++i) {
        if (state.fired[i] != 0) fired.emplace_back(pack.rules[i].id);
    }
    o["fired"] = std::move(fired);
    json::object outcomes;
    for (std::size_t i = 0; i < pack.scenes.size(); ++i) {
        if (!state.outcomes[i].empty()) outcomes[pack.scenes[i].id] = state.outcomes[i];
    }
    o["outcomes"] = std::move(outcomes);
    if (state.scene >= 0) {
        const Scene& scene = pack.scenes[static_cast<std::size_t>(state.scene)];
        o["scene"] = {{"id", scene.id},
                      {"node", scene.nodes[static_cast<std::size_t>(state.node)].id}};
    } else {
        o["scene"] = nullptr;
    }
    json::array revealed;
    for (const Place& place : pack.places) {
        for (const Exit& exit : place.exits) {
            if (state.revealed[static_cast<std::size_t>(exit.slot)] != 0) {
                revealed.emplace_back(place.id + "." + exit.direction);
            }
        }
    }
    o["revealed"] = std::move(revealed);
    o["ending"] = state.ending >= 0
                      ? json::value(pack.endings[static_cast<std::size_t>(state.ending)].id)
                      : json::value(nullptr);
    json::object last;
    for (std::size_t slot = 0; slot < state.last_variant.size(); ++slot) {
        if (state.last_variant[slot] >= 0)
            last[pack.TextKey(static_cast<int>(slot))] = state.last_variant[slot];
    }
    o["last_variant"] = std::move(last);
    return o;
}

Result<State> StateFromJson(const Pack& pack, const json::value& j) {
    const json::object* o = j.if_object();
    if (o == nullptr) return Error::Invalid("snapshot: not a JSON object");
    const json::value* format = o->if_contains("format");
    if (format == nullptr || !format->is_int64() || format->as_int64() != kSnapshotFormat) {
        return Error::Invalid("snapshot: unsupported format");
    }
    const json::value* world = o->if_contains("world");
    if (world == nullptr || !world->is_string() || world->as_string() != pack.meta.id) {
        return Error::Conflict("snapshot: taken from another world");
    }
    const json::value* version = o->if_contains("version");
    if (version == nullptr || !version->is_int64() || version->as_int64() != pack.meta.version) {
        return Error::Conflict("snapshot: taken from another version of the world");
    }
    State s = Initial(pack);
    auto str = [](const json::value& v) -> std::string_view {
        return v.is_string() ? std::string_view(v.as_string()) : std::string_view();
    };
    auto bad = [](std::string what) { return Error::Invalid("snapshot: " + what); };

    if (const json::value* player = o->if_contains("player"); player && player->is_string()) {
        s.player = pack.PlaceIndex(str(*player));
        if (s.player < 0) return bad("unknown place '" + std::string(str(*player)) + "'");
    }
    if (const json::object* items = Object(*o, "items")) {
        for (const auto& [id, where] : *items) {
            const int i = pack.ItemIndex(id);
            if (i < 0 || !where.is_string()) return bad("unknown item '" + std::string(id) + "'");
            auto w = WhereFromId(pack, str(where));
            if (!w) return w.error();
            s.items[static_cast<std::size_t>(i)] = *w;
        }
    }
    if (const json::object* people = Object(*o, "people")) {
        for (const auto& [id, place] : *people) {
            const int i = pack.PersonIndex(id);
            if (i < 0 || !place.is_string()) return bad("unknown person '" + std::string(id) + "'");
            const int p = str(place).empty() ? -1 : pack.PlaceIndex(str(place));
            if (p < 0 && !str(place).empty())
                return bad("unknown place '" + std::string(str(place)) + "'");
            s.people[static_cast<std::size_t>(i)] = p;
        }
    }
    if (const json::object* trust = Object(*o, "trust")) {
        for (const auto& [id, n] : *trust) {
            const int i = pack.PersonIndex(id);
            if (i < 0 || !n.is_int64()) return bad("unknown person '" + std::string(id) + "'");
            s.trust[static_cast<std::size_t>(i)] = n.as_int64();
        }
    }
    if (const json::object* variables = Object(*o, "variables")) {
        for (const auto& [id, v] : *variables) {
            const int i = pack.VariableIndex(id);
            if (i < 0) return bad("unknown variable '" + std::string(id) + "'");
            auto value = ValueFromJson(v, pack.variables[static_cast<std::size_t>(i)].type);
            if (!value) return value.error();
            s.variables[static_cast<std::size_t>(i)] = std::move(*value);
        }
    }
    if (const json::array* visited = Array(*o, "visited")) {
        for (const json::value& id : *visited) {
            const int i = pack.PlaceIndex(str(id));
            if (i < 0) return bad("unknown place '" + std::string(str(id)) + "'");
            s.visited[static_cast<std::size_t>(i)] = 1;
        }
    }
    if (const json::array* fired = Array(*o, "fired")) {
        for (const json::value& id : *fired) {
            const int i = pack.RuleIndex(str(id));
            if (i < 0) return bad("unknown rule '" + std::string(str(id)) + "'");
            s.fired[static_cast<std::size_t>(i)] = 1;
        }
    }
    if (const json::object* outcomes = Object(*o, "outcomes")) {
        for (const auto& [id, outcome] : *outcomes) {
            const int i = pack.SceneIndex(id);
            if (i < 0 || !outcome.is_string())
                return bad("unknown scene '" + std::string(id) + "'");
            s.outcomes[static_cast<std::size_t>(i)] = std::string(str(outcome));
        }
    }
    if (const json::object* scene = Object(*o, "scene")) {
        const json::value* id = scene->if_contains("id");
        const json::value* node = scene->if_contains("node");
        s.scene = id ? pack.SceneIndex(str(*id)) : -1;
        if (s.scene < 0) return bad("unknown scene");
        const SceneNode* n =
            node ? pack.scenes[static_cast<std::size_t>(s.scene)].FindNode(str(*node)) : nullptr;
        if (n == nullptr) return bad("unknown scene node");
        s.node = n->index;
    }
    if (const json::array* revealed = Array(*o, "revealed")) {
        for (const json::value& v : *revealed) {
            const std::string_view key = str(v);
            const std::size_t dot = key.rfind('.');
            const Place* place =
                dot == std::string_view::npos ? nullptr : pack.FindPlace(key.substr(0, dot));
            const Exit* exit = place ? place->FindExit(key.substr(dot + 1)) : nullptr;
            if (exit == nullptr) return bad("unknown exit '" + std::string(key) + "'");
            s.revealed[static_cast<std::size_t>(exit->slot)] = 1;
        }
    }
    if (const json::value* ending = o->if_contains("ending"); ending && ending->is_string()) {
        s.ending = pack.EndingIndex(str(*ending));
        if (s.ending < 0) return bad("unknown ending '" + std::string(str(*ending)) + "'");
    }
    if (const json::object* last = Object(*o, "last_variant")) {
        for (const auto& [key, n] : *last) {
            const int slot = pack.TextSlot(key);
            if (slot < 0 || !n.is_int64()) return bad("unknown text '" + std::string(key) + "'");
            s.last_variant[static_cast<std::size_t>(slot)] =
                static_cast<std::int16_t>(n.as_int64());
        }
    }
    return s;
}

}  // namespace tta::world
