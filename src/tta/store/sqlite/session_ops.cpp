// SessionStore on SQLite: sessions, the turn tree and snapshots (schema: migrations.cpp).
#include <cstdint>
#include <limits>
#include <string>

#include "tta/store/sqlite/store_impl.hpp"

namespace tta::store::sqlite {

namespace {

#define TTA_SESSION_COLUMNS                                                                    \
    "id, owner_user_id, character_id, world_id, world_version, seed, created_ms, updated_ms, " \
    "head_seq, last_seq, status, title"
#define TTA_TURN_COLUMNS "seq, parent_seq, created_ms, seed, safety_level, body, personal"

Session ReadSession(const Stmt& s) {
    Session out;
    out.id = s.Text(0);
    out.owner_user_id = s.Text(1);
    out.character_id = s.Text(2);
    out.world_id = s.Text(3);
    out.world_version = s.Text(4);
    out.seed = s.U64(5);
    out.created_ms = s.Int(6);
    out.updated_ms = s.Int(7);
    out.head_seq = s.Int(8);
    out.last_seq = s.Int(9);
    out.status = s.Text(10) == "ended" ? SessionStatus::kEnded : SessionStatus::kActive;
    out.title = s.Text(11);
    return out;
}

// Reads TTA_TURN_COLUMNS starting at column `first`.
Turn ReadTurn(const Stmt& s, std::string_view session_id, int first = 0) {
    Turn t;
    t.session_id = std::string(session_id);
    t.seq = s.Int(first);
    t.parent_seq = s.Int(first + 1);
    t.created_ms = s.Int(first + 2);
    t.seed = s.U64(first + 3);
    t.safety_level = s.Text(first + 4);
    t.body = s.Text(first + 5);
    t.personal = s.Blob(first + 6);
    return t;
}

std::int64_t ClampLimit(std::size_t limit) {
    constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(limit > kMax ? kMax : limit);
}

Error NoSession(std::string_view id) { return Error::NotFound("no session " + std::string(id)); }

Error NoTurn(std::string_view id, std::int64_t seq) {
    return Error::NotFound("session " + std::string(id) + " has no turn " + std::to_string(seq));
}

// Ok if the session exists.
Status SessionExists(Connection& c, std::string_view id) {
    auto q = c.Prepare("SELECT 1 FROM sessions WHERE id = ?1");
    if (!q) return q.error();
    auto row = q->Bind(1, id).Step();
    if (!row) return row.error();
    if (!*row) return NoSession(id);
    return Ok();
}

// Ok if the turn exists (seq 0, "before the first turn", exists in every session).
Status TurnExists(Connection& c, std::string_view id, std::int64_t seq) {
    if (seq == 0) return SessionExists(c, id);
    auto q = c.Prepare("SELECT 1 FROM turns WHERE session_id = ?1 AND seq = ?2");
    if (!q) return q.error();
    auto row = q->Bind(1, id).Bind(2, seq).Step();
    if (!row) return row.error();
    if (!*row) return NoTurn(id, seq);
    return Ok();
}

// Why a conditional update of the head matched no row: no session, or another head.
Error HeadMismatch(Connection& c, std::string_view id, std::int64_t expected) {
    auto q = c.Prepare("SELECT head_seq FROM sessions WHERE id = ?1");
    if (!q) return q.error();
    auto row = q->Bind(1, id).Step();
    if (!row) return row.error();
    if (!*row) return NoSession(id);
    return Error::Conflict("session " + std::string(id) + " is at turn " +
                           std::to_string(q->Int(0)) + ", not " + std::to_string(expected));
}

Status PutSnapshotRow(Connection& c, std::string_view id, std::int64_t seq,
                      std::string_view state) {
    auto q = c.Prepare(
        "INSERT INTO snapshots (session_id, seq, state) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (session_id, seq) DO UPDATE SET state = excluded.state");
    if (!q) return q.error();
    return q->Bind(1, id).Bind(2, seq).Bind(3, state).Run();
}

}  // namespace

Status SqliteStore::CreateSession(const Session& session) {
    return impl_->Observe("CreateSession", [&]() -> Status {
        if (session.id.empty()) return Error::Invalid("a session needs an id");
        if (session.world_id.empty()) return Error::Invalid("a session needs a world id");
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("INSERT INTO sessions (" TTA_SESSION_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0, ?9, ?10)");
            if (!q) return q.error();
            auto s = q->Bind(1, session.id)
                         .Bind(2, session.owner_user_id)
                         .Bind(3, session.character_id)
                         .Bind(4, session.world_id)
                         .Bind(5, session.world_version)
                         .BindU64(6, session.seed)
                         .Bind(7, session.created_ms)
                         .Bind(8, session.updated_ms)
                         .Bind(9, SessionStatusName(session.status))
                         .Bind(10, session.title)
                         .Run();
            if (!s && s.error().code == ErrorCode::kConflict) {
                return Error::Conflict("session " + session.id + " already exists");
            }
            return s;
        });
    });
}

