// tta::narrative::model HTTP transport: OpenAI-compatible chat completions over HTTP/1.1, with
// TLS (OpenSSL, peer and host name verified, SNI) for https:// providers. Each call runs its
// own Asio io_context on the calling thread as a C++20 coroutine, so the text sink runs on
// the caller's thread, and cancellation from any thread closes the socket at once.
//
// Beast and Asio are included by http_transport.cpp only (a translation unit with them takes
// ~16 s to compile here); this header is plain.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tta/narrative/model/transport.hpp"

namespace tta::narrative::model {

struct HttpResponse {
    int status = 0;
    std::string content_type;
    std::string body;
};

class HttpTransport final : public ChatTransport {
  public:
    HttpTransport();
    ~HttpTransport() override;
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // POST {prefix}/chat/completions, streamed. Thread-safe: calls run independently.
    StreamResult Stream(const Endpoint& endpoint, const ChatRequest& request,
                        const StreamLimits& limits, const resilience::CancelToken& cancel,
                        const TextSink& sink) override;

    // GET {prefix}{path} with one deadline for the whole exchange; for health probes
    // ("/models") and tools. Bodies beyond `max_bytes` are an error.
    Result<HttpResponse> Get(const Endpoint& endpoint, std::string_view path,
                             std::chrono::milliseconds timeout, std::size_t max_bytes = 1 << 20);

    // POST {prefix}{path}: `body` sent as `content_type` with extra `headers`, one deadline for
    // the whole exchange, any status returned; for webhooks. `cancel` closes the connection at
    // once (kUnavailable, "cancelled"). Bodies beyond `max_bytes` are an error.
    Result<HttpResponse> Post(const Endpoint& endpoint, std::string_view path,
                              std::string_view content_type,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              std::string body, std::chrono::milliseconds timeout,
                              const resilience::CancelToken& cancel = {},
                              std::size_t max_bytes = 64 * 1024);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tta::narrative::model
