#include "tta/core/utf8.hpp"

#include <gtest/gtest.h>

namespace tta {
namespace {

TEST(Utf8, AcceptsValidText) {
    EXPECT_TRUE(IsValidUtf8("hello"));
    EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x8C\x8A"));
}

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncation) {
    EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(IsValidUtf8("\xE2\x9C"));          // truncated
    EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Utf8, SanitizeReplacesInvalidBytesAndDropsControls) {
    EXPECT_EQ(SanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(SanitizeUtf8(std::string("a\0b\x07" "c\n", 6)), "abc\n");
    EXPECT_TRUE(IsValidUtf8(SanitizeUtf8("\xE2\x9C")));
}

TEST(Utf8, PrefixNeverSplitsACodePoint) {
    const std::string s = "ab\xE2\x9C\x93";
    EXPECT_EQ(Utf8Prefix(s, 3), "ab");
    EXPECT_EQ(Utf8Prefix(s, 5), s);
    EXPECT_EQ(Utf8Prefix(s, 10), s);
}

}  // namespace
}  // namespace tta
