// tta::server therapy routes (issue 5): a player's own therapeutic records over HTTP — mood
// check-ins, PHQ-9 / GAD-7, the journal, progress (trends), skills practised and the beat
// planner's decisions with their reasons. All need an access token and show only the caller's
// records; a session of someone else's answers 404 as if it did not exist.
//
//   GET  /v1/me/mood                 ?limit&before_id&session_id -> {"check_ins": [...]}
//   POST /v1/me/mood                 {score, feelings?, mode?} -> 201 check-in
//   POST /v1/sessions/{id}/mood      {score, feelings?, mode?} -> 201 check-in at the session's
//                                    turn, seen by the beat planner (Engine::RecordCheckIn)
//   GET  /v1/me/measures             ?limit&before_id&session_id -> {"results": [...]}
//   POST /v1/me/measures/{measure}   {answers: [0..3, ...]} -> 201 result (phq9 | gad7); a
//                                    PHQ-9 item 9 above 0 adds "crisis", the safety response
//   GET  /v1/me/journal              ?limit&before_id&session_id -> {"entries": [...]}
//   POST /v1/me/journal              {text} -> 201 entry
//   GET  /v1/me/progress             ?session_id -> ProgressReport (+ "text", "sitting")
//   GET  /v1/me/practices            ?limit&before_id&session_id -> {"practices": [...]}
//   GET  /v1/me/planner              ?limit&before_id&session_id -> {"decisions": [...]}
//   GET  /v1/me/summaries            ?limit&before_id&session_id -> {"summaries": [...]}
//
// Lists hold the newest `limit` records (50 unless given, at most 100) before `before_id`,
// oldest first, so a client pages back with before_id = the first id it has.
//
// The routes are thin: records go through engine::TherapyService (Engine::Therapy()), whose
// store seals the personal parts (personal.hpp). PHQ-9 item 9 is answered as the engine's
// questionnaire answers it — the same assessment (Item9Assessment), preface, composer, crisis
// lines for the player's locale and their safety plan, and a safety event — but outside any
// story, so nothing is added to a session's log.
#pragma once

#include <string>

#include "tta/core/clock.hpp"
#include "tta/engine/engine.hpp"
#include "tta/safety/event_sink.hpp"
#include "tta/server/router.hpp"
#include "tta/store/account_store.hpp"
#include "tta/store/session_store.hpp"
#include "tta/store/therapy_store.hpp"

namespace tta::server {

struct TherapyRouteOptions {
    // Crisis lines when none of the player's characters has a locale.
    std::string default_locale = "en";
};

class TherapyRoutes {
  public:
    // Everything given must outlive the router's use. `accounts` and `therapy` must open
    // personal text (the Sealed* stores): characters' locales, safety plans and check-ins are
    // read through them. `sessions` is read for ownership only.
    TherapyRoutes(engine::Engine& engine, store::SessionStore& sessions,
                  store::AccountStore& accounts, store::TherapyStore& therapy, const Clock& clock,
                  TherapyRouteOptions options = {});

    // Where the safety events of PHQ-9 item 9 go (the engine's sink); call before serving.
    void SetSafetyEventSink(safety::SafetyEventSink* sink) { safety_sink_ = sink; }
    void AddTo(Router& router);

  private:
    Response ListMood(Request& req);
    Response RecordMood(Request& req);
    Response RecordSessionMood(Request& req);
    Response ListMeasures(Request& req);
    Response RecordMeasure(Request& req);
    Response ListJournal(Request& req);
    Response WriteJournal(Request& req);
    Response Progress(Request& req);
    Response ListPractices(Request& req);
    Response ListDecisions(Request& req);
    Response ListSummaries(Request& req);

    // The caller's session, or 404 whether it is missing or someone else's.
    Result<store::Session> Owned(const Request& req, std::string_view id);
    // The locale for the player's crisis lines: that of the character of their latest session,
    // else of their most recently changed character that has one, else the default.
    std::string LocaleOf(const std::string& user_id);

    engine::Engine& engine_;
    store::SessionStore& sessions_;
    store::AccountStore& accounts_;
    store::TherapyStore& therapy_;
    const Clock& clock_;
    const TherapyRouteOptions options_;
    safety::SafetyEventSink* safety_sink_ = nullptr;
};

}  // namespace tta::server
