// tta::store accounts: the records behind the HTTP API (issue 3) — users, refresh tokens,
// characters, and per-user safety events and safety plans.
//
// The store holds what it is given: password hashes (Argon2id, computed by the caller), token
// hashes (never raw tokens), wrapped data keys, and "personal" bytes that the caller encrypts
// with the user's data key. It decides nothing about authentication except the two rules that
// must be atomic in storage: refresh-token rotation and reuse detection.
//
// Same contract as SessionStore (session_store.hpp): thread-safe, writes durable when they
// return, errors as tta::Result, never throws. Deleting a user deletes their roles, refresh
// tokens, characters, safety events and safety plan; it does not touch sessions (the caller
// deletes those, or relies on the destroyed data key to make their personal text unreadable).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/store/bytes.hpp"

namespace tta::store {

struct User {
    std::string id;
    // Unique, compared ASCII-case-insensitively ("Mira" and "mira" collide); stored as given.
    std::string username;
    std::optional<std::string> email;
    std::string password_hash;    // an encoded Argon2id string
    std::set<std::string> roles;  // "player", "clinician", "editor", "admin"
    std::int64_t created_ms = 0;
    Bytes wrapped_key;  // the user's data key, encrypted under the master key

    friend bool operator==(const User&, const User&) = default;
};

struct RefreshToken {
    std::string token_hash;  // hash of the opaque token the client holds; the primary key
    std::string family_id;   // every token descended by rotation from one login
    std::string user_id;
    std::int64_t created_ms = 0;
    std::int64_t expires_ms = 0;
    bool used = false;     // already exchanged for a successor
    bool revoked = false;  // logged out, or its family was revoked after reuse

    friend bool operator==(const RefreshToken&, const RefreshToken&) = default;
};

struct Character {
    std::string id;
    std::string owner_user_id;
    std::string name;
    std::string pronouns;
    Bytes personal;              // background and anything else personal
    std::string profile = "{}";  // therapeutic profile JSON (goals, approaches, intensity...)
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;

    friend bool operator==(const Character&, const Character&) = default;
};

struct SafetyEvent {
    std::int64_t id = 0;  // assigned by the store, increasing
    std::string user_id;
    std::string session_id;  // may be empty
    std::int64_t created_ms = 0;
    std::string level;  // the gate's verdict, e.g. "concern", "crisis"
    Bytes personal;     // what triggered it, the resources shown...

    friend bool operator==(const SafetyEvent&, const SafetyEvent&) = default;
};

struct SafetyPlan {
    std::string user_id;
    Bytes personal;
    std::int64_t updated_ms = 0;

    friend bool operator==(const SafetyPlan&, const SafetyPlan&) = default;
};

class AccountStore {
  public:
    virtual ~AccountStore() = default;

    // --- users ---
    // kConflict if the id or the username (case-insensitively) is taken.
    virtual Status CreateUser(const User& user) = 0;
    virtual Result<User> GetUser(std::string_view id) = 0;
    virtual Result<User> FindUserByUsername(std::string_view username) = 0;
    virtual Status SetPasswordHash(std::string_view user_id, std::string_view password_hash) = 0;
    // Granting a role the user has, or revoking one they lack, succeeds and changes nothing.
    virtual Status GrantRole(std::string_view user_id, std::string_view role) = 0;
    virtual Status RevokeRole(std::string_view user_id, std::string_view role) = 0;
    virtual Status DeleteUser(std::string_view id) = 0;

    // --- refresh tokens ---
    // kConflict if the hash exists; kNotFound if the user does not.
    virtual Status InsertRefreshToken(const RefreshToken& token) = 0;
    virtual Result<RefreshToken> GetRefreshToken(std::string_view token_hash) = 0;
    // In one transaction: finds the presented token; if it is live (not used, not revoked,
    // expires_ms > now_ms) marks it used and inserts its successor (new_hash, same family and
    // user, created now_ms, expiring new_expires_ms), returning the successor.
    // Otherwise kUnauthenticated, and if the presented token had already been used (a replay:
    // someone holds a stolen copy) the whole family is revoked in the same transaction.
    // kUnauthenticated also when the hash is unknown.
    virtual Result<RefreshToken> RotateRefreshToken(std::string_view presented_hash,
                                                    std::string_view new_hash,
                                                    std::int64_t new_expires_ms,
                                                    std::int64_t now_ms) = 0;
    virtual Status RevokeRefreshFamily(std::string_view family_id) = 0;
    virtual Status RevokeUserRefreshTokens(std::string_view user_id) = 0;

    // --- characters ---
    // kConflict if the id exists; kNotFound if the owner does not.
    virtual Status CreateCharacter(const Character& character) = 0;
    virtual Result<Character> GetCharacter(std::string_view id) = 0;
    // Oldest first.
    virtual Result<std::vector<Character>> ListCharacters(std::string_view owner_user_id) = 0;
    // Replaces name, pronouns, personal, profile and updated_ms of the character with this id
    // (owner and created_ms never change). kNotFound if it does not exist.
    virtual Status UpdateCharacter(const Character& character) = 0;
    virtual Status DeleteCharacter(std::string_view id) = 0;

    // --- safety ---
    // Returns the assigned id. kNotFound if the user does not exist.
    virtual Result<std::int64_t> AppendSafetyEvent(const SafetyEvent& event) = 0;
    // Newest first.
    virtual Result<std::vector<SafetyEvent>> ListSafetyEvents(std::string_view user_id,
                                                              std::size_t limit) = 0;
    // Creates or replaces the user's plan. kNotFound if the user does not exist.
    virtual Status PutSafetyPlan(const SafetyPlan& plan) = 0;
    virtual Result<std::optional<SafetyPlan>> GetSafetyPlan(std::string_view user_id) = 0;
    virtual Status DeleteSafetyPlan(std::string_view user_id) = 0;
};

}  // namespace tta::store
