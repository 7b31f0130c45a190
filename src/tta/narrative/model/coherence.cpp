#include "tta/narrative/model/coherence.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <span>

namespace tta::narrative::model {
namespace {

bool IsWordByte(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }

// Words of `text` that start with an ASCII capital, each with whether it opens a sentence or
// a quotation (where a capital says nothing about names).
struct CapitalWord {
    std::string word;
    bool initial = false;
};

std::vector<CapitalWord> CapitalWords(std::string_view text) {
    std::vector<CapitalWord> out;
    bool at_start = true;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (IsWordByte(c)) {
            std::size_t j = i;
            // Words run over letters, digits, and apostrophes or hyphens between letters.
            while (j < text.size()) {
                const auto d = static_cast<unsigned char>(text[j]);
                if (IsWordByte(d)) {
                    ++j;
                } else if ((d == '\'' || d == '-') && j + 1 < text.size() &&
                           IsWordByte(static_cast<unsigned char>(text[j + 1]))) {
                    ++j;
                } else {
                    break;
                }
            }
            if (std::isupper(c) != 0) out.push_back({std::string(text.substr(i, j - i)), at_start});
            at_start = false;
            i = j;
            continue;
        }
        if (c == '.' || c == '!' || c == '?' || c == '\n' || c == ':' || c == ';') {
            at_start = true;
        } else if (c == '"' || c == '\'' || c == '(' || c == '[') {
            // An opening quotation starts a sentence; a closing one (after a word) does not.
            const bool opening = i == 0 ||
                                 std::isspace(static_cast<unsigned char>(text[i - 1])) != 0 ||
                                 text[i - 1] == '(' || text[i - 1] == '"';
            if (opening) at_start = true;
        } else if (c == 0xE2 && i + 2 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) == 0x80) {
            // “ (E2 80 9C) and ‘ (E2 80 98) open; — (E2 80 94) and … (E2 80 A6) end a clause.
            const auto third = static_cast<unsigned char>(text[i + 2]);
            if (third == 0x9C || third == 0x98 || third == 0x94 || third == 0xA6) at_start = true;
            i += 3;
            continue;
        }
        ++i;
    }
    return out;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "the brass lantern" → "brass lantern"; names are matched without their article.
std::string WithoutArticle(std::string_view normalised) {
    for (std::string_view article : {"the ", "a ", "an ", "some "}) {
        if (normalised.starts_with(article)) return std::string(normalised.substr(article.size()));
    }
    return std::string(normalised);
}

std::string Trim(std::string_view padded) {
    while (!padded.empty() && padded.front() == ' ') padded.remove_prefix(1);
    while (!padded.empty() && padded.back() == ' ') padded.remove_suffix(1);
    return std::string(padded);
}

std::vector<std::string> Split(std::string_view normalised) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < normalised.size()) {
        while (i < normalised.size() && normalised[i] == ' ') ++i;
        std::size_t j = i;
        while (j < normalised.size() && normalised[j] != ' ') ++j;
        if (j > i) words.emplace_back(normalised.substr(i, j - i));
        i = j;
    }
    return words;
}

constexpr std::array<std::string_view, 31> kCommonCapitals{
    "i",         "i'm",      "i'll",   "i've",     "i'd",    "ok",        "monday",   "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january",   "february", "march",
    "april",     "may",      "june",   "july",     "august", "september", "october",  "november",
    "december",  "mr",       "mrs",    "ms",       "dr",     "god",       "english"};

const std::set<std::string, std::less<>> kDeterminers{"the", "a",   "an",    "your", "some",
                                                      "his", "her", "their", "its"};

using Words = std::span<const std::string>;

