#include "tta/therapy/mood.hpp"

#include <gtest/gtest.h>

namespace tta::therapy {
namespace {

const Catalogue& Builtin() {
    static const Catalogue catalogue = *LoadBuiltinCatalogue();
    return catalogue;
}

MoodCheckIn CheckIn(int score, std::vector<std::string> feelings) {
    MoodCheckIn c;
    c.turn = 3;
    c.score = score;
    c.feelings = std::move(feelings);
    return c;
}

TEST(MoodCheckIn, WordsAreTrimmedLowerCasedAndDeduplicated) {
    auto c = NormaliseCheckIn(Builtin(), CheckIn(6, {" Tired", "hopeful ", "tired", ""}));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->feelings, (std::vector<std::string>{"tired", "hopeful"}));
    EXPECT_EQ(c->score, 6);
    EXPECT_EQ(c->turn, 3);
}

TEST(MoodCheckIn, ScoresFromZeroToTenAreAccepted) {
    EXPECT_TRUE(NormaliseCheckIn(Builtin(), CheckIn(0, {})));
    EXPECT_TRUE(NormaliseCheckIn(Builtin(), CheckIn(10, {})));
}

TEST(MoodCheckIn, ScoresOutsideZeroToTenAreRejected) {
    auto high = NormaliseCheckIn(Builtin(), CheckIn(11, {}));
    ASSERT_FALSE(high);
    EXPECT_EQ(high.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(high.error().message,
              "a mood rating must be a whole number from 0 (worst) to 10 (best), not 11");
    EXPECT_FALSE(NormaliseCheckIn(Builtin(), CheckIn(-1, {})));
}

TEST(MoodCheckIn, UnknownWordsAreRejectedWithTheVocabulary) {
    auto c = NormaliseCheckIn(Builtin(), CheckIn(5, {"anxious", "purple"}));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message.rfind("'purple' is not one of the feeling words: calm, ", 0), 0u)
        << c.error().message;
}

TEST(MoodCheckIn, AtMostFiveWords) {
    EXPECT_TRUE(
        NormaliseCheckIn(Builtin(), CheckIn(5, {"sad", "tired", "numb", "lonely", "down"})));
    auto c = NormaliseCheckIn(Builtin(),
                              CheckIn(5, {"sad", "tired", "numb", "lonely", "down", "stuck"}));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, "choose up to 5 feeling words, not 6");
}

TEST(MoodCheckIn, ModeNamesRoundTrip) {
    for (CheckInMode m : {CheckInMode::kInStory, CheckInMode::kOutOfCharacter}) {
        auto parsed = ParseCheckInMode(Name(m));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, m);
    }
    EXPECT_FALSE(ParseCheckInMode("dream"));
}

}  // namespace
}  // namespace tta::therapy
