#include "tta/therapy/measures.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <string>

namespace tta::therapy {
namespace {

// Answers adding up to total, filling items in order with 3s; PHQ-9 item 9 is used only when
// the other eight items cannot reach the total, so the boundary cases keep item 9 at 0.
std::vector<int> AnswersWithTotal(MeasureId id, int total) {
    const std::size_t n = Definition(id).items.size();
    std::vector<int> answers(n, 0);
    const std::size_t last_filled_first = id == MeasureId::kPhq9 ? n - 1 : n;
    for (std::size_t i = 0; i < last_filled_first && total > 0; ++i) {
        answers[i] = std::min(3, total);
        total -= answers[i];
    }
    if (total > 0) answers[n - 1] = total;
    return answers;
}

struct Boundary {
    MeasureId measure;
    int total;
    Severity severity;
};

void PrintTo(const Boundary& b, std::ostream* os) {
    *os << Name(b.measure) << " total " << b.total;
}

class SeverityBoundaries : public testing::TestWithParam<Boundary> {};

TEST_P(SeverityBoundaries, TotalFallsInItsPublishedBand) {
    const Boundary& b = GetParam();
    const std::vector<int> answers = AnswersWithTotal(b.measure, b.total);
    ASSERT_EQ(std::accumulate(answers.begin(), answers.end(), 0), b.total);
    auto score = Score(b.measure, answers);
    ASSERT_TRUE(score) << score.error().message;
    EXPECT_EQ(score->total, b.total);
    EXPECT_EQ(score->severity, b.severity) << Name(score->severity);
    EXPECT_EQ(score->answers, answers);
}

INSTANTIATE_TEST_SUITE_P(
    Phq9, SeverityBoundaries,
    testing::Values(Boundary{MeasureId::kPhq9, 0, Severity::kMinimal},
                    Boundary{MeasureId::kPhq9, 4, Severity::kMinimal},
                    Boundary{MeasureId::kPhq9, 5, Severity::kMild},
                    Boundary{MeasureId::kPhq9, 9, Severity::kMild},
                    Boundary{MeasureId::kPhq9, 10, Severity::kModerate},
                    Boundary{MeasureId::kPhq9, 14, Severity::kModerate},
                    Boundary{MeasureId::kPhq9, 15, Severity::kModeratelySevere},
                    Boundary{MeasureId::kPhq9, 19, Severity::kModeratelySevere},
                    Boundary{MeasureId::kPhq9, 20, Severity::kSevere},
                    Boundary{MeasureId::kPhq9, 27, Severity::kSevere}),
    [](const testing::TestParamInfo<Boundary>& info) {
        return "Total" + std::to_string(info.param.total);
    });

INSTANTIATE_TEST_SUITE_P(
    Gad7, SeverityBoundaries,
    testing::Values(Boundary{MeasureId::kGad7, 0, Severity::kMinimal},
                    Boundary{MeasureId::kGad7, 4, Severity::kMinimal},
                    Boundary{MeasureId::kGad7, 5, Severity::kMild},
                    Boundary{MeasureId::kGad7, 9, Severity::kMild},
                    Boundary{MeasureId::kGad7, 10, Severity::kModerate},
                    Boundary{MeasureId::kGad7, 14, Severity::kModerate},
                    Boundary{MeasureId::kGad7, 15, Severity::kSevere},
                    Boundary{MeasureId::kGad7, 21, Severity::kSevere}),
    [](const testing::TestParamInfo<Boundary>& info) {
        return "Total" + std::to_string(info.param.total);
    });

TEST(Measures, BandsCoverEveryPossibleTotalExactlyOnce) {
    for (MeasureId id : {MeasureId::kPhq9, MeasureId::kGad7}) {
        const MeasureDefinition& def = Definition(id);
        int next = 0;
        for (const SeverityBand& band : def.bands) {
            EXPECT_EQ(band.min_total, next) << def.title;
            EXPECT_GE(band.max_total, band.min_total) << def.title;
            next = band.max_total + 1;
        }
        EXPECT_EQ(next, def.MaxTotal() + 1) << def.title;
    }
}

TEST(Measures, InstrumentsHaveTheirStandardItemsAndOptions) {
    const MeasureDefinition& phq9 = Definition(MeasureId::kPhq9);
    ASSERT_EQ(phq9.items.size(), 9u);
    EXPECT_EQ(phq9.items[0], "Little interest or pleasure in doing things");
    EXPECT_EQ(phq9.items[8],
              "Thoughts that you would be better off dead or of hurting yourself in some way");
    const MeasureDefinition& gad7 = Definition(MeasureId::kGad7);
    ASSERT_EQ(gad7.items.size(), 7u);
    EXPECT_EQ(gad7.items[0], "Feeling nervous, anxious, or on edge");
    EXPECT_EQ(gad7.items[6], "Feeling afraid, as if something awful might happen");
    for (const MeasureDefinition* def : {&phq9, &gad7}) {
        ASSERT_EQ(def->options.size(), 4u);
        EXPECT_EQ(def->options[0].text, "Not at all");
        EXPECT_EQ(def->options[3].value, 3);
        EXPECT_EQ(def->options[3].text, "Nearly every day");
        EXPECT_NE(def->stem.find("last 2 weeks"), std::string_view::npos);
    }
}

TEST(Measures, AnyNonZeroAnswerToPhq9Item9RaisesTheFlag) {
    for (int answer : {1, 2, 3}) {
        std::vector<int> answers(9, 0);
        answers[8] = answer;
        auto score = Score(MeasureId::kPhq9, answers);
        ASSERT_TRUE(score);
        EXPECT_TRUE(score->item9_flag) << answer;
        EXPECT_EQ(score->severity, Severity::kMinimal);  // the flag does not depend on the total
    }
}

TEST(Measures, Item9FlagStaysDownWhenItem9IsZeroEvenIfSevere) {
    auto score = Score(MeasureId::kPhq9, std::vector<int>{3, 3, 3, 3, 3, 3, 3, 3, 0});
    ASSERT_TRUE(score);
    EXPECT_EQ(score->severity, Severity::kSevere);
    EXPECT_FALSE(score->item9_flag);
}

TEST(Measures, Gad7NeverRaisesTheItem9Flag) {
    auto score = Score(MeasureId::kGad7, std::vector<int>{3, 3, 3, 3, 3, 3, 3});
    ASSERT_TRUE(score);
    EXPECT_FALSE(score->item9_flag);
}

TEST(Measures, WrongNumberOfAnswersIsRejected) {
    auto short_phq9 = Score(MeasureId::kPhq9, std::vector<int>(8, 0));
    ASSERT_FALSE(short_phq9);
    EXPECT_EQ(short_phq9.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(short_phq9.error().message, "PHQ-9 needs 9 answers, one per question, but got 8");
    EXPECT_FALSE(Score(MeasureId::kPhq9, std::vector<int>(10, 0)));
    EXPECT_FALSE(Score(MeasureId::kGad7, std::vector<int>{}));
    EXPECT_FALSE(Score(MeasureId::kGad7, std::vector<int>(9, 0)));
}

TEST(Measures, AnswersOutsideZeroToThreeAreRejected) {
    std::vector<int> answers(7, 0);
    answers[3] = 4;
    auto too_high = Score(MeasureId::kGad7, answers);
    ASSERT_FALSE(too_high);
    EXPECT_EQ(too_high.error().message,
              "GAD-7 answer 4 is 4; each answer must be 0, 1, 2 or 3 (0 = not at all, 3 = nearly "
              "every day)");
    answers[3] = -1;
    EXPECT_FALSE(Score(MeasureId::kGad7, answers));
}

TEST(Measures, SeverityForRejectsImpossibleTotals) {
    EXPECT_FALSE(SeverityFor(MeasureId::kPhq9, 28));
    EXPECT_FALSE(SeverityFor(MeasureId::kGad7, 22));
    EXPECT_FALSE(SeverityFor(MeasureId::kGad7, -1));
}

TEST(Measures, ParsesCommaSeparatedAnswers) {
    auto answers = ParseAnswers(" 0,1 , 2,3 ");
    ASSERT_TRUE(answers);
    EXPECT_EQ(*answers, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Measures, RejectsAnswersThatAreNotNumbers) {
    for (const char* text : {"", "1,,2", "a", "1.5,2", "1;2", "1,2,", "99999999999"}) {
        auto answers = ParseAnswers(text);
        EXPECT_FALSE(answers) << text;
    }
    EXPECT_EQ(ParseAnswers(" ").error().message,
              "no answers given; write them as numbers separated by commas, e.g. 0,1,2,3");
    EXPECT_EQ(ParseAnswers("1,x").error().message,
              "answer 2 is 'x'; write the answers as numbers separated by commas, e.g. 0,1,2,3");
}

TEST(Measures, MeasureNamesRoundTrip) {
    for (MeasureId id : {MeasureId::kPhq9, MeasureId::kGad7}) {
        auto parsed = ParseMeasureId(Name(id));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, id);
    }
    EXPECT_FALSE(ParseMeasureId("phq2"));
    EXPECT_EQ(Label(Severity::kModeratelySevere), "moderately severe");
    EXPECT_EQ(Name(Severity::kModeratelySevere), "moderately_severe");
}

}  // namespace
}  // namespace tta::therapy
