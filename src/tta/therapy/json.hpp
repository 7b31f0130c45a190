// tta::therapy JSON: how the therapy types look in the HTTP API and on the command line
// (Boost.JSON). Values convert with boost::json::value_from(x), vectors of them included.
// Records the engine stores or the API receives (check-ins, practices, questionnaire answers)
// also read back, validated, with the *FromJson functions.
// Names are snake_case; times are milliseconds since the Unix epoch ("at_ms").
#pragma once

#include "tta/core/error.hpp"
#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/measures.hpp"
#include "tta/therapy/mood.hpp"
#include "tta/therapy/planner.hpp"
#include "tta/therapy/progress.hpp"

#include <boost/json/fwd.hpp>

namespace tta::therapy {

void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Technique& t);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const Catalogue& c);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const MeasureDefinition& d);
// {"total":N,"severity":"..."} plus "item9_flag" for the PHQ-9: the shape of
// `tta therapy score`.
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const MeasureScore& s);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const MoodCheckIn& c);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const BeatDecision& d);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const SkillPractice& p);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const SkillSummary& s);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const MoodTrend& t);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const MeasureRecord& r);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const MeasureSeries& s);
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                const SessionSummary& s);

// Readers for what value_from writes; unknown keys and wrong types are Invalid errors naming
// the key. A check-in is also normalised against the catalogue, and answers must score.
Result<MoodCheckIn> MoodCheckInFromJson(const Catalogue& catalogue, const boost::json::value& jv);
Result<SkillPractice> SkillPracticeFromJson(const Catalogue& catalogue,
                                            const boost::json::value& jv);
Result<MeasureRecord> MeasureRecordFromJson(const boost::json::value& jv);

}  // namespace tta::therapy
