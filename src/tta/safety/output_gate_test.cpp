#include "tta/safety/output_gate.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>

#include "tta/safety/normalize.hpp"

namespace tta::safety {
namespace {

const OutputGate& Gate() { return OutputGate::Embedded(); }

bool Fired(const OutputVerdict& v, const std::string& rule) {
    return std::any_of(v.findings.begin(), v.findings.end(),
                       [&](const OutputFinding& f) { return f.rule == rule; });
}

TEST(OutputGate, EveryRuleFlagsItsExamples) {
    for (const OutputRule& r : Gate().rules().rules) {
        for (const std::string& ex : r.examples) {
            const OutputVerdict v = Gate().Check(ex);
            EXPECT_FALSE(v.safe) << r.id << " on \"" << ex << "\"";
            EXPECT_TRUE(Fired(v, r.id)) << r.id << " on \"" << ex << "\"";
        }
    }
}

TEST(OutputGate, NoRuleFlagsItsCounterExamples) {
    for (const OutputRule& r : Gate().rules().rules) {
        for (const std::string& ex : r.counter_examples) {
            EXPECT_FALSE(Fired(Gate().Check(ex), r.id)) << r.id << " on \"" << ex << "\"";
        }
    }
}

TEST(OutputGate, GuardsMatchTheirExamplesAndClearThem) {
    for (const OutputGuard& g : Gate().rules().guards) {
        const RE2 re(g.pattern, detail::PatternOptions());
        for (const std::string& ex : g.examples) {
            EXPECT_TRUE(RE2::PartialMatch(Normalize(ex).text, re)) << g.id << " on \"" << ex << "\"";
            EXPECT_TRUE(Gate().Check(ex).safe) << g.id << " on \"" << ex << "\"";
        }
    }
}

TEST(OutputGate, OrdinaryDarkFictionPasses) {
    for (const char* text : {
             "The goblin falls, and the cave is quiet again.",
             "The knight died bravely defending the bridge.",
             "\"I will kill you,\" the bandit snarls, raising his axe.",
             "You take a slow breath: in for four, hold, out for six.",
             "The healer hands you a small vial. \"Two drops in water, no more.\"",
             "Mira smiles. \"You matter to this village, you know.\"",
             "A chink of light shows under the door.",
         }) {
        const OutputVerdict v = Gate().Check(text);
        EXPECT_TRUE(v.safe) << text << ": " << (v.findings.empty() ? "" : v.findings[0].rule);
    }
}

TEST(OutputGate, ReportsReasonsOnceEachInOrder) {
    const OutputVerdict v =
        Gate().Check("Take 500mg of paracetamol. Nobody would miss you. Take 20mg more.");
    ASSERT_FALSE(v.safe);
    EXPECT_EQ(v.Reasons(),
              (std::vector<std::string>{"medication_dosing", "self_harm_encouragement"}));
    EXPECT_EQ(v.findings.front().text, "500mg");
}

TEST(OutputGate, HasAnAuthoredFallbackLineThatPassesItself) {
    EXPECT_FALSE(Gate().FallbackLine().empty());
    EXPECT_TRUE(Gate().Check(Gate().FallbackLine()).safe);
}

TEST(OutputRules, ErrorsNameTheFileAndLine) {
    auto r = ParseOutputRules("version: \"1\"\nfallback: ok\nrules:\n  - id: a.b\n"
                              "    reason: rudeness\n    pattern: x\n    examples: [x]\n",
                              "out.yaml");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "out.yaml:5: unknown reason 'rudeness'");
}

}  // namespace
}  // namespace tta::safety
