// The whole HTTP API over real connections on 127.0.0.1 (port 0), the way `tta serve` builds
// it: accounts, worlds, characters, sessions, turns and their event streams, resuming with
// Last-Event-ID, every error status, other accounts' data, concurrent turns on one session,
// malformed requests, personal text at rest, the crisis path, metrics and the OpenAPI document.
#include "tta/server/api.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "tta/narrative/model/model_narrator.hpp"
#include "tta/narrative/testing/fake_openai_server.hpp"
#include "tta/store/metrics_observer.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"
#include "tta/server/test_client.hpp"
#include "tta/world/loader.hpp"

namespace tta::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using testing::ClientResponse;
using testing::Headers;
using testing::HttpClient;
using testing::StreamItem;

// A session store that can be switched off, to show what still works when storage is down.
class SwitchableSessionStore final : public store::SessionStore {
  public:
    explicit SwitchableSessionStore(store::SessionStore& inner) : inner_(inner) {}
    std::atomic<bool> down{false};

    Status CreateSession(const store::Session& s) override {
        if (down) return Down();
        return inner_.CreateSession(s);
    }
    Result<store::Session> GetSession(std::string_view id) override {
        if (down) return Down();
        return inner_.GetSession(id);
    }
    Result<std::vector<store::Session>> ListSessions(std::string_view owner,
                                                     std::size_t limit) override {
        if (down) return Down();
        return inner_.ListSessions(owner, limit);
    }
    Status SetSessionStatus(std::string_view id, store::SessionStatus s) override {
        if (down) return Down();
        return inner_.SetSessionStatus(id, s);
    }
    Status SetSessionTitle(std::string_view id, std::string_view title) override {
        if (down) return Down();
        return inner_.SetSessionTitle(id, title);
    }
    Result<std::int64_t> AppendTurn(const store::NewTurn& t, std::int64_t head) override {
        if (down) return Down();
        return inner_.AppendTurn(t, head);
    }
    Status MoveHead(std::string_view id, std::int64_t expected, std::int64_t to) override {
        if (down) return Down();
        return inner_.MoveHead(id, expected, to);
    }
    Result<store::Turn> GetTurn(std::string_view id, std::int64_t seq) override {
        if (down) return Down();
        return inner_.GetTurn(id, seq);
    }
    Result<std::vector<store::Turn>> LoadChain(std::string_view id, std::int64_t head,
                                               std::int64_t after) override {
        if (down) return Down();
        return inner_.LoadChain(id, head, after);
    }
    Status PutSnapshot(const store::Snapshot& s) override {
        if (down) return Down();
        return inner_.PutSnapshot(s);
    }
    Result<std::optional<store::Snapshot>> LatestSnapshot(std::string_view id,
                                                          std::int64_t at) override {
        if (down) return Down();
        return inner_.LatestSnapshot(id, at);
    }
    Status DeleteSession(std::string_view id) override {
        if (down) return Down();
        return inner_.DeleteSession(id);
    }

  private:
    static Error Down() { return Error::Unavailable("the store is down"); }
    store::SessionStore& inner_;
};

struct Player {
    std::string access;
    std::string refresh;
    std::string user_id;
    Headers Auth() const { return {{"Authorization", "Bearer " + access}}; }
};

// A port on 127.0.0.1 where nothing listens.
int ClosedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string Str(const json::value& v, std::string_view key) {
    return std::string(v.at(key).as_string());
}

