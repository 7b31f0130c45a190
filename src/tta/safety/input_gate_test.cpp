#include "tta/safety/input_gate.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tta/safety/normalize.hpp"
#include "tta/safety/pattern_set.hpp"

namespace tta::safety {

void PrintTo(Level level, std::ostream* os) { *os << LevelName(level); }

namespace {

const InputGate& Gate() { return InputGate::Embedded(); }

bool Fired(const Assessment& a, const std::string& rule) {
    return std::any_of(a.evidence.begin(), a.evidence.end(),
                       [&](const Evidence& e) { return e.rule == rule; });
}

std::string Describe(const Assessment& a) {
    std::string s = std::string(LevelName(a.level)) + " [";
    for (const Evidence& e : a.evidence) {
        s += e.rule + "=" + std::string(LevelName(e.level)) + " '" + e.text + "' ";
    }
    return s + "]";
}

// A rule's example must match its pattern and leave the gate at least at the rule's level
// (the evidence may name a longer rule that reads the same words, see input_gate.hpp).
// input_cases.tsv pins the exact levels.
TEST(InputGate, EveryRuleFiresOnEachOfItsExamples) {
    for (const Rule& rule : Gate().rules().rules) {
        const RE2 re(rule.pattern, detail::PatternOptions());
        for (const std::string& ex : rule.examples) {
            EXPECT_TRUE(RE2::PartialMatch(Normalize(ex).text, re))
                << rule.id << " (line " << rule.line << ") does not match \"" << ex << "\"";
            // A past event beside a recovery cue is meant to read as concern.
            const Level least = rule.past ? std::min(rule.level, Level::kConcern) : rule.level;
            const Assessment a = Gate().Classify(ex);
            EXPECT_GE(a.level, least) << rule.id << " (line " << rule.line << ") on \"" << ex
                                           << "\": " << Describe(a);
        }
    }
}

TEST(InputGate, NoRuleFiresOnItsCounterExamples) {
    for (const Rule& rule : Gate().rules().rules) {
        for (const std::string& ex : rule.counter_examples) {
            const Assessment a = Gate().Classify(ex);
            EXPECT_FALSE(Fired(a, rule.id)) << rule.id << " (line " << rule.line << ") on \"" << ex
                                            << "\": " << Describe(a);
        }
    }
}

TEST(InputGate, EveryGuardMatchesItsExamplesAndCapsThem) {
    for (const Guard& g : Gate().rules().guards) {
        const RE2 re(g.pattern, detail::PatternOptions());
        for (const std::string& ex : g.examples) {
            EXPECT_TRUE(RE2::PartialMatch(Normalize(ex).text, re)) << g.id << " on \"" << ex << "\"";
            const Assessment a = Gate().Classify(ex);
            EXPECT_LE(a.level, g.cap) << g.id << " on \"" << ex << "\": " << Describe(a);
        }
    }
}

TEST(InputGate, EveryCueMatchesItsExamples) {
    for (const Cue& c : Gate().rules().cues) {
        const RE2 re(c.pattern, detail::PatternOptions());
        for (const std::string& ex : c.examples) {
            EXPECT_TRUE(RE2::PartialMatch(Normalize(ex).text, re)) << c.id << " on \"" << ex << "\"";
        }
    }
}

struct CaseLine {
    int line;
    Level level;
    std::set<std::string> categories;
    std::string text;
};

std::vector<CaseLine> ReadCases() {
    std::ifstream in(std::string(TTA_SOURCE_DIR) + "/src/tta/safety/testdata/input_cases.tsv");
    EXPECT_TRUE(in.good());
    std::vector<CaseLine> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        const auto t1 = line.find('\t');
        const auto t2 = line.find('\t', t1 + 1);
        if (t1 == std::string::npos || t2 == std::string::npos) {
            ADD_FAILURE() << "input_cases.tsv:" << n << ": expected level<TAB>categories<TAB>text";
            continue;
        }
        auto level = ParseLevel(line.substr(0, t1));
        if (!level) {
            ADD_FAILURE() << "input_cases.tsv:" << n << ": bad level";
            continue;
        }
        CaseLine c{n, *level, {}, line.substr(t2 + 1)};
        std::stringstream cats(line.substr(t1 + 1, t2 - t1 - 1));
        for (std::string cat; std::getline(cats, cat, ',');) {
            if (cat == "-") continue;
            EXPECT_TRUE(ParseCategory(cat)) << "input_cases.tsv:" << n << ": " << cat;
            c.categories.insert(cat);
        }
        out.push_back(std::move(c));
    }
    return out;
}

TEST(InputGateCases, EachLineGetsItsLevelAndCategories) {
    const auto cases = ReadCases();
    ASSERT_GT(cases.size(), 100u);
    for (const CaseLine& c : cases) {
        const Assessment a = Gate().Classify(c.text);
        std::set<std::string> got;
        for (Category cat : a.categories) got.insert(std::string(CategoryName(cat)));
        EXPECT_EQ(a.level, c.level) << "input_cases.tsv:" << c.line << ": \"" << c.text
                                    << "\": " << Describe(a);
        EXPECT_EQ(got, c.categories) << "input_cases.tsv:" << c.line << ": \"" << c.text << "\"";
    }
}

TEST(InputGateCases, EveryCategoryAndLevelHasCases) {
    std::set<std::string> cats;
    std::set<Level> levels;
    for (const CaseLine& c : ReadCases()) {
        cats.insert(c.categories.begin(), c.categories.end());
        levels.insert(c.level);
    }
    for (Category c : AllCategories()) EXPECT_TRUE(cats.count(std::string(CategoryName(c)))) << CategoryName(c);
    EXPECT_EQ(levels.size(), 4u);
}

TEST(InputGate, EvidencePointsAtTheBytesThePlayerTyped) {
    const std::string input = "ok. I REALLY want to KILL MYSELF";
    const Assessment a = Gate().Classify(input);
    ASSERT_EQ(a.level, Level::kHigh);
    bool found = false;
    for (const Evidence& e : a.evidence) {
        EXPECT_EQ(input.substr(e.begin, e.end - e.begin), e.text);
        found = found || e.text == "KILL MYSELF";
    }
    EXPECT_TRUE(found) << Describe(a);
}

TEST(InputGate, EscalationNamesThePlanMeansOrTimeCue) {
    const Assessment a = Gate().Classify("I'm going to kill myself tonight");
    EXPECT_EQ(a.level, Level::kImminent);
    EXPECT_TRUE(Fired(a, "imminence.time")) << Describe(a);
}

TEST(InputGate, InvalidUtf8AndControlBytesAreSanitisedFirst) {
    const std::string input = std::string("I want to \xFF\xFE kill\x01 myself");
    const Assessment a = Gate().Classify(input);
    EXPECT_EQ(a.level, Level::kHigh) << Describe(a);
    const Assessment b = Gate().Classify(std::string("\0\0\0", 3));
    EXPECT_EQ(b.level, Level::kNone);
}

TEST(InputGate, FallsBackToOnePatternAtATimeWhenTheSetHasNoMemory) {
    GateOptions tiny;
    tiny.set_max_mem = 1;  // the set cannot build its DFA
    auto gate = InputGate::Create(EmbeddedRules(), tiny);
    ASSERT_TRUE(gate) << gate.error().message;
    for (const char* text : {"I want to kill myself tonight", "kill the rat", "i hate myself"}) {
        EXPECT_EQ(gate->Classify(text).level, Gate().Classify(text).level) << text;
    }
}

TEST(InputGate, WorksOnLongInputs) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "I walk north and look around the old lighthouse. ";
    EXPECT_EQ(Gate().Classify(text).level, Level::kNone);
    text += "I want to die.";
    EXPECT_EQ(Gate().Classify(text).level, Level::kHigh);
}