Result<Session> SqliteStore::GetSession(std::string_view id) {
    return impl_->Observe("GetSession", [&] {
        return impl_->Read([&](Connection& c) -> Result<Session> {
            auto q = c.Prepare("SELECT " TTA_SESSION_COLUMNS " FROM sessions WHERE id = ?1");
            if (!q) return q.error();
            auto row = q->Bind(1, id).Step();
            if (!row) return row.error();
            if (!*row) return NoSession(id);
            return ReadSession(*q);
        });
    });
}

Result<std::vector<Session>> SqliteStore::ListSessions(std::string_view owner_user_id,
                                                       std::size_t limit) {
    return impl_->Observe("ListSessions", [&] {
        return impl_->Read([&](Connection& c) -> Result<std::vector<Session>> {
            auto q = c.Prepare("SELECT " TTA_SESSION_COLUMNS
                               " FROM sessions WHERE owner_user_id = ?1"
                               " ORDER BY updated_ms DESC, id LIMIT ?2");
            if (!q) return q.error();
            q->Bind(1, owner_user_id).Bind(2, ClampLimit(limit));
            std::vector<Session> out;
            while (true) {
                auto row = q->Step();
                if (!row) return row.error();
                if (!*row) return out;
                out.push_back(ReadSession(*q));
            }
        });
    });
}

Status SqliteStore::SetSessionStatus(std::string_view id, SessionStatus status) {
    return impl_->Observe("SetSessionStatus", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("UPDATE sessions SET status = ?2, updated_ms = ?3 WHERE id = ?1");
            if (!q) return q.error();
            auto s =
                q->Bind(1, id).Bind(2, SessionStatusName(status)).Bind(3, impl_->NowMillis()).Run();
            if (!s) return s;
            if (c.Changes() == 0) return NoSession(id);
            return Ok();
        });
    });
}

Status SqliteStore::SetSessionTitle(std::string_view id, std::string_view title) {
    return impl_->Observe("SetSessionTitle", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("UPDATE sessions SET title = ?2 WHERE id = ?1");
            if (!q) return q.error();
            if (auto s = q->Bind(1, id).Bind(2, title).Run(); !s) return s;
            if (c.Changes() == 0) return NoSession(id);
            return Ok();
        });
    });
}

Result<std::int64_t> SqliteStore::AppendTurn(const NewTurn& turn, std::int64_t expected_head) {
    return impl_->Observe("AppendTurn", [&]() -> Result<std::int64_t> {
        if (expected_head < 0) return Error::Invalid("expected head must be >= 0");
        std::int64_t seq = 0;
        auto s = impl_->Write([&](Connection& c) -> Status {
            {
                // Claims the next seq and moves the head in one statement, only if the head
                // is where the caller saw it.
                auto q = c.Prepare(
                    "UPDATE sessions SET head_seq = last_seq + 1, last_seq = last_seq + 1,"
                    " updated_ms = ?3 WHERE id = ?1 AND head_seq = ?2 RETURNING head_seq");
                if (!q) return q.error();
                auto row = q->Bind(1, turn.session_id)
                               .Bind(2, expected_head)
                               .Bind(3, turn.created_ms)
                               .Step();
                if (!row) return row.error();
                if (!*row) return HeadMismatch(c, turn.session_id, expected_head);
                seq = q->Int(0);
                if (auto done = q->Run(); !done) return done;
            }
            auto q = c.Prepare("INSERT INTO turns (session_id, " TTA_TURN_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
            if (!q) return q.error();
            auto inserted = q->Bind(1, turn.session_id)
                                .Bind(2, seq)
                                .Bind(3, expected_head)
                                .Bind(4, turn.created_ms)
                                .BindU64(5, turn.seed)
                                .Bind(6, turn.safety_level)
                                .Bind(7, turn.body)
                                .Bind(8, turn.personal)
                                .Run();
            if (!inserted) return inserted;
            if (turn.snapshot) return PutSnapshotRow(c, turn.session_id, seq, *turn.snapshot);
            return Ok();
        });
        if (!s) return s.error();
        return seq;
    });
}

Status SqliteStore::MoveHead(std::string_view session_id, std::int64_t expected_head,
                             std::int64_t new_head) {
    return impl_->Observe("MoveHead", [&]() -> Status {
        if (expected_head < 0 || new_head < 0) return Error::Invalid("turn numbers are >= 0");
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = TurnExists(c, session_id, new_head); !s) return s;
            auto q = c.Prepare(
                "UPDATE sessions SET head_seq = ?3, updated_ms = ?4 WHERE id = ?1 AND head_seq = "
                "?2");
            if (!q) return q.error();
            auto s = q->Bind(1, session_id)
                         .Bind(2, expected_head)
                         .Bind(3, new_head)
                         .Bind(4, impl_->NowMillis())
                         .Run();
            if (!s) return s;
            if (c.Changes() == 0) return HeadMismatch(c, session_id, expected_head);
            return Ok();
        });
    });
}

