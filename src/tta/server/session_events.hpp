// tta::server session events: what GET /v1/sessions/{id}/events streams (issue 3), and the
// in-process fan-out that carries each answered turn to the session's open streams.
//
// Every answer to a player's input is sent as its narrative in chunks (event `narrative`, one
// paragraph each) followed by one `turn` event with the whole turn (the JSON POST .../turns
// answers with). A turn that was recorded as a new turn carries ids: `<seq>.<chunk>` on its
// chunks and `<seq>` on its `turn` event, so a client that reconnects with Last-Event-ID
// misses nothing — the handler replays committed turns after that id from the store. Answers
// that change nothing (help, not understood, undo, a crisis reply the store could not record)
// carry no id: they are not in the store, and an event without an id leaves the client's last
// event id as it was (WHATWG HTML, "Server-sent events", §9.2.6). While a model narrates a
// turn, streams also get its checked sentences as id-less `draft` events (DraftEvent) before
// the committed turn's events.
//
// Ordering: the session routes publish a turn while they still hold the session's turn lock,
// so the events of two turns never interleave. A stream subscribes before it reads the store
// for its replay, and events that arrive meanwhile wait until the replay is sent; any of them
// the replay already covered are dropped, so nothing is lost or shown twice.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "tta/engine/engine.hpp"
#include "tta/narrative/narrator.hpp"
#include "tta/server/sse.hpp"
#include "tta/store/session_store.hpp"

namespace tta::server {

// One answer to a player, as the API shows it.
struct TurnView {
    std::int64_t number = 0;  // the turn's seq; for an answer that recorded nothing, the head
    std::int64_t parent = 0;  // the turn it follows (recorded turns)
    bool recorded = false;    // a new turn in the session's log
    std::string kind = "story";
    std::string narrative;
    std::vector<std::string> choices;
    std::string safety_level = "none";
    bool ended = false;
    std::string ending;
    std::optional<boost::json::value> crisis;  // safety::CrisisResponseToJson
    std::string summary;                       // the end-of-sitting summary, when one closed
};

// `parent` is the head the turn was played from; `new_turn` whether a turn was appended.
TurnView ViewOfReply(const engine::TurnReply& reply, std::int64_t parent, bool new_turn);
// A committed turn read back from the store (its body is the engine's JSON).
TurnView ViewOfStoredTurn(const store::Turn& turn);

// {number, parent, recorded, kind, narrative, choices: [{number, text}], safety_level, ended,
//  ending, crisis?, summary?}
boost::json::object TurnJson(const TurnView& view);

// The narrative's chunks: its paragraphs (split at blank lines).
std::vector<std::string> NarrativeChunks(std::string_view narrative);

// The events of one answer: chunks from `first_chunk` on, then the `turn` event. Ids as the
// header comment says.
std::vector<SseEvent> TurnEvents(const TurnView& view, std::size_t first_chunk = 0);

// A draft of turn `number` while a model writes it, without an id (drafts are not replayed):
// `draft` {number, text} appends checked text; `draft_restart` {number} voids what was sent
// (authored text takes over). The turn's own `narrative` and `turn` events follow either way.
SseEvent DraftEvent(std::int64_t number, const narrative::NarrationChunk& chunk);

// A parsed Last-Event-ID: "<seq>" (that turn was seen whole) or "<seq>.<chunk>" (seen up to
// that chunk). nullopt for anything else.
struct EventPosition {
    std::int64_t seq = 0;
    std::optional<std::size_t> chunk;
};
std::optional<EventPosition> ParseEventId(std::string_view id);

class SessionEvents {
  public:
    class Subscriber;

    SessionEvents() = default;
    SessionEvents(const SessionEvents&) = delete;
    SessionEvents& operator=(const SessionEvents&) = delete;

    // A subscription that queues what is published until Attach. Dropping the last reference
    // ends it (so a stream that never opened leaves nothing behind).
    std::shared_ptr<Subscriber> Subscribe(const std::string& session_id);

    // Sends the events to every open stream of the session. `seq` is the recorded turn they
    // belong to, 0 for answers without ids. Cheap when nobody listens: check HasSubscribers
    // before building events.
    void Publish(const std::string& session_id, const std::vector<SseEvent>& events,
                 std::int64_t seq);
    bool HasSubscribers(const std::string& session_id);

    // Open subscriptions in all sessions.
    std::size_t Count();

  private:
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, std::vector<std::weak_ptr<Subscriber>>> subs;
    };
    Shard& ShardFor(const std::string& session_id);
    void Remove(const std::string& session_id, const Subscriber* sub);

    std::array<Shard, 32> shards_;
};

class SessionEvents::Subscriber : public std::enable_shared_from_this<Subscriber> {
  public:
    Subscriber(SessionEvents& hub, std::string session_id)
        : hub_(hub), session_id_(std::move(session_id)) {}

    // Sends `replay`, then whatever was published since Subscribe for turns after
    // `replayed_through` (and every answer without an id), then goes live. With `close_after`
    // the stream ends after the replay instead (it was cut short; the client resumes). Call
    // once, from the stream's on_open.
    void Attach(std::shared_ptr<EventStream> stream, const std::vector<SseEvent>& replay,
                std::int64_t replayed_through, bool close_after);

  private:
    friend class SessionEvents;
    void Deliver(const std::vector<SseEvent>& events, std::int64_t seq);

    SessionEvents& hub_;
    const std::string session_id_;
    std::mutex mu_;
    std::shared_ptr<EventStream> stream_;
    bool detached_ = false;
    std::vector<std::pair<std::int64_t, std::vector<SseEvent>>> pending_;
};

}  // namespace tta::server
