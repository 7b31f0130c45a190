#include "tta/safety/normalize.hpp"

#include <gtest/gtest.h>

namespace tta::safety {
namespace {

struct Case {
    const char* in;
    const char* out;
};

TEST(Normalize, FoldsCaseApostrophesSpacesAndLookAlikes) {
    const Case cases[] = {
        {"I'm FINE", "im fine"},
        {"don\xE2\x80\x99t", "dont"},
        {"  go   north  ", "go north"},
        {"k1ll mys3lf", "kill myself"},
        {"killll", "kill"},
        {"self-harm", "self harm"},
        {"k*ll", "kll"},
        {"\xEF\xBC\xAB\xEF\xBC\xA9\xEF\xBC\xAC\xEF\xBC\xAC", "kill"},  // full-width KILL
        {"zero\xE2\x80\x8Bwidth", "zerowidth"},
        {"wait\xE2\x80\xA6", "wait."},
        {"30 pills", "30 pills"},
        {"caf\xC3\xA9", "caf\xC3\xA9"},
    };
    for (const Case& c : cases) EXPECT_EQ(Normalize(c.in).text, c.out) << c.in;
}

TEST(Normalize, MapsEveryByteBackToTheSource) {
    const std::string src = "I\xE2\x80\x99m  GOING";
    const NormalizedText n = Normalize(src);
    ASSERT_EQ(n.text, "im going");
    ASSERT_EQ(n.begin.size(), n.text.size());
    const auto [b, e] = n.SourceSpan(0, 2);  // "im"
    EXPECT_EQ(src.substr(b, e - b), "I\xE2\x80\x99m");
    const auto [b2, e2] = n.SourceSpan(3, 8);  // "going"
    EXPECT_EQ(src.substr(b2, e2 - b2), "GOING");
}

TEST(Normalize, EmptyAndBlankInputsGiveEmptyText) {
    EXPECT_EQ(Normalize("").text, "");
    EXPECT_EQ(Normalize(" \t\n").text, "");
}

}  // namespace
}  // namespace tta::safety
