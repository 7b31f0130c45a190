// tta::safety crisis response: what the player sees when the input gate finds a crisis. For
// `high` and `imminent` the turn steps out of the fiction with a calm, warm plain-text message,
// the crisis lines for the player's locale, their own safety plan if they wrote one, and how
// to return to the story. For `concern` it stays in the story: the narrator is handed a
// grounding moment to offer (breathing together, naming five things). No model is ever called
// here: this path must work with everything else down (ARCHITECTURE.md, principle 1).
// The words live in data/safety/messages.yaml (embedded), reviewed like the rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/resources.hpp"
#include "tta/safety/safety_plan.hpp"

namespace tta::safety {

struct ComposeOptions {
    std::string locale;                // "en-GB", "de", ...; unknown -> international fallback
    const SafetyPlan* plan = nullptr;  // the player's plan, if any
    std::string return_hint = "type \"continue\" to go back to the story";
    std::string companion = "Your companion";  // who offers the in-story grounding moment
};

struct GroundingOffer {
    std::string technique;     // paced_breathing, five_senses, gentle_check_in, soothing_object
    std::string narrator_cue;  // in-story words for the narrator or a character to offer
    std::string support_line;  // a quiet out-of-story pointer to a helpline
};

struct CrisisResponse {
    Level level = Level::kNone;
    bool step_out = false;  // high or imminent: leave the fiction
    std::string message;    // plain text; empty unless step_out
    std::string country;    // resolved country code, "" for the international fallback
    std::string emergency;  // the emergency number as shown
    std::vector<Helpline> resources;        // in the order shown
    std::optional<GroundingOffer> grounding;  // concern only
    bool plan_shown = false;
};

class ResponseComposer {
public:
    static Result<ResponseComposer> Create(std::string_view messages_yaml, std::string_view source,
                                           const ResourceDirectory& resources);
    static const ResponseComposer& Embedded();

    CrisisResponse Compose(const Assessment& assessment, const ComposeOptions& options) const;
    // The plan as the crisis reply shows it: an introduction, then each section that has items.
    std::string FormatPlan(const SafetyPlan& plan) const;

private:
    struct Grounding {
        std::string technique;
        std::string cue;
    };

    explicit ResponseComposer(const ResourceDirectory& resources) : resources_(&resources) {}

    std::string Opening(const Assessment& a) const;

    const ResourceDirectory* resources_;
    std::string step_out_, urgent_, urgent_other_, resources_intro_, emergency_line_;
    std::string plan_intro_, closing_, concern_support_;
    std::map<std::string, std::string, std::less<>> openings_;
    std::map<std::string, std::string, std::less<>> plan_sections_;
    std::map<std::string, Grounding, std::less<>> grounding_;
};

// One line "name: call X or text KEYWORD to Y (hours) url".
std::string FormatHelpline(const Helpline& h);
// {"level":...,"step_out":...,"message":...,"country":...,"emergency":...,"resources":[...],
//  "grounding":{...}|null,"plan_shown":...}
std::string CrisisResponseToJson(const CrisisResponse& r);

}  // namespace tta::safety
