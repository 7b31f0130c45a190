// The world-building stage (WBA). One Turn object per call: it owns the working state (a copy
// of the session's), applies each effect as it is produced so later checks see it, and
// records events for the narrator. Order within a turn (docs/worlds.md, "How a turn runs"):
// the action and its rules, then arrival, scenes, `turn` rules, endings.
#include "tta/world/simulator.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace tta::world {
namespace {

// Guards against rules that move the player back and forth or scenes that start each other
// forever: after this many arrivals or scene nodes in one turn the turn simply stops there.
constexpr int kMaxChain = 16;

class Turn {
  public:
    Turn(const Pack& pack, const State& state, Rng& rng) : pack_(pack), rng_(rng) {
        out_.state = state;
        settled_player_ = state.player;
        settled_scene_ = state.scene;
        settled_node_ = state.node;
        settled_ending_ = state.ending;
    }

    Outcome Finish() && {
        out_.ended = out_.state.ending >= 0;
        // A check-in is asked once, after everything the turn said (the question is the text of
        // whatever ran check_in(); the engine then awaits the answer).
        for (auto e = out_.effects.rbegin(); e != out_.effects.rend(); ++e) {
            if (e->kind == EffectKind::kCheckIn) {
                Say(EventKind::kCheckIn, e->subject);
                break;
            }
        }
        return std::move(out_);
    }

    State& S() { return out_.state; }

    void Emit(Effect e) {
        (void)Apply(pack_, out_.state, e);
        out_.effects.push_back(std::move(e));
    }

    Event& Say(EventKind kind, std::string subject = {}, std::string object = {}) {
        Event e;
        e.kind = kind;
        e.subject = std::move(subject);
        e.object = std::move(object);
        out_.events.push_back(std::move(e));
        return out_.events.back();
    }

    void Attach(Event& e, const Text& text) {
        if (text.empty()) return;
        e.text = &text;
        e.variant = Pick(text);
    }

    // A variant other than the one shown last time (when there is more than one).
    int Pick(const Text& text) {
        const int n = static_cast<int>(text.variants.size());
        if (n <= 1 || text.slot < 0) return 0;
        const int last = S().last_variant[static_cast<std::size_t>(text.slot)];
        int v = 0;
        if (last >= 0 && last < n) {
            v = static_cast<int>(rng_.Below(static_cast<std::uint64_t>(n - 1)));
            if (v >= last) ++v;
        } else {
            v = static_cast<int>(rng_.Below(static_cast<std::uint64_t>(n)));
        }
        Emit({EffectKind::kTextShown, text.key, {}, false, v});
        return v;
    }

    void Nothing(std::string_view reason, std::string object = {}) {
        Event& e = Say(EventKind::kNothingHappens, {}, std::move(object));
        e.reason = std::string(reason);
    }

    EvalContext Ctx() { return {pack_, out_.state, &rng_}; }

    // ---- rules ----

    static bool Matches(const std::string& pattern, std::string_view value) {
        return pattern.empty() || pattern == value;
    }

    bool PatternMatches(const Pattern& p, Trigger trigger, std::string_view object,
                        std::string_view target) const {
        if (p.trigger != trigger) return false;
        return Matches(p.object, object) && Matches(p.target, target);
    }

    // The rules for this action, in order, up to and including the first without
    // `then: continue`. Conditions are read now, before the action changes anything.
    struct Selection {
        std::vector<const Rule*> rules;
        bool replaces_default = false;
    };

    Selection Select(Trigger trigger, std::string_view object = {}, std::string_view target = {}) {
        Selection sel;
        for (const Rule& rule : pack_.rules) {
            if (!PatternMatches(rule.on, trigger, object, target)) continue;
            if (rule.once && S().fired[static_cast<std::size_t>(rule.index)] != 0) continue;
            if (!rule.when.Holds(Ctx())) continue;
            sel.rules.push_back(&rule);
            if (!rule.then_continue) {
                sel.replaces_default = true;
                break;
            }
        }
        return sel;
    }

    void Fire(const Rule& rule) {
        if (S().fired[static_cast<std::size_t>(rule.index)] == 0) {
            Emit({EffectKind::kRuleFired, rule.id, {}, false, 0});
        }
        rule.effects.Run(pack_, S(), &rng_, out_.effects);
        if (!rule.text.empty()) Attach(Say(EventKind::kRuleText, rule.id), rule.text);
    }

