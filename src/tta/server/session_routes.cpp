#include "tta/server/session_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "tta/engine/therapy_layer.hpp"
#include "tta/engine/therapy_profile.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/response.hpp"
#include "tta/server/route_helpers.hpp"
#include "tta/therapy/content.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxId = 64;
constexpr std::size_t kMaxTitle = 200;

json::object SessionJson(const store::Session& s) {
    json::object o;
    o["id"] = s.id;
    o["world_id"] = s.world_id;
    o["character_id"] = s.character_id;
    o["title"] = s.title;
    o["status"] = store::SessionStatusName(s.status);
    o["head"] = s.head_seq;
    o["last_turn"] = s.last_seq;
    o["created_at"] = Rfc3339(s.created_ms);
    o["updated_at"] = Rfc3339(s.updated_ms);
    return o;
}


}  // namespace

SessionRoutes::SessionRoutes(engine::Engine& engine, store::SessionStore& sessions,
                             store::AccountStore& accounts, const engine::WorldCatalog& worlds,
                             SessionEvents& events, SessionRouteOptions options)
    : engine_(engine),
      sessions_(sessions),
      accounts_(accounts),
      worlds_(worlds),
      events_(events),
      options_(std::move(options)) {}

void SessionRoutes::AddTo(Router& router) {
    RouteOptions options;
    options.authenticated = true;
    options.blocking = true;
    router.Add(Method::kPost, "/v1/sessions", [this](Request& r) { return Create(r); }, options);
    router.Add(Method::kGet, "/v1/sessions", [this](Request& r) { return List(r); }, options);
    router.Add(Method::kGet, "/v1/sessions/{id}", [this](Request& r) { return Get(r); }, options);
    router.Add(
        Method::kPost, "/v1/sessions/{id}/turns", [this](Request& r) { return Turn(r); }, options);
    router.Add(
        Method::kPost, "/v1/sessions/{id}/undo", [this](Request& r) { return Undo(r); }, options);
    router.Add(
        Method::kGet, "/v1/sessions/{id}/events", [this](Request& r) { return Events(r); },
        options);
}

SessionRoutes::TurnLock::TurnLock(SessionRoutes& routes, const std::string& session_id)
    : routes_(routes), session_id_(session_id) {
    {
        std::lock_guard lock(routes_.locks_mu_);
        auto& entry = routes_.turn_locks_[session_id_];
        if (!entry) entry = std::make_unique<TurnLockEntry>();
        ++entry->users;
        entry_ = entry.get();
    }
    entry_->mu.lock();
}

SessionRoutes::TurnLock::~TurnLock() {
    entry_->mu.unlock();
    std::lock_guard lock(routes_.locks_mu_);
    if (--entry_->users == 0) routes_.turn_locks_.erase(session_id_);
}

Result<store::Session> SessionRoutes::Owned(const Request& req) {
    return OwnedSession(sessions_, req, req.Param("id"));
}

void SessionRoutes::Publish(const std::string& session_id, const TurnView& view) {
    if (!events_.HasSubscribers(session_id)) return;
    events_.Publish(session_id, TurnEvents(view), view.recorded ? view.number : 0);
}

namespace {

// The world's content notes that touch the character's topics to avoid, so a client can say so
// before play goes on: [{"note": "...", "topic": "..."}]. The beat planner already keeps scenes
// tagged with those topics away; the notes speak for the rest of the story.
json::array ContentWarnings(const std::vector<std::string>& notes, std::string_view profile) {
    json::array out;
    auto parsed = engine::ParsePlayerProfile(engine::BuiltinCatalogue(), profile);
    if (!parsed) return out;  // a profile that does not read avoids nothing it could name
    for (const auto& c : therapy::ConflictingNotes(notes, parsed->therapy.topics_to_avoid)) {
        out.push_back(json::object{{"note", c.note}, {"topic", c.topic}});
    }
    return out;
}

}  // namespace

