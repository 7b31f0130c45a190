// AccountStore on SQLite: users and roles, refresh tokens, characters, safety records
// (schema: migrations.cpp, versions 2 and 3).
#include <cstdint>
#include <limits>
#include <string>

#include "tta/store/sqlite/store_impl.hpp"

namespace tta::store::sqlite {

namespace {

#define TTA_USER_COLUMNS "id, username, email, password_hash, created_ms, wrapped_key"
#define TTA_TOKEN_COLUMNS "token_hash, family_id, user_id, created_ms, expires_ms, used, revoked"
#define TTA_CHARACTER_COLUMNS \
    "id, owner_user_id, name, pronouns, personal, profile, created_ms, updated_ms"

Error NoUser(std::string_view id) { return Error::NotFound("no user " + std::string(id)); }

Status UserExists(Connection& c, std::string_view id) {
    auto q = c.Prepare("SELECT 1 FROM users WHERE id = ?1");
    if (!q) return q.error();
    auto row = q->Bind(1, id).Step();
    if (!row) return row.error();
    if (!*row) return NoUser(id);
    return Ok();
}

// Reads the user in the current row, then their roles.
Result<User> ReadUser(Connection& c, const Stmt& s) {
    User u;
    u.id = s.Text(0);
    u.username = s.Text(1);
    if (!s.IsNull(2)) u.email = s.Text(2);
    u.password_hash = s.Text(3);
    u.created_ms = s.Int(4);
    u.wrapped_key = s.Blob(5);
    auto roles = c.Prepare("SELECT role FROM user_roles WHERE user_id = ?1");
    if (!roles) return roles.error();
    roles->Bind(1, u.id);
    while (true) {
        auto row = roles->Step();
        if (!row) return row.error();
        if (!*row) return u;
        u.roles.insert(roles->Text(0));
    }
}

Result<User> FindUser(Connection& c, std::string_view sql, std::string_view key,
                      std::string_view what) {
    auto q = c.Prepare(sql);
    if (!q) return q.error();
    auto row = q->Bind(1, key).Step();
    if (!row) return row.error();
    if (!*row) return Error::NotFound("no user " + std::string(what) + std::string(key));
    return ReadUser(c, *q);
}

RefreshToken ReadToken(const Stmt& s) {
    RefreshToken t;
    t.token_hash = s.Text(0);
    t.family_id = s.Text(1);
    t.user_id = s.Text(2);
    t.created_ms = s.Int(3);
    t.expires_ms = s.Int(4);
    t.used = s.Int(5) != 0;
    t.revoked = s.Int(6) != 0;
    return t;
}

Status InsertToken(Connection& c, const RefreshToken& t) {
    auto q = c.Prepare("INSERT INTO refresh_tokens (" TTA_TOKEN_COLUMNS
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q) return q.error();
    auto s = q->Bind(1, t.token_hash)
                 .Bind(2, t.family_id)
                 .Bind(3, t.user_id)
                 .Bind(4, t.created_ms)
                 .Bind(5, t.expires_ms)
                 .Bind(6, t.used ? 1 : 0)
                 .Bind(7, t.revoked ? 1 : 0)
                 .Run();
    if (!s && s.error().code == ErrorCode::kConflict) {
        return Error::Conflict("a refresh token with this hash already exists");
    }
    return s;
}

Character ReadCharacter(const Stmt& s) {
    Character ch;
    ch.id = s.Text(0);
    ch.owner_user_id = s.Text(1);
    ch.name = s.Text(2);
    ch.pronouns = s.Text(3);
    ch.personal = s.Blob(4);
    ch.profile = s.Text(5);
    ch.created_ms = s.Int(6);
    ch.updated_ms = s.Int(7);
    return ch;
}

std::int64_t ClampLimit(std::size_t limit) {
    constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(limit > kMax ? kMax : limit);
}

// Runs a one-statement update of rows keyed by `key`; kNotFound with `missing` if none.
Status UpdateOne(Connection& c, std::string_view sql, std::string_view key, const Error& missing) {
    auto q = c.Prepare(sql);
    if (!q) return q.error();
    if (auto s = q->Bind(1, key).Run(); !s) return s;
    if (c.Changes() == 0) return missing;
    return Ok();
}

}  // namespace

// --- users ---

Status SqliteStore::CreateUser(const User& user) {
    return impl_->Observe("CreateUser", [&]() -> Status {
        if (user.id.empty() || user.username.empty()) {
            return Error::Invalid("a user needs an id and a username");
        }
        return impl_->Write([&](Connection& c) -> Status {
            {
                auto taken = c.Prepare(
                    "SELECT id = ?1, username = ?2 FROM users WHERE id = ?1 OR username = ?2");
                if (!taken) return taken.error();
                auto row = taken->Bind(1, user.id).Bind(2, user.username).Step();
                if (!row) return row.error();
                if (*row) {
                    return Error::Conflict(taken->Int(1) != 0 ? "the username is taken"
                                                              : "the user id exists");
                }
            }
            auto q = c.Prepare("INSERT INTO users (" TTA_USER_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            if (!q) return q.error();
            auto s = q->Bind(1, user.id)
                         .Bind(2, user.username)
                         .BindOptional(3, user.email)
                         .Bind(4, user.password_hash)
                         .Bind(5, user.created_ms)
                         .Bind(6, user.wrapped_key)
                         .Run();
            if (!s) return s;
            for (const auto& role : user.roles) {
                auto r = c.Prepare("INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)");
                if (!r) return r.error();
                if (auto rs = r->Bind(1, user.id).Bind(2, role).Run(); !rs) return rs;
            }
            return Ok();
        });
    });
}

Result<User> SqliteStore::GetUser(std::string_view id) {
    return impl_->Observe("GetUser", [&] {
        return impl_->Read([&](Connection& c) {
            return FindUser(c, "SELECT " TTA_USER_COLUMNS " FROM users WHERE id = ?1", id, "");
        });
    });
}

Result<User> SqliteStore::FindUserByUsername(std::string_view username) {
    return impl_->Observe("FindUserByUsername", [&] {
        return impl_->Read([&](Connection& c) {
            return FindUser(c, "SELECT " TTA_USER_COLUMNS " FROM users WHERE username = ?1",
                            username, "named ");
        });
    });
}

Status SqliteStore::SetPasswordHash(std::string_view user_id, std::string_view password_hash) {
    return impl_->Observe("SetPasswordHash", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1");
            if (!q) return q.error();
            if (auto s = q->Bind(1, user_id).Bind(2, password_hash).Run(); !s) return s;
            if (c.Changes() == 0) return NoUser(user_id);
            return Ok();
        });
    });
}