    void FireAll(const Selection& sel) {
        for (const Rule* rule : sel.rules) Fire(*rule);
    }

    // Rules first; the default action unless a rule replaced it; then the `continue` rules
    // (so their text follows the action's).
    template <typename F>
    void WithRules(Trigger trigger, std::string_view object, std::string_view target,
                   F&& default_action) {
        const Selection sel = Select(trigger, object, target);
        if (sel.replaces_default) {
            FireAll(sel);
            return;
        }
        default_action();
        FireAll(sel);
    }

    // ---- settling: arrival, scenes, endings ----

    void Settle() {
        for (int guard = 0; guard < kMaxChain; ++guard) {
            if (S().ending >= 0) break;
            if (S().player != settled_player_) {
                settled_player_ = S().player;
                Arrive();
                continue;
            }
            if (S().scene >= 0 && (S().scene != settled_scene_ || S().node != settled_node_)) {
                settled_scene_ = S().scene;
                settled_node_ = S().node;
                ShowNode();
                continue;
            }
            settled_scene_ = S().scene;
            settled_node_ = S().node;
            break;
        }
        if (S().ending >= 0 && settled_ending_ < 0) {
            settled_ending_ = S().ending;
            const Ending& ending = pack_.endings[static_cast<std::size_t>(S().ending)];
            Attach(Say(EventKind::kEnding, ending.id), ending.text);
        }
    }

    void Arrive() {
        const Place& place = pack_.places[static_cast<std::size_t>(S().player)];
        const bool first = S().visited[static_cast<std::size_t>(place.index)] == 0;
        if (first) Emit({EffectKind::kVisit, place.id, {}, false, 0});
        Event& e = Say(EventKind::kArrived, place.id);
        e.first_visit = first;
        Attach(e, first && !place.first_visit.empty() ? place.first_visit : place.description);
        FireAll(Select(Trigger::kEnter, place.id));
    }

    void ShowNode() {
        const Scene& scene = pack_.scenes[static_cast<std::size_t>(S().scene)];
        const SceneNode& node = scene.nodes[static_cast<std::size_t>(S().node)];
        node.effects.Run(pack_, S(), &rng_, out_.effects);
        Event& e = Say(EventKind::kSceneNode, scene.id, node.id);
        Attach(e, node.text);
        if (!node.end.empty()) {
            EndScene(scene, node.end);
            return;
        }
        // Choices as the player will see them, in the state after the node's effects.
        out_.events.back().choices = AvailableChoices(pack_, S());
    }

    // The open node again, for a player who comes back to a paused scene: its text and
    // choices, without running its effects a second time.
    void RepeatNode() {
        const Scene& scene = pack_.scenes[static_cast<std::size_t>(S().scene)];
        const SceneNode& node = scene.nodes[static_cast<std::size_t>(S().node)];
        Event& e = Say(EventKind::kSceneNode, scene.id, node.id);
        Attach(e, node.text);
        out_.events.back().choices = AvailableChoices(pack_, S());
    }

    void EndScene(const Scene& scene, const std::string& outcome) {
        Emit({EffectKind::kSceneEnded, scene.id, outcome, false, 0});
        Say(EventKind::kSceneEnded, scene.id, outcome);
        settled_scene_ = -1;
        settled_node_ = -1;
    }

    void StartSceneNow(const Scene& scene) {
        if (scene.start_index < 0) return;
        Emit({EffectKind::kSceneStarted, scene.id, scene.start, false, 0});
        settled_scene_ = -2;  // force the first node to show even if it was open before
    }

    void TurnRules() {
        FireAll(Select(Trigger::kTurn));
        Settle();
    }

    void CheckEndings() {
        if (S().ending >= 0) return;
        for (const Ending& ending : pack_.endings) {
            if (ending.when.empty()) continue;
            if (ending.when.Holds({pack_, S(), nullptr})) {
                Emit({EffectKind::kEndingReached, ending.id, {}, false, 0});
                break;
            }
        }
        Settle();
    }

    // ---- actions ----

    bool ItemPresent(int item) const {
        const Where& w = out_.state.items[static_cast<std::size_t>(item)];
        return w.kind == Where::Kind::kPlayer ||
               (w.kind == Where::Kind::kPlace && w.index == out_.state.player);
    }
    bool PersonPresent(int person) const {
        return out_.state.people[static_cast<std::size_t>(person)] == out_.state.player;
    }
    // Any place, person or item id the player can refer to right now.
    bool Present(const std::string& id) const {
        if (int i = pack_.ItemIndex(id); i >= 0) return ItemPresent(i);
        if (int p = pack_.PersonIndex(id); p >= 0) return PersonPresent(p);
        if (int p = pack_.PlaceIndex(id); p >= 0) return p == out_.state.player;
        return false;
    }

