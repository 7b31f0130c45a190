// tta::auth access tokens: short-lived JWTs (RFC 7519) signed with HMAC-SHA-256, issued and
// verified as RFC 8725 (JWT Best Current Practices) asks:
// - one fixed algorithm: the header must say "alg":"HS256"; "none" and every other algorithm
//   are rejected, and the key is never chosen from the token (§3.1, §3.2);
// - explicit typing: "typ":"at+jwt" (RFC 9068), so no other kind of JWT passes as an access
//   token (§3.11); a "crit" header is rejected, as no extension is understood;
// - iss and aud must equal the configured values, exp is required and enforced, nbf when
//   present, iat must not lie in the future (§3.8, §3.9), all with a small clock leeway;
// - the signature is compared in constant time (libsodium crypto_auth_hmacsha256_verify);
// - segments are canonical base64url without padding.
// The signing key is the master key's kSignAccessTokens subkey (keys.hpp), so every node that
// shares the master key accepts every other node's tokens.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tta/auth/keys.hpp"
#include "tta/core/clock.hpp"
#include "tta/core/error.hpp"

namespace tta::auth {

struct AccessClaims {
    std::string subject;  // sub: the user id
    std::vector<std::string> roles;
    std::string token_id;         // jti
    std::int64_t issued_at = 0;   // iat, seconds since the epoch
    std::int64_t expires_at = 0;  // exp
};

struct AccessTokenOptions {
    std::string issuer;
    std::string audience;
    std::chrono::seconds ttl{std::chrono::minutes(15)};
    // Tolerated clock difference between the nodes that issue and verify.
    std::chrono::seconds leeway{30};
};

struct IssuedToken {
    std::string token;
    AccessClaims claims;
};

class AccessTokens {
  public:
    // `clock` must outlive this object.
    AccessTokens(const SecretKey& key, AccessTokenOptions options, const Clock& clock);

    IssuedToken Issue(std::string_view subject, std::span<const std::string> roles) const;
    // kUnauthenticated, with the reason, for anything but a valid, current token of ours.
    Result<AccessClaims> Verify(std::string_view token) const;

    const AccessTokenOptions& Options() const { return options_; }

  private:
    SecretKey key_;
    AccessTokenOptions options_;
    const Clock& clock_;
};

}  // namespace tta::auth
