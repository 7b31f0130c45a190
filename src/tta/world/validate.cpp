// Whole-world checks for `tta worlds validate`. The loader has already checked syntax, types
// and names; these look at the world as a graph. Reachability is generous on purpose: every
// exit counts (conditions and hidden exits included, since a condition can become true and a
// hidden exit can be revealed), and a go(place) effect anywhere makes its place reachable.
// The validator must never call a playable world broken; it may miss a broken one.
#include "tta/world/validate.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "tta/world/loader.hpp"

namespace tta::world {
namespace {

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct Scripts {
    // Every effect list in the pack with the place it is tied to (-1: anywhere).
    std::vector<std::pair<const Script*, int>> all;
};

Scripts Collect(const Pack& pack) {
    Scripts s;
    auto tied_place = [&](const Rule& r) {
        if ((r.on.trigger == Trigger::kEnter || r.on.trigger == Trigger::kGo) &&
            !r.on.object.empty()) {
            return r.on.trigger == Trigger::kEnter ? pack.PlaceIndex(r.on.object) : -1;
        }
        for (const std::string& p : r.when.RequiredPlaces(pack)) return pack.PlaceIndex(p);
        return -1;
    };
    for (const Rule& r : pack.rules) s.all.push_back({&r.effects, tied_place(r)});
    for (const Person& p : pack.people) {
        for (const Topic& t : p.topics) s.all.push_back({&t.effects, -1});
    }
    for (const Scene& scene : pack.scenes) {
        for (const SceneNode& node : scene.nodes) {
            s.all.push_back({&node.effects, scene.place_index});
            for (const Choice& c : node.choices) s.all.push_back({&c.effects, scene.place_index});
        }
    }
    return s;
}

class Validator {
  public:
    explicit Validator(const Pack& pack) : pack_(pack), scripts_(Collect(pack)) {
        for (const auto& [script, place] : scripts_.all) {
            EffectSummary sum = script->Summary();
            for (auto& g : sum.goes_to) goes_to_.insert(g);
            for (auto& g : sum.gives) placed_items_.insert(g);
            for (auto& g : sum.moves_items) placed_items_.insert(g);
            for (auto& g : sum.moves_people) placed_people_.insert(g);
            for (auto& g : sum.starts) started_.insert(g);
            for (auto& g : sum.ends) ended_.insert(g);
            if (place >= 0 && (!sum.goes_to.empty() || !sum.ends.empty())) {
                leaves_.insert(place);
            }
        }
    }

    std::vector<Diagnostic> Run() {
        Places();
        People();
        Items();
        Scenes();
        Rules();
        Endings();
        World();
        std::sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return std::tie(a.file, a.line, a.col, a.message) <
                   std::tie(b.file, b.line, b.col, b.message);
        });
        return std::move(out_);
    }

  private:
    const Pack& pack_;
    Scripts scripts_;
    std::set<std::string> goes_to_, placed_items_, placed_people_, started_, ended_;
    std::set<int> leaves_;
    std::vector<bool> reachable_;
    std::vector<Diagnostic> out_;

    void Error(const SourcePos& pos, std::string message) {
        out_.push_back(pack_.At(pos, std::move(message)));
    }
    void Warn(const SourcePos& pos, std::string message) {
        out_.push_back(pack_.At(pos, std::move(message)));
        out_.back().severity = Severity::kWarning;
    }

    void Places() {
        reachable_.assign(pack_.places.size(), false);
        std::vector<int> queue;
        auto visit = [&](int p) {
            if (p >= 0 && !reachable_[static_cast<std::size_t>(p)]) {
                reachable_[static_cast<std::size_t>(p)] = true;
                queue.push_back(p);
            }
        };
        visit(pack_.meta.start_index);
        for (const std::string& g : goes_to_) visit(pack_.PlaceIndex(g));
        while (!queue.empty()) {
            const int p = queue.back();
            queue.pop_back();
            for (const Exit& x : pack_.places[static_cast<std::size_t>(p)].exits) visit(x.to_index);
        }
        for (const Place& place : pack_.places) {
            if (!reachable_[static_cast<std::size_t>(place.index)]) {
                Error(place.pos, "place '" + place.id + "' cannot be reached from the start '" +
                                     pack_.meta.start + "'");
            }
            if (place.exits.empty() && !place.ending && !leaves_.contains(place.index)) {
                Error(place.pos, "place '" + place.id +
                                     "' has no way out; add an exit, or mark it 'ending: true'");
            }
            if (place.description.empty()) {
                Error(place.pos, "place '" + place.id + "' has no description");
            }
            for (const Exit& x : place.exits) {
                if (x.to == place.id) {
                    Error(x.pos, "exit " + x.direction + " of '" + place.id + "' leads to itself");
                }
            }
        }
    }

