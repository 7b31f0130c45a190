#include "tta/server/session_events.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <functional>

#include "tta/safety/response.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

std::string StringAt(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

template <typename T>
std::optional<T> Number(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    T n{};
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || ptr != s.data() + s.size() || n < 0) return std::nullopt;
    return n;
}

}  // namespace

TurnView ViewOfReply(const engine::TurnReply& reply, std::int64_t parent, bool new_turn) {
    TurnView v;
    v.number = reply.seq;
    v.parent = new_turn ? parent : 0;
    v.recorded = new_turn;
    v.kind = reply.kind;
    v.narrative = reply.text;
    v.choices = reply.choices;
    v.safety_level = reply.safety_level;
    v.ended = reply.ended;
    v.ending = reply.ending;
    if (reply.crisis) {
        json::error_code ec;
        json::value crisis = json::parse(safety::CrisisResponseToJson(*reply.crisis), ec);
        if (!ec) v.crisis = std::move(crisis);
    }
    v.summary = reply.summary_text;
    return v;
}

TurnView ViewOfStoredTurn(const store::Turn& turn) {
    TurnView v;
    v.number = turn.seq;
    v.parent = turn.parent_seq;
    v.recorded = true;
    v.safety_level = turn.safety_level.empty() ? "none" : turn.safety_level;
    json::error_code ec;
    json::value body = json::parse(turn.body, ec);
    if (ec || !body.is_object()) {
        v.kind = "unreadable";
        return v;
    }
    const json::object& o = body.as_object();
    v.kind = StringAt(o, "kind");
    v.narrative = StringAt(o, "text");
    if (const json::value* choices = o.if_contains("choices"); choices && choices->is_array()) {
        for (const json::value& c : choices->as_array()) {
            if (c.is_string()) v.choices.emplace_back(c.as_string());
        }
    }
    if (const json::value* effects = o.if_contains("effects"); effects && effects->is_array()) {
        for (const json::value& e : effects->as_array()) {
            if (e.is_object() && StringAt(e.as_object(), "kind") == "ending_reached") {
                v.ended = true;
                v.ending = StringAt(e.as_object(), "subject");
            }
        }
    }
    if (const json::value* crisis = o.if_contains("crisis"); crisis && crisis->is_object()) {
        v.crisis = *crisis;
    }
    return v;
}

json::object TurnJson(const TurnView& v) {
    json::object o;
    o["number"] = v.number;
    o["parent"] = v.parent;
    o["recorded"] = v.recorded;
    o["kind"] = v.kind;
    o["narrative"] = v.narrative;
    json::array choices;
    for (std::size_t i = 0; i < v.choices.size(); ++i) {
        choices.push_back(json::object{{"number", i + 1}, {"text", v.choices[i]}});
    }
    o["choices"] = std::move(choices);
    o["safety_level"] = v.safety_level;
    o["ended"] = v.ended;
    o["ending"] = v.ending.empty() ? json::value(nullptr) : json::value(v.ending);
    if (v.crisis) o["crisis"] = *v.crisis;
    if (!v.summary.empty()) o["summary"] = v.summary;
    return o;
}

std::vector<std::string> NarrativeChunks(std::string_view narrative) {
    std::vector<std::string> chunks;
    while (!narrative.empty()) {
        const auto end = narrative.find("\n\n");
        std::string_view part = narrative.substr(0, end);
        const auto first = part.find_first_not_of(" \t\r\n");
        if (first != std::string_view::npos) {
            const auto last = part.find_last_not_of(" \t\r\n");
            chunks.emplace_back(part.substr(first, last - first + 1));
        }
        if (end == std::string_view::npos) break;
        narrative.remove_prefix(end + 2);
    }
    return chunks;
}

std::vector<SseEvent> TurnEvents(const TurnView& view, std::size_t first_chunk) {
    const std::vector<std::string> chunks = NarrativeChunks(view.narrative);
    std::vector<SseEvent> events;
    events.reserve(chunks.size() + 1);
    const std::string seq = std::to_string(view.number);
    for (std::size_t i = first_chunk; i < chunks.size(); ++i) {
        SseEvent e;
        if (view.recorded) e.id = seq + "." + std::to_string(i);
        e.event = "narrative";
        e.data = json::serialize(
            json::object{{"number", view.number}, {"index", i}, {"text", chunks[i]}});
        events.push_back(std::move(e));
    }
    SseEvent done;
    if (view.recorded) done.id = seq;
    done.event = "turn";
    done.data = json::serialize(TurnJson(view));
    events.push_back(std::move(done));
    return events;
}

