// tta::server safety plan routes (issue 4): the player writes, reads, changes and removes their
// own safety plan, which the crisis response shows back to them. Authenticated; only the
// caller's own plan.
//
//   GET    /v1/me/safety-plan  -> 200 {"plan": SafetyPlan, "updated_at"}; 404 when there is none
//   PUT    /v1/me/safety-plan  SafetyPlan -> 200 {"plan", "updated_at"}: the plan as stored
//                              (trimmed), replacing the one before
//   DELETE /v1/me/safety-plan  -> 204; 404 when there is none
//
// A SafetyPlan is the JSON of safety::SafetyPlanToJson (Stanley–Brown sections), so the "plan"
// GET gives can be edited and PUT back as it is. PUT validates with SafetyPlanFromJson; its
// messages name the field ("people_to_ask[2].contact: longer than 120 bytes"). The plan is
// personal text: the store given here seals it with the player's data key (personal.hpp).
#pragma once

#include "tta/core/clock.hpp"
#include "tta/server/router.hpp"
#include "tta/store/account_store.hpp"

namespace tta::server {

// `accounts` (a SealedAccountStore) and `clock` must outlive the router's use.
void AddSafetyPlanRoutes(Router& router, store::AccountStore& accounts, const Clock& clock);

}  // namespace tta::server
