#include "tta/narrative/narrator.hpp"

#include <array>
#include <cctype>

namespace tta::narrative {
namespace {

using world::EventKind;

// Authored text arrives with the marks of YAML and of removed Mustache sections: trailing
// spaces, doubled spaces, runs of blank lines. One blank line between paragraphs at most.
std::string Tidy(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    int newlines = 0;
    for (char c : text) {
        if (c == '\n') {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            ++newlines;
            continue;
        }
        if (newlines > 0) {
            if (!out.empty()) out.append(newlines > 1 ? "\n\n" : "\n");
            newlines = 0;
        }
        if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}


std::string Capitalised(std::string s) {
    if (!s.empty() && std::islower(static_cast<unsigned char>(s[0])) != 0) {
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    }
    return s;
}

template <std::size_t N>
std::string_view Pick(const std::array<std::string_view, N>& lines, Rng& rng) {
    return lines[rng.Below(N)];
}

// Replaces each "{}" in a stock line with the next argument.
std::string Fill(std::string_view line, std::initializer_list<std::string_view> args) {
    std::string out;
    auto arg = args.begin();
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '{' && i + 1 < line.size() && line[i + 1] == '}' && arg != args.end()) {
            out += *arg++;
            ++i;
        } else {
            out += line[i];
        }
    }
    return out;
}

// The name of whatever an id refers to, or the words themselves.
std::string NameOf(const world::Pack& pack, std::string_view id) {
    if (const auto* item = pack.FindItem(id)) return item->name;
    if (const auto* person = pack.FindPerson(id)) return person->name;
    if (const auto* place = pack.FindPlace(id)) return place->name;
    return std::string(id);
}

constexpr std::array<std::string_view, 3> kNoExit{
    "You can't go {} from here.", "There is no way {} from here.",
    "Nothing leads {} from here."};
constexpr std::array<std::string_view, 2> kBlocked{
    "That way is closed to you for now.", "You can't get through that way yet."};
constexpr std::array<std::string_view, 3> kTook{"You take {}.", "You pick up {}.",
                                                 "You take {} with you."};
constexpr std::array<std::string_view, 2> kDropped{"You put down {}.", "You set down {}."};
constexpr std::array<std::string_view, 2> kGave{"You give {} to {}.", "You hand {} to {}."};
constexpr std::array<std::string_view, 2> kNotHere{"You don't see {} here.",
                                                    "You look around, but {} isn't here."};
constexpr std::array<std::string_view, 2> kNotPortable{"{} stays where it is.",
                                                        "{} isn't something you can carry."};
constexpr std::array<std::string_view, 2> kNotCarried{"You aren't carrying {}.",
                                                       "You don't have {} with you."};
constexpr std::array<std::string_view, 1> kAlreadyCarried{"You already have {}."};
constexpr std::array<std::string_view, 2> kNothingSpecial{
    "You look closely at {}, but notice nothing more.", "{} is just as it seems."};
constexpr std::array<std::string_view, 2> kUnknownTopic{
    "{} thinks for a moment. \"I couldn't tell you much about that.\"",
    "{} shakes {} head. \"Not something I know about.\""};
constexpr std::array<std::string_view, 2> kNobody{"There's no one here by that name.",
                                                   "No one like that is here."};
constexpr std::array<std::string_view, 3> kBreathed{
    "You breathe in slowly through your nose, hold it for a moment, and let it go. The world "
    "waits for you.",
    "You let a long breath out, longer than the breath in. Your shoulders drop a little.",
    "In, and out. For a moment there is nothing to do but breathe."};
constexpr std::array<std::string_view, 3> kWaited{
    "You stay where you are for a while. Nothing hurries you.", "Time passes, gently.",
    "You wait, and listen, and let the moment be what it is."};
constexpr std::array<std::string_view, 2> kNoEffect{"Nothing happens.",
                                                     "That doesn't seem to do anything."};

// Acknowledgements for a feeling statement: they name the feeling back without judging it
// and leave the door open, never tell the player what they feel.
std::string_view Reflection(std::string_view emotion) {
    if (emotion == "anxious" || emotion == "afraid") {
        return "You notice it: the tightness, the quickened breath. It makes sense to feel "
               "that way. If you like, you could breathe slowly for a moment (type breathe), "
               "or simply keep going at your own pace.";
    }
    if (emotion == "sad" || emotion == "lonely") {
        return "You let the feeling be there for a moment without pushing it away. It is "
               "heavy, and it is allowed. There is no hurry here.";
    }
    if (emotion == "angry") {
        return "You feel the heat of it. Anger often points at something that matters to us. "
               "You can pause, breathe, and decide what you want to do next.";
    }
    if (emotion == "overwhelmed" || emotion == "tired") {
        return "It is a lot. You don't have to do everything at once; one small step is "
               "enough. You could rest a moment (type wait) or breathe.";
    }
    if (emotion == "ashamed") {
        return "That is a hard feeling to carry. You would speak gently to a friend who felt "
               "this way; you deserve the same kindness.";
    }
    if (emotion == "calm" || emotion == "hopeful" || emotion == "happy") {
        return "You notice the feeling and let yourself have it. It is worth remembering what "
               "helped.";
    }
    return "You pause and notice how you are. Whatever it is, it is welcome here.";
}

void RenderPlace(const world::Pack& pack, const world::State& state, const world::Event& e,
                 const TemplateContext& ctx, Narration& out) {
    const world::Place* place = pack.FindPlace(e.subject);
    if (place == nullptr) return;
    std::string block = Capitalised(place->name);
    if (!e.Source().empty()) block += "\n" + Tidy(ctx.Render(e.Source()));
    out.paragraphs.push_back(std::move(block));

    std::vector<std::string> things;
    for (int i : world::ItemsAt(state, place->index)) things.push_back(pack.items[i].name);
    if (!things.empty()) out.paragraphs.push_back("You can see " + JoinList(things) + " here.");

    std::vector<std::string> people;
    for (int i : world::PeopleAt(state, place->index)) people.push_back(pack.people[i].name);
    if (!people.empty()) {
        out.paragraphs.push_back(JoinList(people) + (people.size() == 1 ? " is" : " are") +
                                 " here.");
    }

    std::vector<std::string> exits;
    for (const auto& exit : place->exits) {
        if (!world::ExitVisible(state, exit)) continue;
        const std::string& to = exit.name.empty() ? pack.places[exit.to_index].name : exit.name;
        exits.push_back(exit.direction + " (" + to + ")");
    }
    if (!exits.empty()) out.paragraphs.push_back("Exits: " + JoinList(exits) + ".");
}

}  // namespace

