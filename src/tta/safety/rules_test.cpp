#include "tta/safety/rules.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tta::safety {
namespace {

constexpr const char* kMinimal = R"(version: "1"
rules:
  - id: suicide.kill_self
    categories: [suicide]
    level: high
    pattern: '\bkill myself\b'
    examples: ["I want to kill myself"]
)";

std::string ErrorOf(std::string_view yaml) {
    auto r = ParseRules(yaml, "rules.yaml");
    EXPECT_FALSE(r.has_value()) << yaml;
    return r ? std::string() : r.error().message;
}

TEST(Rules, EmbeddedRulesParseAndCarryAVersion) {
    const RuleSet& rules = EmbeddedRules();
    EXPECT_FALSE(rules.version.empty());
    EXPECT_GT(rules.rules.size(), 40u);
}

TEST(Rules, MinimalDocumentParses) {
    auto r = ParseRules(kMinimal, "rules.yaml");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->rules.size(), 1u);
    EXPECT_EQ(r->rules[0].line, 3);
    EXPECT_EQ(r->rules[0].level, Level::kHigh);
}

TEST(Rules, ErrorsNameTheFileAndLine) {
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: severe\n    pattern: x\n    examples: [x]\n"),
              "rules.yaml:5: unknown level 'severe' (none, concern, high, imminent)");
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [sadness]\n"
                      "    level: high\n    pattern: x\n    examples: [x]\n"),
              "rules.yaml:4: unknown category 'sadness'");
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: '(x'\n    examples: [x]\n")
                  .rfind("rules.yaml:6: pattern does not compile", 0),
              0u);
}

TEST(Rules, RejectsMissingExamplesUnknownFieldsAndDuplicates) {
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: x\n"),
              "rules.yaml:3: 'a.b' needs at least one entry in 'examples'");
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: x\n    examples: [x]\n    negateable: true\n"),
              "rules.yaml:8: unknown field 'negateable'");
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: x\n    examples: [x]\n"
                      "  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: y\n    examples: [y]\n"),
              "rules.yaml:8: duplicate id 'a.b'");
}

TEST(Rules, RejectsMissingVersionAndBadYaml) {
    EXPECT_EQ(ErrorOf("rules: []\n"), "rules.yaml:1: missing 'version'");
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules: [\n").rfind("rules.yaml:", 0), 0u);
}

TEST(Rules, ExpandsLexiconsAndReportsUnknownOnes) {
    auto r = ParseRules(
        "version: \"1\"\nlexicons:\n  self: [myself, my self]\n  verb: ['kill {self}']\n"
        "rules:\n  - id: a.b\n    categories: [suicide]\n    level: high\n"
        "    pattern: 'x{1,2} {verb}'\n    examples: [x]\n",
        "rules.yaml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->rules[0].pattern, "x{1,2} (?:kill (?:myself|my self))");
    EXPECT_EQ(ErrorOf("version: \"1\"\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: '{nope}'\n    examples: [x]\n"),
              "rules.yaml:6: unknown lexicon '{nope}'");
}

TEST(Rules, GuardsCapAtConcernOrBelow) {
    EXPECT_EQ(ErrorOf("version: \"1\"\nguards:\n  - id: g.x\n    cap: high\n    pattern: x\n"
                      "    examples: [x]\nrules:\n  - id: a.b\n    categories: [suicide]\n"
                      "    level: high\n    pattern: x\n    examples: [x]\n"),
              "rules.yaml:4: a guard caps at none or concern");
}

}  // namespace
}  // namespace tta::safety
