// What is particular to the SQLite backend: migrations from every earlier version, refusing a
// damaged file without touching it, online backup and offline restore, its settings, and the
// observer hook. The storage contract itself is store_conformance_test.cpp.
#include "tta/store/sqlite/sqlite_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <barrier>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tta/store/sqlite/db.hpp"
#include "tta/store/sqlite/migrations.hpp"
#include "tta/store/store_conformance.hpp"

namespace tta::store::sqlite {
namespace {

using ::testing::HasSubstr;
using tta::store::testing::TempDir;

std::string ReadFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

std::set<std::string> Listing(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        names.insert(e.path().filename().string());
    }
    return names;
}

Result<std::unique_ptr<SqliteStore>> OpenIn(const std::filesystem::path& dir) {
    SqliteOptions options;
    options.data_dir = dir;
    return SqliteStore::Open(options);
}

Session MakeSession(std::string id) {
    Session s;
    s.id = std::move(id);
    s.world_id = "lighthouse";
    s.seed = 1;
    return s;
}

NewTurn MakeTurn(std::string session_id, std::string body = "{}") {
    NewTurn t;
    t.session_id = std::move(session_id);
    t.created_ms = 1;
    t.body = std::move(body);
    t.personal = ToBytes("typed by the player");
    return t;
}

// --- migrations ---

TEST(SqliteMigrations, EmptyDatabaseMigratesToTheLatestVersionRecordingEachStep) {
    TempDir dir;
    auto store = OpenIn(dir.Path());
    ASSERT_TRUE(store) << store.error().message;
    auto version = (*store)->SchemaVersion();
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, LatestSchemaVersion());
    store->reset();

    auto conn = Connection::Open(dir.Path() / kDatabaseFileName, Connection::Mode::kReadOnly, 1000);
    ASSERT_TRUE(conn);
    auto q = conn->Prepare("SELECT group_concat(version) FROM schema_migrations ORDER BY version");
    ASSERT_TRUE(q);
    ASSERT_TRUE(*q->Step());
    EXPECT_EQ(q->Text(0), "1,2,3,4");
}

TEST(SqliteMigrations, MigrateRefusesToGoBackwardsOrBeyondTheLatest) {
    TempDir dir;
    auto conn = Connection::Open(dir.Path() / "x.db", Connection::Mode::kReadWriteCreate, 1000);
    ASSERT_TRUE(conn);
    ASSERT_TRUE(Migrate(*conn, 2, 1));
    EXPECT_EQ(Migrate(*conn, 1, 1).error().code, ErrorCode::kInvalid);
    EXPECT_EQ(Migrate(*conn, LatestSchemaVersion() + 1, 1).error().code, ErrorCode::kInvalid);
    ASSERT_TRUE(Migrate(*conn, 2, 1));  // already there: nothing to do
    EXPECT_EQ(*ReadSchemaVersion(*conn), 2);
}

TEST(SqliteMigrations, TwoProcessesMigratingOneFileAtOnceBothSucceed) {
    for (int round = 0; round < 10; ++round) {
        TempDir dir;
        std::barrier sync(2);
        Status results[2];
        auto migrate = [&](int i) {
            auto conn = Connection::Open(dir.Path() / kDatabaseFileName,
                                         Connection::Mode::kReadWriteCreate, 5000);
            if (!conn) {
                results[i] = conn.error();
                return;
            }
            sync.arrive_and_wait();
            results[i] = Migrate(*conn, LatestSchemaVersion(), 1);
        };
        std::thread a(migrate, 0), b(migrate, 1);
        a.join();
        b.join();
        for (const auto& r : results) EXPECT_TRUE(r) << r.error().message;
        auto conn =
            Connection::Open(dir.Path() / kDatabaseFileName, Connection::Mode::kReadOnly, 1000);
        ASSERT_TRUE(conn);
        EXPECT_EQ(*ReadSchemaVersion(*conn), LatestSchemaVersion());
    }
}