// Whether `words` (the text before a match, in order) ends with `pattern`, after skipping one
// determiner, and with up to `gap` other words between the pattern and the match.
bool EndsWith(const Words& before, std::initializer_list<std::string_view> pattern, int gap = 0) {
    std::size_t end = before.size();
    if (end > 0 && kDeterminers.contains(before[end - 1])) --end;
    for (int skip = 0; skip <= gap; ++skip) {
        if (static_cast<std::size_t>(skip) > end) break;
        const std::size_t stop = end - static_cast<std::size_t>(skip);
        if (pattern.size() > stop) continue;
        std::size_t k = stop - pattern.size();
        bool match = true;
        for (auto p : pattern) match = match && before[k++] == p;
        if (match) return true;
    }
    return false;
}

bool AnyEndsWith(const Words& before,
                 std::initializer_list<std::initializer_list<std::string_view>> patterns,
                 int gap = 0) {
    for (const auto& p : patterns) {
        if (EndsWith(before, p, gap)) return true;
    }
    return false;
}

}  // namespace

std::string NormaliseForMatching(std::string_view text) {
    std::string out = " ";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (IsWordByte(c)) {
            out += static_cast<char>(std::tolower(c));
        } else if (out.back() != ' ') {
            out += ' ';
        }
    }
    if (out.back() != ' ') out += ' ';
    return out;
}

void CoherenceChecker::AddPhrase(std::string_view text, world::Kind kind, const std::string& id,
                                 const std::string& name, bool polices) {
    const std::string words = WithoutArticle(Trim(NormaliseForMatching(text)));
    if (words.empty()) return;
    phrases_.push_back({words, Split(words), kind, id, name, polices});
}

CoherenceChecker::CoherenceChecker(const world::Pack& pack) : pack_(pack) {
    auto remember = [&](std::string_view text) {
        for (const auto& w : CapitalWords(text)) {
            std::string lower = Lower(w.word);
            if (lower.ends_with("'s")) lower.resize(lower.size() - 2);
            known_words_.insert(std::move(lower));
        }
    };
    for (const auto& person : pack.people) {
        AddPhrase(person.name, world::Kind::kPerson, person.id, person.name, true);
        for (const auto& alias : person.aliases) {
            // A capitalised alias is another name ("Granny Wren"); a lowercase one is a
            // description ("the fisher") and only helps find them.
            const bool proper =
                !alias.empty() && std::isupper(static_cast<unsigned char>(alias[0]));
            AddPhrase(alias, world::Kind::kPerson, person.id, person.name, proper);
        }
    }
    for (const auto& place : pack.places) {
        const std::string words = WithoutArticle(Trim(NormaliseForMatching(place.name)));
        AddPhrase(place.name, world::Kind::kPlace, place.id, place.name,
                  words.find(' ') != std::string::npos);
        for (const auto& alias : place.aliases) {
            AddPhrase(alias, world::Kind::kPlace, place.id, place.name, false);
        }
    }
    for (const auto& item : pack.items) {
        const std::string words = WithoutArticle(Trim(NormaliseForMatching(item.name)));
        AddPhrase(item.name, world::Kind::kItem, item.id, item.name,
                  words.find(' ') != std::string::npos);
        for (const auto& alias : item.aliases) {
            AddPhrase(alias, world::Kind::kItem, item.id, item.name, false);
        }
        // "lantern" for "a brass lantern", as players (and models) shorten it.
        if (const auto space = words.rfind(' '); space != std::string::npos) {
            AddPhrase(words.substr(space + 1), world::Kind::kItem, item.id, item.name, false);
        }
    }
    for (std::size_t i = 0; i < phrases_.size(); ++i) {
        by_first_word_[phrases_[i].tokens.front()].push_back(i);
    }

    remember(pack.meta.title);
    remember(pack.meta.summary);
    for (const auto& variant : pack.meta.intro.variants) remember(variant);
    for (const auto& person : pack.people) {
        remember(person.name);
        for (const auto& a : person.aliases) remember(a);
    }
    for (const auto& place : pack.places) {
        remember(place.name);
        for (const auto& a : place.aliases) remember(a);
    }
    for (const auto& item : pack.items) {
        remember(item.name);
        for (const auto& a : item.aliases) remember(a);
    }
    for (const auto& ending : pack.endings) remember(ending.title);
    for (int slot = 0; slot < pack.text_slots; ++slot) {
        if (const world::Text* text = pack.FindText(pack.TextKey(slot))) {
            for (const auto& variant : text->variants) remember(variant);
        }
    }
    for (auto w : kCommonCapitals) known_words_.insert(std::string(w));
}

