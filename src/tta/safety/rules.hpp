// tta::safety input rules: the reviewed, versioned data the input gate runs on
// (data/safety/rules.yaml, embedded in the binary at build time). See docs/safety.md for how
// to change a rule and the test that must come with it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/safety/types.hpp"

namespace tta::safety {

// A pattern that, when it occurs in the normalised input, is evidence for its categories.
struct Rule {
    std::string id;
    std::vector<Category> categories;
    Level level = Level::kHigh;
    std::string pattern;  // RE2, lexicons already expanded
    bool escalate = false;         // plan, means or time anywhere in the input -> imminent
    bool negatable = false;        // "I don't want to ..." right before it -> none
    bool past = false;             // an event, not an intent: recovery cues lower it
    bool joke = false;             // "lol" and friends lower it one level
    bool needs_imminence = false;  // counts only beside a plan, means or time cue
    bool needs_means = false;      // counts only beside a plan or means cue
    std::vector<std::string> examples;          // inputs on which this rule must fire
    std::vector<std::string> counter_examples;  // inputs on which it must not
    int line = 0;
};

// Idiom and fiction guards: where one overlaps a rule's match (or, with sentence scope, shares
// its sentence), that match is capped.
struct Guard {
    std::string id;
    std::string pattern;
    Level cap = Level::kNone;
    bool sentence_scope = false;
    std::vector<Category> applies_to;  // empty: every category
    std::vector<std::string> rules;    // rule ids or id prefixes ("suicide."); empty: all
    std::string unless;  // optional pattern: when it occurs in the same sentence, no cap
    std::vector<std::string> examples;
    int line = 0;
};

enum class CueKind {
    kImminence,  // a time ("tonight", "as soon as they leave")
    kMeans,      // means at hand ("I have the pills", "the rope is ready")
    kPlan,       // a plan made ("I've decided", "I wrote the note")
    kRecovery,   // "used to", "years ago", "I'm fine now"
    kRecency,    // "again", "last night": a recovery cue does not apply
    kJoke,       // "lol", "jk"
};

struct Cue {
    std::string id;
    CueKind kind = CueKind::kImminence;
    std::string pattern;
    std::vector<std::string> examples;
    int line = 0;
};

struct RuleSet {
    std::string version;
    std::string source;  // file name, for messages
    // Negation: one of `negation_words` within `negation_window` words before a match, in
    // the same clause, with none of `negation_blockers` ("stop", "help", "know") between.
    int negation_window = 5;
    std::vector<std::string> negation_words;
    std::vector<std::string> negation_blockers;
    // "used (to)" in the same window reads as a past state: lowered to concern.
    std::vector<std::string> history_words;
    std::vector<Cue> cues;
    std::vector<Guard> guards;
    std::vector<Rule> rules;
};

// Reads and validates a rules document; every problem is reported as "source:line: message".
Result<RuleSet> ParseRules(std::string_view yaml, std::string_view source);
Result<RuleSet> LoadRulesFile(const std::string& path);
// The rules built into this binary.
const RuleSet& EmbeddedRules();

}  // namespace tta::safety
