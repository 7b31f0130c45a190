// tta::server event streams: Server-Sent Events as the WHATWG HTML standard defines them
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). A handler answers
// Response::Stream(on_open); the server sends the headers and calls on_open with an
// EventStream that any thread may push events into until it closes.
//
// Framing: each event is `id:`, `event:` and one `data:` line per line of data (CR, LF and
// CRLF all end a line), then a blank line. Idle streams get a comment line (": heartbeat")
// every server.sse_heartbeat so proxies keep them open. A client that reconnects sends the id
// of the last event it saw as Last-Event-ID; LastEventId() gives it to the handler, which
// replays what came after. When the server shuts down it sends `retry:` (server.sse_retry)
// and closes, so clients come back after that delay, to this node or another.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tta::server {

struct SseEvent {
    std::string id;     // may be empty; must not contain CR, LF or NUL
    std::string event;  // the type; empty means "message"; must not contain CR or LF
    std::string data;
};

// The wire form of one event. CR/LF/NUL in id and CR/LF in event are dropped, since the
// format cannot carry them.
std::string FormatSseEvent(const SseEvent& e);
std::string FormatSseComment(std::string_view text);
std::string FormatSseRetry(std::chrono::milliseconds delay);

class EventStream {
  public:
    virtual ~EventStream() = default;

    // Queues an event for sending; thread-safe and non-blocking. Returns false once the
    // stream is closed. A client that falls too far behind (more than the server's
    // per-stream buffer unsent) has its stream closed; it reconnects with Last-Event-ID.
    virtual bool Send(const SseEvent& event) = 0;
    // Ends the stream after what is queued has been sent. Thread-safe, idempotent.
    virtual void Close() = 0;
    virtual bool IsOpen() const = 0;
    // Runs once when the stream has ended for any reason (client gone, Close(), shutdown,
    // slow client), on an arbitrary thread; runs at once if it has already ended.
    virtual void OnClose(std::function<void()> callback) = 0;

    // The Last-Event-ID request header; empty on a first connection.
    virtual const std::string& LastEventId() const = 0;
};

}  // namespace tta::server