class ApiTest : public ::testing::Test {
  protected:
    ApiTest()
        : dir_(fs::temp_directory_path() /
               ("tta_api_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name())),
          master_(auth::MasterKey::Generate()),
          observer_(registry_) {
        fs::remove_all(dir_);
        std::vector<world::Diagnostic> diagnostics;
        auto pack = world::LoadPack(fs::path(TTA_SOURCE_DIR) / "src/tta/engine/testdata/tiny",
                                    diagnostics);
        EXPECT_TRUE(pack) << pack.error().message;
        if (pack) catalog_.Add(*pack);

        config_.server.port = 0;
        config_.server.threads = 2;
        config_.server.worker_threads = 8;
        config_.server.max_body_bytes = 16 * 1024;
        config_.server.max_header_bytes = 4096;
        config_.server.sse_heartbeat = 200ms;
        config_.server.shutdown_grace = 2s;
        config_.limits.ip_requests_per_second = 100000;
        config_.limits.ip_burst = 100000;
        config_.limits.account_requests_per_second = 100000;
        config_.limits.account_burst = 100000;
        config_.limits.max_input_chars = 200;
        config_.limits.max_streams_per_account = 2;
    }

    ~ApiTest() override {
        Stop();
        fs::remove_all(dir_);
    }

    void Start(std::unique_ptr<narrative::NarrativeStage> narrator = nullptr) {
        store::sqlite::SqliteOptions options;
        options.data_dir = dir_;
        options.observer = &observer_;
        auto opened = store::sqlite::SqliteStore::Open(options);
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
        sessions_ = std::make_unique<SwitchableSessionStore>(*store_);
        AccountOptions account_options = AccountOptionsFrom(config_);
        account_options.password_cost = auth::MinimumCost();
        api_ = std::make_unique<Api>(config_, ApiStores{*sessions_, *store_, *store_}, master_,
                                     catalog_, clock_, registry_, account_options);
        api_->SetNarrator(std::move(narrator));
        api_->AddRoutes(router_);
        server_ = std::make_unique<Server>(config_, router_, registry_, clock_);
        server_->SetAuthenticator(api_->Authenticator());
        ASSERT_TRUE(server_->Start());
        client_ = std::make_unique<HttpClient>(server_->Port());
    }

    void Stop() {
        client_.reset();
        if (server_) server_->Shutdown();
        server_.reset();
        api_.reset();
        sessions_.reset();
        store_.reset();
    }

    std::unique_ptr<HttpClient> Client() { return std::make_unique<HttpClient>(server_->Port()); }

    ClientResponse Call(std::string_view method, std::string_view target,
                        std::string_view body = {}, const Headers& headers = {},
                        HttpClient* via = nullptr) {
        auto r = (via ? via : client_.get())->Send(method, target, body, headers);
        EXPECT_TRUE(r) << method << " " << target << ": " << r.error().message;
        return r ? *r : ClientResponse{};
    }

    Player Register(const std::string& username) {
        auto r = Call("POST", "/v1/auth/register",
                      R"({"username":")" + username + R"(","password":"correct horse"})");
        EXPECT_EQ(r.status, 201) << r.body;
        const auto j = r.Json();
        return {Str(j, "access_token"), Str(j, "refresh_token"), Str(j.at("user"), "id")};
    }

    std::string NewCharacter(const Player& p, const std::string& body = R"({"name":"Robin"})") {
        auto r = Call("POST", "/v1/characters", body, p.Auth());
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? Str(r.Json(), "id") : "";
    }

    json::value NewSession(const Player& p, const std::string& character) {
        auto r = Call("POST", "/v1/sessions",
                      R"({"character_id":")" + character + R"(","world_id":"tiny"})", p.Auth());
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json();
    }

    json::value Turn(const Player& p, const std::string& session, const std::string& body,
                     HttpClient* via = nullptr) {
        auto r = Call("POST", "/v1/sessions/" + session + "/turns", body, p.Auth(), via);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    json::value Say(const Player& p, const std::string& session, const std::string& text,
                    HttpClient* via = nullptr) {
        return Turn(p, session, json::serialize(json::object{{"text", text}}), via);
    }

    // Events of the stream up to and including the next `turn` event.
    std::vector<StreamItem> NextAnswer(HttpClient& stream) {
        std::vector<StreamItem> items;
        for (;;) {
            auto item = stream.NextEvent(5s);
            EXPECT_TRUE(item) << item.error().message;
            if (!item || item->kind != StreamItem::Kind::kEvent) return items;
            items.push_back(*item);
            if (item->event == "turn") return items;
        }
    }

    std::unique_ptr<HttpClient> OpenEvents(const Player& p, const std::string& session,
                                           const std::string& last_id = "") {
        auto stream = Client();
        Headers headers = p.Auth();
        if (!last_id.empty()) headers.emplace_back("Last-Event-ID", last_id);
        auto r = stream->OpenStream("/v1/sessions/" + session + "/events", headers);
        EXPECT_TRUE(r);
        EXPECT_EQ(r->status, 200) << r->body;
        EXPECT_EQ(r->Header("content-type"), "text/event-stream");
        return stream;
    }

    fs::path dir_;
    ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    auth::MasterKey master_;
    metrics::Registry registry_;
    store::MetricsObserver observer_;
    engine::WorldCatalog catalog_;
    Config config_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    std::unique_ptr<SwitchableSessionStore> sessions_;
    std::unique_ptr<Api> api_;
    Router router_;
    std::unique_ptr<Server> server_;
    std::unique_ptr<HttpClient> client_;
};

TEST_F(ApiTest, TheWholeJourney) {
    Start();
    // Worlds are public.
    auto r = Call("GET", "/v1/worlds");
    ASSERT_EQ(r.status, 200);
    const auto worlds = r.Json().at("worlds").as_array();
    ASSERT_EQ(worlds.size(), 1u);
    EXPECT_EQ(worlds[0].at("id"), "tiny");
    EXPECT_EQ(worlds[0].at("title"), "The Tiny Cove");
    EXPECT_EQ(worlds[0].at("therapeutic_focus"), json::array({"anxiety"}));
    EXPECT_EQ(worlds[0].at("content_notes"), json::array({"the sea"}));
    EXPECT_EQ(worlds[0].at("age_guidance"), "all ages");
    EXPECT_EQ(worlds[0].at("techniques").at(0).at("id"), "box_breathing");
    EXPECT_EQ(worlds[0].at("techniques").at(0).at("name"), "Box breathing");
    EXPECT_EQ(Call("GET", "/v1/worlds/tiny").Json(), worlds[0]);

    const Player mira = Register("mira");
    r = Call("POST", "/v1/characters",
             R"({"name":"Robin","pronouns":"she/her","background":"a lighthouse keeper's )"
             R"(daughter","locale":"en-GB","profile":{"goals":["anxiety"],)"
             R"("frameworks":["mindfulness"],"max_intensity":"gentle",)"
             R"("topics_to_avoid":["water"]}})",
             mira.Auth());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto character = r.Json();
    const std::string character_id = Str(character, "id");
    EXPECT_EQ(r.Header("location"), "/v1/characters/" + character_id);
    EXPECT_EQ(character.at("background"), "a lighthouse keeper's daughter");
    EXPECT_EQ(character.at("profile").at("max_intensity"), "gentle");
    r = Call("PATCH", "/v1/characters/" + character_id, R"({"pronouns":"they/them"})",
             mira.Auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("pronouns"), "they/them");
    EXPECT_EQ(r.Json().at("background"), "a lighthouse keeper's daughter");
    EXPECT_EQ(Call("GET", "/v1/characters", "", mira.Auth()).Json().at("characters").at(0),
              r.Json());

    // A session opens with its first turn.
    const auto session = NewSession(mira, character_id);
    const std::string id = Str(session, "id");
    EXPECT_EQ(session.at("world_id"), "tiny");
    EXPECT_EQ(session.at("status"), "active");
    EXPECT_EQ(session.at("turn").at("number"), 1);
    EXPECT_NE(Str(session.at("turn"), "narrative").find("Waves fold onto the sand, Robin."),
              std::string::npos);

    // A stream, then a turn: the same turn arrives on the stream in chunks, then whole.
    auto stream = OpenEvents(mira, id);
    const auto north = Say(mira, id, "go north");
    EXPECT_EQ(north.at("number"), 2);
    EXPECT_EQ(north.at("parent"), 1);
    EXPECT_EQ(north.at("recorded"), true);
    EXPECT_EQ(north.at("kind"), "story");
    EXPECT_EQ(north.at("safety_level"), "none");
    auto events = NextAnswer(*stream);
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events.front().event, "narrative");
    EXPECT_EQ(events.front().id, "2.0");
    EXPECT_EQ(events.back().id, "2");
    EXPECT_EQ(json::parse(events.back().data), north);
    std::string streamed;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        streamed += (i ? "\n\n" : "") + Str(json::parse(events[i].data), "text");
    }
    EXPECT_EQ(streamed, Str(north, "narrative"));

    // An answer that records nothing goes out without an id.
    const auto help = Say(mira, id, "help");
    EXPECT_EQ(help.at("recorded"), false);
    events = NextAnswer(*stream);
    EXPECT_EQ(json::parse(events.back().data).at("kind"), "help");
    EXPECT_EQ(events.back().id, "2");  // the last id stays the last turn's

    // Drop the stream, play on, come back with Last-Event-ID: nothing is lost.
    stream.reset();
    const auto examine = Say(mira, id, "examine the matches");
    const auto take = Say(mira, id, "take the matches");
    EXPECT_EQ(take.at("number"), 4);
    stream = OpenEvents(mira, id, "2");
    auto replayed = NextAnswer(*stream);
    EXPECT_EQ(replayed.back().id, "3");
    EXPECT_EQ(json::parse(replayed.back().data).at("narrative"), examine.at("narrative"));
    replayed = NextAnswer(*stream);
    EXPECT_EQ(replayed.back().id, "4");
    EXPECT_EQ(json::parse(replayed.back().data).at("narrative"), take.at("narrative"));
    const auto south = Say(mira, id, "south");
    EXPECT_EQ(NextAnswer(*stream).back().id, "5");  // and then live
    // Resuming from inside a turn sends the rest of that turn.
    auto mid = OpenEvents(mira, id, "5.0");
    const auto rest = NextAnswer(*mid);
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(rest.back().id, "5");
    if (rest.size() > 1) {
        EXPECT_EQ(rest.front().id, "5.1");
    }
    EXPECT_EQ(json::parse(rest.back().data), south);
    mid.reset();

    // The session as listed and as read.
    r = Call("GET", "/v1/sessions", "", mira.Auth());
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.Json().at("sessions").as_array().size(), 1u);
    EXPECT_EQ(r.Json().at("sessions").at(0).at("head"), 5);
    r = Call("GET", "/v1/sessions/" + id, "", mira.Auth());
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Json().at("turn").at("narrative"), south.at("narrative"));

    // Undo steps back to the turn before; the stream hears it, without an id.
    r = Call("POST", "/v1/sessions/" + id + "/undo", "", mira.Auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("number"), 4);
    EXPECT_EQ(r.Json().at("kind"), "undo");
    events = NextAnswer(*stream);
    EXPECT_EQ(json::parse(events.back().data).at("kind"), "undo");
    EXPECT_EQ(events.back().id, "5");
    // The next turn is a new branch from turn 4.
    const auto branch = Say(mira, id, "look");
    EXPECT_EQ(branch.at("number"), 6);
    EXPECT_EQ(branch.at("parent"), 4);
    stream.reset();

    // Refresh rotates; replaying a spent token revokes the family; logout revokes.
    r = Call("POST", "/v1/auth/refresh", R"({"refresh_token":")" + mira.refresh + R"("})");
    ASSERT_EQ(r.status, 200);
    const std::string second = Str(r.Json(), "refresh_token");
    const Player rotated{Str(r.Json(), "access_token"), second, mira.user_id};
    EXPECT_EQ(Call("GET", "/v1/sessions/" + id, "", rotated.Auth()).status, 200);
    EXPECT_EQ(
        Call("POST", "/v1/auth/refresh", R"({"refresh_token":")" + mira.refresh + R"("})").status,
        401);
    EXPECT_EQ(Call("POST", "/v1/auth/refresh", R"({"refresh_token":")" + second + R"("})").status,
              401);
    r = Call("POST", "/v1/auth/login", R"({"username":"mira","password":"correct horse"})");
    ASSERT_EQ(r.status, 200);
    const std::string third = Str(r.Json(), "refresh_token");
    EXPECT_EQ(Call("POST", "/v1/auth/logout", R"({"refresh_token":")" + third + R"("})").status,
              204);
    EXPECT_EQ(Call("POST", "/v1/auth/refresh", R"({"refresh_token":")" + third + R"("})").status,
              401);

    // Deleting a character.
    EXPECT_EQ(Call("DELETE", "/v1/characters/" + character_id, "", mira.Auth()).status, 204);
    EXPECT_EQ(Call("GET", "/v1/characters/" + character_id, "", mira.Auth()).status, 404);
}