Response SessionRoutes::Create(Request& req) {
    auto body = req.JsonObject();
    if (!body) return body.error();
    if (auto known = OnlyKnownFields(*body, {"character_id", "world_id", "title"}); !known) {
        return known.error();
    }
    auto character_id = RequiredString(*body, "character_id", kMaxId);
    if (!character_id) return character_id.error();
    auto world_id = RequiredString(*body, "world_id", kMaxId);
    if (!world_id) return world_id.error();
    auto title = OptionalString(*body, "title", kMaxTitle);
    if (!title) return title.error();

    const std::string& user = req.principal->user_id;
    auto character = accounts_.GetCharacter(*character_id);
    if (!character && character.error().code != ErrorCode::kNotFound) return character.error();
    if (!character || character->owner_user_id != user) {
        return Error::NotFound("no character '" + *character_id + "'");
    }
    const auto world = worlds_.Find(*world_id);
    if (!world) return Error::NotFound("no world '" + *world_id + "'");

    engine::NewSession spec;
    spec.id = NewId();
    spec.owner_user_id = user;
    spec.character_id = *character_id;
    spec.world_id = *world_id;
    if (*title) spec.title = std::move(**title);
    auto reply = engine_.Start(spec);
    if (!reply) return reply.error();
    auto session = sessions_.GetSession(reply->session_id);
    if (!session) return session.error();
    json::object out = SessionJson(*session);
    out["turn"] = TurnJson(ViewOfReply(*reply, 0, true));
    out["content_warnings"] = ContentWarnings(world->pack->meta.content_notes, character->profile);
    return Response::Json(201, out).WithHeader("Location", "/v1/sessions/" + session->id);
}

Response SessionRoutes::List(Request& req) {
    auto limit = QueryNumber(req, "limit", 1, kMaxListLimit, kDefaultListLimit);
    if (!limit) return limit.error();
    auto list = sessions_.ListSessions(req.principal->user_id, static_cast<std::size_t>(*limit));
    if (!list) return list.error();
    json::array out;
    for (const auto& s : *list) out.push_back(SessionJson(s));
    return Response::Json(200, json::object{{"sessions", std::move(out)}});
}

Response SessionRoutes::Get(Request& req) {
    auto session = Owned(req);
    if (!session) return session.error();
    json::object out = SessionJson(*session);
    out["turn"] = nullptr;
    if (session->head_seq > 0) {
        auto head = sessions_.GetTurn(session->id, session->head_seq);
        if (!head) return head.error();
        out["turn"] = TurnJson(ViewOfStoredTurn(*head));
    }
    return Response::Json(200, out);
}

Response SessionRoutes::CrisisWithoutStore(const Error& store_error, std::string_view text) const {
    const safety::Assessment assessment = safety::InputGate::Embedded().Classify(text);
    if (!safety::IsCrisis(assessment.level)) return store_error;
    safety::ComposeOptions compose;
    compose.locale = options_.default_locale;
    const safety::CrisisResponse response =
        safety::ResponseComposer::Embedded().Compose(assessment, compose);
    TurnView view;
    view.kind = "crisis";
    view.narrative = response.message;
    view.safety_level = std::string(safety::LevelName(assessment.level));
    json::error_code ec;
    json::value crisis = json::parse(safety::CrisisResponseToJson(response), ec);
    if (!ec) view.crisis = std::move(crisis);
    return Response::Json(200, TurnJson(view));
}

