// tta::store::sqlite — the embedded backend: one SQLite file, `<data dir>/tta.db`, in WAL mode,
// implementing SessionStore, AccountStore and TherapyStore (ARCHITECTURE.md, principle 6). See
// docs/storage.md for the schema, durability settings and the operator's runbook.
//
// Writes are group-committed: every write from every thread is queued to one committer thread
// that runs as many as are waiting inside one transaction (a failing write is undone alone and
// does not disturb the others) and answers each caller only after COMMIT has returned. With
// `synchronous=FULL` (the default) that COMMIT includes an fsync, so an acknowledged write survives
// power loss. Reads use a pool of read-only connections and never wait for the committer.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>

#include "tta/core/clock.hpp"
#include "tta/core/error.hpp"
#include "tta/store/account_store.hpp"
#include "tta/store/observer.hpp"
#include "tta/store/session_store.hpp"
#include "tta/store/therapy_store.hpp"

namespace tta::store::sqlite {

// SQLite's `synchronous` pragma in WAL mode.
enum class Sync {
    // fsync the WAL on every commit: acknowledged writes survive power loss. The default.
    kFull,
    // fsync only at checkpoints: faster, survives a crash of the process but may lose the
    // last acknowledged writes on power loss or an OS crash. Opt-in (docs/storage.md).
    kNormal,
};

struct SqliteOptions {
    std::filesystem::path data_dir = "data";  // created if missing; the file is tta.db inside
    Sync sync = Sync::kFull;
    std::chrono::milliseconds busy_timeout{5000};
    // Run PRAGMA quick_check before touching an existing file (refuse a damaged database).
    bool check_on_open = true;
    // Apply pending schema migrations on open. When false, an out-of-date database is
    // refused with kUnavailable ("run `tta migrate`").
    bool migrate = true;
    // The most writes one group commit may carry.
    std::size_t max_batch = 1024;
    // Raise glibc's malloc trim threshold to 4 MiB, process-wide, on Open. SQLite's statement
    // journal allocates and frees a few pages per write statement; with glibc's default
    // (128 KiB) the committer thread then hands those pages back to the kernel and faults them
    // in again on every write (madvise, TLB shootdowns, page faults): measured at half of the
    // durable appends/s with 256 writers (docs/storage.md). No effect on other C libraries.
    bool tune_allocator = true;
    const Clock* clock = nullptr;       // for updated_ms of head moves etc.; default SystemClock
    StoreObserver* observer = nullptr;  // optional; must outlive the store
};

// The file name inside the data directory.
inline constexpr const char* kDatabaseFileName = "tta.db";

class SqliteStore final : public SessionStore, public AccountStore, public TherapyStore {
  public:
    // Opens (creating if needed) <data_dir>/tta.db, checks it and migrates it. A file that is
    // not a SQLite database or fails PRAGMA quick_check gives kUnavailable with instructions,
    // and is left exactly as it was.
    static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

    ~SqliteStore() override;  // finishes queued writes, then closes
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // The schema version of the open database (after migration: LatestSchemaVersion()).
    Result<int> SchemaVersion();

    // Online backup (SQLite backup API) to `destination`, which must not exist. Writers keep
    // working meanwhile; the copy is a consistent snapshot, fsynced, and written to a temporary
    // name first so a half-written backup never carries the final name.
    Status Backup(const std::filesystem::path& destination);

    // --- SessionStore ---
    Status CreateSession(const Session& session) override;
    Result<Session> GetSession(std::string_view id) override;
    Result<std::vector<Session>> ListSessions(std::string_view owner_user_id,
                                              std::size_t limit) override;
    Status SetSessionStatus(std::string_view id, SessionStatus status) override;
    Status SetSessionTitle(std::string_view id, std::string_view title) override;
    Result<std::int64_t> AppendTurn(const NewTurn& turn, std::int64_t expected_head) override;
    Status MoveHead(std::string_view session_id, std::int64_t expected_head,
                    std::int64_t new_head) override;
    Result<Turn> GetTurn(std::string_view session_id, std::int64_t seq) override;
    Result<std::vector<Turn>> LoadChain(std::string_view session_id, std::int64_t head_seq,
                                        std::int64_t after_seq) override;
    Status PutSnapshot(const Snapshot& snapshot) override;
    Result<std::optional<Snapshot>> LatestSnapshot(std::string_view session_id,
                                                   std::int64_t at_seq) override;
    Status DeleteSession(std::string_view id) override;