TEST_F(ApiTest, ANewSessionNamesTheContentNotesThatTouchTopicsToAvoid) {
    Start();
    const Player p = Register("mira");
    const auto plain = NewSession(p, NewCharacter(p));
    EXPECT_TRUE(plain.at("content_warnings").as_array().empty());
    const auto wary = NewSession(
        p, NewCharacter(p, R"({"name":"Robin","profile":{"topics_to_avoid":["Seas"]}})"));
    EXPECT_EQ(wary.at("content_warnings"),
              json::parse(R"([{"note":"the sea","topic":"Seas"}])"));
}

TEST_F(ApiTest, ChoicesArePickedByNumber) {
    Start();
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    Say(p, id, "north");
    auto talk = Say(p, id, "talk to ada");
    // Ada offers to breathe together (the tiny world's scene), with numbered choices.
    for (int i = 0; i < 3 && talk.at("choices").as_array().empty(); ++i) {
        talk = Say(p, id, "talk to ada");
    }
    ASSERT_FALSE(talk.at("choices").as_array().empty()) << json::serialize(talk);
    EXPECT_EQ(talk.at("choices").at(0).at("number"), 1);
    const auto picked = Turn(p, id, R"({"choice":1})");
    EXPECT_EQ(picked.at("recorded"), true) << json::serialize(picked);
    EXPECT_EQ(picked.at("number"), talk.at("number").as_int64() + 1);
}

