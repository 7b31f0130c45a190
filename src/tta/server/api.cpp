#include "tta/server/api.hpp"

#include "tta/server/account_routes.hpp"
#include "tta/server/character_routes.hpp"
#include "tta/server/openapi.hpp"
#include "tta/server/safety_plan_routes.hpp"
#include "tta/server/world_routes.hpp"

namespace tta::server {

AccountOptions AccountOptionsFrom(const Config& config) {
    AccountOptions options;
    options.password_cost = auth::CostFor(config.auth.password_strength);
    options.min_password_length = config.auth.min_password_length;
    options.refresh_ttl = config.auth.refresh_ttl;
    return options;
}

namespace {

engine::EngineOptions EngineOptionsFor(metrics::Registry& registry) {
    engine::EngineOptions options;
    options.metrics = &registry;
    return options;
}

SessionRouteOptions SessionOptionsFrom(const Config& config) {
    SessionRouteOptions options;
    options.max_input_chars = config.limits.max_input_chars;
    return options;
}

}  // namespace

Api::Api(const Config& config, ApiStores stores, const auth::MasterKey& master_key,
         const engine::WorldCatalog& worlds, const Clock& clock, metrics::Registry& registry,
         AccountOptions account_options)
    : worlds_(worlds),
      clock_(clock),
      tokens_(master_key.Derive(auth::KeyPurpose::kSignAccessTokens),
              {config.auth.issuer, config.auth.audience,
               std::chrono::duration_cast<std::chrono::seconds>(config.auth.access_ttl)},
              clock),
      accounts_(stores.accounts, master_key, tokens_, clock, account_options),
      keys_(stores.accounts, master_key),
      sealed_sessions_(stores.sessions, keys_),
      sealed_accounts_(stores.accounts, keys_),
      sealed_therapy_(stores.therapy, keys_),
      engine_(worlds, sealed_sessions_, clock, EngineOptionsFor(registry)),
      safety_sink_(sealed_accounts_, clock),
      session_routes_(engine_, stores.sessions, stores.accounts, worlds, events_,
                      SessionOptionsFrom(config)),
      therapy_routes_(engine_, stores.sessions, sealed_accounts_, sealed_therapy_, clock) {
    engine_.SetTherapyStore(&sealed_therapy_);
    engine_.SetSafetyEventSink(&safety_sink_);
    therapy_routes_.SetSafetyEventSink(&safety_sink_);
    engine_.SetPlayerResolver([this](const store::Session& s) {
        engine::PlayerContext context;
        context.player = narrative::MakePlayer("Traveller", "they/them");
        auto c = sealed_accounts_.GetCharacter(s.character_id);
        if (c && c->owner_user_id == s.owner_user_id) {
            context.player = narrative::MakePlayer(c->name, c->pronouns);
            context.profile = c->profile;
            if (auto locale = ReadCharacterPersonal(*c).locale) context.locale = *locale;
        }
        return context;
    });
    engine_.SetProfileSaver([this](const store::Session& s, const std::string& profile) {
        auto c = sealed_accounts_.GetCharacter(s.character_id);
        if (!c) return Status(c.error());
        c->profile = profile;
        c->updated_ms = clock_.NowMillis();
        return sealed_accounts_.UpdateCharacter(*c);
    });
    engine_.SetSafetyPlanLookup([this](const store::Session& s) {
        return engine::LoadSafetyPlan(sealed_accounts_, s.owner_user_id);
    });
    // `safety plan edit` in play keeps the plan where PUT /v1/me/safety-plan does, sealed.
    engine_.SetSafetyPlanSaver([this](const store::Session& s, const safety::SafetyPlan& plan) {
        return engine::SaveSafetyPlan(sealed_accounts_, s.owner_user_id, plan,
                                      clock_.NowMillis());
    });
}

Api::~Api() = default;

void Api::SetNarrator(std::unique_ptr<narrative::NarrativeStage> narrator) {
    if (narrator) engine_.SetNarrator(std::move(narrator));
}

void Api::AddSafetyNotifier(safety::SafetyEventSink* notifier) {
    safety_fan_out_ = std::make_unique<safety::FanOutSafetyEventSink>(
        std::vector<safety::SafetyEventSink*>{&safety_sink_, notifier});
    engine_.SetSafetyEventSink(safety_fan_out_.get());
    therapy_routes_.SetSafetyEventSink(safety_fan_out_.get());
}

void Api::AddRoutes(Router& router) {
    AddAccountRoutes(router, accounts_);
    AddWorldRoutes(router, worlds_);
    AddCharacterRoutes(router, sealed_accounts_, clock_);
    session_routes_.AddTo(router);
    therapy_routes_.AddTo(router);
    AddSafetyPlanRoutes(router, sealed_accounts_, clock_);
    AddOpenApiRoute(router);
}

server::Authenticator Api::Authenticator() {
    return [this](const Request& req) { return accounts_.Authenticate(req); };
}

}  // namespace tta::server
