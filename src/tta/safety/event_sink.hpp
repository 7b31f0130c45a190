// tta::safety events: what the engine records when the gate finds concern or crisis, and the
// hook it calls so someone can be told (a webhook comes with the server; clinician alerts
// later). Events carry levels, categories and rule ids, never the player's words: those stay
// in the encrypted turn record.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/types.hpp"

namespace tta::safety {

struct SafetyEvent {
    std::string session_id;
    std::string player_id;
    std::uint64_t turn = 0;
    std::chrono::system_clock::time_point at{};
    Level level = Level::kNone;
    std::vector<Category> categories;
    std::vector<std::string> rules;  // rule and cue ids that matched, in input order
    std::string rules_version;
    std::string locale;
    bool stepped_out = false;  // a crisis reply was shown
    bool plan_shown = false;
};

// Builds an event from an assessment; `at` comes from the caller's injected clock.
SafetyEvent MakeSafetyEvent(const Assessment& assessment, std::string session_id,
                            std::string player_id, std::uint64_t turn,
                            std::chrono::system_clock::time_point at);

// {"session_id":...,"player_id":...,"turn":3,"at":"2025-06-01T12:00:00Z","level":"high",
//  "categories":[...],"rules":[...],"rules_version":...,"locale":...,"stepped_out":true,
//  "plan_shown":false}: the body a webhook sends.
std::string SafetyEventToJson(const SafetyEvent& event);

// Called by the engine with every recorded safety event, after the reply is composed: the
// reply never waits on a sink. Implementations must be thread-safe and quick (queue, don't
// send, inside Record); a failure is returned for the caller to count, never to retry inline.
class SafetyEventSink {
public:
    virtual ~SafetyEventSink() = default;
    virtual Status Record(const SafetyEvent& event) = 0;
};

// Keeps events in memory: for tests, and for an engine with no other sink configured.
class MemorySafetyEventSink final : public SafetyEventSink {
public:
    Status Record(const SafetyEvent& event) override;
    std::vector<SafetyEvent> Events() const;

private:
    mutable std::mutex mu_;
    std::vector<SafetyEvent> events_;
};

// Passes each event to every sink; one failing sink does not stop the others. Returns the
// first failure.
class FanOutSafetyEventSink final : public SafetyEventSink {
public:
    explicit FanOutSafetyEventSink(std::vector<SafetyEventSink*> sinks) : sinks_(std::move(sinks)) {}
    Status Record(const SafetyEvent& event) override;

private:
    std::vector<SafetyEventSink*> sinks_;
};

}  // namespace tta::safety
