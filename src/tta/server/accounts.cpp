#include "tta/server/accounts.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include "tta/auth/tokens.hpp"

namespace tta::server {
namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;

Error Unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }

Status CheckUsername(std::string_view u) {
    if (u.size() < 3 || u.size() > 32) {
        return Error::Invalid("username must be 3 to 32 characters");
    }
    const bool ok = std::all_of(u.begin(), u.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
    if (!ok) return Error::Invalid("username may use only letters, digits, '.', '_' and '-'");
    return Ok();
}

Status CheckEmail(std::string_view e) {
    const auto at = e.find('@');
    if (e.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 == e.size() ||
        e.find_first_of(" \t\r\n") != std::string_view::npos) {
        return Error::Invalid("email is not a valid address");
    }
    return Ok();
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::ptrdiff_t HashSlots() {
    return static_cast<std::ptrdiff_t>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

Accounts::Accounts(store::AccountStore& store, const auth::MasterKey& master_key,
                   const auth::AccessTokens& tokens, const Clock& clock, AccountOptions options)
    : store_(store),
      master_key_(master_key),
      tokens_(tokens),
      clock_(clock),
      options_(options),
      login_limiter_(1000.0 / static_cast<double>(options.login_refill.count()),
                     options.login_burst, clock),
      hash_slots_(HashSlots()) {}

template <typename F>
auto Accounts::Hashing(F&& f) -> decltype(f()) {
    hash_slots_.acquire();
    struct Release {
        std::counting_semaphore<>& s;
        ~Release() { s.release(); }
    } release{hash_slots_};
    return f();
}

const std::string& Accounts::DummyHash() {
    std::call_once(dummy_once_, [this] {
        auto h = auth::HashPassword(auth::RandomToken(), options_.password_cost);
        dummy_hash_ = h ? *h : "";
    });
    return dummy_hash_;
}

Result<IssuedSession> Accounts::Register(std::string_view username, std::string_view password,
                                         std::optional<std::string> email) {
    if (auto s = CheckUsername(username); !s) return s.error();
    if (email) {
        if (auto s = CheckEmail(*email); !s) return s.error();
    }
    if (password.size() < options_.min_password_length) {
        return Error::Invalid("password must be at least " +
                              std::to_string(options_.min_password_length) + " characters");
    }
    if (password.size() > kMaxPasswordBytes) return Error::Invalid("password is too long");
    // Fail fast before the expensive hash; CreateUser still decides under concurrency.
    if (auto existing = store_.FindUserByUsername(username); existing) {
        return Error::Conflict("username is taken");
    } else if (existing.error().code != ErrorCode::kNotFound) {
        return existing.error();
    }
    auto hash = Hashing([&] { return auth::HashPassword(password, options_.password_cost); });
    if (!hash) return hash.error();

    store::User user;
    user.id = auth::RandomId();
    user.username = std::string(username);
    user.email = std::move(email);
    user.password_hash = std::move(*hash);
    user.roles = {"player"};  // roles are granted, never chosen (ARCHITECTURE.md, principle 7)
    user.created_ms = clock_.NowMillis();
    user.wrapped_key = master_key_.WrapDataKey(auth::DataKey::Random(), user.id);
    if (auto s = store_.CreateUser(user); !s) {
        if (s.error().code == ErrorCode::kConflict) return Error::Conflict("username is taken");
        return s.error();
    }
    return Issue(user, auth::RandomId());
}

Result<IssuedSession> Accounts::Login(std::string_view username, std::string_view password) {
    if (!login_limiter_.Take(Lower(username)).allowed) {
        return Error{ErrorCode::kRateLimited, "too many login attempts; try again later"};
    }
    auto user = store_.FindUserByUsername(username);
    if (!user && user.error().code != ErrorCode::kNotFound) return user.error();
    const bool known = static_cast<bool>(user);
    const std::string& hash = known ? user->password_hash : DummyHash();
    const bool verified = password.size() <= kMaxPasswordBytes &&
                          Hashing([&] { return auth::VerifyPassword(hash, password); });
    if (!known || !verified) return Unauthenticated("wrong username or password");
    if (auth::PasswordNeedsRehash(user->password_hash, options_.password_cost)) {
        auto rehash = Hashing([&] { return auth::HashPassword(password, options_.password_cost); });
        if (rehash && store_.SetPasswordHash(user->id, *rehash)) user->password_hash = *rehash;
    }
    return Issue(*user, auth::RandomId());
}

Result<IssuedSession> Accounts::Issue(const store::User& user, std::string family_id) {
    const std::string refresh = auth::RandomToken();
    store::RefreshToken token;
    token.token_hash = auth::HashToken(refresh);
    token.family_id = std::move(family_id);
    token.user_id = user.id;
    token.created_ms = clock_.NowMillis();
    token.expires_ms = token.created_ms + options_.refresh_ttl.count();
    if (auto s = store_.InsertRefreshToken(token); !s) return s.error();
    const std::vector<std::string> roles(user.roles.begin(), user.roles.end());
    auto access = tokens_.Issue(user.id, roles);
    return IssuedSession{std::move(access.token), tokens_.Options().ttl.count(), refresh, user};
}

Result<IssuedSession> Accounts::Refresh(std::string_view refresh_token) {
    const std::string next = auth::RandomToken();
    const std::int64_t now = clock_.NowMillis();
    auto rotated = store_.RotateRefreshToken(auth::HashToken(refresh_token), auth::HashToken(next),
                                             now + options_.refresh_ttl.count(), now);
    if (!rotated) return rotated.error();
    auto user = store_.GetUser(rotated->user_id);
    if (!user) {
        if (user.error().code == ErrorCode::kNotFound) {
            return Unauthenticated("the account no longer exists");
        }
        return user.error();
    }
    const std::vector<std::string> roles(user->roles.begin(), user->roles.end());
    auto access = tokens_.Issue(user->id, roles);
    return IssuedSession{std::move(access.token), tokens_.Options().ttl.count(), next,
                         std::move(*user)};
}

Status Accounts::Logout(std::string_view refresh_token) {
    auto token = store_.GetRefreshToken(auth::HashToken(refresh_token));
    if (!token) return token.error().code == ErrorCode::kNotFound ? Ok() : Status(token.error());
    return store_.RevokeRefreshFamily(token->family_id);
}

Result<store::User> Accounts::GetUser(std::string_view user_id) { return store_.GetUser(user_id); }

Result<auth::DataKey> Accounts::DataKeyOf(const store::User& user) const {
    return master_key_.UnwrapDataKey(user.wrapped_key, user.id);
}

Result<Principal> Accounts::Authenticate(const Request& request) const {
    const std::string_view header = request.Header("authorization");
    if (header.empty()) return Unauthenticated("authentication required");
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() <= kScheme.size() || Lower(header.substr(0, kScheme.size())) != kScheme) {
        return Unauthenticated("expected Authorization: Bearer <access token>");
    }
    auto claims = tokens_.Verify(header.substr(kScheme.size()));
    if (!claims) return claims.error();
    return Principal{std::move(claims->subject), std::move(claims->roles)};
}

Result<store::User> GrantRole(store::AccountStore& store, std::string_view username,
                              std::string_view role) {
    if (std::find(std::begin(kRoles), std::end(kRoles), role) == std::end(kRoles)) {
        return Error::Invalid("unknown role '" + std::string(role) +
                              "'; roles are player, clinician, editor, admin");
    }
    auto user = store.FindUserByUsername(username);
    if (!user) {
        if (user.error().code == ErrorCode::kNotFound) {
            return Error::NotFound("no user named '" + std::string(username) + "'");
        }
        return user.error();
    }
    if (auto s = store.GrantRole(user->id, role); !s) return s.error();
    return store.GetUser(user->id);
}

}  // namespace tta::server
