#include "tta/engine/safety_records.hpp"

namespace tta::engine {

Status StoreSafetyEventSink::Record(const safety::SafetyEvent& event) {
    if (event.player_id.empty()) return Ok();  // nobody to file it under
    store::SafetyEvent row;
    row.user_id = event.player_id;
    row.session_id = event.session_id;
    row.created_ms = clock_.NowMillis();
    row.level = std::string(safety::LevelName(event.level));
    row.personal = store::ToBytes(safety::SafetyEventToJson(event));
    auto appended = accounts_.AppendSafetyEvent(row);
    if (!appended) return appended.error();
    return Ok();
}

std::optional<safety::SafetyPlan> LoadSafetyPlan(store::AccountStore& accounts,
                                                 std::string_view user_id) {
    auto row = accounts.GetSafetyPlan(user_id);
    if (!row || !*row) return std::nullopt;
    auto plan = safety::SafetyPlanFromJson(store::AsText((*row)->personal));
    if (!plan) return std::nullopt;
    return std::move(*plan);
}

Status SaveSafetyPlan(store::AccountStore& accounts, std::string_view user_id,
                      const safety::SafetyPlan& plan, std::int64_t now_ms) {
    if (Status valid = safety::Validate(plan); !valid) return valid;
    if (plan.Empty()) {
        Status deleted = accounts.DeleteSafetyPlan(user_id);
        if (!deleted && deleted.error().code != ErrorCode::kNotFound) return deleted;
        return Ok();
    }
    store::SafetyPlan row;
    row.user_id = std::string(user_id);
    row.personal = store::ToBytes(safety::SafetyPlanToJson(plan));
    row.updated_ms = now_ms;
    return accounts.PutSafetyPlan(row);
}

}  // namespace tta::engine