SseEvent DraftEvent(std::int64_t number, const narrative::NarrationChunk& chunk) {
    SseEvent e;
    if (chunk.kind == narrative::NarrationChunk::Kind::kRestart) {
        e.event = "draft_restart";
        e.data = json::serialize(json::object{{"number", number}});
    } else {
        e.event = "draft";
        e.data = json::serialize(json::object{{"number", number}, {"text", chunk.text}});
    }
    return e;
}

std::optional<EventPosition> ParseEventId(std::string_view id) {
    EventPosition p;
    const auto dot = id.find('.');
    auto seq = Number<std::int64_t>(id.substr(0, dot));
    if (!seq) return std::nullopt;
    p.seq = *seq;
    if (dot != std::string_view::npos) {
        auto chunk = Number<std::size_t>(id.substr(dot + 1));
        if (!chunk) return std::nullopt;
        p.chunk = *chunk;
    }
    return p;
}

// --- SessionEvents ---

SessionEvents::Shard& SessionEvents::ShardFor(const std::string& session_id) {
    return shards_[std::hash<std::string>()(session_id) % shards_.size()];
}

std::shared_ptr<SessionEvents::Subscriber> SessionEvents::Subscribe(const std::string& session_id) {
    auto sub = std::make_shared<Subscriber>(*this, session_id);
    Shard& shard = ShardFor(session_id);
    std::lock_guard lock(shard.mu);
    auto& list = shard.subs[session_id];
    std::erase_if(list, [](const std::weak_ptr<Subscriber>& w) { return w.expired(); });
    list.push_back(sub);
    return sub;
}

void SessionEvents::Remove(const std::string& session_id, const Subscriber* sub) {
    Shard& shard = ShardFor(session_id);
    std::lock_guard lock(shard.mu);
    auto it = shard.subs.find(session_id);
    if (it == shard.subs.end()) return;
    std::erase_if(it->second, [sub](const std::weak_ptr<Subscriber>& w) {
        auto s = w.lock();
        return !s || s.get() == sub;
    });
    if (it->second.empty()) shard.subs.erase(it);
}

bool SessionEvents::HasSubscribers(const std::string& session_id) {
    Shard& shard = ShardFor(session_id);
    std::lock_guard lock(shard.mu);
    auto it = shard.subs.find(session_id);
    if (it == shard.subs.end()) return false;
    // Subscriptions whose stream never opened expire without a word; tidy them here.
    std::erase_if(it->second, [](const std::weak_ptr<Subscriber>& w) { return w.expired(); });
    if (!it->second.empty()) return true;
    shard.subs.erase(it);
    return false;
}

std::size_t SessionEvents::Count() {
    std::size_t n = 0;
    for (Shard& shard : shards_) {
        std::lock_guard lock(shard.mu);
        for (const auto& [id, list] : shard.subs) {
            for (const auto& w : list) n += w.expired() ? 0 : 1;
        }
    }
    return n;
}

void SessionEvents::Publish(const std::string& session_id, const std::vector<SseEvent>& events,
                            std::int64_t seq) {
    std::vector<std::shared_ptr<Subscriber>> targets;
    {
        Shard& shard = ShardFor(session_id);
        std::lock_guard lock(shard.mu);
        auto it = shard.subs.find(session_id);
        if (it == shard.subs.end()) return;
        for (const auto& w : it->second) {
            if (auto s = w.lock()) targets.push_back(std::move(s));
        }
    }
    for (const auto& sub : targets) sub->Deliver(events, seq);
}

void SessionEvents::Subscriber::Deliver(const std::vector<SseEvent>& events, std::int64_t seq) {
    std::lock_guard lock(mu_);
    if (detached_) return;
    if (!stream_) {
        pending_.emplace_back(seq, events);
        return;
    }
    for (const auto& e : events) {
        if (!stream_->Send(e)) break;  // closed: its OnClose removes this subscription
    }
}

void SessionEvents::Subscriber::Attach(std::shared_ptr<EventStream> stream,
                                       const std::vector<SseEvent>& replay,
                                       std::int64_t replayed_through, bool close_after) {
    {
        std::lock_guard lock(mu_);
        for (const auto& e : replay) stream->Send(e);
        if (close_after) {
            detached_ = true;
            pending_.clear();
        } else {
            for (const auto& [seq, events] : pending_) {
                if (seq != 0 && seq <= replayed_through) continue;  // the replay had it
                for (const auto& e : events) stream->Send(e);
            }
            pending_.clear();
            stream_ = stream;
        }
    }
    if (close_after) {
        hub_.Remove(session_id_, this);
        stream->Close();
        return;
    }
    // The stream holds its subscription until it ends; ending breaks the cycle.
    stream->OnClose([self = shared_from_this()] {
        {
            std::lock_guard lock(self->mu_);
            self->detached_ = true;
            self->stream_.reset();
        }
        self->hub_.Remove(self->session_id_, self.get());
    });
}

}  // namespace tta::server