// Rows that a database at each schema version could hold, written with plain SQL the way that
// version's TTA would have written them.
const std::map<int, std::string> kDataAtVersion = {
    {1, R"sql(
INSERT INTO sessions (id, owner_user_id, character_id, world_id, world_version, seed,
                      created_ms, updated_ms, head_seq, last_seq, status, title)
VALUES ('old', '', 'c1', 'lighthouse', '0.9', -1, 10, 20, 1, 2, 'active', 'Before');
INSERT INTO turns VALUES ('old', 1, 0, 11, 5, 'none', '{"intent":"look"}', X'6C6F6F6B');
INSERT INTO turns VALUES ('old', 2, 1, 12, 6, 'none', '{"intent":"go"}', NULL);
INSERT INTO snapshots VALUES ('old', 1, '{"place":"quay"}');
)sql"},
    {2, R"sql(
INSERT INTO users VALUES ('u1', 'Mira', NULL, '$argon2id$old', 30, X'0102');
INSERT INTO user_roles VALUES ('u1', 'player'), ('u1', 'admin');
INSERT INTO refresh_tokens VALUES ('h1', 'f1', 'u1', 31, 99999, 0, 0);
INSERT INTO characters VALUES ('c1', 'u1', 'Ash', 'they/them', X'00', '{}', 32, 33);
)sql"},
    {3, R"sql(
INSERT INTO safety_events (user_id, session_id, created_ms, level, personal)
VALUES ('u1', 'old', 40, 'concern', X'AA');
INSERT INTO safety_plans VALUES ('u1', X'BB', 41);
)sql"},
    {4, R"sql(
INSERT INTO mood_check_ins (user_id, session_id, turn, created_ms, score, mode, personal)
VALUES ('u1', 'old', 2, 50, 4, 'in_story', X'CC');
INSERT INTO measure_results (user_id, session_id, turn, created_ms, measure, total, severity,
                             item9_flag, personal)
VALUES ('u1', '', 0, 51, 'gad7', 6, 'mild', 0, X'DD');
INSERT INTO skill_practices (user_id, session_id, turn, created_ms, technique, beat, outcome)
VALUES ('u1', 'old', 2, 52, 'box_breathing', 'keeper_breath', 'completed');
INSERT INTO journal_entries (user_id, session_id, turn, created_ms, personal)
VALUES ('u1', 'old', 2, 53, X'EE');
INSERT INTO session_summaries (user_id, session_id, turn, created_ms, summary)
VALUES ('u1', 'old', 2, 54, '{"turns":2}');
INSERT INTO planner_decisions (user_id, session_id, turn, created_ms, beat, technique, reason)
VALUES ('u1', 'old', 2, 55, '', '', 'no beat: no beats are available here');
)sql"},
};

