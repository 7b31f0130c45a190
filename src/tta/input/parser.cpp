#include "tta/input/parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <span>

#include "tta/input/normalize.hpp"

namespace tta::input {
namespace {

using world::Verb;
using Words = std::span<const std::string>;

// A verb phrase and what it means. Longer phrases are tried first, so "look at" wins over
// "look" and "pick up" over "pick".
struct VerbForm {
    std::string_view phrase;
    Verb verb;
};

constexpr std::array kVerbForms = std::to_array<VerbForm>({
    {"look around", Verb::kLook},   {"look at", Verb::kExamine},   {"look in", Verb::kExamine},
    {"look", Verb::kLook},          {"l", Verb::kLook},            {"where am i", Verb::kLook},
    {"examine", Verb::kExamine},    {"x", Verb::kExamine},         {"inspect", Verb::kExamine},
    {"check", Verb::kExamine},      {"study", Verb::kExamine},     {"read", Verb::kExamine},
    {"search", Verb::kExamine},     {"describe", Verb::kExamine},  {"observe", Verb::kExamine},
    {"go to", Verb::kGo},           {"walk to", Verb::kGo},        {"run to", Verb::kGo},
    {"head to", Verb::kGo},         {"return to", Verb::kGo},      {"travel to", Verb::kGo},
    {"go back to", Verb::kGo},      {"go into", Verb::kGo},        {"go", Verb::kGo},
    {"walk", Verb::kGo},            {"run", Verb::kGo},            {"head", Verb::kGo},
    {"move", Verb::kGo},            {"travel", Verb::kGo},         {"climb", Verb::kGo},
    {"enter", Verb::kGo},           {"visit", Verb::kGo},          {"pick up", Verb::kTake},
    {"take", Verb::kTake},          {"get", Verb::kTake},          {"grab", Verb::kTake},
    {"collect", Verb::kTake},       {"lift", Verb::kTake},         {"put down", Verb::kDrop},
    {"set down", Verb::kDrop},      {"drop", Verb::kDrop},         {"discard", Verb::kDrop},
    {"give", Verb::kGive},          {"offer", Verb::kGive},        {"hand", Verb::kGive},
    {"use", Verb::kUse},            {"put", Verb::kUse},           {"place", Verb::kUse},
    {"insert", Verb::kUse},         {"light", Verb::kUse},         {"ignite", Verb::kUse},
    {"ring", Verb::kUse},           {"play", Verb::kUse},          {"wind", Verb::kUse},
    {"plant", Verb::kUse},          {"wear", Verb::kUse},          {"apply", Verb::kUse},
    {"open", Verb::kOpen},          {"unlock", Verb::kOpen},       {"talk to", Verb::kTalk},
    {"talk with", Verb::kTalk},     {"speak to", Verb::kTalk},     {"speak with", Verb::kTalk},
    {"chat with", Verb::kTalk},     {"chat to", Verb::kTalk},      {"say hello to", Verb::kTalk},
    {"greet", Verb::kTalk},         {"talk", Verb::kTalk},         {"hello", Verb::kTalk},
    {"hi", Verb::kTalk},            {"ask", Verb::kAsk},           {"tell me about", Verb::kAsk},
    {"inventory", Verb::kInventory}, {"inv", Verb::kInventory},    {"i", Verb::kInventory},
    {"what am i carrying", Verb::kInventory}, {"wait", Verb::kWait}, {"z", Verb::kWait},
    {"rest", Verb::kWait},          {"sit", Verb::kWait},          {"listen", Verb::kWait},
    {"take a deep breath", Verb::kBreathe}, {"take a breath", Verb::kBreathe},
    {"deep breath", Verb::kBreathe}, {"breathe", Verb::kBreathe},  {"breath", Verb::kBreathe},
});

struct MetaForm {
    std::string_view phrase;
    Meta meta;
};

constexpr std::array kMetaForms = std::to_array<MetaForm>({
    {"help", Meta::kHelp},           {"commands", Meta::kHelp},       {"what can i do", Meta::kHelp},
    {"undo", Meta::kUndo},           {"quit", Meta::kQuit},           {"exit game", Meta::kQuit},
    {"q", Meta::kQuit},              {"progress", Meta::kProgress},   {"journal", Meta::kJournal},
    {"check in", Meta::kCheckIn},    {"checkin", Meta::kCheckIn},     {"mood", Meta::kCheckIn},
    {"questionnaire", Meta::kQuestionnaire}, {"questionnaires", Meta::kQuestionnaire},
    {"safety plan", Meta::kSafetyPlan}, {"my safety plan", Meta::kSafetyPlan},
    {"safetyplan", Meta::kSafetyPlan},
});

// Whether the words after a meta command are its argument. A check-in takes a rating ("check
// in 6 tired"), so "check in the drawer" stays an examine.
bool TakesArgument(Meta meta, Words rest) {
    switch (meta) {
        case Meta::kJournal:
        case Meta::kQuestionnaire:
        case Meta::kSafetyPlan:
            return true;
        case Meta::kCheckIn:
            return !rest.empty() && !rest.front().empty() &&
                   std::all_of(rest.front().begin(), rest.front().end(),
                               [](char c) { return c >= '0' && c <= '9'; });
        default:
            return false;
    }
}

// The text after the first `skip` normalised words, as typed, without the spaces and
// punctuation that separate it from them ("journal: The sea was calm." -> "The sea was calm.").
std::string RawAfterWords(std::string_view text, std::size_t skip) {
    std::size_t end = 0;
    while (end < text.size() && Normalize(text.substr(0, end)).words.size() < skip) {
        // Move past the next run of separators and the word after it.
        while (end < text.size() && Normalize(text.substr(end, 1)).words.empty()) ++end;
        while (end < text.size() && !Normalize(text.substr(end, 1)).words.empty()) ++end;
    }
    const auto start = text.find_first_not_of(" \t:;,.-", end);
    return start == std::string_view::npos ? std::string() : std::string(text.substr(start));
}

struct Direction {
    std::string_view word;
    std::string_view canonical;
};

constexpr std::array kDirections = std::to_array<Direction>({
    {"north", "north"}, {"n", "north"},         {"south", "south"}, {"s", "south"},
    {"east", "east"},   {"e", "east"},          {"west", "west"},   {"w", "west"},
    {"northeast", "northeast"}, {"ne", "northeast"}, {"northwest", "northwest"},
    {"nw", "northwest"}, {"southeast", "southeast"}, {"se", "southeast"},
    {"southwest", "southwest"}, {"sw", "southwest"}, {"up", "up"}, {"u", "up"},
    {"upstairs", "up"}, {"down", "down"}, {"d", "down"}, {"downstairs", "down"},
    {"in", "in"},       {"inside", "in"},       {"out", "out"},     {"outside", "out"},
});

std::vector<std::string> SplitPhrase(std::string_view phrase) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= phrase.size()) {
        const std::size_t space = phrase.find(' ', start);
        const std::size_t end = space == std::string_view::npos ? phrase.size() : space;
        out.emplace_back(phrase.substr(start, end - start));
        if (space == std::string_view::npos) break;
        start = space + 1;
    }
    return out;
}