Status SqliteStore::GrantRole(std::string_view user_id, std::string_view role) {
    return impl_->Observe("GrantRole", [&]() -> Status {
        if (role.empty()) return Error::Invalid("a role needs a name");
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, user_id); !s) return s;
            auto q = c.Prepare(
                "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
            if (!q) return q.error();
            return q->Bind(1, user_id).Bind(2, role).Run();
        });
    });
}

Status SqliteStore::RevokeRole(std::string_view user_id, std::string_view role) {
    return impl_->Observe("RevokeRole", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, user_id); !s) return s;
            auto q = c.Prepare("DELETE FROM user_roles WHERE user_id = ?1 AND role = ?2");
            if (!q) return q.error();
            return q->Bind(1, user_id).Bind(2, role).Run();
        });
    });
}

Status SqliteStore::DeleteUser(std::string_view id) {
    return impl_->Observe("DeleteUser", [&] {
        return impl_->Write([&](Connection& c) {
            return UpdateOne(c, "DELETE FROM users WHERE id = ?1", id, NoUser(id));
        });
    });
}

// --- refresh tokens ---

Status SqliteStore::InsertRefreshToken(const RefreshToken& token) {
    return impl_->Observe("InsertRefreshToken", [&]() -> Status {
        if (token.token_hash.empty() || token.family_id.empty()) {
            return Error::Invalid("a refresh token needs a hash and a family");
        }
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, token.user_id); !s) return s;
            return InsertToken(c, token);
        });
    });
}

Result<RefreshToken> SqliteStore::GetRefreshToken(std::string_view token_hash) {
    return impl_->Observe("GetRefreshToken", [&] {
        return impl_->Read([&](Connection& c) -> Result<RefreshToken> {
            auto q =
                c.Prepare("SELECT " TTA_TOKEN_COLUMNS " FROM refresh_tokens WHERE token_hash = ?1");
            if (!q) return q.error();
            auto row = q->Bind(1, token_hash).Step();
            if (!row) return row.error();
            if (!*row) return Error::NotFound("no such refresh token");
            return ReadToken(*q);
        });
    });
}