TEST_F(ApiTest, ErrorsHaveTheirStatuses) {
    Start();
    const Player p = Register("mira");
    const std::string character = NewCharacter(p);
    const std::string id = Str(NewSession(p, character), "id");
    const std::string turns = "/v1/sessions/" + id + "/turns";
    const auto code = [](const ClientResponse& r) { return Str(r.Json().at("error"), "code"); };

    // 400: malformed JSON, invalid UTF-8, wrong or missing fields, bad values.
    const std::vector<std::string> bad_turns = {
        "{not json",
        "[1,2]",
        std::string(R"({"text":"caf)") + "\xC3\x28" + R"("})",
        R"({})",
        R"({"text":"look","choice":1})",
        R"({"text":7})",
        R"({"choice":0})",
        R"({"choice":100})",
        R"({"choice":"1"})",
        R"({"choice":1.5})",
        R"({"text":"look","mood":"fine"})",
        R"({"text":")" + std::string(201, 'a') + R"("})",
    };
    for (const auto& body : bad_turns) {
        auto r = Call("POST", turns, body, p.Auth());
        EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
        EXPECT_EQ(code(r), "invalid") << body;
    }
    EXPECT_EQ(Call("POST", turns, R"({"text":"look"})",
                   {{"Authorization", "Bearer " + p.access}, {"Content-Type", "text/plain"}})
                  .status,
              400);
    for (const std::string body :
         {R"({})", R"({"name":""})", R"({"name":"  "})", R"({"name":"R","pronouns":""})",
          R"({"name":"R","profile":{"goals":["flying"]}})",
          R"({"name":"R","profile":{"max_intensity":"extreme"}})",
          R"({"name":"R","profile":[]})", R"({"name":"R","locale":"en GB"})",
          R"({"name":"R","colour":"blue"})"}) {
        EXPECT_EQ(Call("POST", "/v1/characters", body, p.Auth()).status, 400) << body;
    }
    EXPECT_EQ(Call("POST", "/v1/sessions", R"({"world_id":"tiny"})", p.Auth()).status, 400);
    EXPECT_EQ(Call("GET", "/v1/sessions?limit=0", "", p.Auth()).status, 400);
    EXPECT_EQ(Call("GET", "/v1/sessions?limit=abc", "", p.Auth()).status, 400);
    {
        auto stream = Client();
        Headers headers = p.Auth();
        headers.emplace_back("Last-Event-ID", "yesterday");
        auto r = stream->OpenStream("/v1/sessions/" + id + "/events", headers);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 400);
    }

    // 401: no token, a forged one, an expired one.
    auto r = Call("GET", "/v1/characters");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.Header("www-authenticate"), "Bearer");
    EXPECT_EQ(Call("POST", turns, R"({"text":"look"})", {{"Authorization", "Bearer x.y.z"}}).status,
              401);

    // 404: unknown worlds, characters, sessions, routes.
    EXPECT_EQ(Call("GET", "/v1/worlds/atlantis").status, 404);
    EXPECT_EQ(Call("GET", "/v1/characters/nope", "", p.Auth()).status, 404);
    EXPECT_EQ(Call("POST", "/v1/sessions",
                   R"({"character_id":")" + character + R"(","world_id":"atlantis"})", p.Auth())
                  .status,
              404);
    EXPECT_EQ(Call("POST", "/v1/sessions", R"({"character_id":"nope","world_id":"tiny"})",
                   p.Auth())
                  .status,
              404);
    EXPECT_EQ(Call("POST", "/v1/sessions/nope/turns", R"({"text":"look"})", p.Auth()).status,
              404);
    EXPECT_EQ(Call("POST", "/v1/sessions/nope/undo", "", p.Auth()).status, 404);
    EXPECT_EQ(Call("GET", "/v1/sessions/nope", "", p.Auth()).status, 404);
    EXPECT_EQ(Call("GET", "/v1/nothing-here").status, 404);

    // 405 with Allow.
    r = Call("DELETE", "/v1/sessions/" + id, "", p.Auth());
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.Header("allow"), "GET, HEAD");

    // 409: a username taken.
    EXPECT_EQ(Call("POST", "/v1/auth/register",
                   R"({"username":"MIRA","password":"correct horse"})")
                  .status,
              409);

    // 413: a body over server.max_body_bytes (the connection closes after).
    {
        HttpClient big(server_->Port());
        auto answer = big.Send("POST", turns, R"({"text":")" + std::string(20000, 'a') + R"("})",
                               p.Auth());
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->status, 413);
    }

    // 429: more event streams than limits.max_streams_per_account.
    {
        auto a = OpenEvents(p, id);
        auto b = OpenEvents(p, id);
        auto c = Client();
        auto refused = c->OpenStream("/v1/sessions/" + id + "/events", p.Auth());
        ASSERT_TRUE(refused);
        EXPECT_EQ(refused->status, 429);
        EXPECT_FALSE(refused->Header("retry-after").empty());
    }

    // 431: headers over server.max_header_bytes.
    {
        HttpClient big(server_->Port());
        auto answer = big.Send("GET", "/v1/worlds", "", {{"X-Padding", std::string(5000, 'x')}});
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->status, 431);
    }

    // 503: the store is down (and the crisis path still answers: CrisisIsAnsweredWithTheStoreDown).
    sessions_->down = true;
    r = Call("POST", turns, R"({"text":"look"})", p.Auth());
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(code(r), "unavailable");
    sessions_->down = false;

    // And expired tokens, last, since the clock moves on.
    clock_.Advance(16min);
    EXPECT_EQ(Call("POST", turns, R"({"text":"look"})", p.Auth()).status, 401);
}

