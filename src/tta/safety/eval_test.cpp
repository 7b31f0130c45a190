#include "tta/safety/eval.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tta::safety {
namespace {

TEST(EvalParse, ReadsLevelsSkipsCommentsAndBlankLines) {
    auto lines = ParseLabelledLines("# header\n\nhigh\tI want to die\r\nnone\tgo north\n", "x.tsv");
    ASSERT_TRUE(lines) << lines.error().message;
    ASSERT_EQ(lines->size(), 2u);
    EXPECT_EQ((*lines)[0].line, 3);
    EXPECT_EQ((*lines)[0].expected, Level::kHigh);
    EXPECT_EQ((*lines)[0].text, "I want to die");
    EXPECT_EQ((*lines)[1].text, "go north");
}

TEST(EvalParse, ErrorsNameTheLine) {
    auto no_tab = ParseLabelledLines("none\tok\nhigh I want to die\n", "x.tsv");
    ASSERT_FALSE(no_tab);
    EXPECT_EQ(no_tab.error().message, "x.tsv:2: expected level<TAB>text");
    auto bad_level = ParseLabelledLines("severe\tx\n", "x.tsv");
    ASSERT_FALSE(bad_level);
    EXPECT_EQ(bad_level.error().message, "x.tsv:1: unknown level 'severe'");
}

TEST(EvalReport, CountsRecallAndFalseAlarmsAsDefined) {
    EvalReport r;
    auto& m = r.confusion;
    // expected high: 3 as high, 1 as imminent, 1 as concern (a miss for crisis recall)
    m[2][2] = 3;
    m[2][3] = 1;
    m[2][1] = 1;
    // expected imminent: 2 as high (still caught)
    m[3][2] = 2;
    // expected concern: 3 as concern, 1 as none
    m[1][1] = 3;
    m[1][0] = 1;
    // expected none: 9 as none, 1 as concern
    m[0][0] = 9;
    m[0][1] = 1;
    EXPECT_EQ(r.Total(), 21);
    EXPECT_EQ(r.Correct(), 15);
    EXPECT_DOUBLE_EQ(r.CrisisRecall(), 6.0 / 7.0);
    EXPECT_DOUBLE_EQ(r.OverallRecall(), 10.0 / 11.0);
    EXPECT_DOUBLE_EQ(r.FalseAlarmRate(), 1.0 / 10.0);
    EXPECT_DOUBLE_EQ(r.CrisisFalseAlarmRate(), 0.0);
}

TEST(EvalReport, EmptyReportHasZeroRatesNotNaN) {
    EvalReport r;
    EXPECT_EQ(r.CrisisRecall(), 0.0);
    EXPECT_EQ(r.FalseAlarmRate(), 0.0);
}

TEST(Evaluate, ScoresTheGateAndListsMisses) {
    auto lines = ParseLabelledLines("high\tI want to kill myself\nnone\tkill the rat\n"
                                    "none\tI want to die\n",
                                    "x.tsv");
    ASSERT_TRUE(lines);
    const EvalReport r = Evaluate(InputGate::Embedded(), *lines);
    EXPECT_EQ(r.confusion[2][2], 1);
    EXPECT_EQ(r.confusion[0][0], 1);
    EXPECT_EQ(r.confusion[0][2], 1);
    ASSERT_EQ(r.misses.size(), 1u);
    EXPECT_EQ(r.misses[0].line.line, 3);
    const std::string text = FormatEvalReport(r, true);
    EXPECT_NE(text.find("false alarms on none lines"), std::string::npos) << text;
    EXPECT_NE(text.find("3: none -> high: I want to die"), std::string::npos) << text;
}

// The labelled samples that ship with the module stay above the aims: every explicit
// crisis caught, at least 97% of crisis lines, at most 2% false alarms.
TEST(Evaluate, ShippedSamplesMeetTheAims) {
    for (const char* name :
         {"extra_eval.tsv", "blind_eval.tsv", "blind_eval_2.tsv", "blind_eval_3.tsv",
          "blind_eval_4.tsv", "blind_eval_5.tsv", "blind_eval_6.tsv", "blind_eval_7.tsv",
          "blind_eval_8.tsv"}) {
        std::ifstream in(std::string(TTA_SOURCE_DIR) + "/src/tta/safety/testdata/" + name);
        std::stringstream ss;
        ss << in.rdbuf();
        auto lines = ParseLabelledLines(ss.str(), name);
        ASSERT_TRUE(lines) << lines.error().message;
        const EvalReport r = Evaluate(InputGate::Embedded(), *lines);
        EXPECT_GE(r.CrisisRecall(), 0.97) << name << "\n" << FormatEvalReport(r, true);
        EXPECT_GE(r.OverallRecall(), 0.97) << name << "\n" << FormatEvalReport(r, true);
        EXPECT_LE(r.FalseAlarmRate(), 0.02) << name << "\n" << FormatEvalReport(r, true);
    }
}

}  // namespace
}  // namespace tta::safety
