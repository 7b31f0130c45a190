#include "tta/world/pack.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <tuple>

namespace tta::world {
namespace {

constexpr std::pair<std::string_view, std::string_view> kDirectionAbbreviations[] = {
    {"n", "north"},      {"s", "south"},      {"e", "east"},       {"w", "west"},
    {"ne", "northeast"}, {"nw", "northwest"}, {"se", "southeast"}, {"sw", "southwest"},
    {"u", "up"},         {"d", "down"},       {"inside", "in"},    {"outside", "out"}};

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "The Harbour" -> "harbour": players rarely type the article.
std::string Phrase(std::string_view s) {
    std::string p = Lower(s);
    for (std::string_view article : {"a ", "an ", "the ", "some "}) {
        if (p.size() > article.size() && p.starts_with(article)) {
            p.erase(0, article.size());
            break;
        }
    }
    return p;
}

std::string IdPhrase(std::string_view id) {
    std::string p(id);
    std::replace(p.begin(), p.end(), '_', ' ');
    return p;
}

// Visits every Text field of a pack (const or not) with its stable key, in one fixed order:
// the order fixes text slots, so it must not depend on anything but the pack's contents.
template <typename P, typename F>
void ForEachText(P& pack, F&& f) {
    f(pack.meta.intro, std::string("world.intro"));
    for (auto& place : pack.places) {
        const std::string base = "places." + place.id + ".";
        f(place.description, base + "description");
        f(place.first_visit, base + "first_visit");
        for (auto& exit : place.exits)
            f(exit.blocked, base + "exits." + exit.direction + ".blocked");
    }
    for (auto& person : pack.people) {
        const std::string base = "people." + person.id + ".";
        f(person.description, base + "description");
        f(person.greeting, base + "greeting");
        for (auto& topic : person.topics) {
            f(topic.text, base + "topics." + topic.id + ".text");
            f(topic.locked, base + "topics." + topic.id + ".locked");
        }
        f(person.default_topic, base + "topics.default.text");
    }
    for (auto& item : pack.items) {
        const std::string base = "items." + item.id + ".";
        f(item.description, base + "description");
        f(item.take_text, base + "take_text");
    }
    for (auto& rule : pack.rules) f(rule.text, "rules." + rule.id + ".text");
    for (auto& scene : pack.scenes) {
        const std::string base = "scenes." + scene.id + ".";
        f(scene.offer, base + "offer");
        for (auto& node : scene.nodes) {
            const std::string nbase = base + "nodes." + node.id + ".";
            f(node.text, nbase + "text");
            for (std::size_t i = 0; i < node.choices.size(); ++i) {
                const std::string cbase = nbase + "choices." + std::to_string(i + 1) + ".";
                f(node.choices[i].text, cbase + "text");
                f(node.choices[i].reply, cbase + "reply");
            }
        }
    }
    for (auto& ending : pack.endings) f(ending.text, "endings." + ending.id + ".text");
}

template <typename T>
const T* Element(const std::vector<T>& v, int index) {
    return index < 0 ? nullptr : &v[static_cast<std::size_t>(index)];
}

}  // namespace

bool IsDirection(std::string_view word) {
    return std::find(std::begin(kDirections), std::end(kDirections), word) != std::end(kDirections);
}

const char* TriggerName(Trigger t) {
    switch (t) {
        case Trigger::kGo:
            return "go";
        case Trigger::kEnter:
            return "enter";
        case Trigger::kTake:
            return "take";
        case Trigger::kDrop:
            return "drop";
        case Trigger::kUse:
            return "use";
        case Trigger::kGive:
            return "give";
        case Trigger::kOpen:
            return "open";
        case Trigger::kExamine:
            return "examine";
        case Trigger::kTalk:
            return "talk";
        case Trigger::kAsk:
            return "ask";
        case Trigger::kLook:
            return "look";
        case Trigger::kReflect:
            return "reflect";
        case Trigger::kBreathe:
            return "breathe";
        case Trigger::kWait:
            return "wait";
        case Trigger::kTurn:
            return "turn";
    }
    return "turn";
}

const char* KindName(Kind k) {
    switch (k) {
        case Kind::kPlace:
            return "place";
        case Kind::kPerson:
            return "person";
        case Kind::kItem:
            return "item";
        case Kind::kVariable:
            return "variable";
        case Kind::kRule:
            return "rule";
        case Kind::kScene:
            return "scene";
        case Kind::kEnding:
            return "ending";
        case Kind::kTopic:
            return "topic";
        case Kind::kDirection:
            return "direction";
    }
    return "place";
}

const Exit* Place::FindExit(std::string_view direction) const {
    for (const Exit& exit : exits) {
        if (exit.direction == direction) return &exit;
    }
    return nullptr;
}

const Topic* Person::FindTopic(std::string_view id) const {
    for (const Topic& topic : topics) {
        if (topic.id == id) return &topic;
    }
    return nullptr;
}

const SceneNode* Scene::FindNode(std::string_view id) const {
    for (const SceneNode& node : nodes) {
        if (node.id == id) return &node;
    }
    return nullptr;
}

std::size_t Pack::Hash::operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
}

int Pack::Lookup(std::string_view id, Kind kind) const {
    auto it = ids_.find(id);
    if (it == ids_.end() || it->second.kind != kind) return -1;
    return it->second.index;
}

