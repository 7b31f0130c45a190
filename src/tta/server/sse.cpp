#include "tta/server/sse.hpp"

namespace tta::server {
namespace {

std::string Strip(std::string_view s, std::string_view bad) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (bad.find(c) == std::string_view::npos) out += c;
    }
    return out;
}

}  // namespace

std::string FormatSseEvent(const SseEvent& e) {
    std::string out;
    out.reserve(e.data.size() + e.id.size() + e.event.size() + 32);
    if (!e.id.empty()) {
        out += "id: ";
        out += Strip(e.id, std::string_view("\r\n\0", 3));
        out += '\n';
    }
    if (!e.event.empty()) {
        out += "event: ";
        out += Strip(e.event, "\r\n");
        out += '\n';
    }
    // One data line per line; CRLF, lone CR and lone LF all end a line.
    std::string_view data = e.data;
    while (true) {
        const auto end = data.find_first_of("\r\n");
        out += "data: ";
        out += data.substr(0, end);
        out += '\n';
        if (end == std::string_view::npos) break;
        const bool crlf = data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n';
        data.remove_prefix(end + (crlf ? 2 : 1));
    }
    out += '\n';
    return out;
}

std::string FormatSseComment(std::string_view text) { return ": " + Strip(text, "\r\n") + "\n\n"; }

std::string FormatSseRetry(std::chrono::milliseconds delay) {
    return "retry: " + std::to_string(delay.count()) + "\n\n";
}

}  // namespace tta::server