    void Look(const Action& a) {
        if (!a.object.empty()) {
            Examine(a.object);
            return;
        }
        WithRules(Trigger::kLook, {}, {}, [&] {
            const Place& place = PlayerPlace(pack_, S());
            Attach(Say(EventKind::kLook, place.id), place.description);
        });
    }

    void Go(const Action& a) {
        const Place& here = PlayerPlace(pack_, S());
        const Exit* exit = nullptr;
        std::string words = a.direction.empty() ? a.object : a.direction;
        if (!a.direction.empty()) {
            exit = here.FindExit(a.direction);
        } else if (!a.object.empty()) {
            if (a.object == here.id) {
                Nothing(reason::kAlreadyHere, here.id);
                return;
            }
            for (const Exit& x : here.exits) {
                if (x.to == a.object && ExitVisible(S(), x)) {
                    exit = &x;
                    break;
                }
            }
        }
        if (exit == nullptr || !ExitVisible(S(), *exit) || exit->to_index < 0) {
            Say(EventKind::kNoExit, here.id, words);
            return;
        }
        WithRules(Trigger::kGo, exit->to, {}, [&] {
            if (!exit->when.Holds(Ctx())) {
                Attach(Say(EventKind::kExitBlocked, here.id, exit->direction), exit->blocked);
                return;
            }
            Emit({EffectKind::kMovePlayer, exit->to, {}, false, 0});
        });
    }

    void Take(const Action& a) {
        const int i = pack_.ItemIndex(a.object);
        if (a.object.empty()) return Nothing(reason::kMissingObject);
        if (i < 0) {
            Say(EventKind::kNotHere, {}, a.object);
            return;
        }
        if (Carries(S(), i)) {
            Say(EventKind::kAlreadyCarried, a.object);
            return;
        }
        if (!ItemPresent(i)) {
            Say(EventKind::kNotHere, {}, a.object);
            return;
        }
        const Item& item = pack_.items[static_cast<std::size_t>(i)];
        WithRules(Trigger::kTake, item.id, {}, [&] {
            if (!item.portable) {
                Say(EventKind::kNotPortable, item.id);
                return;
            }
            Emit({EffectKind::kMoveItem, item.id, "player", false, 0});
            Attach(Say(EventKind::kTook, item.id), item.take_text);
        });
    }

    // The item must be carried (drop, give).
    const Item* Carried(const std::string& id) {
        if (id.empty()) {
            Nothing(reason::kMissingObject);
            return nullptr;
        }
        const int i = pack_.ItemIndex(id);
        if (i < 0) {
            Say(EventKind::kNotHere, {}, id);
            return nullptr;
        }
        if (!Carries(S(), i)) {
            Say(EventKind::kNotCarried, id);
            return nullptr;
        }
        return &pack_.items[static_cast<std::size_t>(i)];
    }

    void Drop(const Action& a) {
        const Item* item = Carried(a.object);
        if (item == nullptr) return;
        WithRules(Trigger::kDrop, item->id, {}, [&] {
            Emit({EffectKind::kMoveItem, item->id, PlayerPlace(pack_, S()).id, false, 0});
            Say(EventKind::kDropped, item->id);
        });
    }

    // The person must be here; an empty id means "whoever is here" when that is one person.
    const Person* Addressee(const std::string& id) {
        if (id.empty()) {
            const std::vector<int> here = PeopleAt(S(), S().player);
            if (here.size() == 1) return &pack_.people[static_cast<std::size_t>(here[0])];
            Say(EventKind::kNobodyHere);
            return nullptr;
        }
        const int p = pack_.PersonIndex(id);
        if (p < 0) {
            if (Present(id)) {
                Nothing(reason::kNotPerson, id);
            } else {
                Say(EventKind::kNobodyHere, {}, id);
            }
            return nullptr;
        }
        if (!PersonPresent(p)) {
            Say(EventKind::kNotHere, {}, id);
            return nullptr;
        }
        return &pack_.people[static_cast<std::size_t>(p)];
    }

