#include "tta/narrative/model/chat.hpp"

#include <boost/json.hpp>

#include "tta/core/utf8.hpp"

namespace tta::narrative::model {
namespace json = boost::json;

std::string_view TaskName(Task task) {
    switch (task) {
        case Task::kNarration:
            return "narration";
        case Task::kDialogue:
            return "dialogue";
        case Task::kSummary:
            return "summary";
    }
    return "narration";
}

std::optional<Task> ParseTask(std::string_view name) {
    for (auto t : {Task::kNarration, Task::kDialogue, Task::kSummary}) {
        if (TaskName(t) == name) return t;
    }
    return std::nullopt;
}

std::string EncodeChatRequest(const ChatRequest& request) {
    json::array messages;
    for (const auto& m : request.messages) {
        messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
    }
    json::object body{{"model", request.model},
                      {"messages", std::move(messages)},
                      {"stream", true},
                      {"stream_options", json::object{{"include_usage", true}}},
                      {"max_tokens", request.max_tokens},
                      {"temperature", request.temperature}};
    return json::serialize(body);
}

namespace {

std::int64_t IntOf(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    return 0;
}

}  // namespace

Result<Chunk> ParseChunk(std::string_view data) {
    Chunk chunk;
    if (data == "[DONE]") {
        chunk.done = true;
        return chunk;
    }
    json::error_code ec;
    const json::value v = json::parse(data, ec);
    if (ec || !v.is_object()) return Error::Unavailable("malformed chunk: not a JSON object");
    const auto& o = v.as_object();
    if (const auto* err = o.if_contains("error")) {
        if (err->is_object()) {
            const auto* m = err->as_object().if_contains("message");
            chunk.error = m && m->is_string() ? std::string(m->as_string()) : "error";
        } else if (err->is_string()) {
            chunk.error = std::string(err->as_string());
        } else {
            chunk.error = "error";
        }
        return chunk;
    }
    const auto* choices = o.if_contains("choices");
    const auto* usage = o.if_contains("usage");
    if (choices == nullptr && usage == nullptr) {
        return Error::Unavailable("malformed chunk: neither choices nor usage");
    }
    if (choices != nullptr) {
        if (!choices->is_array()) return Error::Unavailable("malformed chunk: choices");
        for (const auto& c : choices->as_array()) {
            if (!c.is_object()) return Error::Unavailable("malformed chunk: choice");
            const auto& choice = c.as_object();
            if (const auto* index = choice.if_contains("index");
                index != nullptr && index->is_int64() && index->as_int64() != 0) {
                continue;  // only the first choice is ever asked for
            }
            if (const auto* delta = choice.if_contains("delta"); delta && delta->is_object()) {
                const auto* content = delta->as_object().if_contains("content");
                if (content != nullptr && content->is_string()) {
                    chunk.content = std::string(content->as_string());
                } else if (content != nullptr && !content->is_null()) {
                    return Error::Unavailable("malformed chunk: content is not text");
                }
            }
            if (const auto* fr = choice.if_contains("finish_reason"); fr && fr->is_string()) {
                chunk.finish_reason = std::string(fr->as_string());
            }
        }
    }
    if (usage != nullptr && usage->is_object()) {
        chunk.usage = Usage{IntOf(usage->as_object(), "prompt_tokens"),
                            IntOf(usage->as_object(), "completion_tokens")};
    }
    return chunk;
}

void SseDecoder::Feed(std::string_view bytes, std::vector<std::string>& out) {
    for (char c : bytes) {
        if (last_cr_) {
            last_cr_ = false;
            if (c == '\n') continue;  // the LF of a CRLF
        }
        if (c == '\r' || c == '\n') {
            last_cr_ = c == '\r';
            Line(line_, out);
            line_.clear();
        } else {
            line_ += c;
        }
    }
}

void SseDecoder::Line(std::string_view line, std::vector<std::string>& out) {
    if (line.empty()) {  // a blank line dispatches the event
        if (has_data_) out.push_back(std::move(data_));
        data_.clear();
        has_data_ = false;
        return;
    }
    if (line.front() == ':') return;  // a comment (keep-alive)
    const auto colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field != "data") return;  // event, id, retry: nothing a completion stream needs
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
}

namespace {

// Bytes at the end of s that begin a code point whose remaining bytes have not arrived.
std::size_t IncompleteTail(std::string_view s) {
    for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
        const auto b = static_cast<unsigned char>(s[s.size() - back]);
        if ((b & 0xC0) == 0x80) continue;  // a continuation byte: look further back
        const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

}  // namespace

std::string Utf8Joiner::Push(std::string_view bytes) {
    held_.append(bytes);
    const std::size_t tail = IncompleteTail(held_);
    std::string out = SanitizeUtf8(std::string_view(held_).substr(0, held_.size() - tail));
    held_.erase(0, held_.size() - tail);
    return out;
}

std::string Utf8Joiner::Flush() {
    std::string out = SanitizeUtf8(held_);
    held_.clear();
    return out;
}

}  // namespace tta::narrative::model