Result<Turn> SqliteStore::GetTurn(std::string_view session_id, std::int64_t seq) {
    return impl_->Observe("GetTurn", [&] {
        return impl_->Read([&](Connection& c) -> Result<Turn> {
            auto q = c.Prepare("SELECT " TTA_TURN_COLUMNS
                               " FROM turns WHERE session_id = ?1 AND seq = ?2");
            if (!q) return q.error();
            auto row = q->Bind(1, session_id).Bind(2, seq).Step();
            if (!row) return row.error();
            if (!*row) return NoTurn(session_id, seq);
            return ReadTurn(*q, session_id);
        });
    });
}

Result<std::vector<Turn>> SqliteStore::LoadChain(std::string_view session_id, std::int64_t head_seq,
                                                 std::int64_t after_seq) {
    return impl_->Observe("LoadChain", [&] {
        return impl_->Read([&](Connection& c) -> Result<std::vector<Turn>> {
            if (head_seq < 0 || after_seq < 0) return Error::Invalid("turn numbers are >= 0");
            if (auto s = TurnExists(c, session_id, head_seq); !s) return s.error();
            Error not_ancestor = Error::Invalid(
                "turn " + std::to_string(after_seq) + " is not on the path to turn " +
                std::to_string(head_seq) + " of session " + std::string(session_id));
            if (after_seq > head_seq) return not_ancestor;
            std::vector<Turn> out;
            if (after_seq == head_seq) return out;
            // Walks parent links from the head down to the first turn after `after_seq`.
            auto q = c.Prepare(
                "WITH RECURSIVE chain (seq, parent_seq) AS ("
                "  SELECT seq, parent_seq FROM turns WHERE session_id = ?1 AND seq = ?2"
                "  UNION ALL"
                "  SELECT t.seq, t.parent_seq FROM turns t JOIN chain c"
                "    ON t.session_id = ?1 AND t.seq = c.parent_seq"
                "  WHERE c.parent_seq > ?3)"
                " SELECT t.seq, t.parent_seq, t.created_ms, t.seed, t.safety_level, t.body,"
                "        t.personal"
                " FROM chain c JOIN turns t ON t.session_id = ?1 AND t.seq = c.seq"
                " ORDER BY t.seq");
            if (!q) return q.error();
            q->Bind(1, session_id).Bind(2, head_seq).Bind(3, after_seq);
            while (true) {
                auto row = q->Step();
                if (!row) return row.error();
                if (!*row) break;
                out.push_back(ReadTurn(*q, session_id));
            }
            // The walk stops at the first parent <= after_seq; it must be after_seq itself.
            if (out.empty() || out.front().parent_seq != after_seq) return not_ancestor;
            return out;
        });
    });
}

Status SqliteStore::PutSnapshot(const Snapshot& snapshot) {
    return impl_->Observe("PutSnapshot", [&]() -> Status {
        if (snapshot.seq < 1) return Error::Invalid("a snapshot belongs to a turn (seq >= 1)");
        return impl_->Write([&](Connection& c) -> Status {
            if (auto s = TurnExists(c, snapshot.session_id, snapshot.seq); !s) return s;
            return PutSnapshotRow(c, snapshot.session_id, snapshot.seq, snapshot.state);
        });
    });
}

Result<std::optional<Snapshot>> SqliteStore::LatestSnapshot(std::string_view session_id,
                                                            std::int64_t at_seq) {
    return impl_->Observe("LatestSnapshot", [&] {
        return impl_->Read([&](Connection& c) -> Result<std::optional<Snapshot>> {
            if (at_seq < 0) return Error::Invalid("turn numbers are >= 0");
            if (auto s = TurnExists(c, session_id, at_seq); !s) return s.error();
            if (at_seq == 0) return std::optional<Snapshot>();
            // Walks parent links from at_seq and stops at the first turn with a snapshot.
            auto q = c.Prepare(
                "WITH RECURSIVE anc (seq, parent_seq) AS ("
                "  SELECT seq, parent_seq FROM turns WHERE session_id = ?1 AND seq = ?2"
                "  UNION ALL"
                "  SELECT t.seq, t.parent_seq FROM turns t JOIN anc a"
                "    ON t.session_id = ?1 AND t.seq = a.parent_seq"
                "  WHERE NOT EXISTS (SELECT 1 FROM snapshots s"
                "                    WHERE s.session_id = ?1 AND s.seq = a.seq))"
                " SELECT s.seq, s.state FROM anc a"
                " JOIN snapshots s ON s.session_id = ?1 AND s.seq = a.seq"
                " ORDER BY s.seq DESC LIMIT 1");
            if (!q) return q.error();
            auto row = q->Bind(1, session_id).Bind(2, at_seq).Step();
            if (!row) return row.error();
            if (!*row) return std::optional<Snapshot>();
            return std::optional<Snapshot>(
                Snapshot{std::string(session_id), q->Int(0), q->Text(1)});
        });
    });
}

Status SqliteStore::DeleteSession(std::string_view id) {
    return impl_->Observe("DeleteSession", [&] {
        return impl_->Write([&](Connection& c) -> Status {
            auto q = c.Prepare("DELETE FROM sessions WHERE id = ?1");
            if (!q) return q.error();
            if (auto s = q->Bind(1, id).Run(); !s) return s;
            if (c.Changes() == 0) return NoSession(id);
            return Ok();
        });
    });
}

}  // namespace tta::store::sqlite