TEST_F(ApiTest, AnotherAccountsCharactersAndSessionsDoNotExist) {
    Start();
    const Player mira = Register("mira");
    const Player ollie = Register("ollie");
    const std::string character = NewCharacter(mira);
    const std::string session = Str(NewSession(mira, character), "id");
    const std::string ollies_character = NewCharacter(ollie);

    EXPECT_EQ(Call("GET", "/v1/characters/" + character, "", ollie.Auth()).status, 404);
    EXPECT_EQ(Call("PATCH", "/v1/characters/" + character, R"({"name":"Mine"})", ollie.Auth())
                  .status,
              404);
    EXPECT_EQ(Call("DELETE", "/v1/characters/" + character, "", ollie.Auth()).status, 404);
    EXPECT_EQ(Call("POST", "/v1/sessions",
                   R"({"character_id":")" + character + R"(","world_id":"tiny"})", ollie.Auth())
                  .status,
              404);
    EXPECT_EQ(Call("GET", "/v1/sessions/" + session, "", ollie.Auth()).status, 404);
    EXPECT_EQ(Call("POST", "/v1/sessions/" + session + "/turns", R"({"text":"look"})",
                   ollie.Auth())
                  .status,
              404);
    EXPECT_EQ(Call("POST", "/v1/sessions/" + session + "/undo", "", ollie.Auth()).status, 404);
    auto peek = Client();
    auto r = peek->OpenStream("/v1/sessions/" + session + "/events", ollie.Auth());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    // Their lists hold only their own.
    auto characters = Call("GET", "/v1/characters", "", ollie.Auth()).Json().at("characters");
    ASSERT_EQ(characters.as_array().size(), 1u);
    EXPECT_EQ(characters.at(0).at("id").as_string(), ollies_character);
    EXPECT_TRUE(Call("GET", "/v1/sessions", "", ollie.Auth()).Json().at("sessions").as_array()
                    .empty());
    // And nothing of Mira's changed.
    EXPECT_EQ(Call("GET", "/v1/characters/" + character, "", mira.Auth()).Json().at("name"),
              "Robin");
    EXPECT_EQ(Call("GET", "/v1/sessions/" + session, "", mira.Auth()).Json().at("head"), 1);
}

