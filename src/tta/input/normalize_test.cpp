#include "tta/input/normalize.hpp"

#include <gtest/gtest.h>

namespace tta::input {
namespace {

using Words = std::vector<std::string>;

TEST(Normalize, LowercasesAndStripsPunctuation) {
    EXPECT_EQ(Normalize("  Take the LANTERN!  ").words, (Words{"take", "the", "lantern"}));
    EXPECT_EQ(Normalize("  Take the LANTERN!  ").text, "Take the LANTERN!");
}

TEST(Normalize, ExpandsContractionsWithStraightAndCurlyApostrophes) {
    EXPECT_EQ(Normalize("I'm scared").words, (Words{"i", "am", "scared"}));
    EXPECT_EQ(Normalize("I\xE2\x80\x99m scared").words, (Words{"i", "am", "scared"}));
    EXPECT_EQ(Normalize("don't").words, (Words{"do", "not"}));
}

TEST(Normalize, SurvivesArbitraryBytesAndHugeInput) {
    const std::string junk("\xFF\xFE\x00\x01go\xC3", 7);
    const auto n = Normalize(junk);
    EXPECT_EQ(n.words, (Words{"\xEF\xBF\xBD\xEF\xBF\xBDgo\xEF\xBF\xBD"}));
    const std::string huge(100000, 'a');
    EXPECT_LE(Normalize(huge).text.size(), kMaxInputBytes);
}

TEST(EditDistance, CountsTranspositionsAsOneEdit) {
    EXPECT_EQ(EditDistance("lantern", "lantren", 2), 1);
    EXPECT_EQ(EditDistance("lantern", "lantern", 2), 0);
    EXPECT_EQ(EditDistance("kitten", "sitting", 5), 3);
    EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);  // capped at limit + 1
}

TEST(TypoAllowance, GrowsWithWordLength) {
    EXPECT_EQ(TypoAllowance(3), 0);
    EXPECT_EQ(TypoAllowance(4), 1);
    EXPECT_EQ(TypoAllowance(8), 2);
}

}  // namespace
}  // namespace tta::input
