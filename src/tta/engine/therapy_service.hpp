// tta::engine therapy service: the therapeutic records of one user — mood check-ins,
// PHQ-9 / GAD-7 results, skills practised, journal entries, session summaries and the beat
// planner's decisions — validated, scored and kept in a store::TherapyStore, and read back as
// the therapy module's types for the progress view. The engine uses it during play; the HTTP
// routes for mood, measures, journal and progress are thin wrappers over the same calls and the
// JSON functions at the end (docs/therapy.md, "In play").
//
// The personal parts are written as plain bytes today (feeling words as a JSON list, answers
// as "0,1,2,...", journal text as UTF-8) in the store's `personal` columns; two functions in
// therapy_service.cpp turn text into those bytes and back, the one place where the encryption
// layer will seal and open them.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/clock.hpp"
#include "tta/core/error.hpp"
#include "tta/engine/therapy_profile.hpp"
#include "tta/store/therapy_store.hpp"
#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/measures.hpp"
#include "tta/therapy/mood.hpp"
#include "tta/therapy/planner.hpp"
#include "tta/therapy/progress.hpp"

namespace tta::engine {

// Who a record belongs to and where it was made. session_id is empty and turn 0 outside a
// story.
struct RecordContext {
    std::string user_id;
    std::string session_id;
    int turn = 0;
};

struct JournalEntry {
    std::int64_t id = 0;
    std::string session_id;
    int turn = 0;
    std::int64_t at_ms = 0;
    std::string text;
};

// A questionnaire as it was answered and scored.
struct MeasureResult {
    std::int64_t id = 0;
    std::string session_id;
    std::int64_t at_ms = 0;
    therapy::MeasureScore score;
};

// One skill practice as recorded: a technique scene that ended, however it ended.
struct Practice {
    std::int64_t id = 0;
    std::string session_id;
    int turn = 0;
    std::int64_t at_ms = 0;
    std::string technique;
    std::string beat;
    std::string outcome;  // "completed", "declined", ...
};

// Everything the progress view shows, for the player and for GET .../progress.
struct ProgressReport {
    std::vector<therapy::SkillSummary> skills;  // declined beats are not practice
    int beats_declined = 0;
    std::optional<therapy::MoodTrend> mood;
    std::vector<therapy::MeasureSeries> measures;
    std::optional<therapy::SessionSummary> last_session;  // the latest stored summary
};

// A stored check-in read back (its feeling words are the `personal` JSON list RecordCheckIn
// writes); for callers that list the store itself to keep record ids.
Result<therapy::MoodCheckIn> CheckInFromRecord(const store::CheckInRecord& record);

class TherapyService {
  public:
    // Limits of the journal: entries are trimmed and must hold something; longer text is cut
    // at a character boundary.
    static constexpr std::size_t kMaxJournalBytes = 4000;
    // How many of the newest records the progress view reads of each kind.
    static constexpr std::size_t kProgressWindow = 1000;

    TherapyService(store::TherapyStore& store, const therapy::Catalogue& catalogue,
                   const Clock& clock);

    const therapy::Catalogue& Catalogue() const { return catalogue_; }

    // Validates (therapy::NormaliseCheckIn), stamps at_ms and turn from `where`, and stores it.
    Result<therapy::MoodCheckIn> RecordCheckIn(const RecordContext& where,
                                               therapy::MoodCheckIn check_in);
    Result<std::vector<therapy::MoodCheckIn>> CheckIns(std::string_view user_id,
                                                       const store::RecordQuery& query);

    // Scores the answers (an Invalid error names a wrong one) and stores the result. The caller
    // starts the safety response when the score's item9_flag is set.
    Result<MeasureResult> RecordMeasure(const RecordContext& where, therapy::MeasureId measure,
                                        std::span<const int> answers);
    Result<std::vector<MeasureResult>> MeasureResults(std::string_view user_id,
                                                      const store::RecordQuery& query);
    // When the player last answered this questionnaire, or nullopt if never.
    Result<std::optional<std::int64_t>> LastAnswered(std::string_view user_id,
                                                     therapy::MeasureId measure);
    // The questionnaires the schedule says are due now (PHQ-9 before GAD-7); none when off.
    Result<std::vector<therapy::MeasureId>> DueQuestionnaires(std::string_view user_id,
                                                              QuestionnaireSchedule schedule);

    Result<JournalEntry> WriteJournal(const RecordContext& where, std::string_view text);
    Result<std::vector<JournalEntry>> Journal(std::string_view user_id,
                                              const store::RecordQuery& query);

    Status RecordPractice(const RecordContext& where, std::string_view technique,
                          std::string_view beat, std::string_view outcome);
    Result<std::vector<Practice>> Practices(std::string_view user_id,
                                            const store::RecordQuery& query);

    Status RecordDecision(const RecordContext& where, const therapy::BeatDecision& decision);
    Result<std::vector<store::PlannerRecord>> Decisions(std::string_view user_id,
                                                        const store::RecordQuery& query);

    Status RecordSessionSummary(const RecordContext& where, const therapy::SessionSummary& summary);
    Result<std::vector<therapy::SessionSummary>> SessionSummaries(std::string_view user_id,
                                                                  const store::RecordQuery& query);

    Result<ProgressReport> Progress(std::string_view user_id);

  private:
    store::RecordHeader Header(const RecordContext& where) const;

    store::TherapyStore& store_;
    const therapy::Catalogue& catalogue_;
    const Clock& clock_;
};

// Plain sentences for the progress view: skills, mood, questionnaires and the last session.
std::string DescribeProgress(const ProgressReport& report, const therapy::Catalogue& catalogue);

// JSON for the HTTP API, in the therapy module's style (snake_case, times as at_ms).
boost::json::value ToJson(const JournalEntry& entry);
boost::json::value ToJson(const MeasureResult& result);
boost::json::value ToJson(const Practice& practice);
boost::json::value ToJson(const store::PlannerRecord& decision);
boost::json::value ToJson(const ProgressReport& report);

}  // namespace tta::engine
