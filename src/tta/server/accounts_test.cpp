#include "tta/server/accounts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>

#include "tta/auth/tokens.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::server {
namespace {

using namespace std::chrono_literals;

std::filesystem::path FreshDir() {
    static std::atomic<int> n{0};
    auto dir = std::filesystem::temp_directory_path() /
               ("tta_accounts_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::remove_all(dir);
    return dir;
}

class AccountsTest : public ::testing::Test {
  protected:
    AccountsTest()
        : dir_(FreshDir()),
          clock_(std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))),
          master_(auth::MasterKey::Generate()),
          tokens_(master_.Derive(auth::KeyPurpose::kSignAccessTokens),
                  {"tta", "tta", std::chrono::seconds(900), std::chrono::seconds(30)}, clock_) {
        store::sqlite::SqliteOptions options;
        options.data_dir = dir_;
        options.sync = store::sqlite::Sync::kNormal;
        options.clock = &clock_;
        store_ = std::move(*store::sqlite::SqliteStore::Open(options));
        accounts_ = MakeAccounts(auth::MinimumCost());
    }
    ~AccountsTest() override {
        accounts_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    std::unique_ptr<Accounts> MakeAccounts(auth::PasswordCost cost) {
        AccountOptions options;
        options.password_cost = cost;
        options.refresh_ttl = 24h;
        options.login_burst = 5;
        options.login_refill = 60s;
        return std::make_unique<Accounts>(*store_, master_, tokens_, clock_, options);
    }

    std::filesystem::path dir_;
    ManualClock clock_;
    auth::MasterKey master_;
    auth::AccessTokens tokens_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, RegisteringCreatesAPlayerWithAHashedPasswordAndAWrappedDataKey) {
    auto s = accounts_->Register("Mira", "correct horse", std::string("mira@example.org"));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->user.username, "Mira");
    EXPECT_EQ(s->user.roles, (std::set<std::string>{"player"}));
    EXPECT_EQ(s->expires_in, 900);
    EXPECT_EQ(s->refresh_token.size(), 43u);

    auto stored = store_->GetUser(s->user.id);
    ASSERT_TRUE(stored);
    EXPECT_TRUE(stored->password_hash.starts_with("$argon2id$"));
    EXPECT_EQ(stored->password_hash.find("correct horse"), std::string::npos);
    EXPECT_EQ(stored->email, "mira@example.org");
    EXPECT_TRUE(accounts_->DataKeyOf(*stored));

    auto claims = tokens_.Verify(s->access_token);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->subject, s->user.id);
    EXPECT_EQ(claims->roles, (std::vector<std::string>{"player"}));
    // The store holds the refresh token's hash, never the token.
    EXPECT_TRUE(store_->GetRefreshToken(auth::HashToken(s->refresh_token)));
    EXPECT_FALSE(store_->GetRefreshToken(s->refresh_token));
}

TEST_F(AccountsTest, BadRegistrationsAreRefusedWithTheReason) {
    const struct {
        std::string username, password;
        std::optional<std::string> email;
        std::string message;
    } cases[] = {
        {"ab", "long enough", {}, "username must be 3 to 32 characters"},
        {std::string(33, 'a'), "long enough", {}, "username must be 3 to 32 characters"},
        {"mira k", "long enough", {}, "username may use only letters, digits, '.', '_' and '-'"},
        {"mira", "short", {}, "password must be at least 8 characters"},
        {"mira", std::string(2000, 'p'), {}, "password is too long"},
        {"mira", "long enough", "not-an-address", "email is not a valid address"},
    };
    for (const auto& c : cases) {
        auto s = accounts_->Register(c.username, c.password, c.email);
        ASSERT_FALSE(s) << c.username;
        EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
        EXPECT_EQ(s.error().message, c.message);
    }
}

TEST_F(AccountsTest, UsernamesAreUniqueRegardlessOfCase) {
    ASSERT_TRUE(accounts_->Register("Mira", "password1", {}));
    auto again = accounts_->Register("mIRA", "password2", {});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_F(AccountsTest, LoginNeedsTheRightPasswordAndSaysTheSameForUnknownUsers) {
    auto reg = accounts_->Register("mira", "password1", {});
    ASSERT_TRUE(reg);
    auto ok = accounts_->Login("MIRA", "password1");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->user.id, reg->user.id);
    EXPECT_NE(ok->refresh_token, reg->refresh_token);

    auto wrong = accounts_->Login("mira", "password2");
    auto unknown = accounts_->Login("nobody", "password1");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsTest, LoginAttemptsPerUsernameAreLimited) {
    ASSERT_TRUE(accounts_->Register("mira", "password1", {}));
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(accounts_->Login("mira", "guess" + std::to_string(i)));
    auto limited = accounts_->Login("mira", "password1");
    ASSERT_FALSE(limited);
    EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
    EXPECT_TRUE(accounts_->Login("other", "x").error().code == ErrorCode::kUnauthenticated);
    clock_.Advance(60s);
    EXPECT_TRUE(accounts_->Login("Mira", "password1"));
}