std::vector<CoherenceChecker::Match> CoherenceChecker::Matches(
    const std::vector<std::string>& words) const {
    std::vector<Match> found;
    for (std::size_t i = 0; i < words.size(); ++i) {
        auto it = by_first_word_.find(words[i]);
        if (it == by_first_word_.end()) continue;
        for (std::size_t index : it->second) {
            const Phrase& p = phrases_[index];
            const std::size_t end = i + p.tokens.size();
            if (end > words.size() || !std::equal(p.tokens.begin() + 1, p.tokens.end(),
                                                  words.begin() + static_cast<long>(i) + 1)) {
                continue;
            }
            auto same = std::find_if(found.begin(), found.end(),
                                     [&](const Match& m) { return m.begin == i && m.end == end; });
            if (same == found.end()) {
                found.push_back({i, end, {&p}});
            } else {
                same->phrases.push_back(&p);
            }
        }
    }
    std::vector<Match> out;
    for (const auto& m : found) {
        const bool inside_longer = std::any_of(found.begin(), found.end(), [&](const Match& o) {
            return o.begin <= m.begin && m.end <= o.end && (o.end - o.begin) > (m.end - m.begin);
        });
        if (!inside_longer) out.push_back(m);
    }
    return out;
}

TurnScope CoherenceChecker::Scope(const world::Outcome& outcome, std::string_view authored_text,
                                  std::string_view player_name) const {
    const world::State& state = outcome.state;
    TurnScope scope;
    const world::Place& here = world::PlayerPlace(pack_, state);
    scope.place = here.id;
    scope.in_scope.insert(here.id);
    for (const auto& exit : here.exits) {
        if (world::ExitVisible(state, exit)) scope.in_scope.insert(exit.to);
    }
    for (int i : world::PeopleAt(state, state.player)) scope.in_scope.insert(pack_.people[i].id);
    for (int i : world::ItemsAt(state, state.player)) scope.in_scope.insert(pack_.items[i].id);
    for (int i : world::Inventory(state)) {
        scope.in_scope.insert(pack_.items[i].id);
        scope.carried.insert(pack_.items[i].id);
    }
    for (const auto& e : outcome.events) {
        for (const std::string* id : {&e.subject, &e.object}) {
            if (!id->empty() && pack_.KindOf(*id)) scope.in_scope.insert(*id);
        }
        for (const auto& id : e.ids) scope.in_scope.insert(id);
        if (e.kind == world::EventKind::kTook) scope.taken.insert(e.subject);
        if (e.kind == world::EventKind::kDropped || e.kind == world::EventKind::kGave) {
            scope.parted.insert(e.subject);
        }
    }
    for (const auto& effect : outcome.effects) {
        if (effect.kind != world::EffectKind::kMoveItem) continue;
        scope.in_scope.insert(effect.subject);
        if (effect.target == "player") {
            scope.taken.insert(effect.subject);
        } else {
            scope.parted.insert(effect.subject);
        }
    }
    for (const auto& m : Matches(Split(NormaliseForMatching(authored_text)))) {
        for (const Phrase* p : m.phrases) scope.in_scope.insert(p->id);
    }
    for (const auto& w : CapitalWords(authored_text)) scope.words.insert(Lower(w.word));
    for (const auto& w : Split(NormaliseForMatching(player_name))) scope.words.insert(w);
    return scope;
}

