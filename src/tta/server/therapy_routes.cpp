#include "tta/server/therapy_routes.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>
#include <limits>
#include <optional>
#include <vector>

#include "tta/engine/safety_records.hpp"
#include "tta/engine/therapy_dialog.hpp"
#include "tta/engine/therapy_layer.hpp"
#include "tta/safety/response.hpp"
#include "tta/server/character_routes.hpp"
#include "tta/server/route_helpers.hpp"
#include "tta/therapy/json.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxId = 64;
// Off the story there is no "continue": the crisis message ends by leaving the way back open.
constexpr const char* kReturnHint = "carry on whenever you are ready";


Error NoRecords() { return Error::Unavailable("therapy records are not kept on this server"); }

// ?limit&before_id&session_id, as store::RecordQuery takes them.
Result<store::RecordQuery> ListQuery(const Request& req) {
    store::RecordQuery q;
    auto limit = QueryNumber(req, "limit", 1, kMaxListLimit, kDefaultListLimit);
    if (!limit) return limit.error();
    q.limit = static_cast<std::size_t>(*limit);
    auto before = QueryNumber(req, "before_id", 1, std::numeric_limits<std::int64_t>::max(), 0);
    if (!before) return before.error();
    q.before_id = *before;
    if (auto session = req.Query("session_id")) {
        if (session->empty() || session->size() > kMaxId) {
            return Error::Invalid("session_id must be a session id (1 to 64 characters)");
        }
        q.session_id = std::move(*session);
    }
    return q;
}

// Kinds of a record as the API lists them.
json::value ToJsonValue(const engine::JournalEntry& e) { return engine::ToJson(e); }
json::value ToJsonValue(const engine::MeasureResult& r) { return engine::ToJson(r); }
json::value ToJsonValue(const engine::Practice& p) { return engine::ToJson(p); }
json::value ToJsonValue(const store::PlannerRecord& d) { return engine::ToJson(d); }
json::value ToJsonValue(const therapy::SessionSummary& s) { return json::value_from(s); }

template <typename T>
Response ListOf(std::string_view key, const Result<std::vector<T>>& records) {
    if (!records) return records.error();
    json::array out;
    out.reserve(records->size());
    for (const T& r : *records) out.push_back(ToJsonValue(r));
    return Response::Json(200, json::object{{key, std::move(out)}});
}

// A check-in as the routes answer with it: the therapy module's JSON plus where it was made.
json::value CheckInJson(const therapy::MoodCheckIn& c, std::string_view session_id) {
    json::value v = json::value_from(c);
    v.as_object()["session_id"] = session_id;
    return v;
}

// A stored check-in with its id. TherapyService::CheckIns gives check-ins without their ids,
// which a client needs to page back, so the list reads the (sealed) store itself.
Result<json::value> StoredCheckInJson(const store::CheckInRecord& r) {
    auto c = engine::CheckInFromRecord(r);
    if (!c) return c.error();
    json::value v = CheckInJson(*c, r.header.session_id);
    v.as_object()["id"] = r.header.id;
    return v;
}

// {score, feelings?, mode?}: the check-in as given, before the catalogue normalises its words.
Result<therapy::MoodCheckIn> CheckInFromBody(const Request& req) {
    auto body = req.JsonObject();
    if (!body) return body.error();
    if (auto known = OnlyKnownFields(*body, {"score", "feelings", "mode"}); !known) {
        return known.error();
    }
    therapy::MoodCheckIn c;
    c.mode = therapy::CheckInMode::kOutOfCharacter;
    const json::value* score = body->if_contains("score");
    if (score == nullptr) return Error::Invalid("score is required (0 worst to 10 best)");
    if (!score->is_int64() || score->as_int64() < therapy::kMinMood ||
        score->as_int64() > therapy::kMaxMood) {
        return Error::Invalid("score must be a whole number from 0 (worst) to 10 (best)");
    }
    c.score = static_cast<int>(score->as_int64());
    if (const json::value* feelings = body->if_contains("feelings");
        feelings != nullptr && !feelings->is_null()) {
        if (!feelings->is_array()) return Error::Invalid("feelings must be a list of words");
        for (const json::value& w : feelings->as_array()) {
            if (!w.is_string()) return Error::Invalid("feelings must be a list of words");
            c.feelings.emplace_back(w.as_string());
        }
    }
    auto mode = OptionalString(*body, "mode", 32);
    if (!mode) return mode.error();
    if (*mode) {
        auto parsed = therapy::ParseCheckInMode(**mode);
        if (!parsed) return Error::Invalid("mode must be in_story or out_of_character");
        c.mode = *parsed;
    }
    return c;
}