    void Give(const Action& a) {
        const Item* item = Carried(a.object);
        if (item == nullptr) return;
        if (a.target.empty()) return Nothing(reason::kMissingObject, item->id);
        const int p = pack_.PersonIndex(a.target);
        if (p < 0) {
            Present(a.target) ? Nothing(reason::kNotPerson, a.target)
                              : (void)Say(EventKind::kNotHere, {}, a.target);
            return;
        }
        if (!PersonPresent(p)) {
            Say(EventKind::kNotHere, {}, a.target);
            return;
        }
        // Without a rule, people politely decline: a world should never lose a key item to a
        // stray `give`. When a rule hands the item over, say so before the rule's own text.
        const std::size_t mark = out_.events.size();
        WithRules(Trigger::kGive, item->id, a.target,
                  [&] { Nothing(reason::kNotWanted, a.target); });
        if (S().items[static_cast<std::size_t>(item->index)] == Where{Where::Kind::kPerson, p}) {
            Event gave;
            gave.kind = EventKind::kGave;
            gave.subject = item->id;
            gave.object = a.target;
            out_.events.insert(out_.events.begin() + static_cast<std::ptrdiff_t>(mark),
                               std::move(gave));
        }
    }

    void Use(const Action& a, Trigger trigger) {
        if (a.object.empty()) return Nothing(reason::kMissingObject);
        if (!Present(a.object)) {
            Say(EventKind::kNotHere, {}, a.object);
            return;
        }
        if (!a.target.empty() && !Present(a.target)) {
            Say(EventKind::kNotHere, {}, a.target);
            return;
        }
        // Using and opening have no default of their own: any rule that fires is the action.
        const Selection sel = Select(trigger, a.object, a.target);
        if (sel.rules.empty()) return Nothing(reason::kNoEffect, a.object);
        FireAll(sel);
    }

    void Examine(const std::string& id) {
        if (id.empty()) return Nothing(reason::kMissingObject);
        if (!Present(id)) {
            Say(EventKind::kNotHere, {}, id);
            return;
        }
        WithRules(Trigger::kExamine, id, {}, [&] {
            Event& e = Say(EventKind::kExamined, id);
            if (const Item* item = pack_.FindItem(id)) {
                Attach(e, item->description);
            } else if (const Person* person = pack_.FindPerson(id)) {
                Attach(e, person->description);
            } else if (const Place* place = pack_.FindPlace(id)) {
                Attach(e, place->description);
            }
        });
    }

    void Talk(const Action& a) {
        const Person* person = Addressee(a.object);
        if (person == nullptr) return;
        WithRules(Trigger::kTalk, person->id, {}, [&] {
            if (person->scene_index >= 0 &&
                S().outcomes[static_cast<std::size_t>(person->scene_index)].empty()) {
                const Scene& scene = pack_.scenes[static_cast<std::size_t>(person->scene_index)];
                if (S().scene != scene.index) {
                    StartSceneNow(scene);
                } else {
                    RepeatNode();
                }
                return;
            }
            Attach(Say(EventKind::kGreeting, person->id), person->greeting);
        });
    }

    void Ask(const Action& a) {
        const Person* person = Addressee(a.object);
        if (person == nullptr) return;
        WithRules(Trigger::kAsk, person->id, a.topic, [&] {
            const Topic* topic = person->FindTopic(a.topic);
            if (topic != nullptr && topic->when.Holds(Ctx())) {
                Attach(Say(EventKind::kTopic, person->id, topic->id), topic->text);
                topic->effects.Run(pack_, S(), &rng_, out_.effects);
                return;
            }
            if (topic != nullptr && !topic->locked.empty()) {
                Attach(Say(EventKind::kTopicLocked, person->id, topic->id), topic->locked);
                return;
            }
            Attach(Say(EventKind::kUnknownTopic, person->id, a.topic), person->default_topic);
        });
    }

