#include "tta/safety/input_gate.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "tta/core/utf8.hpp"
#include "tta/safety/normalize.hpp"

namespace tta::safety {
namespace {

struct Span {
    std::size_t begin;
    std::size_t end;
};

bool Overlaps(std::size_t b1, std::size_t e1, std::size_t b2, std::size_t e2) {
    return b1 < e2 && b2 < e1;
}

bool IsWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool IsSentenceEnd(char c) { return c == '.' || c == '!' || c == '?'; }
bool IsClauseEnd(char c) {
    return IsSentenceEnd(c) || c == ',' || c == ';' || c == ':' || c == '(' || c == ')' ||
           c == '"';
}

// The sentence [begin, end) of text that holds position pos.
Span SentenceAt(std::string_view text, std::size_t pos) {
    std::size_t b = pos;
    while (b > 0 && !IsSentenceEnd(text[b - 1])) --b;
    std::size_t e = pos;
    while (e < text.size() && !IsSentenceEnd(text[e])) ++e;
    return {b, e};
}

bool Contains(const std::vector<std::string>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

Level Lower(Level l) { return l == Level::kNone ? l : static_cast<Level>(static_cast<int>(l) - 1); }

bool GuardApplies(const Guard& g, const Rule& r) {
    if (!g.rules.empty() &&
        std::none_of(g.rules.begin(), g.rules.end(), [&](const std::string& prefix) {
            return r.id.rfind(prefix, 0) == 0;
        })) {
        return false;
    }
    if (g.applies_to.empty()) return true;
    for (Category c : r.categories) {
        if (std::find(g.applies_to.begin(), g.applies_to.end(), c) != g.applies_to.end()) {
            return true;
        }
    }
    return false;
}

}  // namespace

bool Assessment::Has(Category c) const {
    return std::find(categories.begin(), categories.end(), c) != categories.end();
}

Result<InputGate> InputGate::Create(RuleSet rules, GateOptions options) {
    detail::PatternSet patterns(options.set_max_mem);
    std::vector<Entry> entries;
    auto add = [&](const std::string& pattern, const std::string& id, int line, Kind kind,
                   int index) -> Status {
        auto r = patterns.Add(pattern, fmt::format("{}:{}: {}", rules.source, line, id));
        if (!r) return r.error();
        entries.push_back({kind, index});
        return Ok();
    };
    for (int i = 0; i < static_cast<int>(rules.cues.size()); ++i) {
        const Cue& c = rules.cues[i];
        if (auto st = add(c.pattern, c.id, c.line, Kind::kCue, i); !st) return st.error();
    }
    for (int i = 0; i < static_cast<int>(rules.guards.size()); ++i) {
        const Guard& g = rules.guards[i];
        if (auto st = add(g.pattern, g.id, g.line, Kind::kGuard, i); !st) return st.error();
    }
    for (int i = 0; i < static_cast<int>(rules.rules.size()); ++i) {
        const Rule& r = rules.rules[i];
        if (auto st = add(r.pattern, r.id, r.line, Kind::kRule, i); !st) return st.error();
    }
    if (auto st = patterns.Compile(); !st) return st.error();
    std::vector<std::shared_ptr<const RE2>> unless;
    for (const Guard& g : rules.guards) {
        unless.push_back(g.unless.empty()
                             ? nullptr
                             : std::make_shared<const RE2>(g.unless, detail::PatternOptions()));
        if (unless.back() && !unless.back()->ok()) {
            return Error::Invalid(fmt::format("{}:{}: {}: 'unless' does not compile", rules.source,
                                              g.line, g.id));
        }
    }
    return InputGate(std::move(rules), std::move(patterns), std::move(entries), std::move(unless));
}

const InputGate& InputGate::Embedded() {
    static const InputGate gate = [] {
        auto g = Create(EmbeddedRules());
        if (!g) {
            fmt::print(stderr, "tta: embedded safety rules do not compile: {}\n",
                       g.error().message);
            std::abort();
        }
        return std::move(*g);
    }();
    return gate;
}

InputGate::Before InputGate::LookBehind(std::string_view text, std::size_t begin) const {
    std::size_t pos = begin;
    for (int words = 0; words < rules_.negation_window;) {
        while (pos > 0 && text[pos - 1] == ' ') --pos;
        if (pos == 0 || IsClauseEnd(text[pos - 1])) return Before::kPlain;
        const std::size_t end = pos;
        while (pos > 0 && IsWordChar(text[pos - 1])) --pos;
        if (pos == end) {  // some other symbol: step over it
            --pos;
            continue;
        }
        const std::string_view word = text.substr(pos, end - pos);
        if (word == "but") return Before::kPlain;
        if (Contains(rules_.negation_blockers, word)) return Before::kPlain;
        if (Contains(rules_.negation_words, word)) return Before::kNegated;
        if (Contains(rules_.history_words, word)) return Before::kHistory;
        ++words;
    }
    return Before::kPlain;
}

Assessment InputGate::Classify(std::string_view input) const {
    Assessment out;
    out.rules_version = rules_.version;
    const std::string source = SanitizeUtf8(input);
    const NormalizedText norm = Normalize(source);
    const std::string_view text = norm.text;
    if (text.empty()) return out;

    const std::vector<detail::PatternHit> hits = patterns_.FindAll(text);
    if (hits.empty()) return out;

    std::array<std::vector<Span>, 6> cues;  // by CueKind
    std::vector<std::pair<const Guard*, Span>> guards;
    std::vector<std::pair<const Rule*, Span>> rule_hits;
    std::vector<std::pair<const Cue*, Span>> imminence;
    for (const detail::PatternHit& h : hits) {
        const Entry& e = entries_[h.pattern];
        const Span span{h.begin, h.end};
        switch (e.kind) {
            case Kind::kCue: {
                const Cue& c = rules_.cues[e.index];
                cues[static_cast<int>(c.kind)].push_back(span);
                if (c.kind == CueKind::kImminence || c.kind == CueKind::kMeans ||
                    c.kind == CueKind::kPlan) {
                    imminence.emplace_back(&c, span);
                }
                break;
            }
            case Kind::kGuard:
                guards.emplace_back(&rules_.guards[e.index], span);
                break;
            case Kind::kRule:
                rule_hits.emplace_back(&rules_.rules[e.index], span);
                break;
        }
    }
    if (rule_hits.empty()) return out;

    const bool any_recovery = !cues[static_cast<int>(CueKind::kRecovery)].empty();
    const bool any_recency = !cues[static_cast<int>(CueKind::kRecency)].empty();
    const bool any_joke = !cues[static_cast<int>(CueKind::kJoke)].empty();

    auto recovery_in_sentence = [&](std::size_t pos) {
        const Span s = SentenceAt(text, pos);
        for (const Span& c : cues[static_cast<int>(CueKind::kRecovery)]) {
            if (Overlaps(c.begin, c.end, s.begin, s.end)) return true;
        }
        return false;
    };
    // A means or plan cue counts for a match unless it is part of the match's own words
    // ("goodbye forever" is both a farewell and a plan cue: alone it proves nothing more). A
    // time counts wherever it is: "end it tonight" is a time whichever pattern read it.
    auto cue_outside = [&](const Span& span, bool time_counts) {
        for (const auto& [cue, c] : imminence) {
            if (cue->kind == CueKind::kImminence) {
                if (time_counts) return true;
                continue;
            }
            if (c.begin < span.begin || c.end > span.end) return true;
        }
        return false;
    };
    auto imminence_outside = [&](const Span& span) { return cue_outside(span, true); };

    // A match inside a longer match reads less of the sentence: "kill myself" inside "tried to
    // kill myself years ago", "suicidal" inside "my sister is suicidal". The longer one decides.
    std::erase_if(rule_hits, [&](const auto& hit) {
        return (hit.first->needs_imminence && !imminence_outside(hit.second)) ||
               (hit.first->needs_means && !cue_outside(hit.second, false));
    });
    auto inside_another = [&](const Span& s) {
        for (const auto& [other, o] : rule_hits) {
            if (o.begin <= s.begin && s.end <= o.end && (o.end - o.begin) > (s.end - s.begin)) {
                return true;
            }
        }
        return false;
    };

    std::vector<Category> escalated;
    for (const auto& [rule, span] : rule_hits) {
        if (inside_another(span)) continue;
        Level level = rule->level;
        for (const auto& [guard, gspan] : guards) {
            if (!GuardApplies(*guard, *rule)) continue;
            if (guard->sentence_scope) {
                const Span s = SentenceAt(text, span.begin);
                if (!Overlaps(gspan.begin, gspan.end, s.begin, s.end)) continue;
            } else if (!Overlaps(gspan.begin, gspan.end, span.begin, span.end)) {
                continue;
            }
            const RE2* unless = unless_[guard - rules_.guards.data()].get();
            if (unless) {
                const Span sentence = SentenceAt(text, gspan.begin);
                if (RE2::PartialMatch(text.substr(sentence.begin, sentence.end - sentence.begin),
                                      *unless)) {
                    continue;
                }
            }
            level = std::min(level, guard->cap);
        }
        const Before before = LookBehind(text, span.begin);
        if (rule->negatable && level > Level::kNone && before == Before::kNegated) {
            level = recovery_in_sentence(span.begin) ? Level::kConcern : Level::kNone;
        }
        if (before == Before::kHistory && !any_recency) level = std::min(level, Level::kConcern);
        if (rule->past && any_recovery && !any_recency) level = std::min(level, Level::kConcern);
        if (rule->joke && any_joke) level = Lower(level);
        if (rule->escalate && level == Level::kHigh && imminence_outside(span)) {
            level = Level::kImminent;
            escalated.insert(escalated.end(), rule->categories.begin(), rule->categories.end());
        }
        if (level == Level::kNone) continue;
        const auto [b, e] = norm.SourceSpan(span.begin, span.end);
        out.evidence.push_back({rule->id, level, rule->categories, b, e, source.substr(b, e - b)});
    }
    if (out.evidence.empty()) return out;

    if (!escalated.empty()) {
        std::sort(escalated.begin(), escalated.end());
        escalated.erase(std::unique(escalated.begin(), escalated.end()), escalated.end());
        for (const auto& [cue, span] : imminence) {
            const auto [b, e] = norm.SourceSpan(span.begin, span.end);
            out.evidence.push_back(
                {cue->id, Level::kImminent, escalated, b, e, source.substr(b, e - b)});
        }
    }
    std::stable_sort(out.evidence.begin(), out.evidence.end(),
                     [](const Evidence& a, const Evidence& b) { return a.begin < b.begin; });

    std::array<int, kCategoryCount> worst{};
    worst.fill(-1);
    for (const Evidence& ev : out.evidence) {
        out.level = std::max(out.level, ev.level);
        for (Category c : ev.categories) {
            int& w = worst[static_cast<int>(c)];
            w = std::max(w, static_cast<int>(ev.level));
        }
    }
    for (int lvl = static_cast<int>(Level::kImminent); lvl >= 1; --lvl) {
        for (int c = 0; c < kCategoryCount; ++c) {
            if (worst[c] == lvl) out.categories.push_back(static_cast<Category>(c));
        }
    }
    return out;
}

std::string AssessmentToJson(const Assessment& a) {
    namespace json = boost::json;
    json::object o;
    o["level"] = LevelName(a.level);
    json::array cats;
    for (Category c : a.categories) cats.emplace_back(CategoryName(c));
    o["categories"] = std::move(cats);
    json::array ev;
    for (const Evidence& e : a.evidence) {
        json::object x;
        x["rule"] = e.rule;
        x["level"] = LevelName(e.level);
        json::array ec;
        for (Category c : e.categories) ec.emplace_back(CategoryName(c));
        x["categories"] = std::move(ec);
        x["start"] = e.begin;
        x["end"] = e.end;
        x["text"] = e.text;
        ev.push_back(std::move(x));
    }
    o["evidence"] = std::move(ev);
    return json::serialize(o);
}

}  // namespace tta::safety
