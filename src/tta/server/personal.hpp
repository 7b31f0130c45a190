// tta::server personal text: seals every user's personal bytes with their own data key before
// they reach the store, and opens them on the way back (ARCHITECTURE.md, principle 7).
//
// The stores keep "personal" fields as opaque bytes and never see plaintext; the engine and the
// routes never see ciphertext. In between sit three decorators with the stores' own interfaces:
//
//   SealedSessionStore  turn inputs (Turn::personal), sealed for the session's owner
//   SealedAccountStore  character backgrounds, safety events, safety plans
//   SealedTherapyStore  check-in feeling words, questionnaire answers, journal entries
//
// Each user's data key is stored only wrapped by the master key (tta/auth/keys.hpp); deleting
// the user deletes the wrapped key, and with it every way to read their text, in backups too.
//
// Wire form of a sealed value: 0x01 || nonce(24) || XChaCha20-Poly1305 ciphertext, with a
// context ("turn:<session id>", "character:<id>", ...) as associated data, so a value copied to
// another row does not open. Users without a data key (offline play's local user) and sessions
// without an owner keep their text as given; such text starting with 0x00 or 0x01 is escaped
// with a leading 0x00. Empty text stays empty. A value that cannot be opened (its user or key is gone) reads as empty.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tta/auth/keys.hpp"
#include "tta/core/error.hpp"
#include "tta/store/account_store.hpp"
#include "tta/store/session_store.hpp"
#include "tta/store/therapy_store.hpp"

namespace tta::server {

// Users' data keys, unwrapped once and kept in memory (a bounded cache).
class PersonalKeys {
  public:
    // `accounts` is the undecorated store; both must outlive this object.
    PersonalKeys(store::AccountStore& accounts, const auth::MasterKey& master,
                 std::size_t max_cached = 100000);

    // The sealed form of `plaintext` for this user. kNotFound when the user does not exist.
    Result<store::Bytes> Seal(std::string_view user_id, std::string_view plaintext,
                              std::string_view context);
    // The plaintext. kNotFound when the user is gone, kUnauthenticated when the bytes do not
    // open with their key and this context.
    Result<std::string> Open(std::string_view user_id, const store::Bytes& sealed,
                             std::string_view context);
    // Opens, or gives "" when the text can no longer be read (for reads that must not fail).
    std::string OpenOrEmpty(std::string_view user_id, const store::Bytes& sealed,
                            std::string_view context);

    // Drops a cached key (the user was deleted).
    void Forget(std::string_view user_id);

  private:
    // nullptr: the user has no data key.
    Result<std::shared_ptr<const auth::DataKey>> KeyOf(std::string_view user_id);

    store::AccountStore& accounts_;
    const auth::MasterKey& master_;
    const std::size_t max_cached_;
    std::mutex mu_;
    std::unordered_map<std::string, std::shared_ptr<const auth::DataKey>> keys_;
};

class SealedSessionStore final : public store::SessionStore {
  public:
    SealedSessionStore(store::SessionStore& inner, PersonalKeys& keys);

    Status CreateSession(const store::Session& session) override;
    Result<store::Session> GetSession(std::string_view id) override;
    Result<std::vector<store::Session>> ListSessions(std::string_view owner_user_id,
                                                     std::size_t limit) override;
    Status SetSessionStatus(std::string_view id, store::SessionStatus status) override;
    Status SetSessionTitle(std::string_view id, std::string_view title) override;
    Result<std::int64_t> AppendTurn(const store::NewTurn& turn,
                                    std::int64_t expected_head) override;
    Status MoveHead(std::string_view session_id, std::int64_t expected_head,
                    std::int64_t new_head) override;
    Result<store::Turn> GetTurn(std::string_view session_id, std::int64_t seq) override;
    Result<std::vector<store::Turn>> LoadChain(std::string_view session_id,
                                               std::int64_t head_seq,
                                               std::int64_t after_seq) override;
    Status PutSnapshot(const store::Snapshot& snapshot) override;
    Result<std::optional<store::Snapshot>> LatestSnapshot(std::string_view session_id,
                                                          std::int64_t at_seq) override;
    Status DeleteSession(std::string_view id) override;