std::vector<CoherenceIssue> CoherenceChecker::Check(std::string_view text,
                                                    const TurnScope& scope) const {
    std::vector<CoherenceIssue> issues;
    const std::string normalised = NormaliseForMatching(text);

    const std::vector<std::string> all = Split(normalised);
    const std::vector<Match> matches = Matches(all);
    // One issue per name however often it appears; one name may name several things ("box").
    std::map<std::string, std::vector<const Phrase*>> by_words;
    for (const auto& m : matches) by_words.try_emplace(m.phrases.front()->words, m.phrases);

    for (const auto& [words, named] : by_words) {
        const bool polices =
            std::any_of(named.begin(), named.end(), [](const Phrase* p) { return p->polices; });
        const bool in_scope = std::any_of(named.begin(), named.end(), [&](const Phrase* p) {
            return scope.in_scope.contains(p->id);
        });
        if (polices && !in_scope) {
            const Phrase* p = named.front();
            issues.push_back(
                {"out_of_scope", "names " + p->name +
                                     (p->kind == world::Kind::kPerson ? ", who is not here"
                                                                      : ", which is not here")});
        }
    }

    for (const auto& w : CapitalWords(text)) {
        if (w.initial) continue;
        std::string lower = Lower(w.word);
        if (lower.ends_with("'s")) lower.resize(lower.size() - 2);
        if (known_words_.contains(lower) || scope.words.contains(lower)) continue;
        issues.push_back(
            {"invented_name", "names " + w.word + ", who or which is not in this world"});
    }

    // Contradictions: what precedes each name.
    for (const auto& m : matches) {
        const std::vector<const Phrase*>& named = m.phrases;
        const Words before(all.data(), m.begin);
        auto any = [&](auto pred) { return std::any_of(named.begin(), named.end(), pred); };
        const bool is_item = any([](const Phrase* p) { return p->kind == world::Kind::kItem; });
        const bool is_place = any([](const Phrase* p) { return p->kind == world::Kind::kPlace; });
        const std::string& name = named.front()->name;
        if (is_item) {
            const bool taken = any([&](const Phrase* p) { return scope.taken.contains(p->id); });
            const bool parted = any([&](const Phrase* p) { return scope.parted.contains(p->id); });
            const bool carried =
                any([&](const Phrase* p) { return scope.carried.contains(p->id); });
            if (!taken && AnyEndsWith(before, {{"you", "take"},
                                               {"you", "pick", "up"},
                                               {"you", "grab"},
                                               {"you", "pocket"},
                                               {"you", "collect"},
                                               {"you", "lift"},
                                               {"you", "scoop", "up"}})) {
                issues.push_back({"contradiction", "says you take " + name});
            } else if (!parted && AnyEndsWith(before,
                                              {{"you", "drop"},
                                               {"you", "put", "down"},
                                               {"you", "set", "down"},
                                               {"you", "leave"},
                                               {"you", "give"},
                                               {"you", "hand"},
                                               {"you", "hand", "over"}},
                                              1)) {
                issues.push_back({"contradiction", "says you part with " + name});
            } else if (!carried && !parted && !before.empty() && before.back() == "your") {
                issues.push_back({"contradiction", "calls " + name + " yours"});
            } else if (!carried &&
                       AnyEndsWith(before,
                                   {{"gives", "you"}, {"hands", "you"}, {"passes", "you"}})) {
                issues.push_back({"contradiction", "says you are given " + name});
            }
        }
        if (is_place && !any([&](const Phrase* p) { return p->id == scope.place; }) &&
            AnyEndsWith(before, {{"you", "arrive", "at"},
                                 {"you", "arrive", "in"},
                                 {"you", "are", "in"},
                                 {"you", "are", "at"},
                                 {"you", "are", "on"},
                                 {"you", "re", "in"},
                                 {"you", "re", "at"},
                                 {"you", "stand", "in"},
                                 {"you", "stand", "at"},
                                 {"you", "stand", "on"},
                                 {"you", "step", "into"},
                                 {"you", "step", "onto"},
                                 {"you", "enter"},
                                 {"you", "reach"},
                                 {"you", "find", "yourself", "in"},
                                 {"you", "find", "yourself", "at"}})) {
            issues.push_back({"contradiction", "puts you at " + name + ", not where you are"});
        }
    }
    return issues;
}

}  // namespace tta::narrative::model