    void People() {
        for (const Person& p : pack_.people) {
            if (p.description.empty()) Error(p.pos, "person '" + p.id + "' has no description");
            if (p.greeting.empty() && p.scene.empty()) {
                Error(p.pos, "person '" + p.id + "' has no greeting or scene");
            }
            if (p.location.empty() && !placed_people_.contains(p.id)) {
                Error(p.pos, "person '" + p.id +
                                 "' never appears (no location, and no move() brings them)");
            }
            if (p.location_index >= 0 && !reachable_[static_cast<std::size_t>(p.location_index)] &&
                !placed_people_.contains(p.id)) {
                Warn(p.pos,
                     "person '" + p.id + "' is in '" + p.location + "', which cannot be reached");
            }
        }
    }

    void Items() {
        for (const Item& item : pack_.items) {
            if (item.description.empty())
                Error(item.pos, "item '" + item.id + "' has no description");
            if (item.location.kind == Where::Kind::kNowhere && !placed_items_.contains(item.id)) {
                Error(item.pos, "item '" + item.id +
                                    "' is never placed (no location, and no give() or move() "
                                    "puts it anywhere)");
            }
        }
    }

    void Scenes() {
        std::set<std::string> techniques(pack_.meta.techniques.begin(),
                                         pack_.meta.techniques.end());
        for (const Scene& scene : pack_.scenes) {
            bool by_person = false;
            for (const Person& p : pack_.people) by_person = by_person || p.scene == scene.id;
            if (!by_person && !started_.contains(scene.id) && scene.technique.empty()) {
                Error(scene.pos, "scene '" + scene.id + "' is never started (no start(" + scene.id +
                                     "), no person's 'scene', no technique)");
            }
            if (!scene.technique.empty() && !techniques.contains(scene.technique)) {
                Warn(scene.pos, "technique '" + scene.technique +
                                    "' is not listed in the world's 'techniques'");
            }
            if (!scene.technique.empty() && scene.offer.empty()) {
                Error(scene.pos, "scene '" + scene.id + "' has a technique but no 'offer' text");
            }
            ContentTags(scene);
            std::vector<bool> seen(scene.nodes.size(), false);
            std::vector<int> queue;
            if (scene.start_index >= 0) {
                seen[static_cast<std::size_t>(scene.start_index)] = true;
                queue.push_back(scene.start_index);
            }
            while (!queue.empty()) {
                const SceneNode& n = scene.nodes[static_cast<std::size_t>(queue.back())];
                queue.pop_back();
                for (const Choice& c : n.choices) {
                    if (c.go_to_index >= 0 && !seen[static_cast<std::size_t>(c.go_to_index)]) {
                        seen[static_cast<std::size_t>(c.go_to_index)] = true;
                        queue.push_back(c.go_to_index);
                    }
                }
            }
            for (const SceneNode& n : scene.nodes) {
                if (!seen[static_cast<std::size_t>(n.index)]) {
                    Error(n.pos, "node '" + n.id + "' of scene '" + scene.id +
                                     "' cannot be reached from its start '" + scene.start + "'");
                }
                if (n.text.empty()) {
                    Error(n.pos, "node '" + n.id + "' of scene '" + scene.id + "' has no text");
                }
                if (n.choices.empty() && n.end.empty()) {
                    Error(n.pos, "node '" + n.id + "' of scene '" + scene.id +
                                     "' has no choices and no 'end'");
                }
                if (!n.choices.empty() &&
                    std::all_of(n.choices.begin(), n.choices.end(),
                                [](const Choice& c) { return !c.when.empty(); })) {
                    Warn(n.pos, "every choice of node '" + n.id + "' of scene '" + scene.id +
                                    "' has a 'when'; if none holds the scene cannot go on");
                }
                // While a scene waits for a choice, a number answers the scene, so a check-in
                // asked there could never be answered.
                if (!n.choices.empty() && n.effects.Summary().checks_in) {
                    Error(n.pos, "check_in() in node '" + n.id + "' of scene '" + scene.id +
                                     "', which has choices: the player's numbers answer the "
                                     "scene; ask in a node with 'end', a rule or a topic");
                }
                for (const Choice& c : n.choices) {
                    if (c.go_to_index >= 0 && c.effects.Summary().checks_in) {
                        Error(c.pos, "check_in() in a choice of scene '" + scene.id +
                                         "' that goes on to node '" + c.go_to +
                                         "': the player's numbers answer the scene; use it in a "
                                         "choice with 'end'");
                    }
                }
            }
        }
    }

