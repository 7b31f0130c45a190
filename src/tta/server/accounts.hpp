// tta::server accounts: sign-up, sign-in, token refresh and sign-out over the AccountStore
// (issue 3, "Accounts and security"). HTTP-free; account_routes.hpp puts it on the router.
//
// - Passwords are Argon2id hashes (tta/auth/password.hpp); hashing runs at most one per core
//   at a time, so a burst of sign-ins cannot exhaust memory. A login for an unknown user
//   verifies against a dummy hash, so its timing does not tell which usernames exist.
// - Access tokens are 15-minute JWTs (tta/auth/jwt.hpp) carrying the user id and roles.
// - Refresh tokens are opaque, stored hashed, and rotated on every use; each login starts a
//   family. Presenting a refresh token that was already used revokes its whole family (the
//   store does it atomically), since one of the two holders is a thief. Logout revokes the
//   family of the token presented.
// - Everyone registers as "player"; other roles come only from GrantRole (`tta admin grant`).
// - Each user gets a data key at sign-up, stored wrapped by the master key.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "tta/auth/jwt.hpp"
#include "tta/auth/keys.hpp"
#include "tta/auth/password.hpp"
#include "tta/core/clock.hpp"
#include "tta/core/error.hpp"
#include "tta/server/http.hpp"
#include "tta/server/rate_limit.hpp"
#include "tta/store/account_store.hpp"

namespace tta::server {

// Roles `tta admin grant` may give. "player" is everyone's from sign-up.
inline constexpr std::string_view kRoles[] = {"player", "clinician", "editor", "admin"};

struct AccountOptions {
    auth::PasswordCost password_cost = auth::CostFor(PasswordStrength::kInteractive);
    std::size_t min_password_length = 8;
    std::chrono::milliseconds refresh_ttl{std::chrono::hours(24 * 30)};
    // Login attempts per username: a burst, then one every `login_refill`.
    double login_burst = 10;
    std::chrono::milliseconds login_refill{std::chrono::seconds(6)};
};

// The answer to register, login and refresh.
struct IssuedSession {
    std::string access_token;
    std::int64_t expires_in = 0;  // seconds
    std::string refresh_token;
    store::User user;
};

class Accounts {
  public:
    // Everything given must outlive this object.
    Accounts(store::AccountStore& store, const auth::MasterKey& master_key,
             const auth::AccessTokens& tokens, const Clock& clock, AccountOptions options);

    // kInvalid for a bad username (3-32 of A-Z a-z 0-9 . _ -), email or password;
    // kConflict when the username is taken (case-insensitively).
    Result<IssuedSession> Register(std::string_view username, std::string_view password,
                                   std::optional<std::string> email);
    // kUnauthenticated for an unknown user or a wrong password (the same message for both);
    // kRateLimited after too many attempts for one username.
    Result<IssuedSession> Login(std::string_view username, std::string_view password);
    // Rotates: the presented token is spent and a new one returned. kUnauthenticated for an
    // unknown, expired, revoked or reused token (reuse also revokes its family).
    Result<IssuedSession> Refresh(std::string_view refresh_token);
    // Revokes the family of the presented token. Unknown tokens succeed (nothing to revoke).
    Status Logout(std::string_view refresh_token);

    Result<store::User> GetUser(std::string_view user_id);
    // The user's data key, unwrapped with the master key, for sealing their personal text.
    Result<auth::DataKey> DataKeyOf(const store::User& user) const;

    // The Authorization: Bearer access token of a request, verified.
    Result<Principal> Authenticate(const Request& request) const;

    const AccountOptions& Options() const { return options_; }

  private:
    Result<IssuedSession> Issue(const store::User& user, std::string family_id);
    // Runs Argon2id with at most one hash per core at a time.
    template <typename F>
    auto Hashing(F&& f) -> decltype(f());
    const std::string& DummyHash();

    store::AccountStore& store_;
    const auth::MasterKey& master_key_;
    const auth::AccessTokens& tokens_;
    const Clock& clock_;
    AccountOptions options_;
    RateLimiter login_limiter_;
    std::counting_semaphore<> hash_slots_;
    std::once_flag dummy_once_;
    std::string dummy_hash_;
};

// `tta admin grant USER ROLE`: gives a registered user one of kRoles. kNotFound for an unknown
// user, kInvalid for an unknown role. Returns the user as now stored. Access tokens issued
// earlier keep their old roles until they expire (auth.access_ttl).
Result<store::User> GrantRole(store::AccountStore& store, std::string_view username,
                              std::string_view role);

}  // namespace tta::server
