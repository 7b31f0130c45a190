#include "tta/store/sqlite/migrations.hpp"

#include <array>
#include <string>

namespace tta::store::sqlite {

namespace {

// Index i holds migration i + 1. Append only; never edit a migration that has shipped.
constexpr std::array<std::string_view, 4> kMigrations = {
    // 1: sessions and the event log (issue 2).
    R"sql(
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL DEFAULT '',
    character_id  TEXT NOT NULL DEFAULT '',
    world_id      TEXT NOT NULL,
    world_version TEXT NOT NULL DEFAULT '',
    seed          INTEGER NOT NULL,  -- uint64 stored as the int64 with the same bits
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    head_seq      INTEGER NOT NULL DEFAULT 0,
    last_seq      INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    title         TEXT NOT NULL DEFAULT '',
    CHECK (head_seq >= 0 AND head_seq <= last_seq)
);
CREATE INDEX sessions_by_owner ON sessions (owner_user_id, updated_ms DESC, id);

CREATE TABLE turns (
    session_id   TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL CHECK (seq > 0),
    parent_seq   INTEGER NOT NULL CHECK (parent_seq >= 0 AND parent_seq < seq),
    created_ms   INTEGER NOT NULL,
    seed         INTEGER NOT NULL,
    safety_level TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '{}',
    personal     BLOB,
    PRIMARY KEY (session_id, seq)
);

CREATE TABLE snapshots (
    session_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    state      TEXT NOT NULL,
    PRIMARY KEY (session_id, seq),
    FOREIGN KEY (session_id, seq) REFERENCES turns (session_id, seq) ON DELETE CASCADE
);
)sql",
    // 2: accounts for the HTTP API (issue 3): users, roles, refresh tokens, characters.
    R"sql(
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    email         TEXT,
    password_hash TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    wrapped_key   BLOB NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);

CREATE TABLE characters (
    id            TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    pronouns      TEXT NOT NULL DEFAULT '',
    personal      BLOB,
    profile       TEXT NOT NULL DEFAULT '{}',
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL
);
CREATE INDEX characters_by_owner ON characters (owner_user_id, created_ms, id);
)sql",
    // 3: per-user safety events and safety plans (issues 3 and 4).
    R"sql(
CREATE TABLE safety_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    level      TEXT NOT NULL,
    personal   BLOB
);
CREATE INDEX safety_events_by_user ON safety_events (user_id, id);

CREATE TABLE safety_plans (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    personal   BLOB NOT NULL,
    updated_ms INTEGER NOT NULL
);
)sql",
    // 4: per-user therapy records (issue 5): mood check-ins, questionnaire results, skills
    // practised, journal entries, session summaries, beat planner decisions. session_id is a
    // plain reference: records outlive the story they were made in.
    R"sql(
CREATE TABLE mood_check_ins (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    turn       INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    mode       TEXT NOT NULL CHECK (mode IN ('in_story', 'out_of_character')),
    personal   BLOB
);
CREATE INDEX mood_check_ins_by_user ON mood_check_ins (user_id, id);

CREATE TABLE measure_results (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    turn       INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    measure    TEXT NOT NULL CHECK (measure IN ('phq9', 'gad7')),
    total      INTEGER NOT NULL CHECK (total >= 0),
    severity   TEXT NOT NULL,
    item9_flag INTEGER NOT NULL DEFAULT 0,
    personal   BLOB
);
CREATE INDEX measure_results_by_user ON measure_results (user_id, id);

CREATE TABLE skill_practices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    turn       INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    technique  TEXT NOT NULL,
    beat       TEXT NOT NULL DEFAULT '',
    outcome    TEXT NOT NULL
);
CREATE INDEX skill_practices_by_user ON skill_practices (user_id, id);

CREATE TABLE journal_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    turn       INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    personal   BLOB NOT NULL
);
CREATE INDEX journal_entries_by_user ON journal_entries (user_id, id);

CREATE TABLE session_summaries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    turn       INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    summary    TEXT NOT NULL
);
CREATE INDEX session_summaries_by_user ON session_summaries (user_id, id);

CREATE TABLE planner_decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL DEFAULT '',
    turn       INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    beat       TEXT NOT NULL DEFAULT '',
    technique  TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL
);
CREATE INDEX planner_decisions_by_user ON planner_decisions (user_id, id);
)sql",
};

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)";

Status Rollback(Connection& conn, Error e) {
    if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
    return e;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<int> ReadSchemaVersion(Connection& conn) {
    auto stmt = conn.Prepare(
        "SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'),"
        "       (SELECT count(*) FROM sqlite_schema)");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    bool has_table = stmt->Int(0) > 0;
    bool has_anything = stmt->Int(1) > 0;
    if (!has_table) {
        if (has_anything) {
            return Error::Unavailable(
                "this SQLite database is not a TTA database (it has no schema_migrations "
                "table); point --data at TTA's data directory");
        }
        return 0;
    }
    auto version = conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!version) return version.error();
    auto vrow = version->Step();
    if (!vrow) return vrow.error();
    return static_cast<int>(version->Int(0));
}

Status Migrate(Connection& conn, int target, std::int64_t now_ms) {
    if (target < 0 || target > LatestSchemaVersion()) {
        return Error::Invalid("no schema version " + std::to_string(target));
    }
    auto current = ReadSchemaVersion(conn);
    if (!current) return current.error();
    if (*current > LatestSchemaVersion()) {
        return Error::Unavailable("the database has schema version " + std::to_string(*current) +
                                  " but this TTA knows only up to " +
                                  std::to_string(LatestSchemaVersion()) +
                                  ": it was written by a newer TTA; run that version");
    }
    if (*current > target) {
        return Error::Invalid("the database is at schema version " + std::to_string(*current) +
                              ", past " + std::to_string(target) + "; migrations only go forward");
    }
    for (int v = *current + 1; v <= target; ++v) {
        if (auto s = conn.Exec("BEGIN IMMEDIATE"); !s) return s;
        // Another process may have applied this step while we waited for the write lock.
        auto now = ReadSchemaVersion(conn);
        if (!now) return Rollback(conn, now.error());
        if (*now >= v) {
            if (auto s = conn.Exec("COMMIT"); !s) return Rollback(conn, s.error());
            continue;
        }
        if (auto s = conn.Exec(kCreateMigrationsTable); !s) return Rollback(conn, s.error());
        if (auto s = conn.Exec(kMigrations[static_cast<std::size_t>(v - 1)]); !s) {
            return Rollback(conn, Error{s.error().code, "schema migration " + std::to_string(v) +
                                                            " failed: " + s.error().message});
        }
        {
            auto record =
                conn.Prepare("INSERT INTO schema_migrations (version, applied_ms) VALUES (?1, ?2)");
            if (!record) return Rollback(conn, record.error());
            if (auto s = record->Bind(1, v).Bind(2, now_ms).Run(); !s) {
                return Rollback(conn, s.error());
            }
        }  // the statement is reset before COMMIT
        if (auto s = conn.Exec("COMMIT"); !s) return Rollback(conn, s.error());
    }
    return Ok();
}

}  // namespace tta::store::sqlite
