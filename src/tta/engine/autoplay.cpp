#include "tta/engine/autoplay.hpp"

#include <algorithm>
#include <iterator>

namespace tta::engine {

std::vector<std::string> StateProblems(const world::Pack& pack, const world::State& s) {
    std::vector<std::string> problems;
    auto check = [&](bool ok, const std::string& what) {
        if (!ok) problems.push_back(what);
    };
    const int places = static_cast<int>(pack.places.size());
    const int people = static_cast<int>(pack.people.size());
    check(s.player >= 0 && s.player < places, "player is nowhere");
    check(s.items.size() == pack.items.size(), "item table size");
    for (const auto& where : s.items) {
        switch (where.kind) {
            case world::Where::Kind::kPlace:
                check(where.index >= 0 && where.index < places, "item in no place");
                break;
            case world::Where::Kind::kPerson:
                check(where.index >= 0 && where.index < people, "item held by nobody");
                break;
            default:
                break;
        }
    }
    check(s.people.size() == pack.people.size(), "people table size");
    for (int p : s.people) check(p >= -1 && p < places, "person in no place");
    check(s.variables.size() == pack.variables.size(), "variable table size");
    for (std::size_t i = 0; i < s.variables.size() && i < pack.variables.size(); ++i) {
        const auto& v = pack.variables[i];
        check(world::TypeOf(s.variables[i]) == v.type, "variable " + v.id + " changed type");
        if (v.type == world::VarType::kNumber) {
            const auto n = std::get<std::int64_t>(s.variables[i]);
            if (v.min) check(n >= *v.min, "variable " + v.id + " below its minimum");
            if (v.max) check(n <= *v.max, "variable " + v.id + " above its maximum");
        }
        if (v.type == world::VarType::kString && !v.values.empty()) {
            const auto& str = std::get<std::string>(s.variables[i]);
            check(std::find(v.values.begin(), v.values.end(), str) != v.values.end(),
                  "variable " + v.id + " holds a value it does not allow");
        }
    }
    if (s.scene >= 0) {
        check(s.scene < static_cast<int>(pack.scenes.size()), "open scene does not exist");
        if (s.scene < static_cast<int>(pack.scenes.size())) {
            check(s.node >= 0 && s.node < static_cast<int>(pack.scenes[s.scene].nodes.size()),
                  "open scene stands on no node");
        }
    } else {
        check(s.node == -1, "a node without a scene");
    }
    check(s.ending >= -1 && s.ending < static_cast<int>(pack.endings.size()), "unknown ending");
    return problems;
}

std::string RandomCommand(const world::Pack& pack, Rng& rng) {
    static const char* kVerbs[] = {"take", "drop", "examine", "use", "open", "talk to",
                                   "give", "go to", "ask"};
    static const char* kSolo[] = {"look", "inventory", "wait", "breathe", "help", "undo",
                                  "I feel anxious", "I'm so tired", "progress", "1", "2", "3"};
    static const char* kNoise[] = {"", "xyzzy", "take", "give to", "\xFF\xFE", "ask about",
                                   "use on", "go", "!!!", "take take take", "42"};
    const auto& terms = pack.vocabulary.terms;
    auto term = [&] {
        return terms.empty() ? std::string("thing") : terms[rng.Below(terms.size())].phrase;
    };
    switch (rng.Below(10)) {
        case 0:
        case 1:
            return std::string(world::kDirections[rng.Below(std::size(world::kDirections))]);
        case 2:
            return kSolo[rng.Below(std::size(kSolo))];
        case 3:
            return kNoise[rng.Below(std::size(kNoise))];
        case 4:
            return "use " + term() + " on " + term();
        case 5:
            return "give " + term() + " to " + term();
        case 6:
            return "ask " + term() + " about " + term();
        default:
            return std::string(kVerbs[rng.Below(std::size(kVerbs))]) + " " + term();
    }
}

AutoplayReport Autoplay(Engine& engine, const world::Pack& pack, const AutoplayOptions& options) {
    AutoplayReport report;
    for (int s = 0; s < options.sessions; ++s) {
        NewSession spec;
        spec.world_id = pack.meta.id;
        spec.seed = options.seed + static_cast<std::uint64_t>(s);
        auto started = engine.Start(spec);
        if (!started) {
            report.problems.push_back("start: " + started.error().message);
            continue;
        }
        Rng rng(*spec.seed);
        for (int t = 0; t < options.turns; ++t) {
            const std::string command = RandomCommand(pack, rng);
            const std::string where = "turn " + std::to_string(t) + " '" + command + "': ";
            ++report.turns;
            auto reply = engine.Play(started->session_id, command);
            if (!reply) {
                report.problems.push_back(where + reply.error().message);
                break;
            }
            if (reply->text.empty()) {
                report.problems.push_back(where + "no text in the reply");
                break;
            }
            auto state = engine.CurrentState(started->session_id);
            if (!state) {
                report.problems.push_back(where + state.error().message);
                break;
            }
            if (auto problems = StateProblems(pack, *state); !problems.empty()) {
                report.problems.push_back(where + problems.front());
                break;
            }
            if (reply->ended) {
                // Step back and keep exploring, as a curious player would.
                if (auto undone = engine.Undo(started->session_id); !undone) {
                    report.problems.push_back(where + "undo: " + undone.error().message);
                    break;
                }
            }
        }
    }
    return report;
}

}  // namespace tta::engine