TEST(AssessmentJson, HasLevelCategoriesAndEvidence) {
    const std::string json = AssessmentToJson(Gate().Classify("kill the rat"));
    EXPECT_EQ(json, R"({"level":"none","categories":[],"evidence":[]})");
    const std::string crisis = AssessmentToJson(Gate().Classify("i want to die"));
    EXPECT_NE(crisis.find(R"("level":"high","categories":["suicide"])"), std::string::npos)
        << crisis;
    EXPECT_NE(crisis.find(R"("rule":"suicide.want_die")"), std::string::npos) << crisis;
    EXPECT_NE(crisis.find(R"("start":)"), std::string::npos) << crisis;
}

}  // namespace
}  // namespace tta::safety

namespace tta::safety {
namespace {

// Every common way of saying it: intent phrases crossed with acts. "I'm going to die" alone is
// left out on purpose: in play it is far more often about a cave than about the player.
TEST(InputGateGrid, ExplicitStatementsAreCaughtInEveryCommonForm) {
    const char* intents[] = {"I want to",        "I'm going to",     "I'm gonna",
                             "I wanna",          "I need to",        "I feel like I want to",
                             "I'm planning to",  "I've decided to",  "I will",
                             "I'll",             "I should",         "part of me wants to",
                             "sometimes I want to", "I really want to", "I just want to",
                             "I'm ready to",     "I'm about to",     "I'm tempted to",
                             "I have the urge to", "i kinda want to", "I'm scared I'll"};
    const char* acts[] = {"kill myself",  "end my life",    "take my own life", "commit suicide",
                          "hurt myself",  "cut myself",     "overdose",         "hang myself",
                          "end it all",   "unalive myself", "self harm",        "jump off a bridge",
                          "slit my wrists", "shoot myself", "burn myself"};
    const char* dwell[] = {"I'm thinking about", "I keep thinking about", "I've been thinking about",
                           "I can't stop thinking about", "I dream about", "I've been considering",
                           "I fantasize about", "I'm obsessed with"};
    const char* gerunds[] = {"killing myself",  "ending my life", "taking my own life", "suicide",
                             "hurting myself",  "cutting myself", "overdosing", "hanging myself",
                             "ending it all",   "self harming",   "jumping off a bridge",
                             "slitting my wrists", "shooting myself", "not being alive"};
    int checked = 0;
    for (const char* i : intents) {
        for (const char* a : acts) {
            const std::string text = std::string(i) + " " + a;
            EXPECT_GE(Gate().Classify(text).level, Level::kHigh) << text;
            ++checked;
        }
    }
    for (const char* d : dwell) {
        for (const char* g : gerunds) {
            const std::string text = std::string(d) + " " + g;
            EXPECT_GE(Gate().Classify(text).level, Level::kHigh) << text;
            ++checked;
        }
    }
    EXPECT_EQ(checked, 427);
}

TEST(InputGateGrid, DeathInPlayStaysNone) {
    for (const char* text : {"I'm going to die in this cave", "we're all going to die!",
                             "I'll die if I fight the dragon now", "I might die down there",
                             "I'm about to die, heal me", "I think I'm going to die, run!",
                             "the dragon wants to kill me", "I'm dying to know",
                             "I want to die a hero in this story"}) {
        EXPECT_EQ(Gate().Classify(text).level, Level::kNone) << text;
    }
}

}  // namespace
}  // namespace tta::safety