    void Choose(const Action& a) {
        if (S().scene < 0) return Nothing(reason::kNoScene);
        const std::vector<int> available = AvailableChoices(pack_, S());
        if (a.choice < 1 || static_cast<std::size_t>(a.choice) > available.size()) {
            Event& e = Say(EventKind::kNothingHappens);
            e.reason = std::string(reason::kNoSuchChoice);
            e.number = a.choice;
            return;
        }
        const Scene& scene = pack_.scenes[static_cast<std::size_t>(S().scene)];
        const SceneNode& node = scene.nodes[static_cast<std::size_t>(S().node)];
        const int index = available[static_cast<std::size_t>(a.choice - 1)];
        const Choice& choice = node.choices[static_cast<std::size_t>(index)];
        choice.effects.Run(pack_, S(), &rng_, out_.effects);
        if (!choice.reply.empty()) {
            Event& e = Say(EventKind::kChoiceReply, scene.id, node.id);
            e.number = index;
            Attach(e, choice.reply);
        }
        // The effects may have ended the story or replaced the scene.
        if (S().ending >= 0 || S().scene != scene.index || S().node != node.index) return;
        if (!choice.end.empty()) {
            EndScene(scene, choice.end);
        } else if (choice.go_to_index >= 0) {
            Emit({EffectKind::kSceneAdvanced, scene.id, choice.go_to, false, 0});
        }
    }

    void Simple(Trigger trigger, std::string_view object, EventKind kind) {
        WithRules(trigger, object, {}, [&] { Say(kind, {}, std::string(object)); });
    }

    void Breathe() {
        WithRules(Trigger::kBreathe, {}, {}, [&] {
            Say(EventKind::kBreathed);
            // A slow breath helps a little, inside the story as outside it.
            const int stress = pack_.VariableIndex(kStressVariable);
            const Variable& v = pack_.variables[static_cast<std::size_t>(stress)];
            const std::int64_t now =
                std::get<std::int64_t>(S().variables[static_cast<std::size_t>(stress)]);
            std::int64_t next = now - 1;
            if (v.min && next < *v.min) next = *v.min;
            if (next != now) Emit({EffectKind::kSetVariable, v.id, {}, next, 0});
        });
    }

    void Do(const Action& a) {
        switch (a.verb) {
            case Verb::kLook:
                return Look(a);
            case Verb::kGo:
                return Go(a);
            case Verb::kTake:
                return Take(a);
            case Verb::kDrop:
                return Drop(a);
            case Verb::kGive:
                return Give(a);
            case Verb::kUse:
                return Use(a, Trigger::kUse);
            case Verb::kOpen:
                return Use(a, Trigger::kOpen);
            case Verb::kExamine:
                return Examine(a.object);
            case Verb::kTalk:
                return Talk(a);
            case Verb::kAsk:
                return Ask(a);
            case Verb::kInventory: {
                Event& e = Say(EventKind::kInventory);
                for (int i : Inventory(S()))
                    e.ids.push_back(pack_.items[static_cast<std::size_t>(i)].id);
                return;
            }
            case Verb::kChoose:
                return Choose(a);
            case Verb::kReflect:
                return Simple(Trigger::kReflect, a.emotion, EventKind::kReflected);
            case Verb::kBreathe:
                return Breathe();
            case Verb::kWait:
                return Simple(Trigger::kWait, {}, EventKind::kWaited);
        }
    }

    const Pack& pack_;
    Rng& rng_;
    Outcome out_;
    int settled_player_ = -1;
    int settled_scene_ = -1;
    int settled_node_ = -1;
    int settled_ending_ = -1;
};

}  // namespace

std::string_view Event::Source() const {
    if (text == nullptr || variant < 0 ||
        static_cast<std::size_t>(variant) >= text->variants.size()) {
        return {};
    }
    return text->variants[static_cast<std::size_t>(variant)];
}

Outcome Begin(const Pack& pack, const State& state, Rng& rng) {
    Turn turn(pack, state, rng);
    if (!pack.meta.intro.empty()) turn.Attach(turn.Say(EventKind::kIntro), pack.meta.intro);
    turn.Arrive();
    turn.Settle();
    turn.CheckEndings();
    return std::move(turn).Finish();
}

Outcome Resolve(const Pack& pack, const State& state, const Action& action, Rng& rng) {
    Turn turn(pack, state, rng);
    if (state.ending >= 0) {
        turn.Nothing(reason::kStoryOver);
        return std::move(turn).Finish();
    }
    turn.Emit({EffectKind::kTurn, {}, {}, false, 0});
    turn.Do(action);
    turn.Settle();
    if (turn.S().ending < 0) turn.TurnRules();
    turn.CheckEndings();
    return std::move(turn).Finish();
}

Outcome StartScene(const Pack& pack, const State& state, std::string_view scene, Rng& rng) {
    Turn turn(pack, state, rng);
    const Scene* s = pack.FindScene(scene);
    if (s == nullptr || state.scene >= 0 || state.ending >= 0 || s->start_index < 0) {
        turn.Nothing(reason::kNoScene, std::string(scene));
        return std::move(turn).Finish();
    }
    if (!s->offer.empty()) turn.Attach(turn.Say(EventKind::kSceneOffered, s->id), s->offer);
    turn.StartSceneNow(*s);
    turn.Settle();
    turn.CheckEndings();
    return std::move(turn).Finish();
}