std::string JoinList(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
        out += parts[i];
    }
    return out;
}

std::string Narration::Text() const {
    std::string out;
    for (const auto& p : paragraphs) {
        if (!out.empty()) out += "\n\n";
        out += p;
    }
    for (std::size_t i = 0; i < choices.size(); ++i) {
        out += (i == 0 ? (out.empty() ? "" : "\n\n") : "\n");
        out += std::to_string(i + 1) + ". " + choices[i];
    }
    return out;
}

boost::json::object ProvenanceToJson(const Provenance& p) {
    boost::json::object o{{"narrator", p.narrator},
                          {"validated", p.validated},
                          {"fell_back", p.fell_back},
                          {"attempts", p.attempts}};
    if (!p.reason.empty()) o["reason"] = p.reason;
    if (p.attempts > 0) {
        o["provider"] = p.provider;
        o["model"] = p.model;
        o["prompt_hash"] = p.prompt_hash;
        o["prompt_tokens"] = p.prompt_tokens;
        o["completion_tokens"] = p.completion_tokens;
        if (p.tokens_estimated) o["tokens_estimated"] = true;
        o["latency_ms"] = p.latency_ms;
        if (p.first_token_ms >= 0) o["first_token_ms"] = p.first_token_ms;
    }
    return o;
}

