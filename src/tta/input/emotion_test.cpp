#include "tta/input/emotion.hpp"

#include <gtest/gtest.h>

#include "tta/input/normalize.hpp"

namespace tta::input {
namespace {

std::vector<EmotionCue> Cues(std::string_view text) {
    return FindEmotionCues(Normalize(text).words);
}

TEST(Emotion, FindsFeelingWordsWithTheirLabels) {
    auto cues = Cues("I feel so anxious and tired");
    ASSERT_EQ(cues.size(), 2u);
    EXPECT_EQ(cues[0].label, "anxious");
    EXPECT_EQ(cues[1].label, "tired");
}

TEST(Emotion, MarksNegatedFeelings) {
    auto cues = Cues("I'm not scared");
    ASSERT_EQ(cues.size(), 1u);
    EXPECT_TRUE(cues[0].negated);
}

TEST(Emotion, IgnoresAmbiguousWordsOutsideAFeelingFrame) {
    EXPECT_TRUE(Cues("go down the stairs").empty());
    EXPECT_TRUE(Cues("climb over the low wall").empty());
    EXPECT_EQ(Cues("I am feeling really down").size(), 1u);
}

TEST(Emotion, RecognisesFeelingStatements) {
    EXPECT_TRUE(IsFeelingStatement(Normalize("I feel anxious").words));
    EXPECT_TRUE(IsFeelingStatement(Normalize("i'm so overwhelmed").words));
    EXPECT_TRUE(IsFeelingStatement(Normalize("feeling calmer now").words));
    EXPECT_FALSE(IsFeelingStatement(Normalize("I am going north").words));
    EXPECT_FALSE(IsFeelingStatement(Normalize("take the lamp").words));
}

}  // namespace
}  // namespace tta::input