std::vector<int> OfferableScenes(const Pack& pack, const State& state) {
    std::vector<int> out;
    if (state.scene >= 0 || state.ending >= 0) return out;
    for (const Scene& scene : pack.scenes) {
        if (scene.technique.empty() || scene.start_index < 0) continue;
        if (!state.outcomes[static_cast<std::size_t>(scene.index)].empty()) continue;
        if (scene.place_index >= 0 && scene.place_index != state.player) continue;
        if (scene.person_index >= 0 &&
            state.people[static_cast<std::size_t>(scene.person_index)] != state.player) {
            continue;
        }
        if (!scene.when.Holds({pack, state, nullptr})) continue;
        out.push_back(scene.index);
    }
    return out;
}

std::vector<int> AvailableChoices(const Pack& pack, const State& state) {
    std::vector<int> out;
    if (state.scene < 0 || state.node < 0) return out;
    const SceneNode& node = pack.scenes[static_cast<std::size_t>(state.scene)]
                                .nodes[static_cast<std::size_t>(state.node)];
    for (std::size_t i = 0; i < node.choices.size(); ++i) {
        if (node.choices[i].when.Holds({pack, state, nullptr})) out.push_back(static_cast<int>(i));
    }
    return out;
}

const char* EventKindName(EventKind k) {
    switch (k) {
        case EventKind::kIntro:
            return "intro";
        case EventKind::kArrived:
            return "arrived";
        case EventKind::kLook:
            return "look";
        case EventKind::kNoExit:
            return "no_exit";
        case EventKind::kExitBlocked:
            return "exit_blocked";
        case EventKind::kTook:
            return "took";
        case EventKind::kDropped:
            return "dropped";
        case EventKind::kGave:
            return "gave";
        case EventKind::kNotHere:
            return "not_here";
        case EventKind::kNotPortable:
            return "not_portable";
        case EventKind::kNotCarried:
            return "not_carried";
        case EventKind::kAlreadyCarried:
            return "already_carried";
        case EventKind::kExamined:
            return "examined";
        case EventKind::kGreeting:
            return "greeting";
        case EventKind::kTopic:
            return "topic";
        case EventKind::kTopicLocked:
            return "topic_locked";
        case EventKind::kUnknownTopic:
            return "unknown_topic";
        case EventKind::kNobodyHere:
            return "nobody_here";
        case EventKind::kRuleText:
            return "rule_text";
        case EventKind::kSceneOffered:
            return "scene_offered";
        case EventKind::kSceneNode:
            return "scene_node";
        case EventKind::kChoiceReply:
            return "choice_reply";
        case EventKind::kSceneEnded:
            return "scene_ended";
        case EventKind::kInventory:
            return "inventory";
        case EventKind::kReflected:
            return "reflected";
        case EventKind::kBreathed:
            return "breathed";
        case EventKind::kWaited:
            return "waited";
        case EventKind::kNothingHappens:
            return "nothing_happens";
        case EventKind::kEnding:
            return "ending";
        case EventKind::kCheckIn:
            return "check_in";
    }
    return "nothing_happens";
}

boost::json::value EventToJson(const Event& e) {
    boost::json::object o;
    o["kind"] = EventKindName(e.kind);
    if (!e.subject.empty()) o["subject"] = e.subject;
    if (!e.object.empty()) o["object"] = e.object;
    if (e.kind == EventKind::kChoiceReply || e.number != 0) o["number"] = e.number;
    if (e.kind == EventKind::kArrived) o["first_visit"] = e.first_visit;
    if (e.kind == EventKind::kInventory) {
        boost::json::array ids;
        for (const std::string& id : e.ids) ids.emplace_back(id);
        o["ids"] = std::move(ids);
    }
    if (e.kind == EventKind::kSceneNode) {
        boost::json::array choices;
        for (int c : e.choices) choices.emplace_back(c);
        o["choices"] = std::move(choices);
    }
    if (!e.reason.empty()) o["reason"] = e.reason;
    if (e.text != nullptr) {
        o["text"] = e.text->key;
        o["variant"] = e.variant;
    }
    return o;
}

}  // namespace tta::world
