#include "tta/auth/jwt.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

namespace tta::auth {
namespace {

using std::chrono::seconds;

class Jwt : public ::testing::Test {
  protected:
    Jwt()
        : clock_(std::chrono::system_clock::time_point(seconds(1'700'000'000))),
          key_(MasterKey::Generate().Derive(KeyPurpose::kSignAccessTokens)),
          tokens_(key_, {"tta", "tta-api", seconds(900), seconds(30)}, clock_) {}

    // A token with any header and payload, signed with the right key: what an attacker who
    // could choose claims but not the key cannot make, so the checks after the signature are
    // tested on their own.
    std::string Forge(std::string_view header, std::string_view payload) const {
        std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
        std::uint8_t mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(input.data()),
                               input.size(), key_.Bytes().data());
        return input + "." + Base64UrlEncode(mac);
    }

    std::string Payload(std::string extra = "") const {
        const auto now = std::to_string(clock_.NowMillis() / 1000);
        const auto exp = std::to_string(clock_.NowMillis() / 1000 + 900);
        return R"({"iss":"tta","aud":"tta-api","sub":"u1","iat":)" + now + R"(,"exp":)" + exp +
               extra + "}";
    }

    std::string Reason(std::string_view token) const {
        const auto r = tokens_.Verify(token);
        if (r) return "accepted";
        EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
        return r.error().message;
    }

    static constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"at+jwt"})";
    ManualClock clock_;
    SecretKey key_;
    AccessTokens tokens_;
};

TEST_F(Jwt, AnIssuedTokenVerifiesWithItsClaims) {
    const std::string roles[] = {"player", "editor"};
    const IssuedToken issued = tokens_.Issue("user-7", roles);
    const auto claims = tokens_.Verify(issued.token);
    ASSERT_TRUE(claims) << claims.error().message;
    EXPECT_EQ(claims->subject, "user-7");
    EXPECT_EQ(claims->roles, (std::vector<std::string>{"player", "editor"}));
    EXPECT_EQ(claims->issued_at, 1'700'000'000);
    EXPECT_EQ(claims->expires_at, 1'700'000'900);
    EXPECT_EQ(claims->token_id, issued.claims.token_id);
    EXPECT_EQ(claims->token_id.size(), 22u);
    EXPECT_EQ(issued.token.find('='), std::string::npos);
    EXPECT_EQ(issued.token.substr(0, issued.token.find('.')), Base64UrlEncode(kHeader));
}

TEST_F(Jwt, TheForgingHelperMakesTokensThatPass) {
    EXPECT_EQ(Reason(Forge(kHeader, Payload())), "accepted");
}

TEST_F(Jwt, AlgNoneIsRejectedSignedOrUnsigned) {
    const std::string header = R"({"alg":"none","typ":"at+jwt"})";
    const std::string unsigned_token =
        Base64UrlEncode(header) + "." + Base64UrlEncode(Payload()) + ".";
    EXPECT_EQ(Reason(unsigned_token), "token algorithm not accepted");
    EXPECT_EQ(Reason(Forge(header, Payload())), "token algorithm not accepted");
}

TEST_F(Jwt, EveryOtherAlgorithmIsRejected) {
    for (const char* alg : {R"("HS384")", R"("HS512")", R"("RS256")", R"("ES256")", R"("hs256")",
                            R"("HS256 ")", R"(null)", R"(["HS256"])"}) {
        const std::string header = std::string(R"({"alg":)") + alg + R"(,"typ":"at+jwt"})";
        EXPECT_EQ(Reason(Forge(header, Payload())), "token algorithm not accepted") << alg;
    }
    EXPECT_EQ(Reason(Forge(R"({"typ":"at+jwt"})", Payload())), "token algorithm not accepted");
}

TEST_F(Jwt, OnlyAccessTokensWithoutCriticalExtensionsPass) {
    EXPECT_EQ(Reason(Forge(R"({"alg":"HS256","typ":"JWT"})", Payload())),
              "not an access token (typ)");
    EXPECT_EQ(Reason(Forge(R"({"alg":"HS256"})", Payload())), "not an access token (typ)");
    EXPECT_EQ(Reason(Forge(R"({"alg":"HS256","typ":"at+jwt","crit":["exp"]})", Payload())),
              "token has critical extensions");
}

TEST_F(Jwt, AnyChangedCharacterBreaksTheSignature) {
    const std::string token = tokens_.Issue("user-7", {}).token;
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '.') continue;
        std::string tampered = token;
        tampered[i] = alphabet[(alphabet.find(token[i]) + 1) % alphabet.size()];
        EXPECT_NE(Reason(tampered), "accepted") << "position " << i;
    }
}

TEST_F(Jwt, ATokenSignedWithAnotherKeyIsRejected) {
    const AccessTokens other(SecretKey::Random(), tokens_.Options(), clock_);
    EXPECT_EQ(Reason(other.Issue("u1", {}).token), "bad token signature");
}

TEST_F(Jwt, ExpiryIsEnforcedWithTheLeeway) {
    const std::string token = tokens_.Issue("u1", {}).token;
    clock_.Advance(seconds(900 + 29));
    EXPECT_EQ(Reason(token), "accepted");
    clock_.Advance(seconds(1));
    EXPECT_EQ(Reason(token), "token expired");
}

TEST_F(Jwt, TimeClaimsAreRequiredAndChecked) {
    const auto now = clock_.NowMillis() / 1000;
    EXPECT_EQ(Reason(Forge(kHeader, R"({"iss":"tta","aud":"tta-api","sub":"u1","iat":1})")),
              "token has no expiry");
    EXPECT_EQ(Reason(Forge(kHeader, R"({"iss":"tta","aud":"tta-api","sub":"u1","exp":)" +
                                        std::to_string(now + 60) + "}")),
              "token has no issue time");
    EXPECT_EQ(Reason(Forge(kHeader, Payload(R"(,"nbf":)" + std::to_string(now + 31)))),
              "token not yet valid");
    EXPECT_EQ(Reason(Forge(kHeader, Payload(R"(,"nbf":)" + std::to_string(now + 30)))), "accepted");
    EXPECT_EQ(Reason(Forge(kHeader, Payload(R"(,"nbf":"soon")"))), "malformed nbf");
    const std::string future_iat = R"({"iss":"tta","aud":"tta-api","sub":"u1","iat":)" +
                                   std::to_string(now + 120) + R"(,"exp":)" +
                                   std::to_string(now + 900) + "}";
    EXPECT_EQ(Reason(Forge(kHeader, future_iat)), "token issued in the future");
    const std::string float_exp = R"({"iss":"tta","aud":"tta-api","sub":"u1","iat":)" +
                                  std::to_string(now) + R"(,"exp":1e12})";
    EXPECT_EQ(Reason(Forge(kHeader, float_exp)), "token has no expiry");
}

TEST_F(Jwt, IssuerAudienceAndSubjectMustMatch) {
    const auto now = std::to_string(clock_.NowMillis() / 1000);
    const auto exp = std::to_string(clock_.NowMillis() / 1000 + 60);
    const auto with = [&](std::string iss, std::string aud, std::string sub) {
        return Forge(kHeader, "{" + iss + aud + sub + R"("iat":)" + now + R"(,"exp":)" + exp + "}");
    };
    EXPECT_EQ(Reason(with(R"("iss":"evil",)", R"("aud":"tta-api",)", R"("sub":"u",)")),
              "wrong token issuer");
    EXPECT_EQ(Reason(with("", R"("aud":"tta-api",)", R"("sub":"u",)")), "wrong token issuer");
    EXPECT_EQ(Reason(with(R"("iss":"tta",)", R"("aud":"other",)", R"("sub":"u",)")),
              "wrong token audience");
    EXPECT_EQ(Reason(with(R"("iss":"tta",)", "", R"("sub":"u",)")), "wrong token audience");
    EXPECT_EQ(Reason(with(R"("iss":"tta",)", R"("aud":["x","tta-api"],)", R"("sub":"u",)")),
              "accepted");
    EXPECT_EQ(Reason(with(R"("iss":"tta",)", R"("aud":"tta-api",)", R"("sub":"",)")),
              "token has no subject");
    EXPECT_EQ(Reason(with(R"("iss":"tta",)", R"("aud":"tta-api",)", "")), "token has no subject");
}

TEST_F(Jwt, MalformedTokensAreRejectedWithoutThrowing) {
    const std::string good = tokens_.Issue("u1", {}).token;
    const std::string cases[] = {
        "",
        "a.b",
        good + ".x",
        good + "=",
        "." + good,
        "!!!.???.***",
        Base64UrlEncode(std::string_view("not json")) + "." + Base64UrlEncode(Payload()) + ".x",
        Forge(kHeader, "[1,2,3]"),
        Forge(kHeader, "{\"iss\":"),
        Forge(kHeader, Payload(R"(,"roles":"admin")")),
        Forge(kHeader, Payload(R"(,"roles":[1])")),
        std::string(10000, 'a'),
    };
    for (const auto& token : cases) EXPECT_NE(Reason(token), "accepted") << token;
}

}  // namespace
}  // namespace tta::auth