TEST_F(ApiTest, ConcurrentTurnsOnOneSessionAreAnsweredOneAtATime) {
    Start();
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    auto stream = OpenEvents(p, id);

    constexpr int kThreads = 6;
    constexpr int kTurnsEach = 5;
    std::vector<std::vector<json::value>> answers(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            HttpClient c(server_->Port());
            for (int i = 0; i < kTurnsEach; ++i) {
                auto r = c.Send("POST", "/v1/sessions/" + id + "/turns",
                                R"({"text":"look"})", p.Auth());
                if (r && r->status == 200) answers[t].push_back(r->Json());
            }
        });
    }
    for (auto& t : threads) t.join();

    std::vector<std::int64_t> numbers;
    std::map<std::int64_t, json::value> by_number;
    for (const auto& list : answers) {
        EXPECT_EQ(list.size(), static_cast<std::size_t>(kTurnsEach));
        for (const auto& a : list) {
            EXPECT_EQ(a.at("recorded"), true);
            numbers.push_back(a.at("number").as_int64());
            by_number[a.at("number").as_int64()] = a;
        }
    }
    std::sort(numbers.begin(), numbers.end());
    ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kThreads * kTurnsEach));
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        EXPECT_EQ(numbers[i], static_cast<std::int64_t>(i) + 2);  // 1 is the opening
        // Each turn follows the one before: one chain, no turn played from a stale head.
        EXPECT_EQ(by_number[numbers[i]].at("parent"), numbers[i] - 1);
    }
    // The stream has every turn in order, each whole before the next begins.
    std::int64_t expected = 2;
    while (expected <= numbers.back()) {
        const auto events = NextAnswer(*stream);
        ASSERT_FALSE(events.empty());
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto data = json::parse(events[i].data);
            EXPECT_EQ(data.at("number"), expected);
            if (events[i].event == "narrative") {
                EXPECT_EQ(data.at("index"), i);
            }
        }
        EXPECT_EQ(events.back().event, "turn");
        EXPECT_EQ(events.back().id, std::to_string(expected));
        ++expected;
    }
}

TEST_F(ApiTest, MalformedRequestsAreRefusedAndTheServerKeepsServing) {
    Start();
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    const std::vector<std::string> bodies = {
        "", "null", "\"text\"", "{", "}", "{\"text\":", R"({"text":"\ud800"})",
        std::string("{\"text\":\"\xff\xfe\"}"), std::string(40, '[') + std::string(40, ']'),
        R"({"text":null})", R"({"text":["look"]})", R"({"choice":-1})",
        R"({"choice":99999999999999999999})", std::string("{\"text\":\"a\0b\"}", 14),
        R"({"text":"look"} trailing)",
    };
    const std::vector<std::string> targets = {
        "/v1/sessions/" + id + "/turns", "/v1/characters", "/v1/sessions",
        "/v1/characters/%ZZ", "/v1/sessions/%00/turns", "/v1/auth/register", "/v1/auth/refresh",
    };
    for (const auto& target : targets) {
        for (const auto& body : bodies) {
            HttpClient c(server_->Port());
            auto r = c.Send("POST", target, body, p.Auth());
            ASSERT_TRUE(r) << target << " " << body;
            EXPECT_GE(r->status, 400) << target << " " << body << " -> " << r->body;
            EXPECT_LT(r->status, 500) << target << " " << body << " -> " << r->body;
        }
    }
    // Raw garbage instead of HTTP.
    for (const std::string& raw : {std::string("GET / HTTP/9.9\r\n\r\n"), std::string("\x16\x03\x01"),
                                  std::string("POST /v1/sessions HTTP/1.1\r\nContent-Length: "
                                              "-5\r\n\r\n")}) {
        HttpClient c(server_->Port());
        ASSERT_TRUE(c.SendRaw(raw));
        c.WaitClosed(2s);
    }
    EXPECT_EQ(Call("GET", "/healthz").status, 200);
    EXPECT_EQ(Say(p, id, "look").at("recorded"), true);
    EXPECT_EQ(Call("GET", "/metrics").body.find("tta_http_internal_errors_total 1"),
              std::string::npos);
    EXPECT_NE(Call("GET", "/metrics").body.find("tta_http_internal_errors_total 0"),
              std::string::npos);
}

// Everything a player types or writes about themselves is sealed with their key: grep every
// file of the data directory, the write-ahead log included, for a phrase they used.
TEST_F(ApiTest, PersonalTextNeverReachesTheDiskInTheClear) {
    Start();
    const std::string kSentinel = "Quillonbury Marshwhistle";
    const Player p = Register("mira");
    const std::string character = NewCharacter(
        p, R"({"name":"Robin","background":"grew up with )" + kSentinel + R"("})");
    const std::string id = Str(NewSession(p, character), "id");
    // Words of concern make a recorded turn even when the rest is not a command.
    const auto turn = Say(p, id, "I feel hopeless about " + kSentinel);
    ASSERT_EQ(turn.at("recorded"), true) << json::serialize(turn);
    Say(p, id, "journal " + kSentinel + " wrote to me");
    Say(p, id, "check in 4 tired");
    // The player reads it all back.
    EXPECT_NE(Str(Call("GET", "/v1/characters/" + character, "", p.Auth()).Json(), "background")
                  .find(kSentinel),
              std::string::npos);
    auto stored = store_->GetTurn(id, turn.at("number").as_int64());
    ASSERT_TRUE(stored);
    EXPECT_NE(api_->Keys()
                  .OpenOrEmpty(p.user_id, stored->personal, "turn:" + id)
                  .find(kSentinel),
              std::string::npos)
        << "the input should be kept, sealed";

    auto contains = [&](const std::string& needle) {
        std::vector<std::string> hits;
        for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::transform(bytes.begin(), bytes.end(), bytes.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (bytes.find(needle) != std::string::npos) hits.push_back(entry.path().filename());
        }
        return hits;
    };
    bool saw_wal = false;
    for (const auto& entry : fs::directory_iterator(dir_)) {
        saw_wal = saw_wal || entry.path().string().ends_with("-wal");
    }
    EXPECT_TRUE(saw_wal) << "the test should also read the write-ahead log";
    EXPECT_EQ(contains("quillonbury"), std::vector<std::string>{});
    EXPECT_EQ(contains("marshwhistle"), std::vector<std::string>{});
    ASSERT_FALSE(contains("robin").empty()) << "the grep should find what is stored in the clear";

    // Deleting the user deletes their key: what remains cannot be opened, even with the
    // master key.
    ASSERT_TRUE(store_->DeleteUser(p.user_id));
    PersonalKeys fresh(*store_, master_);
    EXPECT_FALSE(fresh.Open(p.user_id, stored->personal, "turn:" + id));
}

