#include "tta/therapy/json.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace tta::therapy {
namespace {

namespace json = boost::json;

const Catalogue& Builtin() {
    static const Catalogue catalogue = *LoadBuiltinCatalogue();
    return catalogue;
}

TEST(TherapyJson, Phq9ScoreHasTotalSeverityAndItem9Flag) {
    auto score = Score(MeasureId::kPhq9, std::vector<int>{2, 2, 2, 2, 1, 1, 0, 0, 1});
    ASSERT_TRUE(score);
    EXPECT_EQ(json::serialize(json::value_from(*score)),
              R"({"total":11,"severity":"moderate","item9_flag":true})");
}

TEST(TherapyJson, Gad7ScoreHasTotalAndSeverityOnly) {
    auto score = Score(MeasureId::kGad7, std::vector<int>{3, 3, 3, 3, 3, 2, 0});
    ASSERT_TRUE(score);
    EXPECT_EQ(json::serialize(json::value_from(*score)), R"({"total":17,"severity":"severe"})");
}

TEST(TherapyJson, CatalogueCarriesEveryTechniqueWithItsCautions) {
    const json::value jv = json::value_from(Builtin());
    EXPECT_EQ(jv.at("version").as_int64(), Builtin().version);
    const json::array& techniques = jv.at("techniques").as_array();
    ASSERT_EQ(techniques.size(), Builtin().techniques.size());
    const json::object& first = techniques[0].as_object();
    EXPECT_EQ(first.at("id").as_string(), Builtin().techniques[0].id);
    EXPECT_FALSE(first.at("when_not_to_use").as_array().empty());
    EXPECT_FALSE(first.at("bindings").as_array().empty());
    EXPECT_FALSE(jv.at("cognitive_distortions").as_array().empty());
}

TEST(TherapyJson, MeasureDefinitionListsItemsOptionsAndBands) {
    const json::value jv = json::value_from(Definition(MeasureId::kGad7));
    EXPECT_EQ(jv.at("id").as_string(), "gad7");
    EXPECT_EQ(jv.at("items").as_array().size(), 7u);
    EXPECT_EQ(jv.at("options").as_array().size(), 4u);
    EXPECT_EQ(json::serialize(jv.at("bands").as_array().back()),
              R"({"min":15,"max":21,"severity":"severe"})");
}

TEST(TherapyJson, NoBeatIsNull) {
    BeatDecision d;
    d.reason = "no beat: no beats are available here";
    EXPECT_EQ(json::serialize(json::value_from(d)),
              R"({"beat":null,"technique":null,"reason":"no beat: no beats are available here",)"
              R"("skipped":[]})");
}

TEST(TherapyJson, SessionSummaryShowsMissingMoodAsNull) {
    SessionSummary s;
    s.session_id = "s";
    s.mood_before = 4;
    const json::value jv = json::value_from(s);
    EXPECT_EQ(jv.at("mood_before").as_int64(), 4);
    EXPECT_TRUE(jv.at("mood_after").is_null());
}

TEST(TherapyJson, CheckInsRoundTrip) {
    MoodCheckIn c;
    c.turn = 12;
    c.at_ms = 1'700'000'000'000;
    c.score = 3;
    c.feelings = {"anxious", "tired"};
    c.mode = CheckInMode::kOutOfCharacter;
    auto back = MoodCheckInFromJson(Builtin(), json::value_from(c));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->turn, c.turn);
    EXPECT_EQ(back->at_ms, c.at_ms);
    EXPECT_EQ(back->score, c.score);
    EXPECT_EQ(back->feelings, c.feelings);
    EXPECT_EQ(back->mode, c.mode);
}

TEST(TherapyJson, CheckInsFromJsonAreValidated) {
    auto bad_score = MoodCheckInFromJson(
        Builtin(),
        json::parse(R"({"turn":1,"at_ms":0,"score":11,"feelings":[],"mode":"in_story"})"));
    ASSERT_FALSE(bad_score);
    EXPECT_EQ(bad_score.error().code, ErrorCode::kInvalid);
    auto extra = MoodCheckInFromJson(
        Builtin(), json::parse(R"({"turn":1,"at_ms":0,"score":5,"feelings":[],"mode":"in_story",)"
                               R"("note":"x"})"));
    ASSERT_FALSE(extra);
    EXPECT_EQ(extra.error().message, "a check-in has an unknown key 'note'");
    auto wrong_type = MoodCheckInFromJson(
        Builtin(),
        json::parse(R"({"turn":1,"at_ms":0,"score":"5","feelings":[],"mode":"in_story"})"));
    ASSERT_FALSE(wrong_type);
    EXPECT_EQ(wrong_type.error().message, "'score' of a check-in should be a whole number");
    auto missing = MoodCheckInFromJson(Builtin(), json::parse(R"({"turn":1})"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "a check-in is missing 'at_ms'");
    EXPECT_FALSE(MoodCheckInFromJson(Builtin(), json::parse("[1,2]")));
}

TEST(TherapyJson, SkillPracticesRoundTripAndNameKnownTechniques) {
    const SkillPractice p{"worry_time", 40, 123, true};
    auto back = SkillPracticeFromJson(Builtin(), json::value_from(p));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->technique_id, "worry_time");
    EXPECT_EQ(back->turn, 40);
    EXPECT_EQ(back->at_ms, 123);
    EXPECT_TRUE(back->completed);
    EXPECT_FALSE(SkillPracticeFromJson(
        Builtin(), json::parse(R"({"technique":"juggling","turn":1,"at_ms":1,"completed":true})")));
}

TEST(TherapyJson, MeasureRecordsRoundTripAndMustScore) {
    const MeasureRecord r{MeasureId::kPhq9, 99, {0, 1, 2, 3, 0, 1, 2, 3, 0}};
    auto back = MeasureRecordFromJson(json::value_from(r));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->measure, MeasureId::kPhq9);
    EXPECT_EQ(back->at_ms, 99);
    EXPECT_EQ(back->answers, r.answers);
    auto short_answers =
        MeasureRecordFromJson(json::parse(R"({"measure":"gad7","at_ms":1,"answers":[1,2]})"));
    ASSERT_FALSE(short_answers);
    EXPECT_EQ(short_answers.error().message, "GAD-7 needs 7 answers, one per question, but got 2");
    EXPECT_FALSE(
        MeasureRecordFromJson(json::parse(R"({"measure":"gad7","at_ms":1,"answers":[1,"2"]})")));
}

}  // namespace
}  // namespace tta::therapy
