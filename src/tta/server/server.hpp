// tta::server: the HTTP/1.1 server behind `tta serve` (issue 3). Boost.Beast and Asio with
// C++20 coroutines, hidden behind this plain header: routes are registered on a Router
// (router.hpp) with handlers that take a Request and return a Response (http.hpp).
//
// What every request goes through, in order:
//   connection cap (503) -> header size limit (431) -> body size limit (413) -> route (404,
//   405 + Allow) -> per-address token bucket (429 + Retry-After) -> access token on
//   authenticated routes (401) -> per-account token bucket (429) -> handler, on an I/O
//   thread or the worker pool -> one last-resort catch (500, counted).
// Connections are HTTP/1.1 keep-alive; idle ones close after server.idle_timeout, and a
// request must arrive (and its response be taken) within server.request_timeout.
//
// Built-in routes: GET /healthz (the process is up), GET /readyz (every readiness check
// passes and the server is not draining), GET /metrics (Prometheus text format).
//
// Shutdown (Shutdown(), or SIGTERM/SIGINT when Start was asked to handle signals): stop
// accepting; close idle keep-alive connections; let in-flight requests finish and answer them
// with Connection: close; send event streams a `retry:` hint and close them; after
// server.shutdown_grace, cut whatever is left.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tta/core/clock.hpp"
#include "tta/core/config.hpp"
#include "tta/core/error.hpp"
#include "tta/core/metrics.hpp"
#include "tta/server/http.hpp"
#include "tta/server/router.hpp"

namespace tta::server {

// Turns a request's credentials into a Principal; kUnauthenticated (or any error) refuses.
using Authenticator = std::function<Result<Principal>(const Request&)>;

class Server {
  public:
    // The router, registry and clock must outlive the server. The clock drives the rate
    // limiters. Config supplies the server.* and limits.* settings.
    Server(const Config& config, Router& router, metrics::Registry& registry, const Clock& clock);
    ~Server();  // shuts down if still running
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Set before Start. Without one, authenticated routes answer 401.
    void SetAuthenticator(Authenticator authenticator);
    // /readyz answers 503 naming the first check that fails. Set before Start.
    void AddReadinessCheck(std::string name, std::function<Status()> check);

    // Binds server.host:server.port, starts the I/O threads and returns once accepting.
    // kUnavailable if the address cannot be bound.
    Status Start(bool handle_signals = false);
    // The bound port (useful with port 0).
    int Port() const;

    // Asks for a graceful shutdown; returns at once. Safe from any thread.
    void RequestShutdown();
    // Blocks until a shutdown is requested (or a handled signal arrives), carries it out and
    // returns when every thread has stopped. Call from one thread that is not an I/O thread.
    void Wait();
    // RequestShutdown() then Wait().
    void Shutdown();

  private:
    class Impl;
    friend class Connection;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tta::server