// How many leading words match phrase (word for word, single long words with a typo
// allowance); 0 when it does not match.
std::size_t MatchPhrase(Words words, std::string_view phrase, int* typos) {
    const auto want = SplitPhrase(phrase);
    if (want.size() > words.size()) return 0;
    int total = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (words[i] == want[i]) continue;
        // Only one-word verbs get typo tolerance: "exmaine", "invetory".
        if (want.size() != 1) return 0;
        const int allowed = TypoAllowance(want[i].size());
        const int d = EditDistance(words[i], want[i], allowed);
        if (d > allowed) return 0;
        total += d;
    }
    *typos = total;
    return want.size();
}

template <typename Form>
std::optional<std::pair<const Form*, std::size_t>> LongestForm(Words words,
                                                               std::span<const Form> forms,
                                                               std::vector<std::string>* fixes) {
    const Form* best = nullptr;
    std::size_t best_len = 0;
    int best_typos = 0;
    for (const auto& f : forms) {
        int typos = 0;
        const std::size_t len = MatchPhrase(words, f.phrase, &typos);
        if (len == 0) continue;
        if (len > best_len || (len == best_len && typos < best_typos)) {
            best = &f;
            best_len = len;
            best_typos = typos;
        }
    }
    if (best == nullptr) return std::nullopt;
    if (best_typos > 0 && fixes != nullptr) {
        fixes->push_back(words[0] + " \xE2\x86\x92 " + std::string(best->phrase));
    }
    return std::make_pair(best, best_len);
}

