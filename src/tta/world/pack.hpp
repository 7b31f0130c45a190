// tta::world packs: a world as authored in YAML (docs/worlds.md), loaded once into an
// immutable graph of places, people, items, variables, rules, scenes and endings, and shared
// by every session as `std::shared_ptr<const Pack>`. Per-session change lives in State
// (state.hpp); nothing here changes after loading.
//
// Elements are kept in vectors in file order; a session's State refers to them by index
// (fast, small), while effects, events and snapshots name them by id (stable across pack
// versions). `Find*` and `*Index` translate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tta/world/diagnostic.hpp"
#include "tta/world/expr.hpp"
#include "tta/world/value.hpp"

namespace tta::world {

// A text field: one Mustache template, or several variants of which one is shown each time
// (chosen with the session's seeded RNG, never the one shown last). `key` names the field
// stably ("places.harbour.description"); `slot` indexes State::last_variant.
struct Text {
    std::vector<std::string> variants;
    std::string key;
    int slot = -1;
    SourcePos pos;

    bool empty() const { return variants.empty(); }
};

struct Metadata {
    std::string id;
    std::string title;
    int version = 1;
    std::string summary;
    std::vector<std::string> therapeutic_focus;
    std::vector<std::string> techniques;  // therapy catalogue ids: box_breathing, ...
    std::vector<std::string> content_notes;
    std::string age_guidance;
    std::string locale = "en";
    std::string start;  // place id
    int start_index = -1;
    Text intro;
    SourcePos pos;
};

struct Variable {
    std::string id;
    VarType type = VarType::kFlag;
    Value initial = false;
    std::optional<std::int64_t> min;  // numbers only; values are clamped
    std::optional<std::int64_t> max;
    std::vector<std::string> values;  // strings only; when non-empty, the allowed values
    bool builtin = false;             // `turns` and `stress` exist in every pack
    SourcePos pos;
};

// The ids of the two variables every pack has.
inline constexpr std::string_view kTurnsVariable = "turns";
inline constexpr std::string_view kStressVariable = "stress";

// The twelve directions, in the order places list their exits when they list them all.
inline constexpr std::string_view kDirections[] = {
    "north",     "south",     "east", "west", "northeast", "northwest",
    "southeast", "southwest", "up",   "down", "in",        "out"};
bool IsDirection(std::string_view word);

struct Exit {
    std::string direction;  // one of kDirections
    std::string to;         // place id
    int to_index = -1;
    std::string name;     // how the exit is described; empty: use the destination's name
    Condition when;       // when false the exit is blocked
    Text blocked;         // said when blocked; empty: a generic line from the narrator
    bool hidden = false;  // unusable and unlisted until revealed
    int slot = -1;        // index into State::revealed (every exit has one)
    SourcePos pos;
};

struct Place {
    std::string id;
    int index = -1;
    std::string name;
    std::vector<std::string> aliases;
    Text description;
    Text first_visit;  // replaces description on the first arrival when present
    std::vector<Exit> exits;
    bool ending = false;  // play may stop here; need not have exits
    SourcePos pos;

    const Exit* FindExit(std::string_view direction) const;
};

struct Topic {
    std::string id;
    std::vector<std::string> aliases;
    Text text;
    Condition when;
    Text locked;  // said when `when` is false; empty: treated like an unknown topic
    Script effects;
    SourcePos pos;
};

struct Pronouns {
    std::string they = "they";
    std::string them = "them";
    std::string their = "their";
};

struct Person {
    std::string id;
    int index = -1;
    std::string name;
    std::vector<std::string> aliases;
    std::string pronouns_source = "they/them";
    Pronouns pronouns;
    std::string location;  // starting place id; empty: not yet present
    int location_index = -1;
    Text description;
    Text greeting;
    std::int64_t trust = 0;
    std::vector<Topic> topics;  // in file order, without `default`
    Text default_topic;         // the `default` topic's text: said for topics they do not know
    std::string scene;          // started by `talk to` instead of the greeting while not done
    int scene_index = -1;
    SourcePos pos;

