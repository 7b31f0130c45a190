#include "tta/auth/keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace tta::auth {
namespace {

TEST(Keys, ADataKeyUnwrapsForItsUserUnderItsMasterKey) {
    const MasterKey master = MasterKey::Generate();
    const DataKey key = DataKey::Random();
    const Bytes wrapped = master.WrapDataKey(key, "user-1");
    EXPECT_EQ(wrapped.size(), 73u);
    const auto unwrapped = master.UnwrapDataKey(wrapped, "user-1");
    ASSERT_TRUE(unwrapped);
    EXPECT_TRUE(
        std::equal(unwrapped->Bytes().begin(), unwrapped->Bytes().end(), key.Bytes().begin()));
}

TEST(Keys, AWrappedKeyDoesNotOpenForAnotherUserOrMasterKey) {
    const MasterKey master = MasterKey::Generate();
    const Bytes wrapped = master.WrapDataKey(DataKey::Random(), "user-1");
    EXPECT_EQ(master.UnwrapDataKey(wrapped, "user-2").error().code, ErrorCode::kUnauthenticated);
    EXPECT_FALSE(MasterKey::Generate().UnwrapDataKey(wrapped, "user-1"));
}

TEST(Keys, EveryChangedByteOfAWrappedKeyIsDetected) {
    const MasterKey master = MasterKey::Generate();
    const Bytes wrapped = master.WrapDataKey(DataKey::Random(), "u");
    for (std::size_t i = 0; i < wrapped.size(); ++i) {
        Bytes tampered = wrapped;
        tampered[i] ^= 0x01;
        EXPECT_FALSE(master.UnwrapDataKey(tampered, "u")) << "byte " << i;
    }
    EXPECT_FALSE(master.UnwrapDataKey(Bytes(wrapped.begin(), wrapped.end() - 1), "u"));
    EXPECT_FALSE(master.UnwrapDataKey({}, "u"));
}

TEST(Keys, SealedTextOpensWithItsKeyAndContext) {
    const DataKey key = DataKey::Random();
    for (const std::string& text :
         {std::string(), std::string("I felt anxious at the bridge."), std::string(10000, 'x')}) {
        const Bytes sealed = Seal(key, text, "turn:s1:4");
        EXPECT_EQ(sealed.size(), 24 + text.size() + 16);
        EXPECT_EQ(AsText(sealed).find("anxious"), std::string_view::npos);
        const auto opened = Open(key, sealed, "turn:s1:4");
        ASSERT_TRUE(opened);
        EXPECT_EQ(*opened, text);
    }
}

TEST(Keys, SealingTwiceGivesDifferentBytes) {
    const DataKey key = DataKey::Random();
    EXPECT_NE(Seal(key, "same"), Seal(key, "same"));
}

TEST(Keys, TamperedSealedTextOrWrongKeyOrContextNeverOpens) {
    const DataKey key = DataKey::Random();
    const Bytes sealed = Seal(key, "private words", "character:c1");
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        Bytes tampered = sealed;
        tampered[i] ^= 0x80;
        EXPECT_FALSE(Open(key, tampered, "character:c1")) << "byte " << i;
    }
    EXPECT_EQ(Open(key, sealed, "character:c2").error().code, ErrorCode::kUnauthenticated);
    EXPECT_FALSE(Open(DataKey::Random(), sealed, "character:c1"));
    EXPECT_FALSE(Open(key, Bytes(sealed.begin(), sealed.begin() + 39), "character:c1"));
}

TEST(Keys, SubkeysDifferByPurposeAndAreStable) {
    const MasterKey master = MasterKey::Generate();
    const auto a = master.Derive(KeyPurpose::kWrapDataKeys);
    const auto b = master.Derive(KeyPurpose::kSignAccessTokens);
    EXPECT_FALSE(std::equal(a.Bytes().begin(), a.Bytes().end(), b.Bytes().begin()));
    const auto again = MasterKey::FromBase64(master.ToBase64())->Derive(KeyPurpose::kWrapDataKeys);
    EXPECT_TRUE(std::equal(a.Bytes().begin(), a.Bytes().end(), again.Bytes().begin()));
}

TEST(Keys, MasterKeyTextMustBe32BytesOfBase64) {
    const std::string good = MasterKey::Generate().ToBase64();
    EXPECT_EQ(good.size(), 44u);
    EXPECT_TRUE(MasterKey::FromBase64(good));
    EXPECT_TRUE(MasterKey::FromBase64("  " + good + "\n"));
    EXPECT_FALSE(MasterKey::FromBase64(good.substr(0, 40)));
    EXPECT_FALSE(MasterKey::FromBase64("not base64!"));
    EXPECT_FALSE(MasterKey::FromBase64(""));
}

class MasterKeyFiles : public ::testing::Test {
  protected:
    void SetUp() override { std::filesystem::remove_all(dir_); }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_ =
        std::filesystem::temp_directory_path() / ("tta_keys_test_" + std::to_string(::getpid()));
};

TEST_F(MasterKeyFiles, WithNoKeyGivenOneIsGeneratedIntoTheDataDirReadableOnlyByItsOwner) {
    Config config;
    config.storage.data_dir = dir_ / "data";
    const auto first = LoadMasterKey(config);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(first->generated);
    ASSERT_EQ(first->warnings.size(), 1u);
    EXPECT_NE(first->warnings[0].find("generated a new master key"), std::string::npos);
    const auto path = dir_ / "data" / "master.key";
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    const auto second = LoadMasterKey(config);
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->generated);
    EXPECT_TRUE(second->warnings.empty());
    EXPECT_EQ(second->key.ToBase64(), first->key.ToBase64());
}

TEST_F(MasterKeyFiles, AConfiguredKeyWinsAndErrorsNameWhereItCameFrom) {
    Config config;
    config.storage.data_dir = dir_;
    const std::string key = MasterKey::Generate().ToBase64();
    config.auth.master_key = key;
    config.sources["auth.master_key"] = "environment TTA_MASTER_KEY";
    auto loaded = LoadMasterKey(config);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->key.ToBase64(), key);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "master.key"));

    config.auth.master_key = "short";
    loaded = LoadMasterKey(config);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().message,
              "auth.master_key (environment TTA_MASTER_KEY): the master key is not valid base64");
}

TEST_F(MasterKeyFiles, AKeyFileIsReadAndAWorldReadableOneIsWarnedAbout) {
    std::filesystem::create_directories(dir_);
    const auto path = dir_ / "key";
    const std::string key = MasterKey::Generate().ToBase64();
    std::ofstream(path) << key << "\n";
    ::chmod(path.c_str(), 0644);
    Config config;
    config.auth.master_key_file = path;
    const auto loaded = LoadMasterKey(config);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->key.ToBase64(), key);
    ASSERT_EQ(loaded->warnings.size(), 1u);
    EXPECT_NE(loaded->warnings[0].find("chmod 600"), std::string::npos);

    config.auth.master_key_file = dir_ / "missing";
    EXPECT_EQ(LoadMasterKey(config).error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace tta::auth