std::optional<std::string_view> AsDirection(Words words) {
    if (words.size() != 1) return std::nullopt;
    for (const auto& d : kDirections) {
        if (d.word == words[0]) return d.canonical;
    }
    return std::nullopt;
}

Words DropArticles(Words words) {
    while (!words.empty() && IsArticle(words.front())) words = words.subspan(1);
    return words;
}

bool Contains(const std::vector<std::string>& v, const std::string& id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

// Resolves a noun phrase that must use all of `words`. Among equally good matches, one in
// reach wins.
struct Resolved {
    const EntityRef* ref = nullptr;
    std::string correction;
};

std::optional<Resolved> Resolve(Words words, const Lexicon& lexicon, const Scope& scope,
                                std::span<const EntityKind> kinds) {
    words = DropArticles(words);
    if (words.empty()) return std::nullopt;
    auto matches = lexicon.MatchPrefix(words, kinds);
    const LexiconMatch* best = nullptr;
    int best_rank = 0;
    for (const auto& m : matches) {
        if (m.words_used != words.size()) continue;
        const bool in_reach = Contains(scope.people_here, m.ref->id) ||
                              Contains(scope.items_here, m.ref->id) ||
                              Contains(scope.inventory, m.ref->id);
        // Fewer typos first, then things in reach.
        const int rank = m.typos * 2 + (in_reach ? 0 : 1);
        if (best == nullptr || rank < best_rank) {
            best = &m;
            best_rank = rank;
        }
    }
    if (best == nullptr) return std::nullopt;
    Resolved r{best->ref, {}};
    if (best->typos > 0) {
        std::string typed;
        for (const auto& w : words) typed += (typed.empty() ? "" : " ") + w;
        r.correction = typed + " \xE2\x86\x92 " + std::string(best->phrase);
    }
    return r;
}

std::string Join(Words words) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

// Splits words at the first of the given prepositions: {before, after}.
std::optional<std::pair<Words, Words>> SplitAt(Words words,
                                               std::initializer_list<std::string_view> preps) {
    for (std::size_t i = 1; i + 1 < words.size(); ++i) {
        for (auto p : preps) {
            if (words[i] == p) return std::make_pair(words.first(i), words.subspan(i + 1));
        }
    }
    return std::nullopt;
}

std::optional<int> AsNumber(std::string_view w) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
    if (ec != std::errc() || ptr != w.data() + w.size() || n < 1 || n > 99) return std::nullopt;
    return n;
}

std::optional<int> MatchChoice(const Normalized& input, const Scope& scope) {
    if (scope.choices.empty()) return std::nullopt;
    Words words = input.words;
    if (words.size() == 2 && (words[0] == "choose" || words[0] == "option" ||
                              words[0] == "pick" || words[0] == "choice")) {
        words = words.subspan(1);
    }
    if (words.size() == 1) {
        if (auto n = AsNumber(words[0])) return n;
    }
    const std::string typed = Join(input.words);
    for (std::size_t i = 0; i < scope.choices.size(); ++i) {
        const std::string choice = Join(Normalize(scope.choices[i]).words);
        if (choice == typed) return static_cast<int>(i + 1);
        // A distinctive part of the choice ("breathe with her" for "Breathe with her, slowly").
        if (input.words.size() >= 2 && choice.find(typed) != std::string::npos) {
            return static_cast<int>(i + 1);
        }
    }
    return std::nullopt;
}

