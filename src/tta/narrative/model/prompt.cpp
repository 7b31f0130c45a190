#include "tta/narrative/model/prompt.hpp"

#include <cstdio>

#include "tta/core/utf8.hpp"
#include "tta/narrative/template.hpp"

namespace tta::narrative::model {
namespace {

constexpr std::size_t kMaxDescription = 400;  // bytes of each lorebook entry's description
constexpr std::size_t kMaxWindowTurn = 800;   // bytes of each earlier turn shown

std::string Clip(std::string_view text, std::size_t max) {
    std::string out(Utf8Prefix(text, max));
    if (out.size() < text.size()) out += "…";
    for (char& c : out) {
        if (c == '\n') c = ' ';
    }
    return out;
}

// The rendered text of a description, or nothing.
std::string Describe(const world::Text& text, const TemplateContext& ctx) {
    if (text.empty()) return "";
    return Clip(ctx.Render(text.variants.front()), kMaxDescription);
}

std::string NameOf(const world::Pack& pack, std::string_view id) {
    if (const auto* item = pack.FindItem(id)) return item->name;
    if (const auto* person = pack.FindPerson(id)) return person->name;
    if (const auto* place = pack.FindPlace(id)) return place->name;
    return "";
}

// The player's action in the engine's terms, from ids only: what the player typed is theirs.
std::string DescribeAction(const world::Pack& pack, const world::Action& a) {
    std::string out = world::VerbName(a.verb);
    if (!a.direction.empty()) out += " " + a.direction;
    if (const std::string object = NameOf(pack, a.object); !object.empty()) out += " " + object;
    if (const std::string target = NameOf(pack, a.target); !target.empty()) {
        out += (a.verb == world::Verb::kGive ? " to " : " on ") + target;
    }
    if (a.verb == world::Verb::kAsk && !a.topic.empty()) {
        if (const auto* person = pack.FindPerson(a.object); person && person->FindTopic(a.topic)) {
            out += " about " + a.topic;
        }
    }
    if (a.verb == world::Verb::kChoose) out += " choice " + std::to_string(a.choice);
    if (a.verb == world::Verb::kReflect && !a.emotion.empty())
        out += " (feeling " + a.emotion + ")";
    return out;
}

std::string DescribeEffect(const world::Pack& pack, const world::Effect& e) {
    using world::EffectKind;
    switch (e.kind) {
        case EffectKind::kMovePlayer:
            return "the player is now at " + NameOf(pack, e.subject);
        case EffectKind::kMoveItem:
            if (e.target == "player") return "the player now carries " + NameOf(pack, e.subject);
            if (e.target.empty()) return NameOf(pack, e.subject) + " is gone";
            return NameOf(pack, e.subject) + " is now with " + NameOf(pack, e.target);
        case EffectKind::kMovePerson:
            return e.target.empty()
                       ? NameOf(pack, e.subject) + " has left"
                       : NameOf(pack, e.subject) + " is now at " + NameOf(pack, e.target);
        case EffectKind::kExitRevealed:
            return "a way " + e.target + " from " + NameOf(pack, e.subject) + " is revealed";
        case EffectKind::kEndingReached:
            return "the story reaches its end";
        default:
            return "";  // bookkeeping (turns, visits, variables) the prose need not mention
    }
}

}  // namespace

std::string Fnv1a64Hex(std::string_view data) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string_view DefaultVoice() {
    return "Warm, quiet and unhurried, like a kind friend telling a story by a fire. Concrete "
           "sensory detail (sound, light, weather, texture) over abstraction. Gentle, never "
           "sentimental; never preachy. Short sentences are welcome.";
}

Prompt BuildPrompt(const PromptInput& in) {
    const world::Pack& pack = *in.pack;
    const world::State& state = in.outcome->state;
    const TemplateContext ctx(pack, state, *in.player);
    const std::size_t max_words = std::max<std::size_t>(30, in.max_chars / 6);

    std::string system = "You are the narrator of \"" + pack.meta.title +
                         "\", an interactive story played for wellbeing. " +
                         Clip(pack.meta.summary, 1200) + "\n\n";
    system += "Voice: " + (in.voice.empty() ? std::string(DefaultVoice()) : in.voice) + "\n\n";
    system +=
        "Boundaries:\n"
        "- Stay inside the story. Never mention being an AI, a model, a game or these "
        "instructions.\n"
        "- Never give medical, psychiatric, medication, diet or legal advice.\n"
        "- Never describe self-harm, suicide, methods, injuries or dangerous acts.\n"
        "- Do not diagnose or label the player, and do not tell them what they feel.\n";
    if (!pack.meta.content_notes.empty()) {
        system += "- Keep within the story's content notes:";
        for (const auto& note : pack.meta.content_notes) system += " " + note + ";";
        system.back() = '.';
        system += "\n";
    }
    if (!pack.meta.age_guidance.empty()) {
        system += "- Suitable for: " + pack.meta.age_guidance + ".\n";
    }
    system +=
        "\nFacts:\n"
        "- The game has already decided everything that happens. Narrate only the events under "
        "THIS TURN, in order, and carry every fact they contain.\n"
        "- Do not invent people, places, items, exits or events. Name only what is listed "
        "under IN SCOPE.\n"
        "- Do not move the player, give or take items, or change anything: if the events do "
        "not say it happened, it did not.\n"
        "- Do not offer choices, list exits or ask the player what to do; the game does that.\n"
        "\nStyle: second person, present tense, at most " +
        std::to_string(max_words) +
        " words in one to three short paragraphs. Plain text only: no markdown, headings or "
        "lists.";

    std::string user;
    if (!in.window.empty()) {
        user += "STORY SO FAR (most recent last):\n";
        for (const auto& turn : in.window) user += "---\n" + Clip(turn, kMaxWindowTurn) + "\n";
        user += "---\n\n";
    }
    user += "PINNED:\n- The player is " + in.player->name + " (" + in.player->they + "/" +
            in.player->them + ").\n";
    if (state.scene >= 0) {
        const auto& scene = pack.scenes[state.scene];
        user += "- A scene is open";
        if (!scene.technique.empty()) user += " (a " + scene.technique + " moment)";
        user += "; its choices are shown by the game.\n";
    }
    if (state.ending >= 0) user += "- The story has reached its ending.\n";

    user += "\nIN SCOPE:\n";
    const world::Place& here = world::PlayerPlace(pack, state);
    user += "- Place: " + here.name;
    if (const std::string d = Describe(here.description, ctx); !d.empty()) user += ": " + d;
    user += "\n";
    std::string ways;
    for (const auto& exit : here.exits) {
        if (!world::ExitVisible(state, exit)) continue;
        ways += (ways.empty() ? "" : "; ") + exit.direction + " to " +
                (exit.name.empty() ? pack.places[exit.to_index].name : exit.name);
    }
    if (!ways.empty()) user += "- Ways on: " + ways + "\n";
    for (int i : world::PeopleAt(state, state.player)) {
        const auto& p = pack.people[i];
        user += "- Here: " + p.name + " (" + p.pronouns.they + "/" + p.pronouns.them + ")";
        if (const std::string d = Describe(p.description, ctx); !d.empty()) user += ": " + d;
        user += "\n";
    }
    for (int i : world::ItemsAt(state, state.player)) {
        const auto& item = pack.items[i];
        user += "- Lying here: " + item.name;
        if (const std::string d = Describe(item.description, ctx); !d.empty()) user += ": " + d;
        user += "\n";
    }
    for (int i : world::Inventory(state)) {
        const auto& item = pack.items[i];
        user += "- Carried by the player: " + item.name;
        if (const std::string d = Describe(item.description, ctx); !d.empty()) user += ": " + d;
        user += "\n";
    }

    user += "\nTHIS TURN:\n";
    user += in.action ? "- The player chose to: " + DescribeAction(pack, *in.action) + "\n"
                      : "- The story begins.\n";
    for (const auto& effect : in.outcome->effects) {
        if (const std::string d = DescribeEffect(pack, effect); !d.empty()) {
            user += "- Effect: " + d + "\n";
        }
    }
    user += "- Events, as the game's own text tells them (convey each fact in your words):\n";
    for (const auto& paragraph : in.authored->paragraphs) user += paragraph + "\n";
    if (in.beat) {
        user += "\nBEAT: the story offers a " + in.beat->technique + " moment";
        if (!in.beat->reason.empty()) user += " (" + in.beat->reason + ")";
        user +=
            ". Let it arise from the story; do not teach the technique or name it as "
            "therapy.\n";
    }
    if (!in.correction.empty()) {
        user += "\nYour previous draft could not be used: " + in.correction +
                ". Write it again, keeping strictly to the facts above.\n";
    }
    user += "\nWrite the narration for this turn now.";

    Prompt prompt;
    prompt.messages = {{"system", std::move(system)}, {"user", std::move(user)}};
    std::string all;
    for (const auto& m : prompt.messages) all += m.role + "\n" + m.content + "\n";
    prompt.hash = Fnv1a64Hex(all);
    return prompt;
}

}  // namespace tta::narrative::model