Narration AuthoredNarrator::Narrate(const world::Pack& pack, const world::Outcome& outcome,
                                    const PlayerInfo& player, Rng& rng,
                                    const NarrationContext& /*context*/) {
    const world::State& state = outcome.state;
    const TemplateContext ctx(pack, state, player);
    Narration out;
    auto say = [&](const std::string& text) {
        std::string tidy = Tidy(text);
        if (!tidy.empty()) out.paragraphs.push_back(std::move(tidy));
    };
    auto text_or = [&](const world::Event& e, std::string fallback) {
        return e.Source().empty() ? fallback : ctx.Render(e.Source());
    };

    for (const auto& e : outcome.events) {
        switch (e.kind) {
            case EventKind::kIntro:
            case EventKind::kRuleText:
            case EventKind::kSceneOffered:
            case EventKind::kChoiceReply:
            case EventKind::kGreeting:
            case EventKind::kTopic:
            case EventKind::kTopicLocked:
                say(ctx.Render(e.Source()));
                break;
            case EventKind::kArrived:
            case EventKind::kLook:
                RenderPlace(pack, state, e, ctx, out);
                break;
            case EventKind::kNoExit:
                say(Fill(Pick(kNoExit, rng), {e.object.empty() ? "that way" : e.object}));
                break;
            case EventKind::kExitBlocked:
                say(text_or(e, std::string(Pick(kBlocked, rng))));
                break;
            case EventKind::kTook:
                say(text_or(e, Fill(Pick(kTook, rng), {NameOf(pack, e.subject)})));
                break;
            case EventKind::kDropped:
                say(Fill(Pick(kDropped, rng), {NameOf(pack, e.subject)}));
                break;
            case EventKind::kGave:
                say(Fill(Pick(kGave, rng), {NameOf(pack, e.subject), NameOf(pack, e.object)}));
                break;
            case EventKind::kNotHere:
                say(Fill(Pick(kNotHere, rng), {NameOf(pack, e.object)}));
                break;
            case EventKind::kNotPortable:
                say(Capitalised(Fill(Pick(kNotPortable, rng), {NameOf(pack, e.subject)})));
                break;
            case EventKind::kNotCarried:
                say(Fill(Pick(kNotCarried, rng), {NameOf(pack, e.subject)}));
                break;
            case EventKind::kAlreadyCarried:
                say(Fill(Pick(kAlreadyCarried, rng), {NameOf(pack, e.subject)}));
                break;
            case EventKind::kExamined:
                say(text_or(e, Capitalised(Fill(Pick(kNothingSpecial, rng),
                                                {NameOf(pack, e.subject)}))));
                break;
            case EventKind::kUnknownTopic: {
                const world::Person* person = pack.FindPerson(e.subject);
                const std::string name = person ? person->name : "They";
                const std::string their = person ? person->pronouns.their : "their";
                say(text_or(e, Fill(Pick(kUnknownTopic, rng), {name, their})));
                break;
            }
            case EventKind::kNobodyHere:
                say(std::string(Pick(kNobody, rng)));
                break;
            case EventKind::kSceneNode:
                say(ctx.Render(e.Source()));
                break;
            case EventKind::kSceneEnded:
                break;  // the reply or node text already closed the scene
            case EventKind::kInventory: {
                std::vector<std::string> names;
                for (const auto& id : e.ids) names.push_back(NameOf(pack, id));
                say(names.empty() ? "You aren't carrying anything."
                                  : "You are carrying " + JoinList(names) + ".");
                break;
            }
            case EventKind::kReflected:
                say(std::string(Reflection(e.object)));
                break;
            case EventKind::kBreathed:
                say(std::string(Pick(kBreathed, rng)));
                break;
            case EventKind::kWaited:
                say(std::string(Pick(kWaited, rng)));
                break;
            case EventKind::kNothingHappens:
                if (e.reason == world::reason::kStoryOver) {
                    say("This story has reached its end. You can undo to step back, or start "
                        "a new story.");
                } else if (e.reason == world::reason::kNoScene ||
                           e.reason == world::reason::kNoSuchChoice) {
                    say("There is no choice like that right now.");
                } else if (e.reason == world::reason::kNotPerson) {
                    say("That isn't someone you can talk to.");
                } else if (e.reason == world::reason::kMissingObject) {
                    say("What would you like to do that with?");
                } else {
                    say(std::string(Pick(kNoEffect, rng)));
                }
                break;
            case EventKind::kCheckIn:
                break;  // the world's own text asked; the engine adds how to answer
            case EventKind::kEnding: {
                const world::Ending* ending = pack.FindEnding(e.subject);
                std::string block = ending ? ending->title + "\n\n" : "";
                block += ctx.Render(e.Source());
                say(block);
                break;
            }
        }
    }

    if (state.scene >= 0 && state.node >= 0) {
        const auto& node = pack.scenes[state.scene].nodes[state.node];
        for (int i : world::AvailableChoices(pack, state)) {
            const auto& label = node.choices[i].text;
            out.choices.push_back(label.empty() ? "…" : ctx.Render(label.variants.front()));
        }
    }
    return out;
}

}  // namespace tta::narrative
