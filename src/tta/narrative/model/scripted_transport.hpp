// A ChatTransport for tests and the router benchmark: each call to a provider (by host) plays
// the next scripted result, forwarding its text through the sink as the network client
// would. No sockets, no time passing.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tta/narrative/model/transport.hpp"

namespace tta::narrative::model {

struct Scripted {
    Failure failure = Failure::kNone;  // how the call ends once the text is out
    std::vector<std::string> pieces;   // text forwarded before that
    int status = 200;
    std::chrono::milliseconds retry_after{0};
    std::optional<Usage> usage = Usage{50, 20};
    std::chrono::milliseconds elapsed{100};
};

inline Scripted Says(std::string text) {
    Scripted s;
    s.pieces = {std::move(text)};
    return s;
}
inline Scripted Fails(Failure f, int status = 0) {
    Scripted s;
    s.failure = f;
    s.status = status;
    s.usage.reset();
    return s;
}

class ScriptedTransport final : public ChatTransport {
  public:
    // Calls to `host` play these in order; when they run out, `fallback` (by default a short
    // successful answer) plays every time.
    void Script(const std::string& host, std::vector<Scripted> replies) {
        std::lock_guard lock(mu_);
        auto& q = queues_[host];
        for (auto& r : replies) q.push_back(std::move(r));
    }
    void SetFallback(const std::string& host, Scripted reply) {
        std::lock_guard lock(mu_);
        fallbacks_[host] = std::move(reply);
    }
    int Calls(const std::string& host) const {
        std::lock_guard lock(mu_);
        auto it = calls_.find(host);
        return it == calls_.end() ? 0 : it->second;
    }
    std::vector<ChatRequest> Requests() const {
        std::lock_guard lock(mu_);
        return requests_;
    }

    StreamResult Stream(const Endpoint& endpoint, const ChatRequest& request,
                        const StreamLimits& /*limits*/, const resilience::CancelToken& cancel,
                        const TextSink& sink) override {
        Scripted s;
        {
            std::lock_guard lock(mu_);
            ++calls_[endpoint.host];
            if (keep_requests_) requests_.push_back(request);
            auto& q = queues_[endpoint.host];
            if (!q.empty()) {
                s = std::move(q.front());
                q.pop_front();
            } else if (auto it = fallbacks_.find(endpoint.host); it != fallbacks_.end()) {
                s = it->second;
            } else {
                s = Says("The harbour is quiet.");
            }
        }
        StreamResult r;
        r.status = s.status;
        r.retry_after = s.retry_after;
        r.usage = s.usage;
        r.elapsed = s.elapsed;
        if (cancel.IsCancelled()) {
            r.failure = Failure::kCancelled;
            return r;
        }
        for (const auto& piece : s.pieces) {
            if (r.first_token.count() < 0) r.first_token = std::chrono::milliseconds(10);
            r.bytes += piece.size();
            if (sink && !sink(piece)) {
                r.failure = Failure::kStopped;
                return r;
            }
        }
        r.failure = s.failure;
        if (s.failure == Failure::kNone) r.finish_reason = "stop";
        return r;
    }

    bool keep_requests_ = true;

  private:
    mutable std::mutex mu_;
    std::map<std::string, std::deque<Scripted>> queues_;
    std::map<std::string, Scripted> fallbacks_;
    std::map<std::string, int> calls_;
    std::vector<ChatRequest> requests_;
};

}  // namespace tta::narrative::model