constexpr std::array kThings{EntityKind::kItem, EntityKind::kPerson, EntityKind::kPlace};
constexpr std::array kItems{EntityKind::kItem};
constexpr std::array kPeople{EntityKind::kPerson};
constexpr std::array kPlaces{EntityKind::kPlace};
constexpr std::array kTopics{EntityKind::kTopic, EntityKind::kItem, EntityKind::kPerson,
                             EntityKind::kPlace};

void NotUnderstood(Interpretation& out, std::string_view verb, Words unknown) {
    out.kind = Interpretation::Kind::kNotUnderstood;
    out.understood = std::string(verb);
    out.unknown_words.assign(unknown.begin(), unknown.end());
}

void Accept(Interpretation& out, const Resolved& r, std::string* slot) {
    *slot = r.ref->id;
    if (!r.correction.empty()) out.corrections.push_back(r.correction);
}

// Fills out.action for a recognised verb and the words after it.
void ParseArguments(Interpretation& out, Verb verb, std::string_view verb_phrase, Words rest,
                    const Lexicon& lexicon, const Scope& scope) {
    world::Action& a = out.action;
    a.verb = verb;
    rest = DropArticles(rest);
    switch (verb) {
        case Verb::kLook:
        case Verb::kInventory:
        case Verb::kWait:
        case Verb::kBreathe:
            if (verb == Verb::kLook && !rest.empty()) {
                // "look lantern" reads as examine.
                if (auto r = Resolve(rest, lexicon, scope, kThings)) {
                    a.verb = Verb::kExamine;
                    Accept(out, *r, &a.object);
                    break;
                }
                if (auto dir = AsDirection(rest)) {
                    a.direction = std::string(*dir);
                    break;
                }
            }
            break;
        case Verb::kGo: {
            if (rest.empty()) return NotUnderstood(out, verb_phrase, {});
            if (auto dir = AsDirection(rest)) {
                a.direction = std::string(*dir);
            } else if (auto r = Resolve(rest, lexicon, scope, kPlaces)) {
                Accept(out, *r, &a.object);
            } else {
                return NotUnderstood(out, verb_phrase, rest);
            }
            break;
        }
        case Verb::kExamine:
        case Verb::kTake:
        case Verb::kDrop:
        case Verb::kOpen: {
            if (rest.empty()) return NotUnderstood(out, verb_phrase, {});
            // "unlock door with key" → open door, using key.
            Words object = rest;
            if (auto split = SplitAt(rest, {"with", "using"})) {
                object = split->first;
                if (auto tool = Resolve(split->second, lexicon, scope, kItems)) {
                    Accept(out, *tool, &a.target);
                } else {
                    return NotUnderstood(out, verb_phrase, split->second);
                }
            }
            const bool things = verb == Verb::kExamine;
            auto r = things ? Resolve(object, lexicon, scope, kThings)
                            : Resolve(object, lexicon, scope, kItems);
            if (!r) return NotUnderstood(out, verb_phrase, object);
            Accept(out, *r, &a.object);
            break;
        }
        case Verb::kGive: {
            // "give shell to mira" or "give mira the shell".
            if (auto split = SplitAt(rest, {"to"})) {
                auto item = Resolve(split->first, lexicon, scope, kItems);
                auto person = Resolve(split->second, lexicon, scope, kPeople);
                if (!item) return NotUnderstood(out, verb_phrase, split->first);
                if (!person) return NotUnderstood(out, verb_phrase, split->second);
                Accept(out, *item, &a.object);
                Accept(out, *person, &a.target);
                break;
            }
            for (std::size_t i = 1; i < rest.size(); ++i) {
                auto person = Resolve(rest.first(i), lexicon, scope, kPeople);
                auto item = Resolve(rest.subspan(i), lexicon, scope, kItems);
                if (person && item) {
                    Accept(out, *item, &a.object);
                    Accept(out, *person, &a.target);
                    out.kind = Interpretation::Kind::kAction;
                    return;
                }
            }
            if (auto item = Resolve(rest, lexicon, scope, kItems)) {
                Accept(out, *item, &a.object);  // to whoever is here; the world decides
                if (scope.people_here.size() == 1) a.target = scope.people_here.front();
                break;
            }
            return NotUnderstood(out, verb_phrase, rest);
        }
        case Verb::kUse: {
            if (rest.empty()) return NotUnderstood(out, verb_phrase, {});
            // "use/put X on/in Y" names the tool first; "light Y with X" names it last.
            const bool use_verb = verb_phrase == "use" || verb_phrase == "apply" ||
                                  verb_phrase == "put" || verb_phrase == "place" ||
                                  verb_phrase == "insert";
            if (auto split = SplitAt(rest, {"on", "with", "in", "at", "to", "using"})) {
                auto first = Resolve(split->first, lexicon, scope, kThings);
                auto second = Resolve(split->second, lexicon, scope, kThings);
                if (!first) return NotUnderstood(out, verb_phrase, split->first);
                if (!second) return NotUnderstood(out, verb_phrase, split->second);
                if (use_verb) {
                    Accept(out, *first, &a.object);  // use matches on lantern
                    Accept(out, *second, &a.target);
                } else {
                    Accept(out, *second, &a.object);  // light lantern with matches
                    Accept(out, *first, &a.target);
                }
                break;
            }
            auto r = Resolve(rest, lexicon, scope, kThings);
            if (!r) return NotUnderstood(out, verb_phrase, rest);
            Accept(out, *r, &a.object);
            break;
        }
        case Verb::kTalk: {
            if (rest.empty()) {
                if (scope.people_here.size() == 1) {
                    a.object = scope.people_here.front();
                    break;
                }
                return NotUnderstood(out, verb_phrase, {});
            }
            auto r = Resolve(rest, lexicon, scope, kPeople);
            if (!r) return NotUnderstood(out, verb_phrase, rest);
            Accept(out, *r, &a.object);
            break;
        }
        case Verb::kAsk: {
            Words person_words;
            Words topic_words = rest;
            if (auto split = SplitAt(rest, {"about"})) {
                person_words = split->first;
                topic_words = split->second;
            } else if (!rest.empty() && rest.front() == "about") {
                topic_words = rest.subspan(1);
            } else if (verb_phrase == "ask" && !rest.empty()) {
                // "ask mira" alone is a greeting.
                if (auto r = Resolve(rest, lexicon, scope, kPeople)) {
                    a.verb = Verb::kTalk;
                    Accept(out, *r, &a.object);
                    break;
                }
            }
            if (!person_words.empty()) {
                auto r = Resolve(person_words, lexicon, scope, kPeople);
                if (!r) return NotUnderstood(out, verb_phrase, person_words);
                Accept(out, *r, &a.object);
            } else if (scope.people_here.size() == 1) {
                a.object = scope.people_here.front();
            } else {
                return NotUnderstood(out, verb_phrase, {});
            }
            topic_words = DropArticles(topic_words);
            if (topic_words.empty()) return NotUnderstood(out, verb_phrase, {});
            // A topic this person knows beats a same-named thing elsewhere in the world.
            const LexiconMatch* best = nullptr;
            const auto matches = lexicon.MatchPrefix(topic_words, kTopics);
            for (const auto& m : matches) {
                if (m.words_used != topic_words.size()) continue;
                const bool own = m.ref->kind == EntityKind::kTopic && m.ref->owner == a.object;
                const bool other_topic = m.ref->kind == EntityKind::kTopic && !own;
                if (other_topic) continue;
                if (best == nullptr || (own && best->ref->kind != EntityKind::kTopic) ||
                    (own == (best->ref->kind == EntityKind::kTopic) && m.typos < best->typos)) {
                    best = &m;
                }
            }
            if (best != nullptr) {
                a.topic = best->ref->id;
                if (best->typos > 0) {
                    out.corrections.push_back(Join(topic_words) + " \xE2\x86\x92 " +
                                              std::string(best->phrase));
                }
            } else {
                a.topic = Join(topic_words);  // the world answers with the default topic
            }
            break;
        }
        case Verb::kChoose:
        case Verb::kReflect:
            break;
    }
    out.kind = Interpretation::Kind::kAction;
}

}  // namespace