TEST_F(ApiTest, ACrisisIsAnsweredOverHttpAndOnTheStreamWithModelsUnreachable) {
    ModelProviderConfig provider;
    provider.name = "unreachable";
    provider.base_url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
    provider.model = "none";
    provider.connect_timeout = 500ms;
    config_.models.providers.push_back(provider);
    std::vector<std::string> warnings;
    auto narrator = narrative::model::MakeNarrator(config_.models, registry_, clock_, &warnings);
    ASSERT_EQ(narrator->Name(), "model") << "the model narrator should be installed";
    Start(std::move(narrator));

    const Player p = Register("mira");
    const std::string id =
        Str(NewSession(p, NewCharacter(p, R"({"name":"Robin","locale":"en-GB"})")), "id");
    auto stream = OpenEvents(p, id);
    // An ordinary turn still answers (from the authored text).
    EXPECT_EQ(Say(p, id, "look").at("recorded"), true);
    NextAnswer(*stream);

    const auto crisis = Say(p, id, "I want to kill myself");
    EXPECT_EQ(crisis.at("kind"), "crisis");
    EXPECT_TRUE(crisis.at("safety_level") == "high" || crisis.at("safety_level") == "imminent")
        << json::serialize(crisis);
    ASSERT_TRUE(crisis.as_object().contains("crisis"));
    EXPECT_FALSE(crisis.at("crisis").at("resources").as_array().empty());
    EXPECT_EQ(crisis.at("crisis").at("country"), "GB");
    EXPECT_EQ(crisis.at("recorded"), true);
    const auto events = NextAnswer(*stream);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(json::parse(events.back().data), crisis);
    // A reconnecting stream replays it with its resources.
    auto again = OpenEvents(p, id, std::to_string(crisis.at("number").as_int64() - 1));
    const auto replayed = NextAnswer(*again);
    EXPECT_EQ(json::parse(replayed.back().data).at("crisis").at("resources"),
              crisis.at("crisis").at("resources"));
    // "continue" goes back to the story.
    EXPECT_EQ(Say(p, id, "continue").at("kind"), "resume");
}

TEST_F(ApiTest, AModelsCheckedSentencesReachTheStreamAsDraftsBeforeTheTurn) {
    narrative::testing::FakeOpenAiServer fake;
    fake.SetDefault(narrative::testing::Streamed(
        "Waves fold onto the pale sand. The wind smells of salt and old rope.", 9));
    ModelProviderConfig provider;
    provider.name = "fake";
    provider.base_url = fake.BaseUrl();
    provider.model = "fake-model";
    config_.models.providers.push_back(provider);
    std::vector<std::string> warnings;
    Start(narrative::model::MakeNarrator(config_.models, registry_, clock_, &warnings));

    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    auto stream = OpenEvents(p, id);
    const auto turn = Say(p, id, "look");
    ASSERT_TRUE(turn.at("narrative").as_string().starts_with("Waves fold")) << turn;
    const auto events = NextAnswer(*stream);
    std::string drafted;
    std::size_t drafts = 0;
    for (const auto& e : events) {
        if (e.event != "draft") break;
        ++drafts;
        EXPECT_TRUE(e.id.empty()) << "drafts are not replayed, so they carry no id";
        const auto data = json::parse(e.data);
        EXPECT_EQ(data.at("number"), turn.at("number"));
        drafted += std::string(data.at("text").as_string());
    }
    ASSERT_GE(drafts, 1u) << "the model's sentences should arrive before the turn";
    EXPECT_NE(drafted.find("The wind smells of salt"), std::string::npos) << drafted;
    EXPECT_EQ(events.back().event, "turn");
    EXPECT_EQ(json::parse(events.back().data), turn);
    // A stream resuming from before the turn gets the committed events only.
    auto again = OpenEvents(p, id, std::to_string(turn.at("number").as_int64() - 1));
    for (const auto& e : NextAnswer(*again)) EXPECT_NE(e.event, "draft");
}