// Checks through the public API that the rows of kDataAtVersion[v] survived.
void ExpectDataOfVersion(SqliteStore& store, int v) {
    SCOPED_TRACE("data written at schema version " + std::to_string(v));
    if (v == 1) {
        auto s = store.GetSession("old");
        ASSERT_TRUE(s) << s.error().message;
        EXPECT_EQ(s->seed, std::numeric_limits<std::uint64_t>::max());
        EXPECT_EQ(s->head_seq, 1);
        EXPECT_EQ(s->last_seq, 2);
        EXPECT_EQ(s->title, "Before");
        auto chain = store.LoadChain("old", 2, 0);
        ASSERT_TRUE(chain);
        ASSERT_EQ(chain->size(), 2u);
        EXPECT_EQ((*chain)[0].personal, ToBytes("look"));
        EXPECT_TRUE((*chain)[1].personal.empty());
        auto snap = store.LatestSnapshot("old", 2);
        ASSERT_TRUE(snap);
        ASSERT_TRUE(snap->has_value());
        EXPECT_EQ((*snap)->state, R"({"place":"quay"})");
        // The old session plays on.
        auto next = store.AppendTurn(MakeTurn("old"), 1);
        ASSERT_TRUE(next);
        EXPECT_EQ(*next, 3);
    } else if (v == 2) {
        auto u = store.FindUserByUsername("mira");
        ASSERT_TRUE(u) << u.error().message;
        EXPECT_EQ(u->roles, (std::set<std::string>{"admin", "player"}));
        EXPECT_FALSE(u->email.has_value());
        EXPECT_EQ(u->wrapped_key, (Bytes{1, 2}));
        auto next = store.RotateRefreshToken("h1", "h2", 99999, 50);
        ASSERT_TRUE(next) << next.error().message;
        EXPECT_EQ(next->family_id, "f1");
        auto c = store.GetCharacter("c1");
        ASSERT_TRUE(c);
        EXPECT_EQ(c->personal, (Bytes{0}));
    } else if (v == 3) {
        auto events = store.ListSafetyEvents("u1", 10);
        ASSERT_TRUE(events);
        ASSERT_EQ(events->size(), 1u);
        EXPECT_EQ((*events)[0].personal, (Bytes{0xAA}));
        auto plan = store.GetSafetyPlan("u1");
        ASSERT_TRUE(plan);
        ASSERT_TRUE(plan->has_value());
        EXPECT_EQ((*plan)->personal, (Bytes{0xBB}));
    } else if (v == 4) {
        auto check_ins = store.ListCheckIns("u1", {});
        ASSERT_TRUE(check_ins);
        ASSERT_EQ(check_ins->size(), 1u);
        EXPECT_EQ((*check_ins)[0].score, 4);
        EXPECT_EQ((*check_ins)[0].personal, (Bytes{0xCC}));
        auto measures = store.ListMeasureResults("u1", {});
        ASSERT_TRUE(measures);
        ASSERT_EQ(measures->size(), 1u);
        EXPECT_EQ((*measures)[0].severity, "mild");
        auto practices = store.ListPractices("u1", {});
        ASSERT_TRUE(practices);
        ASSERT_EQ(practices->size(), 1u);
        EXPECT_EQ((*practices)[0].beat, "keeper_breath");
        auto journal = store.ListJournalEntries("u1", {});
        ASSERT_TRUE(journal);
        ASSERT_EQ(journal->size(), 1u);
        EXPECT_EQ((*journal)[0].personal, (Bytes{0xEE}));
        auto summaries = store.ListSessionSummaries("u1", {});
        ASSERT_TRUE(summaries);
        ASSERT_EQ(summaries->size(), 1u);
        auto decisions = store.ListPlannerDecisions("u1", {});
        ASSERT_TRUE(decisions);
        ASSERT_EQ(decisions->size(), 1u);
        EXPECT_TRUE((*decisions)[0].beat.empty());
    }
}

class SqliteMigrationFrom : public ::testing::TestWithParam<int> {};

TEST_P(SqliteMigrationFrom, DataWrittenAtAnEarlierVersionSurvivesMigrationToTheLatest) {
    const int from = GetParam();
    ASSERT_EQ(kDataAtVersion.size(), static_cast<std::size_t>(LatestSchemaVersion()))
        << "every migration needs sample data here";
    TempDir dir;
    {
        auto conn = Connection::Open(dir.Path() / kDatabaseFileName,
                                     Connection::Mode::kReadWriteCreate, 1000);
        ASSERT_TRUE(conn);
        ASSERT_TRUE(conn->Exec("PRAGMA foreign_keys=ON"));
        auto migrated = Migrate(*conn, from, 1);
        ASSERT_TRUE(migrated) << migrated.error().message;
        for (int v = 1; v <= from; ++v) {
            auto inserted = conn->Exec(kDataAtVersion.at(v));
            ASSERT_TRUE(inserted) << inserted.error().message;
        }
    }
    auto store = OpenIn(dir.Path());
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(*(*store)->SchemaVersion(), LatestSchemaVersion());
    for (int v = 1; v <= from; ++v) ExpectDataOfVersion(**store, v);
    // Everything the latest schema offers works on the migrated file.
    if (from < 2) {
        User u{"u1", "Mira", std::nullopt, "h", {}, 1, {}};
        ASSERT_TRUE((*store)->CreateUser(u));
    }
    EXPECT_TRUE((*store)->PutSafetyPlan({"u1", ToBytes("plan"), 2}));
    EXPECT_TRUE((*store)->CreateSession(MakeSession("new")));
    CheckInRecord check_in;
    check_in.header.user_id = "u1";
    check_in.header.session_id = "new";
    check_in.score = 6;
    check_in.mode = "out_of_character";
    EXPECT_TRUE((*store)->AppendCheckIn(check_in));
}

