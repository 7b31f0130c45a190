// tta::store — durable storage behind interfaces (ARCHITECTURE.md, principles 3, 4, 6, 8).
//
// This header is the session half: sessions and their event log. A session is a tree of
// immutable turn records. Each turn points at the turn it follows (its parent); the session's
// head says which turn play currently stands on. Playing appends a child of the head and
// moves the head to it; undo moves the head back to an earlier turn; the next turn after an
// undo becomes a new branch ("universe fork"). Nothing is ever rewritten. State is rebuilt by
// folding the effects of the turns on the head's ancestry over the latest snapshot on that
// ancestry (or the world pack's initial state).
//
// Implementations: SQLite (tta/store/sqlite/sqlite_store.hpp), later PostgreSQL. All of them
// pass the same conformance suite (src/tta/store/store_conformance_test.cpp).
//
// Contract common to every method:
// - Thread-safe; calls may come from any number of threads at once.
// - A write returns success only after its data is durable (committed with the sync the
//   backend's settings promise). A read after a successful write sees it.
// - Errors: kNotFound (no such session/turn), kConflict (optimistic-concurrency check failed or
//   the id exists), kInvalid (a malformed argument), kUnavailable (the backend is down, busy or
//   damaged), kInternal (a bug). Never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/store/bytes.hpp"

namespace tta::store {

enum class SessionStatus { kActive, kEnded };

std::string_view SessionStatusName(SessionStatus s);  // "active" / "ended"

struct Session {
    std::string id;             // chosen by the caller, unique
    std::string owner_user_id;  // empty for offline play (`tta play`)
    std::string character_id;
    std::string world_id;
    std::string world_version;
    std::uint64_t seed = 0;  // the session seed; turn seeds are derived from it
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;  // last append, head move or status change
    // The turn play currently stands on; 0 means "before the first turn" (the initial state).
    std::int64_t head_seq = 0;
    // The highest seq ever appended (>= head_seq; greater after an undo). Read-only: the store
    // maintains it.
    std::int64_t last_seq = 0;
    SessionStatus status = SessionStatus::kActive;
    std::string title;

    friend bool operator==(const Session&, const Session&) = default;
};

// One turn as written. Immutable once appended.
struct Turn {
    std::string session_id;
    std::int64_t seq = 0;         // 1, 2, 3, ... in append order, unique within the session
    std::int64_t parent_seq = 0;  // the turn this one follows; 0 for a first turn
    std::int64_t created_ms = 0;
    std::uint64_t seed = 0;    // the seed the turn's RNG was built from, for exact replay
    std::string safety_level;  // the safety gate's verdict, e.g. "none", "concern", "crisis"
    // Engine-defined JSON (intent, effects, narrative text ids, timings, model provenance).
    // The store treats it as opaque text.
    std::string body;
    // The player's free text and anything else personal; opaque so it can be encrypted.
    Bytes personal;

    friend bool operator==(const Turn&, const Turn&) = default;
};

// What the caller supplies to append a turn; the store assigns seq and parent_seq.
struct NewTurn {
    std::string session_id;
    std::int64_t created_ms = 0;  // also becomes the session's updated_ms
    std::uint64_t seed = 0;
    std::string safety_level;
    std::string body;
    Bytes personal;
    // When set, a snapshot of the state *after* this turn is stored at the new seq in the same
    // transaction (saves a second durable write when the engine snapshots every N turns).
    std::optional<std::string> snapshot;
};

// Folded state at a turn: opaque engine JSON.
struct Snapshot {
    std::string session_id;
    std::int64_t seq = 0;  // the turn after which `state` holds; always an existing turn (>= 1)
    std::string state;

    friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;

    // Creates a session exactly as given, except that head_seq and last_seq start at 0.
    // kConflict if the id exists; kInvalid if id or world_id is empty.
    virtual Status CreateSession(const Session& session) = 0;

    virtual Result<Session> GetSession(std::string_view id) = 0;

    // The owner's sessions, most recently updated first (ties by id). An empty owner lists
    // offline sessions.
    virtual Result<std::vector<Session>> ListSessions(std::string_view owner_user_id,
                                                      std::size_t limit) = 0;

    virtual Status SetSessionStatus(std::string_view id, SessionStatus status) = 0;
    virtual Status SetSessionTitle(std::string_view id, std::string_view title) = 0;

    // Appends a child of the head and moves the head to it, atomically, but only if the head
    // is still `expected_head` (optimistic concurrency: kConflict otherwise, and nothing is
    // written). Returns the new turn's seq (= last_seq + 1); its parent_seq is expected_head.
    // kNotFound if the session does not exist.
    virtual Result<std::int64_t> AppendTurn(const NewTurn& turn, std::int64_t expected_head) = 0;

    // Moves the head to `new_head` (0 or any existing seq, on any branch) if it is still
    // `expected_head`; kConflict otherwise. Used by undo (new_head = head's parent) and to
    // return to another branch. kNotFound if the session or the target turn does not exist.
    virtual Status MoveHead(std::string_view session_id, std::int64_t expected_head,
                            std::int64_t new_head) = 0;

    virtual Result<Turn> GetTurn(std::string_view session_id, std::int64_t seq) = 0;

    // The turns on the path from the root to `head_seq` whose seq is greater than `after_seq`,
    // oldest first: exactly what must be folded over the state at `after_seq` to reach the
    // state at `head_seq`. `after_seq` must be 0 or an ancestor of (or equal to) `head_seq`;
    // kInvalid otherwise. kNotFound if head_seq does not exist (head_seq 0 gives no turns).
    virtual Result<std::vector<Turn>> LoadChain(std::string_view session_id, std::int64_t head_seq,
                                                std::int64_t after_seq) = 0;

    // Stores (or replaces) the snapshot at snapshot.seq, which must be an existing turn.
    virtual Status PutSnapshot(const Snapshot& snapshot) = 0;

    // The snapshot with the greatest seq among `at_seq` and its ancestors, or nullopt if none
    // of them has one (fold from the initial state). Snapshots on other branches are ignored.
    virtual Result<std::optional<Snapshot>> LatestSnapshot(std::string_view session_id,
                                                           std::int64_t at_seq) = 0;

    // Deletes the session with all its turns and snapshots. kNotFound if it does not exist.
    virtual Status DeleteSession(std::string_view id) = 0;
};

}  // namespace tta::store
