#include "tta/auth/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

namespace tta::auth {
namespace {

TEST(Password, HashIsArgon2idAndVerifiesOnlyTheRightPassword) {
    const auto hash = HashPassword("correct horse battery staple", MinimumCost());
    ASSERT_TRUE(hash);
    EXPECT_TRUE(hash->starts_with("$argon2id$v=19$"));
    EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
    EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
    EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(Password, HashesAreSalted) {
    EXPECT_NE(*HashPassword("same", MinimumCost()), *HashPassword("same", MinimumCost()));
}

TEST(Password, MalformedOrTamperedHashesNeverVerify) {
    std::string hash = *HashPassword("pw", MinimumCost());
    EXPECT_FALSE(VerifyPassword("", "pw"));
    EXPECT_FALSE(VerifyPassword("plaintext", "pw"));
    EXPECT_FALSE(VerifyPassword(std::string(1000, '$'), "pw"));
    hash[hash.size() - 2] = hash[hash.size() - 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(VerifyPassword(hash, "pw"));
}

TEST(Password, WeakerHashesNeedRehashAtTheConfiguredCost) {
    const auto hash = *HashPassword("pw", MinimumCost());
    EXPECT_FALSE(PasswordNeedsRehash(hash, MinimumCost()));
    EXPECT_TRUE(PasswordNeedsRehash(hash, CostFor(PasswordStrength::kInteractive)));
    EXPECT_TRUE(PasswordNeedsRehash("garbage", MinimumCost()));
}

TEST(Password, StrengthsUseLibsodiumLimits) {
    const auto interactive = CostFor(PasswordStrength::kInteractive);
    EXPECT_EQ(interactive.ops_limit, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
    EXPECT_EQ(interactive.mem_limit, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
    EXPECT_EQ(CostFor(PasswordStrength::kSensitive).mem_limit,
              crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);
}

}  // namespace
}  // namespace tta::auth
