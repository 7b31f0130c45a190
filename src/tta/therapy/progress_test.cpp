#include "tta/therapy/progress.hpp"

#include <gtest/gtest.h>

namespace tta::therapy {
namespace {

const Catalogue& Builtin() {
    static const Catalogue catalogue = *LoadBuiltinCatalogue();
    return catalogue;
}

MoodCheckIn CheckIn(std::int64_t at_ms, int score, int turn = 0) {
    MoodCheckIn c;
    c.at_ms = at_ms;
    c.score = score;
    c.turn = turn;
    return c;
}

TEST(Progress, SkillsAreGroupedByTechniqueInTheOrderFirstPractised) {
    const std::vector<SkillPractice> practices{
        {"worry_time", 9, 9000, false},
        {"box_breathing", 3, 3000, true},
        {"box_breathing", 20, 20000, false},
        {"worry_time", 25, 25000, true},
        {"box_breathing", 30, 30000, true},
    };
    const auto skills = SummariseSkills(practices);
    ASSERT_EQ(skills.size(), 2u);
    EXPECT_EQ(skills[0].technique_id, "box_breathing");
    EXPECT_EQ(skills[0].practised, 3);
    EXPECT_EQ(skills[0].completed, 2);
    EXPECT_EQ(skills[0].first_at_ms, 3000);
    EXPECT_EQ(skills[0].last_at_ms, 30000);
    EXPECT_EQ(skills[1].technique_id, "worry_time");
    EXPECT_EQ(skills[1].practised, 2);
    EXPECT_EQ(skills[1].completed, 1);
}

TEST(Progress, NoCheckInsMeansNoMoodTrend) {
    EXPECT_FALSE(ComputeMoodTrend(std::vector<MoodCheckIn>{}));
}

TEST(Progress, MoodTrendReadsCheckInsInTimeOrder) {
    const std::vector<MoodCheckIn> check_ins{CheckIn(3000, 6), CheckIn(1000, 2), CheckIn(2000, 4)};
    const auto trend = ComputeMoodTrend(check_ins);
    ASSERT_TRUE(trend);
    EXPECT_EQ(trend->count, 3);
    EXPECT_EQ(trend->first, 2);
    EXPECT_EQ(trend->last, 6);
    EXPECT_DOUBLE_EQ(trend->average, 4.0);
    EXPECT_EQ(trend->lowest, 2);
    EXPECT_EQ(trend->highest, 6);
    EXPECT_DOUBLE_EQ(trend->slope_per_check_in, 2.0);
    EXPECT_EQ(trend->first_at_ms, 1000);
    EXPECT_EQ(trend->last_at_ms, 3000);
}

TEST(Progress, MoodSlopeIsLeastSquaresAndZeroForOneCheckIn) {
    // Scores 5, 3, 4, 2: slope = -0.8 by least squares.
    const std::vector<MoodCheckIn> falling{CheckIn(1, 5), CheckIn(2, 3), CheckIn(3, 4),
                                           CheckIn(4, 2)};
    EXPECT_NEAR(ComputeMoodTrend(falling)->slope_per_check_in, -0.8, 1e-12);
    const std::vector<MoodCheckIn> one{CheckIn(1, 7)};
    EXPECT_DOUBLE_EQ(ComputeMoodTrend(one)->slope_per_check_in, 0.0);
}

TEST(Progress, MeasuresFormOneSeriesPerQuestionnaireOldestFirst) {
    const std::vector<MeasureRecord> records{
        {MeasureId::kGad7, 500, {1, 1, 1, 1, 1, 1, 1}},
        {MeasureId::kPhq9, 2000, {1, 1, 1, 1, 1, 0, 0, 0, 0}},
        {MeasureId::kPhq9, 1000, {2, 2, 2, 2, 2, 1, 1, 0, 1}},
    };
    auto series = MeasuresOverTime(records);
    ASSERT_TRUE(series) << series.error().message;
    ASSERT_EQ(series->size(), 2u);
    const MeasureSeries& phq9 = (*series)[0];
    EXPECT_EQ(phq9.measure, MeasureId::kPhq9);
    ASSERT_EQ(phq9.points.size(), 2u);
    EXPECT_EQ(phq9.points[0].at_ms, 1000);
    EXPECT_EQ(phq9.points[0].total, 13);
    EXPECT_EQ(phq9.points[0].severity, Severity::kModerate);
    EXPECT_TRUE(phq9.points[0].item9_flag);
    EXPECT_EQ(phq9.points[1].total, 5);
    EXPECT_EQ(phq9.points[1].severity, Severity::kMild);
    EXPECT_EQ(phq9.change, -8);
    const MeasureSeries& gad7 = (*series)[1];
    EXPECT_EQ(gad7.measure, MeasureId::kGad7);
    EXPECT_EQ(gad7.first_total, 7);
    EXPECT_EQ(gad7.change, 0);
}

TEST(Progress, AStoredRecordThatDoesNotScoreIsReported) {
    const std::vector<MeasureRecord> records{{MeasureId::kGad7, 500, {1, 1, 1}}};
    auto series = MeasuresOverTime(records);
    ASSERT_FALSE(series);
    EXPECT_EQ(series.error().code, ErrorCode::kInternal);
}

SessionRecord Session() {
    SessionRecord s;
    s.session_id = "s1";
    s.turns = 23;
    s.started_at_ms = 1'000'000;
    s.ended_at_ms = 2'200'000;
    s.places_visited = {"harbour", "lighthouse", "harbour", "lamp_room", "garden"};
    s.practices = {{"box_breathing", 5, 1'100'000, true}, {"worry_time", 15, 1'500'000, false}};
    s.check_ins = {CheckIn(2'100'000, 6, 22), CheckIn(1'050'000, 4, 1)};
    return s;
}

TEST(Progress, SessionSummaryCountsDistinctPlacesAndMoodBeforeAndAfter) {
    const SessionSummary s = BuildSessionSummary(Session());
    EXPECT_EQ(s.session_id, "s1");
    EXPECT_EQ(s.turns, 23);
    EXPECT_EQ(s.duration_ms, 1'200'000);
    EXPECT_EQ(s.places_visited, 4);
    ASSERT_EQ(s.techniques.size(), 2u);
    EXPECT_EQ(s.mood_before, 4);
    EXPECT_EQ(s.mood_after, 6);
}

TEST(Progress, SessionDescriptionNamesTechniquesAndMood) {
    EXPECT_EQ(DescribeSession(BuildSessionSummary(Session()), Builtin()),
              "You visited 4 places in 23 turns. You practised Box breathing (finished) and "
              "Worry time (started). Your mood went from 4 to 6 out of 10.");
}

TEST(Progress, SessionDescriptionIsGentleWhenMoodFell) {
    SessionRecord r = Session();
    r.check_ins = {CheckIn(1, 6), CheckIn(2, 3)};
    r.practices = {{"box_breathing", 1, 1, true},
                   {"box_breathing", 2, 2, false},
                   {"box_breathing", 3, 3, true}};
    EXPECT_EQ(DescribeSession(BuildSessionSummary(r), Builtin()),
              "You visited 4 places in 23 turns. You practised Box breathing (3 times, finished "
              "twice). Your mood went from 6 to 3 out of 10. Some sessions are harder than "
              "others. Thank you for checking in honestly.");
}

TEST(Progress, SessionWithOneCheckInHasNoMoodAfter) {
    SessionRecord r;
    r.turns = 1;
    r.places_visited = {"harbour"};
    r.check_ins = {CheckIn(1, 5)};
    const SessionSummary s = BuildSessionSummary(r);
    EXPECT_EQ(s.mood_before, 5);
    EXPECT_FALSE(s.mood_after);
    EXPECT_EQ(DescribeSession(s, Builtin()),
              "You visited 1 place in 1 turn. You checked in at 5 out of 10.");
}

}  // namespace
}  // namespace tta::therapy