TEST_F(ApiTest, APlayerWhoLeavesMidTurnStopsTheWaitOnTheModelAndTheTurnIsKept) {
    // The opening is narrated at once; every later request keeps the model silent for 6 s.
    narrative::testing::FakeOpenAiServer fake;
    std::atomic<int> asked{0};
    fake.SetHandler([&asked](const narrative::testing::RecordedRequest&) {
        auto reply = narrative::testing::Streamed("Waves fold onto the pale sand.");
        if (asked++ > 0) reply.first_delay = 6s;
        return reply;
    });
    ModelProviderConfig provider;
    provider.name = "fake";
    provider.base_url = fake.BaseUrl();
    provider.model = "fake-model";
    provider.first_token_timeout = 10s;
    provider.total_timeout = 12s;
    config_.models.providers.push_back(provider);
    config_.models.turn_timeout = 12s;
    std::vector<std::string> warnings;
    Start(narrative::model::MakeNarrator(config_.models, registry_, clock_, &warnings));
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    const std::int64_t head = store_->GetSession(id)->head_seq;

    const auto started = std::chrono::steady_clock::now();
    {
        auto leaving = Client();
        const std::string body = R"({"text":"look"})";
        ASSERT_TRUE(leaving->SendRaw("POST /v1/sessions/" + id +
                                     "/turns HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                                     p.access + "\r\nContent-Type: application/json\r\n"
                                     "Content-Length: " + std::to_string(body.size()) +
                                     "\r\n\r\n" + body));
        std::this_thread::sleep_for(300ms);
    }  // the player closes the tab
    std::int64_t now_head = head;
    while (now_head == head && std::chrono::steady_clock::now() - started < 5500ms) {
        std::this_thread::sleep_for(20ms);
        now_head = store_->GetSession(id)->head_seq;
    }
    ASSERT_GT(now_head, head) << "the turn should be committed without waiting for the model";
    EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);  // the model would take 6 s
    const auto body = json::parse(store_->GetTurn(id, now_head)->body);
    EXPECT_EQ(body.at("provenance").at("narrator"), "authored") << body;
    EXPECT_EQ(body.at("provenance").at("fell_back"), true) << body;
}

TEST_F(ApiTest, ASafetyPlanWrittenInPlayIsTheAccountsPlan) {
    Start();
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    EXPECT_EQ(Say(p, id, "safety plan edit").at("kind"), "safety_plan");
    for (const char* answer : {"skip", "skip", "skip", "Jo, 07700 900111", "skip", "skip"}) {
        Say(p, id, answer);
    }
    EXPECT_NE(Str(Say(p, id, "the sea in the morning"), "narrative").find("Saved."),
              std::string::npos);
    auto r = Call("GET", "/v1/me/safety-plan", "", p.Auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("plan").at("people_to_ask").at(0).at("name"), "Jo");
    EXPECT_EQ(r.Json().at("plan").at("reasons_for_living").at(0), "the sea in the morning");
}

TEST_F(ApiTest, ACrisisIsAnsweredWithTheStoreDown) {
    Start();
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    sessions_->down = true;
    auto r = Call("POST", "/v1/sessions/" + id + "/turns", R"({"text":"I want to kill myself"})",
                  p.Auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("kind"), "crisis");
    EXPECT_EQ(r.Json().at("recorded"), false);
    EXPECT_FALSE(r.Json().at("crisis").at("resources").as_array().empty());
    EXPECT_EQ(Call("POST", "/v1/sessions/" + id + "/turns", R"({"text":"look"})", p.Auth()).status,
              503);
}

TEST_F(ApiTest, MetricsCoverRoutesEngineStagesAndTheStore) {
    Start();
    const Player p = Register("mira");
    const std::string id = Str(NewSession(p, NewCharacter(p)), "id");
    Say(p, id, "look");
    const std::string text = Call("GET", "/metrics").body;
    for (const char* needle :
         {"tta_engine_stage_seconds_bucket{stage=\"commit\"",
          "tta_engine_stage_seconds_bucket{stage=\"safety\"",
          "tta_engine_stage_seconds_bucket{stage=\"narrative\"",
          "tta_store_calls_total{op=\"AppendTurn\",outcome=\"ok\"}",
          "tta_store_commit_seconds_bucket",
          "tta_http_requests_total{route=\"/v1/sessions/{id}/turns\",method=\"POST\",code=\"200\"}",
          "tta_http_open_streams"}) {
        EXPECT_NE(text.find(needle), std::string::npos) << needle;
    }
}

// Every route the server has is described, and nothing described is missing from the server.
TEST_F(ApiTest, TheOpenApiDocumentDescribesExactlyTheRegisteredRoutes) {
    Start();
    auto r = Call("GET", "/openapi.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("content-type"), "application/json");
    const json::value doc = r.Json();
    ASSERT_TRUE(doc.is_object()) << "openapi.json does not parse";
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    const auto& paths = doc.at("paths").as_object();
    std::set<std::string> registered;
    for (const auto& route : router_.Routes()) {
        std::string method(MethodName(route->method));
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        registered.insert(route->pattern + " " + method);
        const auto* path = paths.if_contains(route->pattern);
        ASSERT_NE(path, nullptr) << route->pattern << " is not in openapi.json";
        EXPECT_TRUE(path->as_object().contains(method))
            << method << " " << route->pattern << " is not in openapi.json";
    }
    for (const auto& [path, operations] : paths) {
        for (const auto& [method, operation] : operations.as_object()) {
            if (method == "parameters") continue;
            EXPECT_TRUE(registered.count(std::string(path) + " " + std::string(method)))
                << method << " " << path << " is described but not served";
            EXPECT_TRUE(operation.as_object().contains("responses"));
        }
    }
}

}  // namespace
}  // namespace tta::server
