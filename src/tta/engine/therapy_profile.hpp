// tta::engine therapeutic profile: what a character's profile JSON (store::Character.profile)
// says about the player for the therapeutic layer — goals, preferred approaches, the most
// intense techniques they want, topics to avoid, health conditions given with consent, and the
// questionnaire schedule they agreed to. The HTTP API writes the same JSON.
//
//   {"goals": ["anxiety"], "frameworks": ["mindfulness"], "max_intensity": "moderate",
//    "topics_to_avoid": ["the sea"], "conditions": ["heart_condition"],
//    "questionnaires": "weekly"}
//
// Every key is optional; an empty profile ("" or "{}") means no goals, no preferences,
// moderate intensity and no questionnaires. Keys this layer does not know are left alone, so
// other layers may keep their own settings in the same object.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tta/core/error.hpp"
#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/planner.hpp"

namespace tta::engine {

// How often the PHQ-9 and GAD-7 are offered: never unless the player asks (the default), or
// once a week or once a fortnight, at the start of a session, which the player may decline.
enum class QuestionnaireSchedule { kOff, kWeekly, kFortnightly };

std::string_view Name(QuestionnaireSchedule s);  // "off", "weekly", "fortnightly"
Result<QuestionnaireSchedule> ParseQuestionnaireSchedule(std::string_view name);
// Milliseconds between offers; 0 for kOff.
std::int64_t IntervalMs(QuestionnaireSchedule s);

struct PlayerProfile {
    therapy::TherapeuticProfile therapy;
    QuestionnaireSchedule questionnaires = QuestionnaireSchedule::kOff;
};

// Reads a profile. Wrong types, unknown goals, frameworks, intensities or conditions are
// Invalid errors naming the key, so a profile is fixed when saved rather than half-used.
Result<PlayerProfile> ParsePlayerProfile(const therapy::Catalogue& catalogue,
                                         std::string_view profile_json);

// The profile JSON with its questionnaire schedule set, every other key kept as it was.
Result<std::string> WithQuestionnaireSchedule(std::string_view profile_json,
                                              QuestionnaireSchedule schedule);

}  // namespace tta::engine