  private:
    // The session's owner; sessions never change hands, so answers are cached.
    Result<std::string> OwnerOf(std::string_view session_id);
    void Remember(const std::string& session_id, const std::string& owner);
    void OpenTurn(store::Turn& turn);

    store::SessionStore& inner_;
    PersonalKeys& keys_;
    std::mutex mu_;
    std::unordered_map<std::string, std::string> owners_;
};

class SealedAccountStore final : public store::AccountStore {
  public:
    SealedAccountStore(store::AccountStore& inner, PersonalKeys& keys);

    Status CreateUser(const store::User& user) override;
    Result<store::User> GetUser(std::string_view id) override;
    Result<store::User> FindUserByUsername(std::string_view username) override;
    Status SetPasswordHash(std::string_view user_id, std::string_view password_hash) override;
    Status GrantRole(std::string_view user_id, std::string_view role) override;
    Status RevokeRole(std::string_view user_id, std::string_view role) override;
    Status DeleteUser(std::string_view id) override;
    Status InsertRefreshToken(const store::RefreshToken& token) override;
    Result<store::RefreshToken> GetRefreshToken(std::string_view token_hash) override;
    Result<store::RefreshToken> RotateRefreshToken(std::string_view presented_hash,
                                                   std::string_view new_hash,
                                                   std::int64_t new_expires_ms,
                                                   std::int64_t now_ms) override;
    Status RevokeRefreshFamily(std::string_view family_id) override;
    Status RevokeUserRefreshTokens(std::string_view user_id) override;
    Status CreateCharacter(const store::Character& character) override;
    Result<store::Character> GetCharacter(std::string_view id) override;
    Result<std::vector<store::Character>> ListCharacters(std::string_view owner_user_id) override;
    Status UpdateCharacter(const store::Character& character) override;
    Status DeleteCharacter(std::string_view id) override;
    Result<std::int64_t> AppendSafetyEvent(const store::SafetyEvent& event) override;
    Result<std::vector<store::SafetyEvent>> ListSafetyEvents(std::string_view user_id,
                                                             std::size_t limit) override;
    Status PutSafetyPlan(const store::SafetyPlan& plan) override;
    Result<std::optional<store::SafetyPlan>> GetSafetyPlan(std::string_view user_id) override;
    Status DeleteSafetyPlan(std::string_view user_id) override;

  private:
    Result<store::Character> Sealed(const store::Character& character);
    void OpenCharacter(store::Character& character);

    store::AccountStore& inner_;
    PersonalKeys& keys_;
};

class SealedTherapyStore final : public store::TherapyStore {
  public:
    SealedTherapyStore(store::TherapyStore& inner, PersonalKeys& keys);

    Result<std::int64_t> AppendCheckIn(const store::CheckInRecord& record) override;
    Result<std::vector<store::CheckInRecord>> ListCheckIns(
        std::string_view user_id, const store::RecordQuery& query) override;
    Result<std::int64_t> AppendMeasureResult(const store::MeasureResultRecord& record) override;
    Result<std::vector<store::MeasureResultRecord>> ListMeasureResults(
        std::string_view user_id, const store::RecordQuery& query) override;
    Result<std::int64_t> AppendPractice(const store::PracticeRecord& record) override;
    Result<std::vector<store::PracticeRecord>> ListPractices(
        std::string_view user_id, const store::RecordQuery& query) override;
    Result<std::int64_t> AppendJournalEntry(const store::JournalRecord& record) override;
    Result<std::vector<store::JournalRecord>> ListJournalEntries(
        std::string_view user_id, const store::RecordQuery& query) override;
    Result<std::int64_t> AppendSessionSummary(const store::SessionSummaryRecord& record) override;
    Result<std::vector<store::SessionSummaryRecord>> ListSessionSummaries(
        std::string_view user_id, const store::RecordQuery& query) override;
    Result<std::int64_t> AppendPlannerDecision(const store::PlannerRecord& record) override;
    Result<std::vector<store::PlannerRecord>> ListPlannerDecisions(
        std::string_view user_id, const store::RecordQuery& query) override;

  private:
    store::TherapyStore& inner_;
    PersonalKeys& keys_;
};

}  // namespace tta::server
