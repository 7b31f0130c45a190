// tta::engine safety records: keeps every safety event the engine reports in the account
// store (levels, categories and rule ids — never the player's words), and reads a player's
// safety plan back for the crisis reply.
#pragma once

#include <optional>

#include "tta/core/clock.hpp"
#include "tta/safety/event_sink.hpp"
#include "tta/safety/safety_plan.hpp"
#include "tta/store/account_store.hpp"

namespace tta::engine {

class StoreSafetyEventSink final : public safety::SafetyEventSink {
public:
    StoreSafetyEventSink(store::AccountStore& accounts, const Clock& clock)
        : accounts_(accounts), clock_(clock) {}
    Status Record(const safety::SafetyEvent& event) override;

private:
    store::AccountStore& accounts_;
    const Clock& clock_;
};

// The user's plan, or nullopt when they have none or it cannot be read (a crisis reply never
// fails for want of a plan).
std::optional<safety::SafetyPlan> LoadSafetyPlan(store::AccountStore& accounts,
                                                 std::string_view user_id);
// Keeps the user's plan (validated; an empty plan deletes it). kInvalid names the field.
Status SaveSafetyPlan(store::AccountStore& accounts, std::string_view user_id,
                      const safety::SafetyPlan& plan, std::int64_t now_ms);

}  // namespace tta::engine