    // A scene's content tags are for players who ask to avoid a topic; each should be named
    // in the world's content notes, which players read before they start.
    void ContentTags(const Scene& scene) {
        std::set<std::string> seen;
        for (const std::string& tag : scene.content_tags) {
            const std::string lower = Lower(tag);
            if (lower.find_first_not_of(" \t") == std::string::npos) {
                Error(scene.pos, "scene '" + scene.id + "' has an empty content tag");
                continue;
            }
            if (!seen.insert(lower).second) {
                Warn(scene.pos, "content tag '" + tag + "' of scene '" + scene.id +
                                    "' is listed twice");
                continue;
            }
            const bool noted = std::any_of(
                pack_.meta.content_notes.begin(), pack_.meta.content_notes.end(),
                [&](const std::string& note) { return Lower(note).find(lower) != std::string::npos; });
            if (!noted) {
                Warn(scene.pos, "content tag '" + tag + "' of scene '" + scene.id +
                                    "' is not named in the world's 'content_notes'");
            }
        }
    }

    void Rules() {
        for (const Rule& rule : pack_.rules) {
            if (rule.text.empty() && rule.effects.Summary().checks_in) {
                Warn(rule.pos, "rule '" + rule.id +
                                   "' runs check_in() without 'text'; let someone in the story "
                                   "ask the question");
            }
        }
    }

    void Endings() {
        if (pack_.endings.empty()) {
            Error(pack_.meta.pos, "the world has no endings");
            return;
        }
        for (const Ending& e : pack_.endings) {
            if (e.text.empty()) Error(e.pos, "ending '" + e.id + "' has no text");
            if (e.when.empty() && !ended_.contains(e.id)) {
                Error(e.pos, "ending '" + e.id +
                                 "' can never be reached: it has no 'when' and "
                                 "nothing calls end(" +
                                 e.id + ")");
                continue;
            }
            for (const std::string& place : e.when.RequiredPlaces(pack_)) {
                const int p = pack_.PlaceIndex(place);
                if (p >= 0 && !reachable_[static_cast<std::size_t>(p)] && !ended_.contains(e.id)) {
                    Error(e.pos, "ending '" + e.id + "' needs the player at '" + place +
                                     "', which cannot be reached");
                }
            }
        }
    }

    void World() {
        if (pack_.meta.summary.empty()) Warn(pack_.meta.pos, "world has no 'summary'");
        if (pack_.meta.intro.empty()) Warn(pack_.meta.pos, "world has no 'intro'");
    }
};

}  // namespace

std::vector<Diagnostic> Validate(const Pack& pack) { return Validator(pack).Run(); }

std::vector<Diagnostic> ValidateDir(const std::filesystem::path& dir) {
    std::vector<Diagnostic> diagnostics;
    auto pack = LoadPack(dir, diagnostics);
    if (pack) {
        std::vector<Diagnostic> more = Validate(**pack);
        diagnostics.insert(diagnostics.end(), more.begin(), more.end());
    }
    return diagnostics;
}

}  // namespace tta::world
