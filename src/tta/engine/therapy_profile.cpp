#include "tta/engine/therapy_profile.hpp"

#include <boost/json.hpp>
#include <vector>

namespace tta::engine {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

Result<json::object> ParseObject(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object{};
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return Error::Invalid("the profile should be a JSON object");
    return std::move(v.as_object());
}

Result<std::vector<std::string>> StringList(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return out;
    if (!v->is_array()) {
        return Error::Invalid("'" + std::string(key) + "' of the profile should be a list");
    }
    for (const json::value& item : v->as_array()) {
        if (!item.is_string()) {
            return Error::Invalid("'" + std::string(key) + "' of the profile should hold strings");
        }
        out.emplace_back(item.as_string());
    }
    return out;
}

Result<std::string> OptionalString(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::string();
    if (!v->is_string()) {
        return Error::Invalid("'" + std::string(key) + "' of the profile should be a string");
    }
    return std::string(v->as_string());
}

}  // namespace

std::string_view Name(QuestionnaireSchedule s) {
    switch (s) {
        case QuestionnaireSchedule::kOff:
            return "off";
        case QuestionnaireSchedule::kWeekly:
            return "weekly";
        case QuestionnaireSchedule::kFortnightly:
            return "fortnightly";
    }
    return "off";
}

Result<QuestionnaireSchedule> ParseQuestionnaireSchedule(std::string_view name) {
    for (auto s : {QuestionnaireSchedule::kOff, QuestionnaireSchedule::kWeekly,
                   QuestionnaireSchedule::kFortnightly}) {
        if (Name(s) == name) return s;
    }
    return Error::Invalid("a questionnaire schedule is weekly, fortnightly or off, not '" +
                          std::string(name) + "'");
}

std::int64_t IntervalMs(QuestionnaireSchedule s) {
    switch (s) {
        case QuestionnaireSchedule::kOff:
            return 0;
        case QuestionnaireSchedule::kWeekly:
            return 7 * kDayMs;
        case QuestionnaireSchedule::kFortnightly:
            return 14 * kDayMs;
    }
    return 0;
}

Result<PlayerProfile> ParsePlayerProfile(const therapy::Catalogue& catalogue,
                                         std::string_view profile_json) {
    auto object = ParseObject(profile_json);
    if (!object) return object.error();
    const json::object& o = *object;
    PlayerProfile profile;

    auto goals = StringList(o, "goals");
    if (!goals) return goals.error();
    profile.therapy.goals = std::move(*goals);
    auto frameworks = StringList(o, "frameworks");
    if (!frameworks) return frameworks.error();
    for (const std::string& name : *frameworks) {
        auto f = therapy::ParseFramework(name);
        if (!f) return Error::Invalid("'frameworks' of the profile: " + f.error().message);
        profile.therapy.preferred_frameworks.push_back(*f);
    }
    auto intensity = OptionalString(o, "max_intensity");
    if (!intensity) return intensity.error();
    if (!intensity->empty()) {
        auto parsed = therapy::ParseIntensity(*intensity);
        if (!parsed)
            return Error::Invalid("'max_intensity' of the profile: " + parsed.error().message);
        profile.therapy.max_intensity = *parsed;
    }
    auto topics = StringList(o, "topics_to_avoid");
    if (!topics) return topics.error();
    profile.therapy.topics_to_avoid = std::move(*topics);
    auto conditions = StringList(o, "conditions");
    if (!conditions) return conditions.error();
    profile.therapy.conditions = std::move(*conditions);
    if (auto valid = therapy::ValidateProfile(catalogue, profile.therapy); !valid) {
        return Error::Invalid("the profile's " + valid.error().message);
    }

    auto schedule = OptionalString(o, "questionnaires");
    if (!schedule) return schedule.error();
    if (!schedule->empty()) {
        auto parsed = ParseQuestionnaireSchedule(*schedule);
        if (!parsed)
            return Error::Invalid("'questionnaires' of the profile: " + parsed.error().message);
        profile.questionnaires = *parsed;
    }
    return profile;
}

Result<std::string> WithQuestionnaireSchedule(std::string_view profile_json,
                                              QuestionnaireSchedule schedule) {
    auto object = ParseObject(profile_json);
    if (!object) return object.error();
    (*object)["questionnaires"] = Name(schedule);
    return json::serialize(*object);
}

}  // namespace tta::engine