Interpretation Interpret(std::string_view raw, const Lexicon& lexicon, const Scope& scope) {
    Interpretation out;
    Normalized input = Normalize(raw);
    out.text = input.text;
    out.emotions = FindEmotionCues(input.words);
    Words words = input.words;
    // Politeness and filler in front of commands: "please take the lamp", "i want to go north".
    static constexpr std::array<std::string_view, 4> kLeading{"please", "lets", "then", "now"};
    while (!words.empty() &&
           std::find(kLeading.begin(), kLeading.end(), words.front()) != kLeading.end()) {
        words = words.subspan(1);
    }
    if (words.size() > 3 && words[0] == "i" &&
        (words[1] == "want" || words[1] == "would" || words[1] == "will" || words[1] == "try") &&
        (words[2] == "to" || words[2] == "like")) {
        words = words.subspan(words[2] == "like" && words.size() > 4 && words[3] == "to" ? 4 : 3);
    }
    if (words.empty()) {
        out.kind = Interpretation::Kind::kEmpty;
        return out;
    }

    if (auto n = MatchChoice(input, scope)) {
        out.kind = Interpretation::Kind::kAction;
        out.action.verb = Verb::kChoose;
        out.action.choice = *n;
        return out;
    }
    if (auto meta = LongestForm<MetaForm>(words, kMetaForms, nullptr);
        meta && (meta->second == words.size() ||
                 TakesArgument(meta->first->meta, words.subspan(meta->second)))) {
        out.kind = Interpretation::Kind::kMeta;
        out.meta = meta->first->meta;
        if (meta->second < words.size()) {
            const auto skipped = static_cast<std::size_t>(words.data() - input.words.data());
            out.argument = RawAfterWords(input.text, skipped + meta->second);
        }
        return out;
    }
    if (IsFeelingStatement(words)) {
        out.kind = Interpretation::Kind::kAction;
        out.action.verb = Verb::kReflect;
        for (const auto& cue : out.emotions) {
            if (!cue.negated) {
                out.action.emotion = cue.label;
                break;
            }
        }
        return out;
    }
    if (auto dir = AsDirection(words)) {
        out.kind = Interpretation::Kind::kAction;
        out.action.verb = Verb::kGo;
        out.action.direction = std::string(*dir);
        return out;
    }
    auto form = LongestForm<VerbForm>(words, kVerbForms, &out.corrections);
    // "inventory" takes no words after it: "i used to ..." is a sentence, not a command.
    if (form && form->first->verb == Verb::kInventory && form->second < words.size()) {
        form.reset();
        out.corrections.clear();
    }
    if (form) {
        const auto [verb_form, used] = *form;
        ParseArguments(out, verb_form->verb, verb_form->phrase, words.subspan(used), lexicon,
                       scope);
        return out;
    }
    // A bare name: a place nearby means go, a person means talk, a thing means examine.
    if (auto r = Resolve(words, lexicon, scope, kThings)) {
        out.kind = Interpretation::Kind::kAction;
        switch (r->ref->kind) {
            case EntityKind::kPlace: out.action.verb = Verb::kGo; break;
            case EntityKind::kPerson: out.action.verb = Verb::kTalk; break;
            default: out.action.verb = Verb::kExamine; break;
        }
        Accept(out, *r, &out.action.object);
        return out;
    }
    NotUnderstood(out, "", words);
    return out;
}

std::string_view HelpText() {
    return "You can type what you want to do in plain words. Some things to try:\n"
           "  look, examine the lantern, inventory (or i)\n"
           "  go north (or n, s, e, w, up, down), go to the harbour\n"
           "  take the rope, drop the rope, give the shell to Mira\n"
           "  use the matches on the lantern, open the gate\n"
           "  talk to Mira, ask Mira about the lighthouse\n"
           "  breathe, wait, or say how you feel: \"I feel anxious\"\n"
           "  a number picks one of the choices offered\n"
           "  undo takes back your last turn; quit saves and stops\n"
           "Out of the story, whenever you like:\n"
           "  check in (how you are, 0 to 10), progress\n"
           "  journal (read it), journal <your words> (write in it)\n"
           "  questionnaire (the PHQ-9 and GAD-7, and a schedule for them)\n"
           "  safety plan (read yours), safety plan edit (write or change it)";
}

}  // namespace tta::input
