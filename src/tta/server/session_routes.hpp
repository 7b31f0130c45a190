// tta::server session routes (issue 3): stories in play. All need an access token; another
// account's session answers 404 as if it did not exist.
//
//   POST /v1/sessions               {character_id, world_id, title?} -> 201 Session + opening turn
//   GET  /v1/sessions?limit=N       -> 200 {"sessions": [Session...]}, latest first
//   GET  /v1/sessions/{id}          -> 200 Session with the turn play stands on
//   POST /v1/sessions/{id}/turns    {text} or {choice} -> 200 Turn
//   POST /v1/sessions/{id}/undo     -> 200 Turn (the turn play steps back to)
//   GET  /v1/sessions/{id}/events   text/event-stream (session_events.hpp); Last-Event-ID, or
//                                   ?last_event_id= for a first connection, replays from there
//
// One turn at a time per session: a turn or undo holds the session's turn lock from before the
// engine runs until its events are published, so concurrent requests on one session are
// answered one after another and their events never interleave (the engine serialises too,
// and the store's conditional append guards against other processes).
//
// Safety first (ARCHITECTURE.md, principle 1): when the store cannot even say whose session it
// is, an input the safety gate rates high or imminent is still answered with crisis lines
// (default locale, no safety plan, since whose it would be is unknown), unrecorded.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "tta/engine/engine.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/server/router.hpp"
#include "tta/server/session_events.hpp"
#include "tta/store/account_store.hpp"
#include "tta/store/session_store.hpp"

namespace tta::server {

struct SessionRouteOptions {
    std::size_t max_input_chars = 2000;  // limits.max_input_chars
    // A resuming stream replays at most about this many bytes of events; when more remain it
    // ends after them, and the client resumes again from the last id it got.
    std::size_t max_replay_bytes = 256 * 1024;
    std::string default_locale = "en";
};

class SessionRoutes {
  public:
    // Everything given must outlive the router's use. `sessions` and `accounts` are read for
    // ownership and replays (never for personal bytes, so they may be the undecorated stores).
    SessionRoutes(engine::Engine& engine, store::SessionStore& sessions,
                  store::AccountStore& accounts, const engine::WorldCatalog& worlds,
                  SessionEvents& events, SessionRouteOptions options = {});

    void AddTo(Router& router);

  private:
    Response Create(Request& req);
    Response List(Request& req);
    Response Get(Request& req);
    Response Turn(Request& req);
    Response Undo(Request& req);
    Response Events(Request& req);

    struct TurnLockEntry {
        std::mutex mu;
        int users = 0;  // requests holding or waiting for it
    };
    // Held while a turn or undo runs on one session. A mutex per session in play (not a
    // striped one): a slow turn, e.g. one narrated by a model, holds up only its own session.
    class TurnLock {
      public:
        TurnLock(SessionRoutes& routes, const std::string& session_id);
        ~TurnLock();
        TurnLock(const TurnLock&) = delete;
        TurnLock& operator=(const TurnLock&) = delete;

      private:
        SessionRoutes& routes_;
        std::string session_id_;
        TurnLockEntry* entry_;
    };

    // The caller's session, or 404 whether it is missing or someone else's.
    Result<store::Session> Owned(const Request& req);
    void Publish(const std::string& session_id, const TurnView& view);
    Response CrisisWithoutStore(const Error& store_error, std::string_view text) const;

    engine::Engine& engine_;
    store::SessionStore& sessions_;
    store::AccountStore& accounts_;
    const engine::WorldCatalog& worlds_;
    SessionEvents& events_;
    const SessionRouteOptions options_;
    std::mutex locks_mu_;
    std::unordered_map<std::string, std::unique_ptr<TurnLockEntry>> turn_locks_;
};

}  // namespace tta::server
