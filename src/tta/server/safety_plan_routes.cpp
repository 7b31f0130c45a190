#include "tta/server/safety_plan_routes.hpp"

#include <boost/json/parse.hpp>

#include "tta/safety/safety_plan.hpp"
#include "tta/server/route_helpers.hpp"

namespace tta::server {
namespace json = boost::json;

namespace {

Error NoPlan() {
    return Error::NotFound("you have no safety plan yet; PUT /v1/me/safety-plan writes one");
}

// {"plan": ..., "updated_at": ...}
Response PlanResponse(const safety::SafetyPlan& plan, std::int64_t updated_ms) {
    json::object out;
    out["plan"] = json::parse(safety::SafetyPlanToJson(plan));
    out["updated_at"] = Rfc3339(updated_ms);
    return Response::Json(200, out);
}

}  // namespace

void AddSafetyPlanRoutes(Router& router, store::AccountStore& accounts, const Clock& clock) {
    RouteOptions options;
    options.authenticated = true;
    options.blocking = true;

    router.Add(
        Method::kGet, "/v1/me/safety-plan",
        [&accounts](Request& req) -> Response {
            auto row = accounts.GetSafetyPlan(req.principal->user_id);
            if (!row) return row.error();
            if (!*row) return NoPlan();
            auto plan = safety::SafetyPlanFromJson(store::AsText((*row)->personal));
            if (!plan) {
                return Error::Internal("the stored safety plan does not read: " +
                                       plan.error().message);
            }
            return PlanResponse(*plan, (*row)->updated_ms);
        },
        options);

    router.Add(
        Method::kPut, "/v1/me/safety-plan",
        [&accounts, &clock](Request& req) -> Response {
            // The generic checks first (content type, UTF-8, JSON, an object), with the same
            // messages as every route; then the plan's own.
            if (auto body = req.JsonObject(); !body) return body.error();
            auto plan = safety::SafetyPlanFromJson(req.body);
            if (!plan) return plan.error();
            if (plan->Empty()) {
                return Error::Invalid(
                    "a safety plan needs at least one item; DELETE /v1/me/safety-plan removes it");
            }
            store::SafetyPlan row;
            row.user_id = req.principal->user_id;
            row.personal = store::ToBytes(safety::SafetyPlanToJson(*plan));
            row.updated_ms = clock.NowMillis();
            if (auto put = accounts.PutSafetyPlan(row); !put) return put.error();
            return PlanResponse(*plan, row.updated_ms);
        },
        options);

    router.Add(
        Method::kDelete, "/v1/me/safety-plan",
        [&accounts](Request& req) -> Response {
            const std::string& user = req.principal->user_id;
            auto row = accounts.GetSafetyPlan(user);
            if (!row) return row.error();
            if (!*row) return NoPlan();
            if (auto deleted = accounts.DeleteSafetyPlan(user); !deleted) return deleted.error();
            return Response::NoContent();
        },
        options);
}

}  // namespace tta::server
