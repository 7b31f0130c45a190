// tta::store therapy records: what the therapeutic layer keeps per user (issue 5) — mood
// check-ins, questionnaire results, skills practised, journal entries, session summaries and
// the beat planner's decisions with their reasons (the clinician's timeline).
//
// Records belong to a user, not to a session: progress is followed across stories, so deleting
// a session leaves them (they keep its id as a plain reference); deleting the user deletes
// them. The personal parts — feeling words, questionnaire answers, journal text — are opaque
// `personal` bytes so that a layer above can encrypt them with the user's data key
// (ARCHITECTURE.md, principle 7). Scores, severities, technique ids and planner reasons are
// stored in the clear so a timeline can be listed without decrypting anything.
//
// Same contract as SessionStore (session_store.hpp): thread-safe, writes durable when they
// return, errors as tta::Result, never throws. Appends return the record's id, assigned by the
// store and increasing per kind, so ids order records by when they were written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/store/bytes.hpp"

namespace tta::store {

// Fields every record has. `session_id` is empty for records made outside a story (e.g. a
// check-in through the HTTP API); `turn` is the story's turn number then, 0 outside a story.
struct RecordHeader {
    std::int64_t id = 0;  // assigned by the store; ignored on append
    std::string user_id;
    std::string session_id;
    std::int64_t turn = 0;
    std::int64_t created_ms = 0;

    friend bool operator==(const RecordHeader&, const RecordHeader&) = default;
};

struct CheckInRecord {
    RecordHeader header;
    int score = 0;     // 0..10
    std::string mode;  // "in_story" or "out_of_character"
    Bytes personal;    // the feeling words

    friend bool operator==(const CheckInRecord&, const CheckInRecord&) = default;
};

struct MeasureResultRecord {
    RecordHeader header;
    std::string measure;  // "phq9" or "gad7"
    int total = 0;
    std::string severity;  // "minimal", "mild", "moderate", "moderately_severe", "severe"
    bool item9_flag = false;
    Bytes personal;  // the answers

    friend bool operator==(const MeasureResultRecord&, const MeasureResultRecord&) = default;
};

struct PracticeRecord {
    RecordHeader header;
    std::string technique;  // therapy catalogue id
    std::string beat;       // the scene that carried it
    std::string outcome;    // how the scene ended: "completed", "declined", ...

    friend bool operator==(const PracticeRecord&, const PracticeRecord&) = default;
};

struct JournalRecord {
    RecordHeader header;
    Bytes personal;  // the entry

    friend bool operator==(const JournalRecord&, const JournalRecord&) = default;
};

struct SessionSummaryRecord {
    RecordHeader header;
    std::string summary;  // engine JSON: turns, places, techniques, mood before and after

    friend bool operator==(const SessionSummaryRecord&, const SessionSummaryRecord&) = default;
};

struct PlannerRecord {
    RecordHeader header;
    std::string beat;       // the beat offered; empty when the planner offered none
    std::string technique;  // its technique; empty with no beat
    std::string reason;     // the planner's one-line reason

    friend bool operator==(const PlannerRecord&, const PlannerRecord&) = default;
};

// Which of a user's records to list: those with id < before_id (0: no bound), of one session
// when session_id is set, at most `limit` of them — the newest that match — returned oldest
// first, so a timeline reads in order and pages backwards with before_id = the first id.
struct RecordQuery {
    std::string session_id;
    std::int64_t before_id = 0;
    std::size_t limit = 100;
};

class TherapyStore {
  public:
    virtual ~TherapyStore() = default;

    // Appends return the new id. kNotFound if the user does not exist; kInvalid if user_id is
    // empty, a score or an enumerated field is out of range, or a required field is empty.
    virtual Result<std::int64_t> AppendCheckIn(const CheckInRecord& record) = 0;
    virtual Result<std::vector<CheckInRecord>> ListCheckIns(std::string_view user_id,
                                                            const RecordQuery& query) = 0;

    virtual Result<std::int64_t> AppendMeasureResult(const MeasureResultRecord& record) = 0;
    virtual Result<std::vector<MeasureResultRecord>> ListMeasureResults(
        std::string_view user_id, const RecordQuery& query) = 0;

    virtual Result<std::int64_t> AppendPractice(const PracticeRecord& record) = 0;
    virtual Result<std::vector<PracticeRecord>> ListPractices(std::string_view user_id,
                                                              const RecordQuery& query) = 0;

    virtual Result<std::int64_t> AppendJournalEntry(const JournalRecord& record) = 0;
    virtual Result<std::vector<JournalRecord>> ListJournalEntries(std::string_view user_id,
                                                                  const RecordQuery& query) = 0;

    virtual Result<std::int64_t> AppendSessionSummary(const SessionSummaryRecord& record) = 0;
    virtual Result<std::vector<SessionSummaryRecord>> ListSessionSummaries(
        std::string_view user_id, const RecordQuery& query) = 0;

    virtual Result<std::int64_t> AppendPlannerDecision(const PlannerRecord& record) = 0;
    virtual Result<std::vector<PlannerRecord>> ListPlannerDecisions(std::string_view user_id,
                                                                    const RecordQuery& query) = 0;
};

}  // namespace tta::store