    const Topic* FindTopic(std::string_view id) const;
};

// Where an item is. Pack items start where the YAML says; State tracks changes.
struct Where {
    enum class Kind : std::uint8_t { kNowhere, kPlace, kPerson, kPlayer };
    Kind kind = Kind::kNowhere;
    int index = -1;  // place or person index
    friend bool operator==(const Where&, const Where&) = default;
};

struct Item {
    std::string id;
    int index = -1;
    std::string name;
    std::vector<std::string> aliases;
    Text description;
    Where location;
    bool portable = true;
    Text take_text;
    SourcePos pos;
};

// What a rule reacts to: `on: use matches on lantern`. Empty object/target match anything
// (`any` in the source).
enum class Trigger {
    kGo,     // go PLACE: the player moves to PLACE by an exit
    kEnter,  // enter PLACE: the player arrives at PLACE by any means
    kTake,
    kDrop,
    kUse,
    kGive,  // give ITEM to PERSON
    kOpen,
    kExamine,  // examine THING (place, person or item)
    kTalk,
    kAsk,  // ask PERSON about TOPIC
    kLook,
    kReflect,
    kBreathe,
    kWait,
    kTurn,  // after every turn
};
const char* TriggerName(Trigger t);

struct Pattern {
    Trigger trigger = Trigger::kTurn;
    std::string object;  // id, or empty for any
    std::string target;  // id (or topic word for kAsk), or empty for any
};

struct Rule {
    std::string id;
    int index = -1;
    std::string on_source;
    Pattern on;
    Condition when;
    Script effects;
    Text text;
    bool once = false;
    bool then_continue = false;  // `then: continue`: the default action still happens
    SourcePos pos;
};

struct Choice {
    Text text;  // the label the player picks
    Condition when;
    Script effects;
    Text reply;         // said after choosing
    std::string go_to;  // next node id; empty with `end` to finish
    int go_to_index = -1;
    std::string end;  // outcome when this choice ends the scene: completed, declined, ...
    SourcePos pos;
};

struct SceneNode {
    std::string id;
    int index = -1;
    Text text;
    Script effects;  // run when the node is shown
    std::vector<Choice> choices;
    std::string end;  // outcome when the scene ends at this node (no choices needed)
    SourcePos pos;
};

struct Scene {
    std::string id;
    int index = -1;
    std::string technique;  // therapy catalogue id; non-empty makes this a therapeutic beat
    std::string person;
    int person_index = -1;
    std::string place;
    int place_index = -1;
    Condition when;
    Text offer;
    // What the scene touches that a player may ask to avoid ("the sea", "heights"); the beat
    // planner does not offer it to someone avoiding one of them.
    std::vector<std::string> content_tags;
    std::string start;
    int start_index = -1;
    std::vector<SceneNode> nodes;
    SourcePos pos;

    const SceneNode* FindNode(std::string_view id) const;
};

struct Ending {
    std::string id;
    int index = -1;
    std::string title;
    Condition when;
    Text text;
    SourcePos pos;
};

// Every kind of thing an id or a word can name.
enum class Kind { kPlace, kPerson, kItem, kVariable, kRule, kScene, kEnding, kTopic, kDirection };
const char* KindName(Kind k);

// One word or phrase a player may type, and what it refers to: names (without a leading
// "a", "an", "the"), aliases, and ids with '_' read as ' '; all lowercase. Topics carry the
// person who knows them in `owner`. The input stage matches typed words against these.
struct Term {
    std::string phrase;
    Kind kind = Kind::kPlace;
    std::string id;
    std::string owner;
};

struct Vocabulary {
    std::vector<Term> terms;  // sorted by phrase, then kind, then id
};

struct Pack {
    Metadata meta;
    std::vector<Variable> variables;  // `turns` and `stress` first
    std::vector<Place> places;
    std::vector<Person> people;
    std::vector<Item> items;
    std::vector<Rule> rules;
    std::vector<Scene> scenes;
    std::vector<Ending> endings;
    std::vector<std::string> files;  // source files, indexed by SourcePos::file
    Vocabulary vocabulary;
    int text_slots = 0;  // number of Text fields (sizes State::last_variant)
    int exit_slots = 0;  // number of exits (sizes State::revealed)

    const Variable* FindVariable(std::string_view id) const;
    const Place* FindPlace(std::string_view id) const;
    const Person* FindPerson(std::string_view id) const;
    const Item* FindItem(std::string_view id) const;
    const Rule* FindRule(std::string_view id) const;
    const Scene* FindScene(std::string_view id) const;
    const Ending* FindEnding(std::string_view id) const;
    // -1 when there is no such element.
    int VariableIndex(std::string_view id) const;
    int PlaceIndex(std::string_view id) const;
    int PersonIndex(std::string_view id) const;
    int ItemIndex(std::string_view id) const;
    int RuleIndex(std::string_view id) const;
    int SceneIndex(std::string_view id) const;
    int EndingIndex(std::string_view id) const;
    // What an id names (ids are unique across places, people, items, variables, rules,
    // scenes and endings); nullopt when nothing.
    std::optional<Kind> KindOf(std::string_view id) const;
    // A Text field by its key ("people.mira.topics.lamp.text"); nullptr when none.
    const Text* FindText(std::string_view key) const;
    // The slot of a Text field by its key; -1 when none. Constant time.
    int TextSlot(std::string_view key) const;
    // The key of a text slot (0 <= slot < text_slots).
    const std::string& TextKey(int slot) const;
    // The file:line:col of a position, for diagnostics.
    Diagnostic At(const SourcePos& pos, std::string message) const;

    // Numbers elements, text slots and exit slots, fills the id index and the vocabulary.
    // The loader calls it once the elements are in place (and so do tests that build packs
    // by hand). Returns the ids that are defined twice (the first definition wins).
    std::vector<std::string> BuildIndex();

  private:
    struct Entry {
        Kind kind;
        int index;
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept;
    };
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> ids_;
    std::unordered_map<std::string, int, Hash, std::equal_to<>> text_slots_;
    std::vector<std::string> text_keys_;
    int Lookup(std::string_view id, Kind kind) const;
};

}  // namespace tta::world