INSTANTIATE_TEST_SUITE_P(EveryEarlierVersion, SqliteMigrationFrom,
                         ::testing::Range(0, LatestSchemaVersion() + 1),
                         [](const auto& info) { return "v" + std::to_string(info.param); });

TEST(SqliteMigrations, OutOfDateDatabaseIsRefusedWhenMigrationIsOff) {
    TempDir dir;
    {
        auto conn = Connection::Open(dir.Path() / kDatabaseFileName,
                                     Connection::Mode::kReadWriteCreate, 1000);
        ASSERT_TRUE(conn);
        ASSERT_TRUE(Migrate(*conn, 1, 1));
    }
    SqliteOptions options;
    options.data_dir = dir.Path();
    options.migrate = false;
    auto refused = SqliteStore::Open(options);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(refused.error().message, HasSubstr("tta migrate"));
    options.migrate = true;
    EXPECT_TRUE(SqliteStore::Open(options));
}

TEST(SqliteMigrations, DatabaseFromANewerTtaIsRefused) {
    TempDir dir;
    {
        auto conn = Connection::Open(dir.Path() / kDatabaseFileName,
                                     Connection::Mode::kReadWriteCreate, 1000);
        ASSERT_TRUE(conn);
        ASSERT_TRUE(Migrate(*conn, LatestSchemaVersion(), 1));
        ASSERT_TRUE(conn->Exec("INSERT INTO schema_migrations VALUES (" +
                               std::to_string(LatestSchemaVersion() + 1) + ", 2)"));
    }
    auto refused = OpenIn(dir.Path());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(refused.error().message, HasSubstr("newer TTA"));
}

TEST(SqliteMigrations, SomeoneElsesSqliteDatabaseIsRefused) {
    TempDir dir;
    {
        auto conn = Connection::Open(dir.Path() / kDatabaseFileName,
                                     Connection::Mode::kReadWriteCreate, 1000);
        ASSERT_TRUE(conn);
        ASSERT_TRUE(conn->Exec("CREATE TABLE recipes (name TEXT)"));
    }
    auto refused = OpenIn(dir.Path());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(refused.error().message, HasSubstr("not a TTA database"));
}

// --- damaged files ---

TEST(SqliteDamage, AFileThatIsNotADatabaseIsRefusedAndLeftUntouched) {
    TempDir dir;
    auto path = dir.Path() / kDatabaseFileName;
    std::string note;
    for (int i = 0; i < 200; ++i) note += "These are my notes, not a database.\n";
    WriteFile(path, note);
    auto before = Listing(dir.Path());

    auto refused = OpenIn(dir.Path());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(refused.error().message, HasSubstr(path.string()));
    EXPECT_THAT(refused.error().message, HasSubstr("tta restore"));
    EXPECT_EQ(ReadFile(path), note);
    EXPECT_EQ(Listing(dir.Path()), before);
}

TEST(SqliteDamage, ADatabaseWithCorruptPagesFailsItsCheckAndIsLeftUntouched) {
    TempDir dir;
    auto path = dir.Path() / kDatabaseFileName;
    {
        auto store = OpenIn(dir.Path());
        ASSERT_TRUE(store);
        for (int i = 0; i < 20; ++i) {
            std::string id = "s" + std::to_string(i);
            ASSERT_TRUE((*store)->CreateSession(MakeSession(id)));
            ASSERT_TRUE((*store)->AppendTurn(MakeTurn(id, std::string(3000, 'x')), 0));
        }
    }
    std::string bytes = ReadFile(path);
    ASSERT_GT(bytes.size(), 8u * 4096);
    for (std::size_t i = 4 * 4096; i < 6 * 4096; ++i) bytes[i] = static_cast<char>(0xA5);
    WriteFile(path, bytes);

    auto refused = OpenIn(dir.Path());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(refused.error().message, HasSubstr("tta restore"));
    EXPECT_EQ(ReadFile(path), bytes);
}

// --- backup and restore ---