Result<RefreshToken> SqliteStore::RotateRefreshToken(std::string_view presented_hash,
                                                     std::string_view new_hash,
                                                     std::int64_t new_expires_ms,
                                                     std::int64_t now_ms) {
    return impl_->Observe("RotateRefreshToken", [&]() -> Result<RefreshToken> {
        if (new_hash.empty()) return Error::Invalid("the new refresh token needs a hash");
        // The write commits even when the caller is refused: revoking a family on reuse must
        // stick. So the refusal travels in `out`, not as the write's status.
        Result<RefreshToken> out = Error::Internal("refresh token rotation did not run");
        auto s = impl_->Write([&](Connection& c) -> Status {
            RefreshToken old;
            {
                auto q = c.Prepare("SELECT " TTA_TOKEN_COLUMNS
                                   " FROM refresh_tokens WHERE token_hash = ?1");
                if (!q) return q.error();
                auto row = q->Bind(1, presented_hash).Step();
                if (!row) return row.error();
                if (!*row) {
                    out = Error{ErrorCode::kUnauthenticated, "unknown refresh token"};
                    return Ok();
                }
                old = ReadToken(*q);
            }
            if (old.used) {
                if (auto r =
                        UpdateOne(c, "UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?1",
                                  old.family_id, Error::Internal("empty token family"));
                    !r) {
                    return r;
                }
                out = Error{ErrorCode::kUnauthenticated,
                            "refresh token reuse detected; every token of its family is revoked"};
                return Ok();
            }
            if (old.revoked) {
                out = Error{ErrorCode::kUnauthenticated, "the refresh token has been revoked"};
                return Ok();
            }
            if (old.expires_ms <= now_ms) {
                out = Error{ErrorCode::kUnauthenticated, "the refresh token has expired"};
                return Ok();
            }
            if (auto r = UpdateOne(c, "UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?1",
                                   old.token_hash, Error::Internal("token vanished"));
                !r) {
                return r;
            }
            RefreshToken next{std::string(new_hash), old.family_id, old.user_id, now_ms,
                              new_expires_ms,        false,         false};
            if (auto r = InsertToken(c, next); !r) return r;
            out = std::move(next);
            return Ok();
        });
        if (!s) return s.error();
        return out;
    });
}

Status SqliteStore::RevokeRefreshFamily(std::string_view family_id) {
    return impl_->Observe("RevokeRefreshFamily", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?1");
            if (!q) return q.error();
            return q->Bind(1, family_id).Run();
        });
    });
}

Status SqliteStore::RevokeUserRefreshTokens(std::string_view user_id) {
    return impl_->Observe("RevokeUserRefreshTokens", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1");
            if (!q) return q.error();
            return q->Bind(1, user_id).Run();
        });
    });
}

// --- characters ---

Status SqliteStore::CreateCharacter(const Character& ch) {
    return impl_->Observe("CreateCharacter", [&]() -> Status {
        if (ch.id.empty()) return Error::Invalid("a character needs an id");
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, ch.owner_user_id); !s) return s;
            auto q = c.Prepare("INSERT INTO characters (" TTA_CHARACTER_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
            if (!q) return q.error();
            auto s = q->Bind(1, ch.id)
                         .Bind(2, ch.owner_user_id)
                         .Bind(3, ch.name)
                         .Bind(4, ch.pronouns)
                         .Bind(5, ch.personal)
                         .Bind(6, ch.profile)
                         .Bind(7, ch.created_ms)
                         .Bind(8, ch.updated_ms)
                         .Run();
            if (!s && s.error().code == ErrorCode::kConflict) {
                return Error::Conflict("character " + ch.id + " already exists");
            }
            return s;
        });
    });
}

Result<Character> SqliteStore::GetCharacter(std::string_view id) {
    return impl_->Observe("GetCharacter", [&] {
        return impl_->Read([&](Connection& c) -> Result<Character> {
            auto q = c.Prepare("SELECT " TTA_CHARACTER_COLUMNS " FROM characters WHERE id = ?1");
            if (!q) return q.error();
            auto row = q->Bind(1, id).Step();
            if (!row) return row.error();
            if (!*row) return Error::NotFound("no character " + std::string(id));
            return ReadCharacter(*q);
        });
    });
}

Result<std::vector<Character>> SqliteStore::ListCharacters(std::string_view owner_user_id) {
    return impl_->Observe("ListCharacters", [&] {
        return impl_->Read([&](Connection& c) -> Result<std::vector<Character>> {
            auto q = c.Prepare("SELECT " TTA_CHARACTER_COLUMNS
                               " FROM characters WHERE owner_user_id = ?1"
                               " ORDER BY created_ms, id");
            if (!q) return q.error();
            q->Bind(1, owner_user_id);
            std::vector<Character> out;
            while (true) {
                auto row = q->Step();
                if (!row) return row.error();
                if (!*row) return out;
                out.push_back(ReadCharacter(*q));
            }
        });
    });
}