int Pack::VariableIndex(std::string_view id) const { return Lookup(id, Kind::kVariable); }
int Pack::PlaceIndex(std::string_view id) const { return Lookup(id, Kind::kPlace); }
int Pack::PersonIndex(std::string_view id) const { return Lookup(id, Kind::kPerson); }
int Pack::ItemIndex(std::string_view id) const { return Lookup(id, Kind::kItem); }
int Pack::RuleIndex(std::string_view id) const { return Lookup(id, Kind::kRule); }
int Pack::SceneIndex(std::string_view id) const { return Lookup(id, Kind::kScene); }
int Pack::EndingIndex(std::string_view id) const { return Lookup(id, Kind::kEnding); }

const Variable* Pack::FindVariable(std::string_view id) const {
    return Element(variables, VariableIndex(id));
}
const Place* Pack::FindPlace(std::string_view id) const { return Element(places, PlaceIndex(id)); }
const Person* Pack::FindPerson(std::string_view id) const {
    return Element(people, PersonIndex(id));
}
const Item* Pack::FindItem(std::string_view id) const { return Element(items, ItemIndex(id)); }
const Rule* Pack::FindRule(std::string_view id) const { return Element(rules, RuleIndex(id)); }
const Scene* Pack::FindScene(std::string_view id) const { return Element(scenes, SceneIndex(id)); }
const Ending* Pack::FindEnding(std::string_view id) const {
    return Element(endings, EndingIndex(id));
}

std::optional<Kind> Pack::KindOf(std::string_view id) const {
    auto it = ids_.find(id);
    if (it == ids_.end()) return std::nullopt;
    return it->second.kind;
}

const Text* Pack::FindText(std::string_view key) const {
    const Text* found = nullptr;
    ForEachText(*this, [&](const Text& text, const std::string& k) {
        if (found == nullptr && k == key) found = &text;
    });
    return found;
}

int Pack::TextSlot(std::string_view key) const {
    auto it = text_slots_.find(key);
    return it == text_slots_.end() ? -1 : it->second;
}

const std::string& Pack::TextKey(int slot) const {
    return text_keys_[static_cast<std::size_t>(slot)];
}

Diagnostic Pack::At(const SourcePos& pos, std::string message) const {
    Diagnostic d;
    if (pos.file >= 0 && static_cast<std::size_t>(pos.file) < files.size()) {
        d.file = files[static_cast<std::size_t>(pos.file)];
    }
    d.line = pos.line;
    d.col = pos.col;
    d.message = std::move(message);
    return d;
}

std::vector<std::string> Pack::BuildIndex() {
    std::vector<std::string> duplicates;
    ids_.clear();
    auto add = [&](const std::string& id, Kind kind, int index) {
        if (!ids_.emplace(id, Entry{kind, index}).second) duplicates.push_back(id);
    };
    auto number = [&](auto& elements, Kind kind) {
        for (std::size_t i = 0; i < elements.size(); ++i) {
            elements[i].index = static_cast<int>(i);
            add(elements[i].id, kind, static_cast<int>(i));
        }
    };
    for (std::size_t i = 0; i < variables.size(); ++i) {
        add(variables[i].id, Kind::kVariable, static_cast<int>(i));
    }
    number(places, Kind::kPlace);
    number(people, Kind::kPerson);
    number(items, Kind::kItem);
    number(rules, Kind::kRule);
    number(scenes, Kind::kScene);
    number(endings, Kind::kEnding);
    for (Scene& scene : scenes) {
        for (std::size_t i = 0; i < scene.nodes.size(); ++i) {
            scene.nodes[i].index = static_cast<int>(i);
        }
    }

    exit_slots = 0;
    for (Place& place : places) {
        for (Exit& exit : place.exits) exit.slot = exit_slots++;
    }
    text_slots = 0;
    text_slots_.clear();
    text_keys_.clear();
    ForEachText(*this, [&](Text& text, std::string key) {
        text.key = std::move(key);
        text.slot = text_slots++;
        text_slots_.emplace(text.key, text.slot);
        text_keys_.push_back(text.key);
    });

    vocabulary.terms.clear();
    auto term = [&](std::string phrase, Kind kind, const std::string& id,
                    const std::string& owner = {}) {
        if (!phrase.empty()) vocabulary.terms.push_back({std::move(phrase), kind, id, owner});
    };
    auto named = [&](const auto& elements, Kind kind) {
        for (const auto& e : elements) {
            term(Phrase(e.name), kind, e.id);
            term(IdPhrase(e.id), kind, e.id);
            for (const std::string& alias : e.aliases) term(Lower(alias), kind, e.id);
        }
    };
    named(places, Kind::kPlace);
    named(people, Kind::kPerson);
    named(items, Kind::kItem);
    for (const Person& person : people) {
        for (const Topic& topic : person.topics) {
            term(IdPhrase(topic.id), Kind::kTopic, topic.id, person.id);
            for (const std::string& alias : topic.aliases) {
                term(Lower(alias), Kind::kTopic, topic.id, person.id);
            }
        }
    }
    for (std::string_view dir : kDirections) {
        term(std::string(dir), Kind::kDirection, std::string(dir));
    }
    for (const auto& [abbrev, dir] : kDirectionAbbreviations) {
        term(std::string(abbrev), Kind::kDirection, std::string(dir));
    }
    auto key = [](const Term& t) { return std::tie(t.phrase, t.kind, t.id, t.owner); };
    std::sort(vocabulary.terms.begin(), vocabulary.terms.end(),
              [&](const Term& a, const Term& b) { return key(a) < key(b); });
    vocabulary.terms.erase(
        std::unique(vocabulary.terms.begin(), vocabulary.terms.end(),
                    [&](const Term& a, const Term& b) { return key(a) == key(b); }),
        vocabulary.terms.end());
    return duplicates;
}

}  // namespace tta::world
