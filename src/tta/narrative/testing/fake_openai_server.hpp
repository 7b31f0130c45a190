// tta::narrative::testing: a fake OpenAI-compatible server for tests only. It listens on
// 127.0.0.1 port 0 over real HTTP/1.1 (or TLS with a given certificate) and answers
// `POST /v1/chat/completions` in the real streaming wire format — `text/event-stream`, one
// `data: {chat.completion.chunk}` event per piece, chunked transfer encoding, `data: [DONE]`
// — and `GET /v1/models`. Each reply is scripted, including faults: a slow first token, a
// stall mid-stream, a dropped connection, error statuses with Retry-After, malformed chunks,
// or any text (invented names, unsafe lines) a test wants the narrator to face.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tta::narrative::testing {

struct FakeReply {
    int status = 200;
    std::string content_type = "text/event-stream";
    // Each entry is sent as `data: <entry>\n\n` in its own HTTP chunk.
    std::vector<std::string> events;
    bool send_done = true;  // `data: [DONE]` after the events
    // Sent instead of events when set (error bodies, whole JSON completions, raw garbage).
    std::string body;
    std::map<std::string, std::string> headers;  // extra response headers (Retry-After)
    std::chrono::milliseconds header_delay{0};   // before the status line
    std::chrono::milliseconds first_delay{0};    // after the headers, before the first event
    std::chrono::milliseconds gap{0};            // between events
    int stall_after = -1;  // after this many events, send nothing more (until the client goes)
    int drop_after = -1;   // after this many events, close the connection
};

// A streamed completion of `text`, cut into pieces of at most `piece_bytes` bytes (cutting
// through code points on purpose: clients must join them), then a finish and a usage chunk.
FakeReply Streamed(std::string_view text, std::size_t piece_bytes = 7,
                   std::int64_t prompt_tokens = 100, std::int64_t completion_tokens = 0);
// An error status with an OpenAI-style error body.
FakeReply Status(int status, std::string_view message, int retry_after_seconds = 0);
// One chunk event's JSON for a piece of text; the last chunk with a finish reason; usage.
std::string ChunkJson(std::string_view content);
std::string FinishJson(std::string_view reason = "stop");
std::string UsageJson(std::int64_t prompt_tokens, std::int64_t completion_tokens);

struct RecordedRequest {
    std::string method;
    std::string target;
    std::string authorization;
    std::string body;
};

// A throwaway self-signed certificate for 127.0.0.1 and localhost (P-256, valid from a day
// ago for a year), PEM; the certificate doubles as the CA a client must trust.
struct TestCertificate {
    std::string cert_pem;
    std::string key_pem;
};
TestCertificate MakeTestCertificate();

struct FakeServerOptions {
    std::string tls_cert_pem;  // both set: serve HTTPS
    std::string tls_key_pem;
};

class FakeOpenAiServer {
  public:
    explicit FakeOpenAiServer(FakeServerOptions options = {});
    ~FakeOpenAiServer();
    FakeOpenAiServer(const FakeOpenAiServer&) = delete;
    FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

    int Port() const;
    // "http://127.0.0.1:PORT/v1" (https with TLS).
    std::string BaseUrl() const;

    // Replies are used in order; when none is queued, the default (a short story line).
    void Enqueue(FakeReply reply);
    void SetDefault(FakeReply reply);
    // Decides every reply instead (takes precedence over the queue).
    void SetHandler(std::function<FakeReply(const RecordedRequest&)> handler);

    std::vector<RecordedRequest> Requests() const;
    int RequestCount() const;
    // Connections currently open (a cancelled client's connection closes).
    int OpenConnections() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tta::narrative::testing
