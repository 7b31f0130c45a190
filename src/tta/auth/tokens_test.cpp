#include "tta/auth/tokens.hpp"

#include <gtest/gtest.h>

#include <set>

#include "tta/auth/encoding.hpp"

namespace tta::auth {
namespace {

TEST(Tokens, RefreshTokensAre32RandomBytesInBase64Url) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string t = RandomToken();
        EXPECT_EQ(t.size(), 43u);
        const auto bytes = Base64UrlDecode(t);
        ASSERT_TRUE(bytes);
        EXPECT_EQ(bytes->size(), 32u);
        seen.insert(t);
    }
    EXPECT_EQ(seen.size(), 100u);
    EXPECT_EQ(RandomId().size(), 22u);
}

TEST(Tokens, HashesAreStableHexAndDifferPerToken) {
    const std::string t = RandomToken();
    EXPECT_EQ(HashToken(t), HashToken(t));
    EXPECT_EQ(HashToken(t).size(), 64u);
    EXPECT_NE(HashToken(t), HashToken(RandomToken()));
    EXPECT_EQ(HashToken(t).find_first_not_of("0123456789abcdef"), std::string::npos);
    // BLAKE2b-256 of the empty string (RFC 7693 test vectors, 32-byte digest).
    EXPECT_EQ(HashToken(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

}  // namespace
}  // namespace tta::auth
