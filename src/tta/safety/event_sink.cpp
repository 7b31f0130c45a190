#include "tta/safety/event_sink.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <ctime>

namespace tta::safety {
namespace {

// RFC 3339 in UTC, whole seconds.
std::string Rfc3339(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

SafetyEvent MakeSafetyEvent(const Assessment& a, std::string session_id, std::string player_id,
                            std::uint64_t turn, std::chrono::system_clock::time_point at) {
    SafetyEvent e;
    e.session_id = std::move(session_id);
    e.player_id = std::move(player_id);
    e.turn = turn;
    e.at = at;
    e.level = a.level;
    e.categories = a.categories;
    for (const Evidence& ev : a.evidence) e.rules.push_back(ev.rule);
    e.rules_version = a.rules_version;
    e.stepped_out = IsCrisis(a.level);
    return e;
}

std::string SafetyEventToJson(const SafetyEvent& e) {
    namespace json = boost::json;
    json::object o;
    o["session_id"] = e.session_id;
    o["player_id"] = e.player_id;
    o["turn"] = e.turn;
    o["at"] = Rfc3339(e.at);
    o["level"] = LevelName(e.level);
    json::array cats;
    for (Category c : e.categories) cats.emplace_back(CategoryName(c));
    o["categories"] = std::move(cats);
    json::array rules;
    for (const std::string& r : e.rules) rules.emplace_back(r);
    o["rules"] = std::move(rules);
    o["rules_version"] = e.rules_version;
    o["locale"] = e.locale;
    o["stepped_out"] = e.stepped_out;
    o["plan_shown"] = e.plan_shown;
    return json::serialize(o);
}

Status MemorySafetyEventSink::Record(const SafetyEvent& event) {
    std::lock_guard lock(mu_);
    events_.push_back(event);
    return Ok();
}

std::vector<SafetyEvent> MemorySafetyEventSink::Events() const {
    std::lock_guard lock(mu_);
    return events_;
}

Status FanOutSafetyEventSink::Record(const SafetyEvent& event) {
    Status first = Ok();
    for (SafetyEventSink* s : sinks_) {
        Status st = s->Record(event);
        if (!st && first) first = st;
    }
    return first;
}

}  // namespace tta::safety
