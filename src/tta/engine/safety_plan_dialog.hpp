// tta::engine safety plan dialog: writing and editing a safety plan in play (`safety plan
// edit`), one Stanley–Brown section at a time, out of character. Pure functions over a draft:
// the engine keeps the draft while the dialog is open and saves the plan when it completes.
//
// Each section is answered with items separated by ';' ("walk the dog; hot shower"); contacts
// as "name, how to reach them" ("Mum, 07700 900456"). Besides items: `keep` keeps what the
// section has, `clear` empties it, `back` returns to the previous section, `stop` leaves
// without saving anything.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tta/safety/safety_plan.hpp"

namespace tta::engine {

inline constexpr std::size_t kSafetyPlanSections = 7;

struct SafetyPlanDraft {
    safety::SafetyPlan plan;  // starts as the saved plan, or empty
    std::size_t section = 0;  // 0..kSafetyPlanSections-1: the section being asked
};

// The question for the draft's current section, with what it holds now and how to answer.
// `first` adds the introduction said once at the start.
std::string SafetyPlanPrompt(const SafetyPlanDraft& draft, bool first);

struct SafetyPlanStep {
    enum class Kind {
        kAsk,      // ask the (next or same) section: `text` says why when the answer was refused
        kDone,     // every section answered: save draft.plan
        kStopped,  // the player left; nothing is saved
    };
    Kind kind = Kind::kAsk;
    std::string text;  // for kAsk after a refused answer: what was wrong
};

// Applies the player's answer to the current section and moves the draft on.
SafetyPlanStep AnswerSafetyPlan(SafetyPlanDraft& draft, std::string_view text);

// Said when `safety plan` is typed and there is no plan yet.
std::string NoSafetyPlanYet();
// Said when the plan could not be kept in this game.
std::string SafetyPlanNotKept(std::string_view why);
// Said when `stop` leaves the dialog.
std::string SafetyPlanStopped();

}  // namespace tta::engine
