// tta::therapy planner scenarios: a planner input written as YAML (profile, cues, check-ins,
// pacing, candidate beats) with an optional expected decision. They are the planner's test
// suite (src/tta/therapy/testdata/planner/*.yaml) and let clinicians and world authors try the
// policy with `tta therapy plan FILE`. The format is described in docs/therapy.md.
#pragma once

#include "tta/core/error.hpp"
#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/planner.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tta::therapy {

struct PlannerExpectation {
    std::optional<std::string> beat_id;  // none: expect no beat
    std::vector<std::string> reason_contains;
    std::vector<std::string> skipped_contains;  // each must appear in some skipped entry
};

struct PlannerScenario {
    std::string description;
    PlannerInput input;
    std::optional<PlannerExpectation> expect;
};

// Reads a scenario; errors are "file:line: message". Check-ins are normalised against the
// catalogue and the profile validated, as the engine would before planning.
Result<PlannerScenario> ParsePlannerScenario(const Catalogue& catalogue, std::string_view text,
                                             std::string_view file_name);

// What differs between a decision and an expectation, one line each; empty when it matches.
std::vector<std::string> CheckExpectation(const PlannerExpectation& expect,
                                          const BeatDecision& decision);

}  // namespace tta::therapy