// The score was checked before the service saw it, so what it refuses is a feeling word.
Error FeelingsError(const Error& e) {
    if (e.code != ErrorCode::kInvalid) return e;
    return Error::Invalid("feelings: " + e.message);
}

// {answers: [0..3, ...]} as whole numbers; the scorer checks how many and their range.
Result<std::vector<int>> AnswersFromBody(const Request& req) {
    auto body = req.JsonObject();
    if (!body) return body.error();
    if (auto known = OnlyKnownFields(*body, {"answers"}); !known) return known.error();
    const json::value* answers = body->if_contains("answers");
    if (answers == nullptr) return Error::Invalid("answers is required: a list of 0 to 3");
    if (!answers->is_array()) return Error::Invalid("answers must be a list of 0 to 3");
    std::vector<int> out;
    for (std::size_t i = 0; i < answers->as_array().size(); ++i) {
        const json::value& a = answers->as_array()[i];
        if (!a.is_int64() || a.as_int64() < 0 || a.as_int64() > 3) {
            return Error::Invalid("answers[" + std::to_string(i) +
                                  "] must be 0, 1, 2 or 3 (not at all ... nearly every day)");
        }
        out.push_back(static_cast<int>(a.as_int64()));
    }
    return out;
}

}  // namespace

TherapyRoutes::TherapyRoutes(engine::Engine& engine, store::SessionStore& sessions,
                             store::AccountStore& accounts, store::TherapyStore& therapy,
                             const Clock& clock, TherapyRouteOptions options)
    : engine_(engine),
      sessions_(sessions),
      accounts_(accounts),
      therapy_(therapy),
      clock_(clock),
      options_(std::move(options)) {}

void TherapyRoutes::AddTo(Router& router) {
    RouteOptions options;
    options.authenticated = true;
    options.blocking = true;
    const auto add = [&](Method method, std::string_view pattern,
                         Response (TherapyRoutes::*handler)(Request&)) {
        router.Add(
            method, pattern, [this, handler](Request& r) { return (this->*handler)(r); }, options);
    };
    add(Method::kGet, "/v1/me/mood", &TherapyRoutes::ListMood);
    add(Method::kPost, "/v1/me/mood", &TherapyRoutes::RecordMood);
    add(Method::kPost, "/v1/sessions/{id}/mood", &TherapyRoutes::RecordSessionMood);
    add(Method::kGet, "/v1/me/measures", &TherapyRoutes::ListMeasures);
    add(Method::kPost, "/v1/me/measures/{measure}", &TherapyRoutes::RecordMeasure);
    add(Method::kGet, "/v1/me/journal", &TherapyRoutes::ListJournal);
    add(Method::kPost, "/v1/me/journal", &TherapyRoutes::WriteJournal);
    add(Method::kGet, "/v1/me/progress", &TherapyRoutes::Progress);
    add(Method::kGet, "/v1/me/practices", &TherapyRoutes::ListPractices);
    add(Method::kGet, "/v1/me/planner", &TherapyRoutes::ListDecisions);
    add(Method::kGet, "/v1/me/summaries", &TherapyRoutes::ListSummaries);
}