TEST_F(AccountsTest, RefreshRotatesAndReuseRevokesTheWholeFamily) {
    auto first = accounts_->Register("mira", "password1", {});
    ASSERT_TRUE(first);
    auto second = accounts_->Refresh(first->refresh_token);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_NE(second->refresh_token, first->refresh_token);
    EXPECT_TRUE(tokens_.Verify(second->access_token));

    // Someone replays the spent token: refused, and the live successor dies with it.
    auto replay = accounts_->Refresh(first->refresh_token);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, ErrorCode::kUnauthenticated);
    auto successor = accounts_->Refresh(second->refresh_token);
    ASSERT_FALSE(successor);
    EXPECT_EQ(successor.error().code, ErrorCode::kUnauthenticated);

    // Another login is another family, untouched.
    auto other = accounts_->Login("mira", "password1");
    ASSERT_TRUE(other);
    EXPECT_TRUE(accounts_->Refresh(other->refresh_token));
}

TEST_F(AccountsTest, RefreshTokensExpire) {
    auto s = accounts_->Register("mira", "password1", {});
    clock_.Advance(24h);
    EXPECT_EQ(accounts_->Refresh(s->refresh_token).error().code, ErrorCode::kUnauthenticated);
    EXPECT_FALSE(accounts_->Refresh("not-a-token"));
}

TEST_F(AccountsTest, LogoutRevokesTheFamily) {
    auto s = accounts_->Register("mira", "password1", {});
    auto rotated = accounts_->Refresh(s->refresh_token);
    ASSERT_TRUE(rotated);
    EXPECT_TRUE(accounts_->Logout(rotated->refresh_token));
    EXPECT_FALSE(accounts_->Refresh(rotated->refresh_token));
    EXPECT_TRUE(accounts_->Logout("unknown-token"));
}

TEST_F(AccountsTest, WeakerPasswordHashesAreUpgradedAtLogin) {
    ASSERT_TRUE(accounts_->Register("mira", "password1", {}));
    const auth::PasswordCost stronger{2, 16 * 1024};
    auto upgraded = MakeAccounts(stronger);
    ASSERT_TRUE(upgraded->Login("mira", "password1"));
    const auto user = store_->FindUserByUsername("mira");
    EXPECT_FALSE(auth::PasswordNeedsRehash(user->password_hash, stronger));
    EXPECT_TRUE(upgraded->Login("mira", "password1"));
}

TEST_F(AccountsTest, RolesAreGrantedOnlyThroughGrantRole) {
    auto s = accounts_->Register("mira", "password1", {});
    auto granted = GrantRole(*store_, "MIRA", "clinician");
    ASSERT_TRUE(granted) << granted.error().message;
    EXPECT_EQ(granted->roles, (std::set<std::string>{"clinician", "player"}));
    auto login = accounts_->Login("mira", "password1");
    EXPECT_EQ(tokens_.Verify(login->access_token)->roles,
              (std::vector<std::string>{"clinician", "player"}));
    EXPECT_EQ(GrantRole(*store_, "mira", "superuser").error().code, ErrorCode::kInvalid);
    EXPECT_EQ(GrantRole(*store_, "nobody", "admin").error().code, ErrorCode::kNotFound);
}

TEST_F(AccountsTest, AuthenticateReadsABearerToken) {
    auto s = accounts_->Register("mira", "password1", {});
    Request req;
    EXPECT_EQ(accounts_->Authenticate(req).error().message, "authentication required");
    req.headers = {{"authorization", "Basic abc"}};
    EXPECT_FALSE(accounts_->Authenticate(req));
    req.headers = {{"authorization", "bearer " + s->access_token}};
    auto p = accounts_->Authenticate(req);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->user_id, s->user.id);
    EXPECT_TRUE(p->HasRole("player"));
    req.headers = {{"authorization", "Bearer " + s->access_token + "x"}};
    EXPECT_EQ(accounts_->Authenticate(req).error().code, ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace tta::server