    // --- AccountStore ---
    Status CreateUser(const User& user) override;
    Result<User> GetUser(std::string_view id) override;
    Result<User> FindUserByUsername(std::string_view username) override;
    Status SetPasswordHash(std::string_view user_id, std::string_view password_hash) override;
    Status GrantRole(std::string_view user_id, std::string_view role) override;
    Status RevokeRole(std::string_view user_id, std::string_view role) override;
    Status DeleteUser(std::string_view id) override;
    Status InsertRefreshToken(const RefreshToken& token) override;
    Result<RefreshToken> GetRefreshToken(std::string_view token_hash) override;
    Result<RefreshToken> RotateRefreshToken(std::string_view presented_hash,
                                            std::string_view new_hash, std::int64_t new_expires_ms,
                                            std::int64_t now_ms) override;
    Status RevokeRefreshFamily(std::string_view family_id) override;
    Status RevokeUserRefreshTokens(std::string_view user_id) override;
    Status CreateCharacter(const Character& character) override;
    Result<Character> GetCharacter(std::string_view id) override;
    Result<std::vector<Character>> ListCharacters(std::string_view owner_user_id) override;
    Status UpdateCharacter(const Character& character) override;
    Status DeleteCharacter(std::string_view id) override;
    Result<std::int64_t> AppendSafetyEvent(const SafetyEvent& event) override;
    Result<std::vector<SafetyEvent>> ListSafetyEvents(std::string_view user_id,
                                                      std::size_t limit) override;
    Status PutSafetyPlan(const SafetyPlan& plan) override;
    Result<std::optional<SafetyPlan>> GetSafetyPlan(std::string_view user_id) override;
    Status DeleteSafetyPlan(std::string_view user_id) override;

    // --- TherapyStore ---
    Result<std::int64_t> AppendCheckIn(const CheckInRecord& record) override;
    Result<std::vector<CheckInRecord>> ListCheckIns(std::string_view user_id,
                                                    const RecordQuery& query) override;
    Result<std::int64_t> AppendMeasureResult(const MeasureResultRecord& record) override;
    Result<std::vector<MeasureResultRecord>> ListMeasureResults(std::string_view user_id,
                                                                const RecordQuery& query) override;
    Result<std::int64_t> AppendPractice(const PracticeRecord& record) override;
    Result<std::vector<PracticeRecord>> ListPractices(std::string_view user_id,
                                                      const RecordQuery& query) override;
    Result<std::int64_t> AppendJournalEntry(const JournalRecord& record) override;
    Result<std::vector<JournalRecord>> ListJournalEntries(std::string_view user_id,
                                                          const RecordQuery& query) override;
    Result<std::int64_t> AppendSessionSummary(const SessionSummaryRecord& record) override;
    Result<std::vector<SessionSummaryRecord>> ListSessionSummaries(
        std::string_view user_id, const RecordQuery& query) override;
    Result<std::int64_t> AppendPlannerDecision(const PlannerRecord& record) override;
    Result<std::vector<PlannerRecord>> ListPlannerDecisions(std::string_view user_id,
                                                            const RecordQuery& query) override;

  private:
    struct Impl;  // sqlite_store.cpp
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Offline restore for `tta restore`: checks `backup` (must be a sound TTA database), copies it
// to a temporary file beside <data_dir>/tta.db, then moves any existing tta.db aside to
// tta.db.replaced-<ms> (its -wal and -shm files to tta.db.replaced-<ms>-wal ...) and renames
// the copy into place. Nothing is deleted. No store may have the data directory open meanwhile.
Status RestoreBackup(const std::filesystem::path& backup, const std::filesystem::path& data_dir);

}  // namespace tta::store::sqlite