TEST(SqliteBackup, BackupTakenWhileWritingIsAConsistentSnapshot) {
    TempDir dir;
    auto store = OpenIn(dir.Path() / "live");
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->CreateSession(MakeSession("s1")));
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> written{0};
    std::thread writer([&] {
        std::int64_t head = 0;
        while (!stop.load()) {
            auto seq = (*store)->AppendTurn(MakeTurn("s1"), head);
            if (!seq) return;
            head = *seq;
            written.store(head);
        }
    });
    while (written.load() < 5) std::this_thread::yield();
    auto backup = dir.Path() / "tta-backup.db";
    auto made = (*store)->Backup(backup);
    stop.store(true);
    writer.join();
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir.Path() / "tta-backup.db.partial"));

    ASSERT_TRUE(RestoreBackup(backup, dir.Path() / "restored"));
    auto restored = OpenIn(dir.Path() / "restored");
    ASSERT_TRUE(restored) << restored.error().message;
    auto s = (*restored)->GetSession("s1");
    ASSERT_TRUE(s);
    EXPECT_GE(s->head_seq, 5);
    EXPECT_LE(s->head_seq, written.load());
    auto chain = (*restored)->LoadChain("s1", s->head_seq, 0);
    ASSERT_TRUE(chain);
    EXPECT_EQ(static_cast<std::int64_t>(chain->size()), s->head_seq);
}

TEST(SqliteBackup, BackupNeverOverwritesAFile) {
    TempDir dir;
    auto store = OpenIn(dir.Path() / "live");
    ASSERT_TRUE(store);
    WriteFile(dir.Path() / "taken", "keep me");
    auto refused = (*store)->Backup(dir.Path() / "taken");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(ReadFile(dir.Path() / "taken"), "keep me");
}

TEST(SqliteBackup, RestoreMovesTheCurrentDatabaseAsideInsteadOfDeletingIt) {
    TempDir dir;
    auto data = dir.Path() / "data";
    auto backup = dir.Path() / "monday.db";
    {
        auto store = OpenIn(data);
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->CreateSession(MakeSession("monday")));
        ASSERT_TRUE((*store)->Backup(backup));
        ASSERT_TRUE((*store)->CreateSession(MakeSession("tuesday")));
    }
    ASSERT_TRUE(RestoreBackup(backup, data));
    {
        auto store = OpenIn(data);
        ASSERT_TRUE(store) << store.error().message;
        EXPECT_TRUE((*store)->GetSession("monday"));
        EXPECT_EQ((*store)->GetSession("tuesday").error().code, ErrorCode::kNotFound);
    }
    std::filesystem::path replaced;
    for (const auto& name : Listing(data)) {
        if (name.starts_with("tta.db.replaced-")) replaced = data / name;
    }
    ASSERT_FALSE(replaced.empty()) << "the replaced database was not kept";
    auto aside = dir.Path() / "aside";
    std::filesystem::create_directories(aside);
    std::filesystem::copy_file(replaced, aside / kDatabaseFileName);
    auto old = OpenIn(aside);
    ASSERT_TRUE(old) << old.error().message;
    EXPECT_TRUE((*old)->GetSession("tuesday"));
}

TEST(SqliteBackup, RestoreKeepsAnUncheckpointedWalWithTheDatabaseItBelongsTo) {
    TempDir dir;
    auto data = dir.Path() / "data";
    auto backup = dir.Path() / "monday.db";
    {
        auto store = OpenIn(data);
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->Backup(backup));
    }
    {
        // As after a crash: the last write is only in tta.db-wal.
        auto conn = Connection::Open(data / kDatabaseFileName, Connection::Mode::kReadWrite, 1000);
        ASSERT_TRUE(conn);
        sqlite3_db_config(conn->Handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        ASSERT_TRUE(
            conn->Exec("INSERT INTO sessions (id, world_id, seed, created_ms, updated_ms)"
                       " VALUES ('crash', 'w', 0, 0, 0)"));
    }
    ASSERT_TRUE(std::filesystem::exists(data / "tta.db-wal"));
    ASSERT_TRUE(RestoreBackup(backup, data));
    EXPECT_FALSE(std::filesystem::exists(data / "tta.db-wal"));
    std::string replaced;
    for (const auto& name : Listing(data)) {
        if (name.starts_with("tta.db.replaced-") && !name.ends_with("-wal") &&
            !name.ends_with("-shm")) {
            replaced = name;
        }
    }
    ASSERT_FALSE(replaced.empty());
    EXPECT_TRUE(std::filesystem::exists(data / (replaced + "-wal")));
    auto conn = Connection::Open(data / replaced, Connection::Mode::kReadOnly, 1000);
    ASSERT_TRUE(conn);
    EXPECT_EQ(*conn->QueryText("SELECT id FROM sessions WHERE id = 'crash'"), "crash");
}

