// The account journey over real HTTP: register, /v1/me, refresh rotation, reuse detection,
// logout, and every error status of these routes.
#include "tta/server/account_routes.hpp"

#include <gtest/gtest.h>
#include <unistd.h>


#include "tta/server/server.hpp"
#include "tta/server/test_client.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::server {
namespace {

using namespace std::chrono_literals;
using testing::HttpClient;

class AccountRoutesTest : public ::testing::Test {
  protected:
    AccountRoutesTest()
        : dir_(std::filesystem::temp_directory_path() /
               ("tta_account_routes_" + std::to_string(::getpid()))),
          master_(auth::MasterKey::Generate()),
          tokens_(master_.Derive(auth::KeyPurpose::kSignAccessTokens),
                  {"tta", "tta", std::chrono::seconds(900), std::chrono::seconds(30)}, clock_) {
        std::filesystem::remove_all(dir_);
        store::sqlite::SqliteOptions options;
        options.data_dir = dir_;
        options.sync = store::sqlite::Sync::kNormal;
        store_ = std::move(*store::sqlite::SqliteStore::Open(options));
        AccountOptions account_options;
        account_options.password_cost = auth::MinimumCost();
        accounts_ = std::make_unique<Accounts>(*store_, master_, tokens_, clock_, account_options);
        AddAccountRoutes(router_, *accounts_);
        config_.server.port = 0;
        config_.server.threads = 1;
        config_.server.worker_threads = 2;
        server_ = std::make_unique<Server>(config_, router_, registry_, clock_);
        server_->SetAuthenticator(
            [this](const Request& req) { return accounts_->Authenticate(req); });
        EXPECT_TRUE(server_->Start());
        client_ = std::make_unique<HttpClient>(server_->Port());
    }
    ~AccountRoutesTest() override {
        client_.reset();
        server_->Shutdown();
        server_.reset();
        accounts_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    testing::ClientResponse Post(const std::string& target, const std::string& body) {
        auto r = client_->Send("POST", target, body);
        EXPECT_TRUE(r) << target;
        return r ? *r : testing::ClientResponse{};
    }
    testing::ClientResponse Me(const std::string& access_token) {
        auto r = client_->Send("GET", "/v1/me", "", {{"Authorization", "Bearer " + access_token}});
        EXPECT_TRUE(r);
        return r ? *r : testing::ClientResponse{};
    }
    static std::string Str(const boost::json::value& v, std::string_view key) {
        return std::string(v.at(key).as_string());
    }

    std::filesystem::path dir_;
    ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    auth::MasterKey master_;
    auth::AccessTokens tokens_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<Accounts> accounts_;
    Config config_;
    Router router_;
    metrics::Registry registry_;
    std::unique_ptr<Server> server_;
    std::unique_ptr<HttpClient> client_;
};

TEST_F(AccountRoutesTest, TheWholeAccountJourney) {
    // Register: a player, whatever the body asks for.
    auto r = Post("/v1/auth/register",
                  R"({"username":"mira","password":"correct horse","email":"m@example.org",)"
                  R"("roles":["admin"]})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("cache-control"), "no-store");
    const auto registered = r.Json();
    EXPECT_EQ(Str(registered, "token_type"), "Bearer");
    EXPECT_EQ(registered.at("expires_in").as_int64(), 900);
    const auto& user = registered.at("user");
    EXPECT_EQ(Str(user, "username"), "mira");
    EXPECT_EQ(Str(user, "email"), "m@example.org");
    EXPECT_EQ(user.at("roles"), boost::json::array({"player"}));
    EXPECT_EQ(Str(user, "created_at"), "2027-01-15T08:00:00Z");

    // The access token opens /v1/me.
    r = Me(Str(registered, "access_token"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json(), user);

    // Refresh rotates.
    const std::string first = Str(registered, "refresh_token");
    r = Post("/v1/auth/refresh", R"({"refresh_token":")" + first + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string second = Str(r.Json(), "refresh_token");
    EXPECT_NE(second, first);
    EXPECT_EQ(Me(Str(r.Json(), "access_token")).status, 200);

    // Replaying the spent token is refused and kills its successor.
    r = Post("/v1/auth/refresh", R"({"refresh_token":")" + first + R"("})");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.Json().at("error").at("code"), "unauthenticated");
    EXPECT_EQ(Post("/v1/auth/refresh", R"({"refresh_token":")" + second + R"("})").status, 401);

    // Log in again, log out: the family is gone.
    r = Post("/v1/auth/login", R"({"username":"mira","password":"correct horse"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string third = Str(r.Json(), "refresh_token");
    r = Post("/v1/auth/logout", R"({"refresh_token":")" + third + R"("})");
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(Post("/v1/auth/refresh", R"({"refresh_token":")" + third + R"("})").status, 401);
}

TEST_F(AccountRoutesTest, ErrorsHaveTheirStatuses) {
    EXPECT_EQ(Post("/v1/auth/register", R"({"username":"mira"})").status, 400);
    EXPECT_EQ(Post("/v1/auth/register", R"({"username":"mira","password":7})").status, 400);
    EXPECT_EQ(Post("/v1/auth/register", R"({"username":"m","password":"long enough"})").status,
              400);
    EXPECT_EQ(Post("/v1/auth/register", "{bad json").status, 400);
    EXPECT_EQ(Post("/v1/auth/register", R"({"username":"mira","password":"long enough"})").status,
              201);
    auto r = Post("/v1/auth/register", R"({"username":"MIRA","password":"long enough"})");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.Json().at("error").at("code"), "conflict");
    r = Post("/v1/auth/login", R"({"username":"mira","password":"wrong password"})");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.Json().at("error").at("message"), "wrong username or password");
    EXPECT_EQ(Post("/v1/auth/refresh", R"({})").status, 400);
    EXPECT_EQ(Post("/v1/auth/logout", R"({"refresh_token":"unknown"})").status, 204);

    r = *client_->Send("GET", "/v1/me");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.Header("www-authenticate"), "Bearer");
    EXPECT_EQ(Me("forged.token.here").status, 401);
    const auto expired = tokens_.Issue("someone", {}).token;
    clock_.Advance(16min);
    EXPECT_EQ(Me(expired).status, 401);
    EXPECT_EQ(client_->Send("GET", "/v1/auth/login")->status, 405);
}

TEST_F(AccountRoutesTest, ATokenForADeletedAccountNoLongerWorks) {
    auto r = Post("/v1/auth/register", R"({"username":"mira","password":"long enough"})");
    ASSERT_EQ(r.status, 201);
    ASSERT_TRUE(store_->DeleteUser(Str(r.Json().at("user"), "id")));
    EXPECT_EQ(Me(Str(r.Json(), "access_token")).status, 401);
}

}  // namespace
}  // namespace tta::server