Result<store::Session> TherapyRoutes::Owned(const Request& req, std::string_view id) {
    return OwnedSession(sessions_, req, id);
}

std::string TherapyRoutes::LocaleOf(const std::string& user_id) {
    const auto locale_of = [&](const store::Character& c) -> std::optional<std::string> {
        if (c.owner_user_id != user_id) return std::nullopt;
        return ReadCharacterPersonal(c).locale;
    };
    if (auto latest = sessions_.ListSessions(user_id, 1); latest && !latest->empty()) {
        if (auto c = accounts_.GetCharacter(latest->front().character_id)) {
            if (auto locale = locale_of(*c)) return *locale;
        }
    }
    if (auto characters = accounts_.ListCharacters(user_id)) {
        std::sort(characters->begin(), characters->end(),
                  [](const store::Character& a, const store::Character& b) {
                      return a.updated_ms > b.updated_ms;
                  });
        for (const store::Character& c : *characters) {
            if (auto locale = locale_of(c)) return *locale;
        }
    }
    return options_.default_locale;
}

Response TherapyRoutes::ListMood(Request& req) {
    auto query = ListQuery(req);
    if (!query) return query.error();
    auto records = therapy_.ListCheckIns(req.principal->user_id, *query);
    if (!records) return records.error();
    json::array out;
    out.reserve(records->size());
    for (const store::CheckInRecord& r : *records) {
        auto v = StoredCheckInJson(r);
        if (!v) return v.error();
        out.push_back(std::move(*v));
    }
    return Response::Json(200, json::object{{"check_ins", std::move(out)}});
}

Response TherapyRoutes::RecordMood(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto given = CheckInFromBody(req);
    if (!given) return given.error();
    auto recorded = service->RecordCheckIn({req.principal->user_id, "", 0}, std::move(*given));
    if (!recorded) return FeelingsError(recorded.error());
    return Response::Json(201, CheckInJson(*recorded, ""));
}

Response TherapyRoutes::RecordSessionMood(Request& req) {
    auto given = CheckInFromBody(req);
    if (!given) return given.error();
    const std::string id(req.Param("id"));
    auto session = Owned(req, id);
    if (!session) return session.error();
    auto recorded = engine_.RecordCheckIn(id, std::move(*given));
    if (!recorded) return FeelingsError(recorded.error());
    return Response::Json(201, CheckInJson(*recorded, id));
}

Response TherapyRoutes::ListMeasures(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto query = ListQuery(req);
    if (!query) return query.error();
    return ListOf("results", service->MeasureResults(req.principal->user_id, *query));
}

