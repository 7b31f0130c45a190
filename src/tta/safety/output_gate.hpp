// tta::safety output gate: checks every piece of narrative, authored or generated, before the
// player sees it (ARCHITECTURE.md, "One turn"). It flags self-harm methods and encouragement,
// medication doses, eating-disorder promotion, drug instructions and slurs, and says why. The
// caller replaces failing text with authored text (FallbackLine() when it has none) and counts
// it as a metric. Rules: data/safety/output_rules.yaml, embedded at build time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/safety/pattern_set.hpp"

namespace tta::safety {

struct OutputRule {
    std::string id;
    std::string reason;  // self_harm_method, self_harm_encouragement, medication_dosing, ...
    std::string pattern;
    std::vector<std::string> examples;
    std::vector<std::string> counter_examples;
    int line = 0;
};

struct OutputGuard {
    std::string id;
    std::string pattern;
    std::vector<std::string> examples;
    int line = 0;
};

struct OutputRuleSet {
    std::string version;
    std::string source;
    std::string fallback;
    std::vector<OutputGuard> guards;  // a finding overlapped by a guard is dropped
    std::vector<OutputRule> rules;
};

Result<OutputRuleSet> ParseOutputRules(std::string_view yaml, std::string_view source);
const OutputRuleSet& EmbeddedOutputRules();

struct OutputFinding {
    std::string rule;
    std::string reason;
    std::size_t begin = 0;  // bytes into the sanitised text
    std::size_t end = 0;
    std::string text;
};

struct OutputVerdict {
    bool safe = true;
    std::vector<OutputFinding> findings;

    // Distinct reasons, in order of first appearance.
    std::vector<std::string> Reasons() const;
};

class OutputGate {
public:
    static Result<OutputGate> Create(OutputRuleSet rules);
    static const OutputGate& Embedded();

    OutputVerdict Check(std::string_view text) const;
    // An authored, neutral line to show instead of a failing narrative.
    const std::string& FallbackLine() const { return rules_.fallback; }
    const OutputRuleSet& rules() const { return rules_; }

private:
    OutputGate(OutputRuleSet rules, detail::PatternSet patterns)
        : rules_(std::move(rules)), patterns_(std::move(patterns)) {}

    OutputRuleSet rules_;
    detail::PatternSet patterns_;  // guards first, then rules
};

}  // namespace tta::safety