Status SqliteStore::UpdateCharacter(const Character& ch) {
    return impl_->Observe("UpdateCharacter", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare(
                "UPDATE characters SET name = ?2, pronouns = ?3, personal = ?4, profile = ?5,"
                " updated_ms = ?6 WHERE id = ?1");
            if (!q) return q.error();
            auto s = q->Bind(1, ch.id)
                         .Bind(2, ch.name)
                         .Bind(3, ch.pronouns)
                         .Bind(4, ch.personal)
                         .Bind(5, ch.profile)
                         .Bind(6, ch.updated_ms)
                         .Run();
            if (!s) return s;
            if (c.Changes() == 0) return Error::NotFound("no character " + ch.id);
            return Ok();
        });
    });
}

Status SqliteStore::DeleteCharacter(std::string_view id) {
    return impl_->Observe("DeleteCharacter", [&] {
        return impl_->Write([&](Connection& c) {
            return UpdateOne(c, "DELETE FROM characters WHERE id = ?1", id,
                             Error::NotFound("no character " + std::string(id)));
        });
    });
}

// --- safety ---

Result<std::int64_t> SqliteStore::AppendSafetyEvent(const SafetyEvent& event) {
    return impl_->Observe("AppendSafetyEvent", [&]() -> Result<std::int64_t> {
        std::int64_t id = 0;
        auto s = impl_->Write([&](Connection& c) -> Status {
            if (auto e = UserExists(c, event.user_id); !e) return e;
            auto q = c.Prepare(
                "INSERT INTO safety_events (user_id, session_id, created_ms, level, personal)"
                " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
            if (!q) return q.error();
            auto row = q->Bind(1, event.user_id)
                           .Bind(2, event.session_id)
                           .Bind(3, event.created_ms)
                           .Bind(4, event.level)
                           .Bind(5, event.personal)
                           .Step();
            if (!row) return row.error();
            if (!*row) return Error::Internal("INSERT ... RETURNING gave no row");
            id = q->Int(0);
            return q->Run();
        });
        if (!s) return s.error();
        return id;
    });
}

Result<std::vector<SafetyEvent>> SqliteStore::ListSafetyEvents(std::string_view user_id,
                                                               std::size_t limit) {
    return impl_->Observe("ListSafetyEvents", [&] {
        return impl_->Read([&](Connection& c) -> Result<std::vector<SafetyEvent>> {
            auto q = c.Prepare(
                "SELECT id, user_id, session_id, created_ms, level, personal FROM safety_events"
                " WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2");
            if (!q) return q.error();
            q->Bind(1, user_id).Bind(2, ClampLimit(limit));
            std::vector<SafetyEvent> out;
            while (true) {
                auto row = q->Step();
                if (!row) return row.error();
                if (!*row) return out;
                out.push_back(SafetyEvent{q->Int(0), q->Text(1), q->Text(2), q->Int(3), q->Text(4),
                                          q->Blob(5)});
            }
        });
    });
}

Status SqliteStore::PutSafetyPlan(const SafetyPlan& plan) {
    return impl_->Observe("PutSafetyPlan", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, plan.user_id); !s) return s;
            auto q = c.Prepare(
                "INSERT INTO safety_plans (user_id, personal, updated_ms) VALUES (?1, ?2, ?3)"
                " ON CONFLICT (user_id) DO UPDATE SET personal = excluded.personal,"
                " updated_ms = excluded.updated_ms");
            if (!q) return q.error();
            return q->Bind(1, plan.user_id).Bind(2, plan.personal).Bind(3, plan.updated_ms).Run();
        });
    });
}

Result<std::optional<SafetyPlan>> SqliteStore::GetSafetyPlan(std::string_view user_id) {
    return impl_->Observe("GetSafetyPlan", [&] {
        return impl_->Read([&](Connection& c) -> Result<std::optional<SafetyPlan>> {
            if (auto s = UserExists(c, user_id); !s) return s.error();
            auto q = c.Prepare("SELECT personal, updated_ms FROM safety_plans WHERE user_id = ?1");
            if (!q) return q.error();
            auto row = q->Bind(1, user_id).Step();
            if (!row) return row.error();
            if (!*row) return std::optional<SafetyPlan>();
            return std::optional<SafetyPlan>(
                SafetyPlan{std::string(user_id), q->Blob(0), q->Int(1)});
        });
    });
}

Status SqliteStore::DeleteSafetyPlan(std::string_view user_id) {
    return impl_->Observe("DeleteSafetyPlan", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, user_id); !s) return s;
            auto q = c.Prepare("DELETE FROM safety_plans WHERE user_id = ?1");
            if (!q) return q.error();
            return q->Bind(1, user_id).Run();
        });
    });
}

}  // namespace tta::store::sqlite
