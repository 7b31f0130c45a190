// Any request never crashes the API: bytes become a request (method, target, headers, body),
// which goes the way the server sends it — route match, authentication, handler — over the
// real SQLite store and engine with the worlds in worlds/. Run with the `fuzz` preset, corpus
// in fuzz/corpus/api/.
//
// Input: one byte choosing the method, then the target up to '\n', then "name: value" header
// lines up to an empty line, then the body. In the target and the body "{S}" and "{C}" stand for
// a session and a character of the signed-in player, so the fuzzer reaches the routes behind
// them; a request without an Authorization header is sent as that player unless it asks for
// "x-anonymous". Streams (/events) are left out: they need a live connection.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "tta/auth/password.hpp"
#include "tta/core/config.hpp"
#include "tta/core/utf8.hpp"
#include "tta/engine/world_catalog.hpp"
#include "tta/server/api.hpp"
#include "tta/server/router.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;
using namespace tta;

void Check(bool ok) {
    if (!ok) std::abort();
}

std::string Replace(std::string s, std::string_view from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

struct World {
    World() {
        dir = fs::temp_directory_path() / ("tta_api_fuzz_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        store::sqlite::SqliteOptions options;
        options.data_dir = dir;
        options.sync = store::sqlite::Sync::kNormal;
        auto opened = store::sqlite::SqliteStore::Open(options);
        Check(opened.has_value());
        db = std::move(*opened);
        std::vector<world::Diagnostic> diagnostics;
        auto loaded = engine::WorldCatalog::LoadDirectory(fs::path(TTA_SOURCE_DIR) / "worlds",
                                                          diagnostics);
        Check(loaded.has_value());
        worlds = std::make_unique<engine::WorldCatalog>(std::move(*loaded));
        config.limits.max_input_chars = 2000;
        server::AccountOptions accounts = server::AccountOptionsFrom(config);
        accounts.password_cost = auth::MinimumCost();
        api = std::make_unique<server::Api>(config, server::ApiStores{*db, *db, *db}, master,
                                            *worlds, clock, registry, accounts);
        api->AddRoutes(router);
        router.Freeze();
        auto player = api->AccountService().Register("fuzzer", "a long enough password", {});
        Check(player.has_value());
        bearer = "Bearer " + player->access_token;
        character = Id(Send(server::Method::kPost, "/v1/characters", R"({"name":"Robin"})"));
        session = Id(Send(server::Method::kPost, "/v1/sessions",
                          R"({"character_id":")" + character + R"(","world_id":"saltmarsh"})"));
    }
    ~World() { fs::remove_all(dir); }

    static std::string Id(const server::Response& r) {
        const auto at = r.body.find("\"id\":\"");
        Check(r.status < 300 && at != std::string::npos);
        const auto start = at + 6;
        return r.body.substr(start, r.body.find('"', start) - start);
    }

    server::Response Send(server::Method method, std::string target, std::string body) {
        server::Request req;
        req.method = method;
        req.target = std::move(target);
        req.headers = {{"authorization", bearer}, {"content-type", "application/json"}};
        req.body = std::move(body);
        return Dispatch(req);
    }

    // What the server does with a parsed request, without the socket (server.cpp, Dispatch).
    server::Response Dispatch(server::Request& req) {
        const auto q = req.target.find('?');
        req.path = req.target.substr(0, q);
        req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
        const auto match = router.Find(req.method, req.path);
        if (match.kind != server::RouteMatch::Kind::kFound) return server::Response::Json(404, {});
        const server::Route& route = *match.route;
        if (route.pattern.ends_with("/events")) return server::Response::Json(400, {});
        req.route = route.pattern;
        req.params = match.params;
        if (route.options.authenticated) {
            auto principal = api->Authenticator()(req);
            if (!principal) return server::Response(principal.error());
            req.principal = std::move(*principal);
        }
        server::Response response = route.handler(req);
        Check(response.status >= 200 && response.status < 600);
        // Every answer is well-formed UTF-8 (JSON bodies and text alike).
        Check(tta::IsValidUtf8(response.body));
        return response;
    }

    fs::path dir;
    std::unique_ptr<store::sqlite::SqliteStore> db;
    std::unique_ptr<engine::WorldCatalog> worlds;
    Config config;
    auth::MasterKey master = auth::MasterKey::Generate();
    SystemClock clock;
    metrics::Registry registry;
    std::unique_ptr<server::Api> api;
    server::Router router;
    std::string bearer, character, session;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World* w = new World();  // one store and engine for the whole run, as a server has
    if (size == 0) return 0;
    constexpr server::Method kMethods[] = {server::Method::kGet, server::Method::kPost,
                                           server::Method::kPatch, server::Method::kDelete,
                                           server::Method::kPut};
    std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    server::Request req;
    req.method = kMethods[data[0] % std::size(kMethods)];
    const auto line_end = in.find('\n');
    req.target = std::string(in.substr(0, line_end));
    in = line_end == std::string_view::npos ? std::string_view() : in.substr(line_end + 1);
    bool anonymous = false;
    while (!in.empty()) {
        const auto end = in.find('\n');
        const std::string_view line = in.substr(0, end);
        in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
        if (line.empty()) break;
        const auto colon = line.find(':');
        std::string name(line.substr(0, colon));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        anonymous = anonymous || name == "x-anonymous";
        std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        req.headers.emplace_back(std::move(name), std::string(value));
    }
    if (req.Header("authorization").empty() && !anonymous) {
        req.headers.emplace_back("authorization", w->bearer);
    }
    req.target = Replace(Replace(req.target, "{S}", w->session), "{C}", w->character);
    req.body = Replace(Replace(std::string(in), "{S}", w->session), "{C}", w->character);
    if (req.target.empty() || req.target.front() != '/') return 0;  // not a request line Beast accepts
    w->Dispatch(req);
    return 0;
}
