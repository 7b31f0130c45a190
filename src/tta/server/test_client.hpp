// tta::server test client: a small blocking HTTP/1.1 client for the integration tests of the
// server and its routes. Beast stays inside test_client.cpp, so test files compile quickly.
// One HttpClient is one TCP connection, kept alive across requests.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tta/core/error.hpp"

namespace tta::server::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ClientResponse {
    int status = 0;
    Headers headers;  // names in lowercase
    std::string body;

    std::string Header(std::string_view name) const;  // "" when absent
    boost::json::value Json() const;                  // null when the body is not JSON
};

// One item of an event stream, parsed as the WHATWG EventSource algorithm would.
struct StreamItem {
    enum class Kind { kEvent, kComment, kRetry, kEnd };
    Kind kind = Kind::kEnd;
    std::string id;          // kEvent: the last event id after this event
    std::string event;       // kEvent: the type ("message" when none was sent)
    std::string data;        // kEvent
    std::string comment;     // kComment
    long long retry_ms = 0;  // kRetry
};

class HttpClient {
  public:
    // Connects to host:port; Connected() says whether that worked.
    explicit HttpClient(int port, std::string host = "127.0.0.1");
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    bool Connected() const;

    // Sends a request and reads its response. Adds Host and, when there is a body,
    // Content-Length and Content-Type: application/json unless given.
    Result<ClientResponse> Send(std::string_view method, std::string_view target,
                                std::string_view body = {}, const Headers& headers = {});
    Status SendRaw(std::string_view bytes);
    Result<ClientResponse> ReadResponse();
    // True if the server closes the connection within `timeout` (data it sends is ignored).
    bool WaitClosed(std::chrono::milliseconds timeout);

    // Sends a GET and reads the response head; on a 200 event stream, NextItem reads items.
    Result<ClientResponse> OpenStream(std::string_view target, const Headers& headers = {});
    // The next event, comment or retry; kEnd when the stream ended. kDeadline on timeout.
    Result<StreamItem> NextItem(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Skips heartbeats (comments) and retries; the next event or kEnd.
    Result<StreamItem> NextEvent(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace tta::server::testing
