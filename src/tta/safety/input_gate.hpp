// tta::safety input gate: classifies any player input as none, concern, high or imminent,
// with categories and the evidence that matched (ARCHITECTURE.md, principle 1: in-process,
// deterministic, no model, no network, microseconds). How it reads a sentence:
//   1. sanitise (tta::SanitizeUtf8) and normalise (normalize.hpp);
//   2. run every rule, guard and cue of the RuleSet in one RE2::Set pass;
//   3. for each rule match: drop it if it needs a plan/means/time cue and there is none;
//      (docs/safety.md walks through every step with examples)
//      cap it where an idiom or fiction guard overlaps it ("dying to know", "you want to
//      die?") or shares its sentence ("in the game", "..., says the knight");
//      drop it when negated just before ("I would never hurt myself"); lower it to concern for
//      a past event with a recovery cue and no recency cue ("I used to ..., I'm fine now") or
//      right after "used to";
//      lower it one level for joke-prone slang beside "lol"; raise it to imminent if it is an
//      intent and the input holds a plan, means or time cue ("tonight", "I have the pills");
//      a match lying inside a longer match is left to the longer one ("kill myself" inside
//      "tried to kill myself years ago");
//   4. the worst match wins; categories and evidence come from every match left.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/safety/pattern_set.hpp"
#include "tta/safety/rules.hpp"
#include "tta/safety/types.hpp"

namespace tta::safety {

struct Evidence {
    std::string rule;  // rule or cue id, e.g. "suicide.kill_self", "imminence.time"
    Level level = Level::kNone;
    std::vector<Category> categories;
    // Byte offsets into the sanitised input (equal to the input when it was valid UTF-8).
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string text;
};

struct Assessment {
    Level level = Level::kNone;
    std::vector<Category> categories;  // most serious first
    std::vector<Evidence> evidence;    // in input order
    std::string rules_version;

    bool Has(Category c) const;
};

struct GateOptions {
    // Memory for the RE2::Set DFA. Too little makes the gate fall back to one pattern at a
    // time (still correct; tests use it to prove that).
    std::int64_t set_max_mem = 64 << 20;
};

class InputGate {
public:
    // Compiles the rules once; the gate is then immutable and safe to share across threads.
    static Result<InputGate> Create(RuleSet rules, GateOptions options = {});
    // The gate over the rules built into the binary.
    static const InputGate& Embedded();

    Assessment Classify(std::string_view input) const;

    const RuleSet& rules() const { return rules_; }
    const std::string& version() const { return rules_.version; }

private:
    enum class Kind : std::uint8_t { kCue, kGuard, kRule };
    struct Entry {
        Kind kind;
        int index;
    };

    InputGate(RuleSet rules, detail::PatternSet patterns, std::vector<Entry> entries,
              std::vector<std::shared_ptr<const RE2>> unless)
        : rules_(std::move(rules)),
          patterns_(std::move(patterns)),
          entries_(std::move(entries)),
          unless_(std::move(unless)) {}

    enum class Before { kPlain, kNegated, kHistory };
    // What the few words before `begin` (same clause) say about the match.
    Before LookBehind(std::string_view text, std::size_t begin) const;

    RuleSet rules_;
    detail::PatternSet patterns_;
    std::vector<Entry> entries_;
    std::vector<std::shared_ptr<const RE2>> unless_;  // per guard; null when it has none
};

// {"level":"high","categories":["suicide"],"evidence":[{"rule":...,"level":...,
// "categories":[...],"start":0,"end":21,"text":"..."}]}: one line, the `tta safety check` form.
std::string AssessmentToJson(const Assessment& assessment);

}  // namespace tta::safety