// Scored before anything is written, so that the safety response for PHQ-9 item 9 never waits
// on the store: when the result cannot be kept, the crisis lines are still given (200 with
// "recorded": false); otherwise 201 with the stored result.
Response TherapyRoutes::RecordMeasure(Request& req) {
    const std::string name(req.Param("measure"));
    auto measure = therapy::ParseMeasureId(name);
    if (!measure) {
        return Error::NotFound("no questionnaire '" + name + "'; there are phq9 and gad7");
    }
    auto answers = AnswersFromBody(req);
    if (!answers) return answers.error();
    auto score = therapy::Score(*measure, *answers);
    if (!score) return Error::Invalid("answers: " + score.error().message);

    const std::string& user = req.principal->user_id;
    std::optional<safety::CrisisResponse> crisis;
    if (score->item9_flag) {
        // As the engine's questionnaire does (Engine::Crisis), without a story to step out of.
        const safety::Assessment assessment = engine::Item9Assessment();
        safety::ComposeOptions compose;
        compose.locale = LocaleOf(user);
        compose.return_hint = kReturnHint;
        const std::optional<safety::SafetyPlan> plan = engine::LoadSafetyPlan(accounts_, user);
        compose.plan = plan ? &*plan : nullptr;
        crisis = safety::ResponseComposer::Embedded().Compose(assessment, compose);
        crisis->message = engine::Item9Preface(*score) + "\n\n" + crisis->message;
        if (safety_sink_ != nullptr) {
            safety::SafetyEvent event =
                safety::MakeSafetyEvent(assessment, "", user, 0, clock_.Now());
            event.locale = compose.locale;
            event.stepped_out = true;
            event.plan_shown = crisis->plan_shown;
            (void)safety_sink_->Record(event);  // a sink's failures are its own to count
        }
    }

    engine::TherapyService* service = engine_.Therapy();
    Result<engine::MeasureResult> recorded =
        service != nullptr ? service->RecordMeasure({user, "", 0}, *measure, *answers)
                           : Result<engine::MeasureResult>(NoRecords());
    json::value out;
    if (recorded) {
        out = engine::ToJson(*recorded);
    } else if (crisis) {
        out = engine::ToJson(engine::MeasureResult{0, "", clock_.NowMillis(), *score});
        out.as_object().erase("id");
        out.as_object()["recorded"] = false;
    } else {
        return recorded.error();
    }
    if (crisis) {
        json::error_code ec;
        out.as_object()["crisis"] = json::parse(safety::CrisisResponseToJson(*crisis), ec);
    }
    return Response::Json(recorded ? 201 : 200, out);
}

Response TherapyRoutes::ListJournal(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto query = ListQuery(req);
    if (!query) return query.error();
    return ListOf("entries", service->Journal(req.principal->user_id, *query));
}

Response TherapyRoutes::WriteJournal(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto body = req.JsonObject();
    if (!body) return body.error();
    if (auto known = OnlyKnownFields(*body, {"text"}); !known) return known.error();
    const json::value* text = body->if_contains("text");
    if (text == nullptr || !text->is_string()) return Error::Invalid("text is required: the entry");
    // The service would cut a longer entry; over HTTP the client is told instead.
    if (text->as_string().size() > engine::TherapyService::kMaxJournalBytes) {
        return Error::Invalid("text must be at most " +
                              std::to_string(engine::TherapyService::kMaxJournalBytes) + " bytes");
    }
    auto entry = service->WriteJournal({req.principal->user_id, "", 0}, text->as_string());
    if (!entry) {
        if (entry.error().code == ErrorCode::kInvalid) {
            return Error::Invalid("text: " + entry.error().message);
        }
        return entry.error();
    }
    return Response::Json(201, engine::ToJson(*entry));
}

Response TherapyRoutes::Progress(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    std::optional<std::string> session_id = req.Query("session_id");
    if (session_id) {
        if (auto session = Owned(req, *session_id); !session) return session.error();
    }
    auto report = service->Progress(req.principal->user_id);
    if (!report) return report.error();
    json::value out = engine::ToJson(*report);
    out.as_object()["text"] = engine::DescribeProgress(*report, service->Catalogue());
    if (session_id) {
        auto sitting = engine_.SittingSoFar(*session_id);
        if (!sitting) return sitting.error();
        out.as_object()["sitting"] = *sitting ? json::value_from(**sitting) : json::value(nullptr);
    }
    return Response::Json(200, out);
}

Response TherapyRoutes::ListPractices(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto query = ListQuery(req);
    if (!query) return query.error();
    return ListOf("practices", service->Practices(req.principal->user_id, *query));
}

Response TherapyRoutes::ListDecisions(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto query = ListQuery(req);
    if (!query) return query.error();
    return ListOf("decisions", service->Decisions(req.principal->user_id, *query));
}

Response TherapyRoutes::ListSummaries(Request& req) {
    engine::TherapyService* service = engine_.Therapy();
    if (service == nullptr) return NoRecords();
    auto query = ListQuery(req);
    if (!query) return query.error();
    return ListOf("summaries", service->SessionSummaries(req.principal->user_id, *query));
}

}  // namespace tta::server
