// tta::safety safety plans: the player's own plan for hard moments, in the Stanley–Brown
// structure (Stanley & Brown, "Safety Planning Intervention", Cogn Behav Pract 2012): warning
// signs, internal coping strategies, people and social settings that distract, people to ask
// for help, professionals and agencies, making the environment safe, reasons for living.
// Players write and edit it; the crisis response shows it back to them. Stored as JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"

namespace tta::safety {

struct PlanContact {
    std::string name;     // a person, a place, a service
    std::string contact;  // phone, address or how to reach them; may be empty

    bool operator==(const PlanContact&) const = default;
};

struct SafetyPlan {
    static constexpr int kVersion = 1;
    // Limits keep a plan readable in a crisis and bounded in storage.
    static constexpr std::size_t kMaxItems = 12;      // per section
    static constexpr std::size_t kMaxTextBytes = 400;  // per item
    static constexpr std::size_t kMaxNameBytes = 120;
    static constexpr std::size_t kMaxContactBytes = 120;

    std::vector<std::string> warning_signs;
    std::vector<std::string> coping_strategies;
    std::vector<PlanContact> distractions;    // people and social settings that distract
    std::vector<PlanContact> people_to_ask;   // people I can ask for help
    std::vector<PlanContact> professionals;   // clinicians, services, crisis lines
    std::vector<std::string> safe_environment;  // making the environment safe
    std::vector<std::string> reasons_for_living;

    bool Empty() const;
    bool operator==(const SafetyPlan&) const = default;
};

// Checks counts, lengths, valid UTF-8 and no blank items; the message names the field:
// "people_to_ask[2].contact: longer than 120 bytes".
Status Validate(const SafetyPlan& plan);

// {"version":1,"warning_signs":[...],...,"people_to_ask":[{"name":..,"contact":..}],...}
std::string SafetyPlanToJson(const SafetyPlan& plan);
// Parses and validates; unknown fields and wrong types are errors. Text is trimmed.
Result<SafetyPlan> SafetyPlanFromJson(std::string_view json);

}  // namespace tta::safety
