// tta::narrative::model — language models in the narrative stage (docs/models.md): an
// OpenAI-compatible streaming client, providers from config, a router with a breaker per
// provider and a retry budget, a performance monitor, grounded prompts, validation of what
// comes back, and ModelNarrator, which puts them together behind NarrativeStage with the
// authored narrator as its fallback for every failure.
//
// This header: the wire format of `POST /v1/chat/completions` with `"stream": true`, without
// any networking — request JSON, the `text/event-stream` framing of the reply (WHATWG HTML,
// "Server-sent events"), the JSON of each chunk, and UTF-8-safe splitting of streamed text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"

namespace tta::narrative::model {

// What a provider is asked to write; providers list the tasks they serve.
enum class Task { kNarration, kDialogue, kSummary };
std::string_view TaskName(Task task);
std::optional<Task> ParseTask(std::string_view name);

struct ChatMessage {
    std::string role;  // system, user, assistant
    std::string content;
};

struct ChatRequest {
    std::string model;
    std::vector<ChatMessage> messages;
    int max_tokens = 400;
    double temperature = 0.7;
};

// The request body, with "stream": true and usage requested in the last chunk.
std::string EncodeChatRequest(const ChatRequest& request);

struct Usage {
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
};

// What one `data:` payload said.
struct Chunk {
    std::string content;         // the delta's text (may be empty)
    std::string finish_reason;   // set on the last content chunk
    std::optional<Usage> usage;  // usually only on the final chunk
    std::string error;           // a provider's in-stream {"error": ...}
    bool done = false;           // the `[DONE]` sentinel
};

// Parses one event's data. A payload that is not the JSON of a chunk is an error
// (malformed stream): the caller abandons the attempt.
Result<Chunk> ParseChunk(std::string_view data);

// Splits a byte stream into server-sent events and returns each event's data (its `data:`
// lines joined by newlines). Lines end with LF, CR or CRLF; comments and other fields are
// skipped; an event without data dispatches nothing. Feed bytes as they arrive.
class SseDecoder {
  public:
    // Appends the data of every event completed by `bytes` to `out`.
    void Feed(std::string_view bytes, std::vector<std::string>& out);
    // Bytes held for an unfinished line or event; a bound against a stream that never ends
    // a line.
    std::size_t Pending() const { return line_.size() + data_.size(); }

  private:
    void Line(std::string_view line, std::vector<std::string>& out);
    std::string line_;
    std::string data_;
    bool has_data_ = false;
    bool last_cr_ = false;
};

// Holds back the bytes of a code point split across chunks, so that what is forwarded is
// always whole UTF-8 (a provider may cut a chunk anywhere; some do, mid-character).
class Utf8Joiner {
  public:
    // The longest valid prefix of what is held plus `bytes`; the rest waits for the next call.
    // Invalid sequences are replaced (SanitizeUtf8) rather than held forever.
    std::string Push(std::string_view bytes);
    // Whatever is left at the end of the stream, sanitised.
    std::string Flush();

  private:
    std::string held_;
};

}  // namespace tta::narrative::model
