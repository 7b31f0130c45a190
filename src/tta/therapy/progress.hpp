// tta::therapy progress: pure functions over the records the engine stores, for the player's
// progress view, session-end summaries and a clinician's timeline: which skills were practised
// and finished, how mood moved across check-ins, PHQ-9 / GAD-7 totals and bands over time.
// Nothing here reads a clock or a store; the same records always give the same summary.
#pragma once

#include "tta/core/error.hpp"
#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/measures.hpp"
#include "tta/therapy/mood.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tta::therapy {

// One time a technique was started in play (a beat accepted, or practised on request).
struct SkillPractice {
    std::string technique_id;
    int turn = 0;
    std::int64_t at_ms = 0;
    bool completed = false;  // reached the end of the beat
};

struct SkillSummary {
    std::string technique_id;
    int practised = 0;
    int completed = 0;
    std::int64_t first_at_ms = 0;
    std::int64_t last_at_ms = 0;
};

// One summary per technique, in the order each was first practised.
std::vector<SkillSummary> SummariseSkills(std::span<const SkillPractice> practices);

struct MoodTrend {
    int count = 0;
    int first = 0;
    int last = 0;
    double average = 0;
    int lowest = 0;
    int highest = 0;
    // Least-squares slope of the score against check-in order: +0.5 means the score rose by
    // half a point per check-in on average. 0 with a single check-in.
    double slope_per_check_in = 0;
    std::int64_t first_at_ms = 0;
    std::int64_t last_at_ms = 0;
};

// Check-ins are ordered by time (then turn) first; none when there are no check-ins.
std::optional<MoodTrend> ComputeMoodTrend(std::span<const MoodCheckIn> check_ins);

// A completed questionnaire as stored: the raw answers are the record, scores are derived.
struct MeasureRecord {
    MeasureId measure = MeasureId::kPhq9;
    std::int64_t at_ms = 0;
    std::vector<int> answers;
};

struct MeasurePoint {
    std::int64_t at_ms = 0;
    int total = 0;
    Severity severity = Severity::kMinimal;
    bool item9_flag = false;
};

struct MeasureSeries {
    MeasureId measure = MeasureId::kPhq9;
    std::vector<MeasurePoint> points;  // oldest first
    int first_total = 0;
    int last_total = 0;
    int change = 0;  // last - first; lower is better for both measures
};

// One series per measure present (PHQ-9 before GAD-7). Fails if a stored record does not
// score, which means the store holds something the scorer never accepted.
Result<std::vector<MeasureSeries>> MeasuresOverTime(std::span<const MeasureRecord> records);

// What the engine knows about a session when it ends.
struct SessionRecord {
    std::string session_id;
    int turns = 0;
    std::int64_t started_at_ms = 0;
    std::int64_t ended_at_ms = 0;
    std::vector<std::string> places_visited;  // place ids in visiting order, repeats allowed
    std::vector<SkillPractice> practices;
    std::vector<MoodCheckIn> check_ins;
};

struct SessionSummary {
    std::string session_id;
    int turns = 0;
    std::int64_t duration_ms = 0;
    int places_visited = 0;  // distinct places
    std::vector<SkillSummary> techniques;
    std::optional<int> mood_before;  // the first check-in
    std::optional<int> mood_after;   // the last check-in, when there were at least two
};

SessionSummary BuildSessionSummary(const SessionRecord& session);

// A few warm sentences for the player at the end of a session, naming techniques as the
// catalogue does, e.g. "You visited 4 places in 23 turns. You practised Box breathing
// (finished). Your mood went from 4 to 6 out of 10."
std::string DescribeSession(const SessionSummary& summary, const Catalogue& catalogue);

}  // namespace tta::therapy