TEST(SqliteBackup, RestoreRefusesADamagedOrMissingBackupAndChangesNothing) {
    TempDir dir;
    auto data = dir.Path() / "data";
    {
        auto store = OpenIn(data);
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->CreateSession(MakeSession("kept")));
    }
    auto before = Listing(data);
    auto current = ReadFile(data / kDatabaseFileName);
    WriteFile(dir.Path() / "bad.db", std::string(10000, 'z'));
    auto damaged = RestoreBackup(dir.Path() / "bad.db", data);
    ASSERT_FALSE(damaged);
    EXPECT_EQ(damaged.error().code, ErrorCode::kInvalid);
    auto missing = RestoreBackup(dir.Path() / "none.db", data);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Listing(data), before);
    EXPECT_EQ(ReadFile(data / kDatabaseFileName), current);
}

// --- settings ---

TEST(SqliteSettings, DatabaseIsInWalModeAndLivesInTheDataDirectory) {
    TempDir dir;
    auto data = dir.Path() / "nested" / "data";
    auto store = OpenIn(data);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE(std::filesystem::exists(data / "tta.db"));
    auto conn = Connection::Open(data / "tta.db", Connection::Mode::kReadOnly, 1000);
    ASSERT_TRUE(conn);
    EXPECT_EQ(*conn->QueryText("PRAGMA journal_mode"), "wal");
}

TEST(SqliteSettings, NormalSyncIsAvailableAndStillCommitsEveryWrite) {
    TempDir dir;
    SqliteOptions options;
    options.data_dir = dir.Path();
    options.sync = Sync::kNormal;
    {
        auto store = SqliteStore::Open(options);
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->CreateSession(MakeSession("s1")));
    }
    auto store = OpenIn(dir.Path());
    ASSERT_TRUE(store);
    EXPECT_TRUE((*store)->GetSession("s1"));
}

// --- observer ---

class RecordingObserver final : public StoreObserver {
  public:
    void OnCall(std::string_view op, std::string_view outcome,
                std::chrono::nanoseconds elapsed) noexcept override {
        std::lock_guard lock(mu_);
        calls.push_back(std::string(op) + ":" + std::string(outcome));
        if (elapsed.count() < 0) negative_time = true;
    }
    void OnCommit(std::size_t writes, std::chrono::nanoseconds) noexcept override {
        std::lock_guard lock(mu_);
        committed_writes += writes;
    }
    std::mutex mu_;
    std::vector<std::string> calls;
    std::size_t committed_writes = 0;
    bool negative_time = false;
};

TEST(SqliteObserver, EveryCallIsReportedWithItsOutcomeAndEveryWriteWithItsCommit) {
    TempDir dir;
    RecordingObserver observer;
    SqliteOptions options;
    options.data_dir = dir.Path();
    options.observer = &observer;
    auto store = SqliteStore::Open(options);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->CreateSession(MakeSession("s1")));
    ASSERT_TRUE((*store)->AppendTurn(MakeTurn("s1"), 0));
    ASSERT_FALSE((*store)->AppendTurn(MakeTurn("s1"), 0));
    ASSERT_FALSE((*store)->GetSession("ghost"));
    EXPECT_THAT(observer.calls,
                ::testing::ElementsAre("CreateSession:ok", "AppendTurn:ok", "AppendTurn:conflict",
                                       "GetSession:not_found"));
    EXPECT_EQ(observer.committed_writes, 3u);
    EXPECT_FALSE(observer.negative_time);
}

}  // namespace
}  // namespace tta::store::sqlite
