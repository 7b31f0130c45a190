// tta::narrative::model transport: one streamed chat completion against one endpoint, with
// its deadlines and cancellation, reporting how it ended. ChatTransport is the seam between
// the router and the network: HttpTransport (http_transport.hpp) speaks HTTP/1.1 and TLS;
// tests and the router benchmark plug in scripted transports.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tta/core/error.hpp"
#include "tta/narrative/model/chat.hpp"
#include "tta/resilience/cancel.hpp"

namespace tta::narrative::model {

// Where a provider is, from its base URL ("https://api.example.com/v1").
struct Endpoint {
    bool tls = false;
    std::string host;         // for resolving and certificate checks (no brackets)
    std::string host_header;  // as sent in Host: ("[::1]:8080", "api.example.com")
    std::string port;
    std::string path_prefix;  // "/v1"
    std::string api_key;      // sent as a bearer token when set; never logged
    std::filesystem::path ca_file;
};

// Parses an http:// or https:// base URL. Query and fragment are refused.
Result<Endpoint> ParseBaseUrl(std::string_view url);

struct StreamLimits {
    std::chrono::milliseconds connect{2000};      // resolve, TCP and TLS handshakes
    std::chrono::milliseconds first_token{5000};  // from the start until the first text
    std::chrono::milliseconds stall{3000};        // between pieces of text after the first
    std::chrono::milliseconds total{20000};       // the whole call
};

enum class Failure {
    kNone,
    kConnect,  // could not resolve, connect or complete TLS
    kStatus,   // the server answered with a status other than 200
    kFirstTokenTimeout,
    kStallTimeout,
    kTotalTimeout,
    kMalformed,      // not an event stream of chat completion chunks
    kProviderError,  // the stream carried an {"error": ...}
    kTruncated,      // the connection ended before the stream did
    kCancelled,      // the caller's token fired
    kStopped,        // the caller's sink asked to stop (it rejected the text)
};
// Stable lowercase names for metrics labels and provenance: "first_token_timeout", ...
std::string_view FailureName(Failure failure);

struct StreamResult {
    Failure failure = Failure::kNone;
    int status = 0;  // the HTTP status, when one arrived
    std::string message;
    std::chrono::milliseconds retry_after{0};  // from Retry-After on 429/503
    std::optional<Usage> usage;
    std::string finish_reason;
    std::chrono::nanoseconds first_token{-1};  // from the start; -1: no text arrived
    std::chrono::nanoseconds elapsed{0};
    std::size_t bytes = 0;  // of text forwarded

    bool ok() const { return failure == Failure::kNone; }
};

// Receives the text as it streams in, whole UTF-8 only. Returning false stops the stream
// (Failure::kStopped).
using TextSink = std::function<bool(std::string_view)>;

class ChatTransport {
  public:
    virtual ~ChatTransport() = default;
    // Blocks the calling thread until the stream ends; `sink` runs on the calling thread.
    virtual StreamResult Stream(const Endpoint& endpoint, const ChatRequest& request,
                                const StreamLimits& limits, const resilience::CancelToken& cancel,
                                const TextSink& sink) = 0;
};

}  // namespace tta::narrative::model
