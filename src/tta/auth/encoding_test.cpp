#include "tta/auth/encoding.hpp"

#include <gtest/gtest.h>

namespace tta::auth {
namespace {

TEST(Encoding, Base64UrlRoundTripsWithoutPadding) {
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\xfd"}) {
        const std::string e = Base64UrlEncode(s);
        EXPECT_EQ(e.find('='), std::string::npos);
        const auto d = Base64UrlDecode(e);
        ASSERT_TRUE(d) << e;
        EXPECT_EQ(AsText(*d), s);
    }
    EXPECT_EQ(Base64UrlEncode(std::string_view("\xfb\xff")), "-_8");
}

TEST(Encoding, Base64UrlDecodingIsStrict) {
    EXPECT_FALSE(Base64UrlDecode("Zm9v="));  // padding
    EXPECT_FALSE(Base64UrlDecode("Zm+v"));   // standard alphabet
    EXPECT_FALSE(Base64UrlDecode("Zm9v "));  // whitespace
    EXPECT_FALSE(Base64UrlDecode("Zm9v\n"));
    EXPECT_FALSE(Base64UrlDecode("Z"));   // impossible length
    EXPECT_FALSE(Base64UrlDecode("Zh"));  // "f" is "Zg": non-zero unused bits
    EXPECT_TRUE(Base64UrlDecode("Zg"));
}

TEST(Encoding, Base64StandardKeepsPadding) {
    const std::uint8_t bytes[] = {0xfb, 0xff};
    EXPECT_EQ(Base64Encode(bytes), "+/8=");
    const auto d = Base64Decode("+/8=");
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, Bytes(std::begin(bytes), std::end(bytes)));
    EXPECT_FALSE(Base64Decode("+/8"));
}

TEST(Encoding, HexIsLowercase) {
    const std::uint8_t bytes[] = {0x00, 0xab, 0xff};
    EXPECT_EQ(HexEncode(bytes), "00abff");
}

}  // namespace
}  // namespace tta::auth
