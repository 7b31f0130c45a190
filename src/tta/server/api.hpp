// tta::server API: the whole of `tta serve`'s HTTP API assembled over a set of stores — accounts,
// worlds, characters, sessions with streamed turns, the player's therapy records and safety
// plan, and the OpenAPI document — with the engine behind it and personal text sealed on its
// way to the stores (personal.hpp). `tta serve` and the integration tests build the same thing
// from this one place.
//
//   Api api(config, {store, store, store}, master_key, worlds, clock, registry,
//           AccountOptionsFrom(config));
//   api.SetNarrator(narrative::model::MakeNarrator(config.models, registry, clock));
//   api.AddRoutes(router);
//   server.SetAuthenticator(api.Authenticator());
#pragma once

#include <memory>

#include "tta/auth/jwt.hpp"
#include "tta/auth/keys.hpp"
#include "tta/core/clock.hpp"
#include "tta/core/config.hpp"
#include "tta/core/metrics.hpp"
#include "tta/engine/engine.hpp"
#include "tta/engine/safety_records.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/safety/event_sink.hpp"
#include "tta/server/accounts.hpp"
#include "tta/server/personal.hpp"
#include "tta/server/router.hpp"
#include "tta/server/server.hpp"
#include "tta/server/session_events.hpp"
#include "tta/server/session_routes.hpp"
#include "tta/server/therapy_routes.hpp"

namespace tta::server {

// The undecorated stores (one SQLite store is all three).
struct ApiStores {
    store::SessionStore& sessions;
    store::AccountStore& accounts;
    store::TherapyStore& therapy;
};

// auth.* settings as the account service takes them.
AccountOptions AccountOptionsFrom(const Config& config);

class Api {
  public:
    // Everything given must outlive the Api, and the Api must outlive the server using it.
    Api(const Config& config, ApiStores stores, const auth::MasterKey& master_key,
        const engine::WorldCatalog& worlds, const Clock& clock, metrics::Registry& registry,
        AccountOptions account_options);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    // Replaces the authored narrator; call before serving.
    void SetNarrator(std::unique_ptr<narrative::NarrativeStage> narrator);
    // Also tells `notifier` (e.g. the safety webhook) of every safety event, after the store
    // has it; call before serving. `notifier` must outlive the Api.
    void AddSafetyNotifier(safety::SafetyEventSink* notifier);
    void AddRoutes(Router& router);
    server::Authenticator Authenticator();

    Accounts& AccountService() { return accounts_; }
    engine::Engine& Engine() { return engine_; }
    PersonalKeys& Keys() { return keys_; }
    SessionEvents& Events() { return events_; }

  private:
    const engine::WorldCatalog& worlds_;
    const Clock& clock_;
    auth::AccessTokens tokens_;
    Accounts accounts_;
    PersonalKeys keys_;
    SealedSessionStore sealed_sessions_;
    SealedAccountStore sealed_accounts_;
    SealedTherapyStore sealed_therapy_;
    engine::Engine engine_;
    engine::StoreSafetyEventSink safety_sink_;
    std::unique_ptr<safety::FanOutSafetyEventSink> safety_fan_out_;
    SessionEvents events_;
    SessionRoutes session_routes_;
    TherapyRoutes therapy_routes_;
};

}  // namespace tta::server