Response SessionRoutes::Turn(Request& req) {
    auto body = req.JsonObject();
    if (!body) return body.error();
    if (auto known = OnlyKnownFields(*body, {"text", "choice"}); !known) return known.error();
    const json::value* text_value = body->if_contains("text");
    const json::value* choice_value = body->if_contains("choice");
    if ((text_value != nullptr) == (choice_value != nullptr)) {
        return Error::Invalid("send either text or choice");
    }
    std::string text;
    if (text_value != nullptr) {
        auto t = RequiredString(*body, "text", options_.max_input_chars);
        if (!t) return t.error();
        text = std::move(*t);
    } else {
        if (!choice_value->is_int64() || choice_value->as_int64() < 1 ||
            choice_value->as_int64() > 99) {
            return Error::Invalid("choice must be a whole number from 1 to 99");
        }
        text = std::to_string(choice_value->as_int64());
    }

    const std::string id(req.Param("id"));
    TurnLock turn_lock(*this, id);
    auto session = sessions_.GetSession(id);
    if (!session) {
        if (session.error().code == ErrorCode::kNotFound) return NoSession(id);
        return CrisisWithoutStore(session.error(), text);
    }
    if (session->owner_user_id != req.principal->user_id) return NoSession(id);
    // While a model writes the turn, its checked sentences go to the session's streams as
    // drafts; the committed turn's own events follow and are what a client keeps.
    engine::PlayOptions options;
    options.cancel = req.cancel;  // the player left: stop waiting on a model
    if (events_.HasSubscribers(id)) {
        options.draft = [this, &id, number = session->head_seq + 1](
                            const narrative::NarrationChunk& chunk) {
            events_.Publish(id, {DraftEvent(number, chunk)}, 0);
        };
    }
    auto reply = engine_.Play(id, text, options);
    if (!reply) {
        if (reply.error().code == ErrorCode::kConflict) {
            return Error::Conflict("the session moved on meanwhile; send the turn again");
        }
        return reply.error();
    }
    const bool new_turn = reply->recorded && reply->seq > session->last_seq;
    const TurnView view = ViewOfReply(*reply, session->head_seq, new_turn);
    Publish(id, view);
    return Response::Json(200, TurnJson(view));
}

Response SessionRoutes::Undo(Request& req) {
    const std::string id(req.Param("id"));
    TurnLock turn_lock(*this, id);
    auto session = Owned(req);
    if (!session) return session.error();
    auto reply = engine_.Undo(id);
    if (!reply) {
        if (reply.error().code == ErrorCode::kConflict) {
            return Error::Conflict("the session moved on meanwhile; try again");
        }
        return reply.error();
    }
    const TurnView view = ViewOfReply(*reply, 0, false);
    Publish(id, view);
    return Response::Json(200, TurnJson(view));
}

Response SessionRoutes::Events(Request& req) {
    std::optional<EventPosition> position;
    std::string last_id(req.Header("last-event-id"));
    if (last_id.empty()) last_id = req.Query("last_event_id").value_or("");
    if (!last_id.empty()) {
        position = ParseEventId(last_id);
        if (!position) return Error::Invalid("Last-Event-ID must be a turn number, e.g. 12 or 12.3");
    }
    const std::string id(req.Param("id"));
    // Subscribe before reading the store: what commits after the read arrives live, what
    // committed before it is in the replay.
    auto subscriber = events_.Subscribe(id);
    auto session = Owned(req);
    if (!session) return session.error();

    std::vector<SseEvent> replay;
    std::int64_t through = 0;
    bool cut_short = false;
    if (position) {
        through = position->seq;
        std::size_t bytes = 0;
        const auto add = [&](std::int64_t seq, std::size_t first_chunk) -> Status {
            auto turn = sessions_.GetTurn(id, seq);
            if (!turn) return turn.error();
            for (auto& e : TurnEvents(ViewOfStoredTurn(*turn), first_chunk)) {
                bytes += e.data.size() + e.id.size() + 32;
                replay.push_back(std::move(e));
            }
            through = seq;
            return Ok();
        };
        if (position->chunk && position->seq >= 1 && position->seq <= session->last_seq) {
            if (auto s = add(position->seq, *position->chunk + 1); !s) return s.error();
        }
        for (std::int64_t seq = position->seq + 1; seq <= session->last_seq; ++seq) {
            if (bytes >= options_.max_replay_bytes) {
                cut_short = true;
                break;
            }
            if (auto s = add(seq, 0); !s) return s.error();
        }
    }
    return Response::Stream(
        [subscriber, replay = std::move(replay), through, cut_short](
            std::shared_ptr<EventStream> stream) {
            subscriber->Attach(std::move(stream), replay, through, cut_short);
        });
}

}  // namespace tta::server
