// tta_loadgen: a load generator for `tta serve` on this machine (127.0.0.1 only).
//
// Play mode (the default): N players each register, create a character, start a session in a
// world, open the session's event stream, and then play turns — free-text commands, or a
// numbered choice when one is offered — with a think time between turns, for a duration.
// While it runs it prints a progress line every two seconds; at the end, throughput (turns
// answered and turns recorded per second), latency percentiles of POST .../turns as the
// client saw them (p50, p95, p99, max), errors by kind, and the turn events the streams got.
//
// Idle-streams mode: opens N event streams (spread over accounts, as many per account as the
// server allows) that only receive heartbeats, holds them, and reports the server's resident
// memory — from /proc/<pid> when --server-pid is given, else process_resident_memory_bytes
// from /metrics — before and after, with the open-streams gauge.
//
//   build/release/app/tta serve --config bench/loadgen.yaml --data /tmp/tta-load &
//   build/release/bench/tta_loadgen --port 8089 --players 100 --duration 30 --think-ms 100
//   build/release/bench/tta_loadgen --port 8089 --mode idle-streams --streams 10000
//       --streams-per-account 100 --server-pid $!   (one command)
//
// The server's per-address limit must allow the whole run from one address, and its
// per-account limit the players' pace: bench/loadgen.yaml raises both.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

struct Options {
    std::string mode = "play";
    int port = 8080;
    int players = 100;
    double duration_s = 30;
    int think_ms = 100;
    bool streams = true;
    std::string world;
    int setup_concurrency = 8;
    int threads = 1;
    // idle-streams
    int idle_streams = 10000;
    int streams_per_account = 4;
    double hold_s = 10;
    int server_pid = 0;
    std::string password = "load-test-password";
};

struct Stats {
    std::mutex mu;
    std::vector<std::uint32_t> latency_us;  // POST .../turns, each answered request
    std::map<std::string, long> errors;     // "429", "transport", ...
    std::atomic<long> turns{0};
    std::atomic<long> recorded{0};
    std::atomic<long> stream_turn_events{0};
    std::atomic<long> streams_open{0};
    std::atomic<long> setup_done{0};

    void Error(const std::string& kind) {
        std::lock_guard lock(mu);
        ++errors[kind];
    }
    long ErrorCount() {
        std::lock_guard lock(mu);
        long n = 0;
        for (const auto& [k, v] : errors) n += v;
        return n;
    }
};

struct Reply {
    int status = 0;  // 0: transport error
    std::string body;
};

// One keep-alive HTTP/1.1 connection that reconnects when it has to.
class Connection {
  public:
    Connection(net::any_io_executor ex, tcp::endpoint endpoint)
        : stream_(ex), endpoint_(endpoint) {}

    net::awaitable<Reply> Send(http::verb verb, std::string target, std::string body,
                               const std::string& token) {
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!connected_) {
                auto [ec] = co_await stream_.async_connect(endpoint_, kNoThrow);
                if (ec) co_return Reply{};
                stream_.socket().set_option(tcp::no_delay(true));
                connected_ = true;
            }
            http::request<http::string_body> req{verb, target, 11};
            req.set(http::field::host, "127.0.0.1");
            if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
            if (!body.empty()) req.set(http::field::content_type, "application/json");
            req.body() = body;
            req.prepare_payload();
            stream_.expires_after(30s);
            auto [wec, wn] = co_await http::async_write(stream_, req, kNoThrow);
            if (!wec) {
                http::response<http::string_body> res;
                auto [rec, rn] = co_await http::async_read(stream_, buffer_, res, kNoThrow);
                if (!rec) {
                    if (!res.keep_alive()) Reset();
                    co_return Reply{static_cast<int>(res.result_int()), std::move(res.body())};
                }
            }
            Reset();  // a stale keep-alive connection: try once more on a fresh one
        }
        co_return Reply{};
    }

  private:
    void Reset() {
        beast::error_code ec;
        stream_.socket().close(ec);
        buffer_.clear();
        connected_ = false;
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    tcp::endpoint endpoint_;
    bool connected_ = false;
};

std::string RunId() {
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06x", rd() & 0xffffff);
    return buf;
}

struct Account {
    std::string token;
    std::string session;
};

// Registers, creates a character and starts a session.
net::awaitable<std::optional<Account>> SetUp(Connection& c, const std::string& username,
                                             const Options& o, const std::string& world,
                                             Stats& stats) {
    auto fail = [&](const Reply& r, const char* what) {
        stats.Error(std::string(what) + " " + std::to_string(r.status));
        if (stats.ErrorCount() <= 3) {
            std::fprintf(stderr, "%s failed: %d %s\n", what, r.status, r.body.c_str());
        }
    };
    json::object reg{{"username", username}, {"password", o.password}};
    Reply r = co_await c.Send(http::verb::post, "/v1/auth/register", json::serialize(reg), "");
    if (r.status != 201) {
        fail(r, "register");
        co_return std::nullopt;
    }
    Account a;
    a.token = std::string(json::parse(r.body).at("access_token").as_string());
    r = co_await c.Send(http::verb::post, "/v1/characters", R"({"name":"Sam"})", a.token);
    if (r.status != 201) {
        fail(r, "character");
        co_return std::nullopt;
    }
    const std::string character(json::parse(r.body).at("id").as_string());
    json::object spec{{"character_id", character}, {"world_id", world}};
    r = co_await c.Send(http::verb::post, "/v1/sessions", json::serialize(spec), a.token);
    if (r.status != 201) {
        fail(r, "session");
        co_return std::nullopt;
    }
    a.session = std::string(json::parse(r.body).at("id").as_string());
    co_return a;
}

// Opens the session's event stream and counts `turn` events until the server ends it or the
// run stops.
net::awaitable<void> ReadStream(tcp::endpoint endpoint, Account account, Stats& stats,
                                std::shared_ptr<std::atomic<bool>> stop) {
    tcp::socket socket(co_await net::this_coro::executor);
    auto [cec] = co_await socket.async_connect(endpoint, kNoThrow);
    if (cec) {
        stats.Error("stream connect");
        co_return;
    }
    const std::string request = "GET /v1/sessions/" + account.session +
                                "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                                "text/event-stream\r\nAuthorization: Bearer " +
                                account.token + "\r\n\r\n";
    auto [wec, wn] = co_await net::async_write(socket, net::buffer(request), kNoThrow);
    if (wec) {
        stats.Error("stream write");
        co_return;
    }
    static constexpr std::string_view kTurn = "event: turn\n";
    std::string window;  // the unscanned tail, so a marker split across reads is still found
    std::array<char, 4096> buf;
    bool head_seen = false;
    while (!stop->load()) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(buf), kNoThrow);
        if (ec) break;
        window.append(buf.data(), n);
        if (!head_seen) {
            const auto end = window.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            if (window.compare(0, 12, "HTTP/1.1 200") != 0) {
                stats.Error("stream " + window.substr(9, 3));
                co_return;
            }
            head_seen = true;
            ++stats.streams_open;
            window.erase(0, end + 4);
        }
        std::size_t pos = 0;
        while ((pos = window.find(kTurn, pos)) != std::string::npos) {
            ++stats.stream_turn_events;
            pos += kTurn.size();
        }
        // Keep what could be the start of a marker cut by this read, nothing already counted.
        if (window.size() >= kTurn.size()) window.erase(0, window.size() - (kTurn.size() - 1));
    }
    if (head_seen) --stats.streams_open;
}

const std::vector<std::string> kCommands = {
    "look",      "north",          "south",      "east",     "west",     "look around",
    "wait",      "inventory",      "go north",   "go south", "listen",   "examine the sea",
    "talk to the keeper", "sit down", "go east", "go west",
};

net::awaitable<void> Play(tcp::endpoint endpoint, Account account, const Options& o,
                          Clock::time_point end, Stats& stats, unsigned seed) {
    Connection c(co_await net::this_coro::executor, endpoint);
    std::mt19937 rng(seed);
    net::steady_timer timer(co_await net::this_coro::executor);
    const std::string target = "/v1/sessions/" + account.session + "/turns";
    int choices = 0;
    while (Clock::now() < end) {
        std::string body;
        if (choices > 0 && rng() % 2 == 0) {
            body = R"({"choice":)" + std::to_string(1 + rng() % choices) + "}";
        } else {
            body = json::serialize(json::object{{"text", kCommands[rng() % kCommands.size()]}});
        }
        const auto start = Clock::now();
        Reply r = co_await c.Send(http::verb::post, target, body, account.token);
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
        if (r.status == 200) {
            ++stats.turns;
            {
                std::lock_guard lock(stats.mu);
                stats.latency_us.push_back(static_cast<std::uint32_t>(us.count()));
            }
            json::error_code ec;
            auto j = json::parse(r.body, ec);
            if (!ec && j.is_object()) {
                if (j.at("recorded").as_bool()) ++stats.recorded;
                choices = static_cast<int>(j.at("choices").as_array().size());
                if (j.at("ended").as_bool()) {
                    // The story is over: step back and keep playing.
                    co_await c.Send(http::verb::post, "/v1/sessions/" + account.session + "/undo",
                                    "", account.token);
                }
            }
        } else {
            stats.Error(r.status == 0 ? "transport" : std::to_string(r.status));
            if (r.status == 429 || r.status == 0) {
                timer.expires_after(200ms);
                co_await timer.async_wait(kNoThrow);
            }
        }
        if (o.think_ms > 0) {
            std::uniform_int_distribution<int> jitter(o.think_ms / 2, o.think_ms * 3 / 2);
            timer.expires_after(std::chrono::milliseconds(jitter(rng)));
            co_await timer.async_wait(kNoThrow);
        }
    }
}

double Percentile(const std::vector<std::uint32_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

// Resident memory of the server, in bytes: /proc/<pid>/status, else its /metrics.
net::awaitable<double> ServerRss(tcp::endpoint endpoint, const Options& o, double* open_streams) {
    Connection c(co_await net::this_coro::executor, endpoint);
    Reply r = co_await c.Send(http::verb::get, "/metrics", "", "");
    double rss = 0;
    std::size_t pos = 0;
    const auto gauge = [&](std::string_view name) -> double {
        pos = r.body.find("\n" + std::string(name) + " ");
        if (pos == std::string::npos) return 0;
        return std::strtod(r.body.c_str() + pos + name.size() + 2, nullptr);
    };
    rss = gauge("process_resident_memory_bytes");
    if (open_streams) *open_streams = gauge("tta_http_open_streams");
    if (o.server_pid > 0) {
        std::ifstream status("/proc/" + std::to_string(o.server_pid) + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("VmRSS:", 0) == 0) rss = std::strtod(line.c_str() + 6, nullptr) * 1024;
        }
    }
    co_return rss;
}

// Sets up accounts with `setup_concurrency` workers; returns them in order.
net::awaitable<std::vector<Account>> SetUpAll(tcp::endpoint endpoint, const Options& o,
                                              const std::string& world, int count, Stats& stats) {
    std::vector<std::optional<Account>> accounts(static_cast<std::size_t>(count));
    std::atomic<int> next{0};
    const std::string run = RunId();
    auto ex = co_await net::this_coro::executor;
    std::atomic<int> workers{o.setup_concurrency};
    for (int w = 0; w < o.setup_concurrency; ++w) {
        net::co_spawn(
            ex,
            [&]() -> net::awaitable<void> {
                Connection c(co_await net::this_coro::executor, endpoint);
                for (int i = next++; i < count; i = next++) {
                    accounts[static_cast<std::size_t>(i)] = co_await SetUp(
                        c, "lg" + run + "_" + std::to_string(i), o, world, stats);
                    ++stats.setup_done;
                }
                --workers;
            },
            net::detached);
    }
    net::steady_timer timer(ex);
    auto last = Clock::now();
    while (workers > 0) {
        timer.expires_after(100ms);
        co_await timer.async_wait(kNoThrow);
        if (Clock::now() - last > 2s) {
            last = Clock::now();
            std::printf("setup %ld/%d accounts, %ld errors\n", stats.setup_done.load(), count,
                        stats.ErrorCount());
            std::fflush(stdout);
        }
    }
    std::vector<Account> out;
    for (auto& a : accounts) {
        if (a) out.push_back(std::move(*a));
    }
    co_return out;
}

net::awaitable<std::string> PickWorld(tcp::endpoint endpoint, const Options& o) {
    if (!o.world.empty()) co_return o.world;
    Connection c(co_await net::this_coro::executor, endpoint);
    Reply r = co_await c.Send(http::verb::get, "/v1/worlds", "", "");
    if (r.status != 200) {
        std::fprintf(stderr, "GET /v1/worlds: %d (is tta serve running on this port?)\n",
                     r.status);
        co_return "";
    }
    co_return std::string(json::parse(r.body).at("worlds").at(0).at("id").as_string());
}

net::awaitable<void> RunPlay(tcp::endpoint endpoint, const Options& o, Stats& stats, int& rc) {
    auto ex = co_await net::this_coro::executor;
    const std::string world = co_await PickWorld(endpoint, o);
    if (world.empty()) {
        rc = 1;
        co_return;
    }
    const auto setup_start = Clock::now();
    std::vector<Account> accounts = co_await SetUpAll(endpoint, o, world, o.players, stats);
    const double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
    std::printf("%zu players ready in %.1f s (world %s)\n", accounts.size(), setup_s,
                world.c_str());
    auto stop = std::make_shared<std::atomic<bool>>(false);
    net::steady_timer timer(ex);
    if (o.streams) {
        for (const auto& a : accounts) {
            net::co_spawn(ex, ReadStream(endpoint, a, stats, stop), net::detached);
        }
        for (int i = 0; i < 100 && stats.streams_open < static_cast<long>(accounts.size()); ++i) {
            timer.expires_after(50ms);
            co_await timer.async_wait(kNoThrow);
        }
        std::printf("%ld event streams open\n", stats.streams_open.load());
    }
    {
        std::lock_guard lock(stats.mu);
        stats.errors.clear();  // the run's errors, not the setup's
    }
    const auto start = Clock::now();
    const auto end = start + std::chrono::milliseconds(static_cast<long>(o.duration_s * 1000));
    std::atomic<int> running{static_cast<int>(accounts.size())};
    unsigned seed = 1;
    for (const auto& a : accounts) {
        net::co_spawn(
            ex,
            [&, a, s = seed++]() -> net::awaitable<void> {
                co_await Play(endpoint, a, o, end, stats, s);
                --running;
            },
            net::detached);
    }
    long last_turns = 0;
    auto last = start;
    while (running > 0) {
        timer.expires_after(2s);
        co_await timer.async_wait(kNoThrow);
        const auto now = Clock::now();
        const long turns = stats.turns.load();
        const double dt = std::chrono::duration<double>(now - last).count();
        double p99 = 0;
        {
            std::lock_guard lock(stats.mu);
            auto copy = stats.latency_us;
            std::sort(copy.begin(), copy.end());
            p99 = Percentile(copy, 0.99);
        }
        std::printf("t=%5.1fs turns %ld (%.0f/s now), recorded %ld, errors %ld, p99 so far "
                    "%.1f ms, streams %ld, stream turn events %ld\n",
                    std::chrono::duration<double>(now - start).count(), turns,
                    static_cast<double>(turns - last_turns) / dt, stats.recorded.load(),
                    stats.ErrorCount(), p99, stats.streams_open.load(),
                    stats.stream_turn_events.load());
        std::fflush(stdout);
        last_turns = turns;
        last = now;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    // Let the last events reach the streams before counting them.
    timer.expires_after(500ms);
    co_await timer.async_wait(kNoThrow);
    stop->store(true);

    std::vector<std::uint32_t> sorted;
    {
        std::lock_guard lock(stats.mu);
        sorted = stats.latency_us;
    }
    std::sort(sorted.begin(), sorted.end());
    std::printf("\n== %d players, think %d ms, %.1f s ==\n", o.players, o.think_ms, elapsed);
    std::printf("turns answered   %ld (%.0f/s)\n", stats.turns.load(),
                static_cast<double>(stats.turns.load()) / elapsed);
    std::printf("turns recorded   %ld (%.0f/s durable)\n", stats.recorded.load(),
                static_cast<double>(stats.recorded.load()) / elapsed);
    std::printf("latency ms       p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
                Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99),
                sorted.empty() ? 0.0 : sorted.back() / 1000.0);
    std::printf("errors           %ld", stats.ErrorCount());
    {
        std::lock_guard lock(stats.mu);
        for (const auto& [kind, n] : stats.errors) std::printf("  %s: %ld", kind.c_str(), n);
    }
    std::printf("\nstream events    %ld turn events on %ld streams (players' own turns: %ld)\n",
                stats.stream_turn_events.load(), static_cast<long>(accounts.size()),
                stats.turns.load());
    double streams = 0;
    const double rss = co_await ServerRss(endpoint, o, &streams);
    std::printf("server RSS       %.1f MiB\n", rss / (1024.0 * 1024.0));
    rc = stats.ErrorCount() == 0 ? 0 : 2;
}

net::awaitable<void> RunIdle(tcp::endpoint endpoint, const Options& o, Stats& stats, int& rc) {
    auto ex = co_await net::this_coro::executor;
    const std::string world = co_await PickWorld(endpoint, o);
    if (world.empty()) {
        rc = 1;
        co_return;
    }
    const int accounts_needed = (o.idle_streams + o.streams_per_account - 1) / o.streams_per_account;
    double streams_before = 0;
    const double rss_before = co_await ServerRss(endpoint, o, &streams_before);
    std::vector<Account> accounts = co_await SetUpAll(endpoint, o, world, accounts_needed, stats);
    if (accounts.empty()) {
        rc = 1;
        co_return;
    }
    const double rss_accounts = co_await ServerRss(endpoint, o, nullptr);
    std::printf("%zu accounts ready; server RSS %.1f MiB (%.1f MiB before)\n", accounts.size(),
                rss_accounts / 1048576.0, rss_before / 1048576.0);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    net::steady_timer timer(ex);
    const auto start = Clock::now();
    for (int i = 0; i < o.idle_streams; ++i) {
        const Account& a = accounts[static_cast<std::size_t>(i / o.streams_per_account) %
                                    accounts.size()];
        net::co_spawn(ex, ReadStream(endpoint, a, stats, stop), net::detached);
        if (i % 200 == 199) {  // open them in waves, as a crowd arrives
            timer.expires_after(20ms);
            co_await timer.async_wait(kNoThrow);
        }
    }
    auto last = Clock::now();
    while (stats.streams_open < o.idle_streams &&
           stats.streams_open + stats.ErrorCount() < o.idle_streams &&
           Clock::now() - start < 120s) {
        timer.expires_after(100ms);
        co_await timer.async_wait(kNoThrow);
        if (Clock::now() - last > 2s) {
            last = Clock::now();
            std::printf("streams open %ld/%d, errors %ld\n", stats.streams_open.load(),
                        o.idle_streams, stats.ErrorCount());
            std::fflush(stdout);
        }
    }
    std::printf("%ld streams open after %.1f s; holding %.0f s\n", stats.streams_open.load(),
                std::chrono::duration<double>(Clock::now() - start).count(), o.hold_s);
    timer.expires_after(std::chrono::milliseconds(static_cast<long>(o.hold_s * 1000)));
    co_await timer.async_wait(kNoThrow);
    double streams = 0;
    const double rss = co_await ServerRss(endpoint, o, &streams);
    std::printf("\n== %d idle event streams ==\n", o.idle_streams);
    std::printf("open (client)    %ld\n", stats.streams_open.load());
    std::printf("open (server)    %.0f (tta_http_open_streams)\n", streams);
    std::printf("server RSS       %.1f MiB with the streams; %.1f MiB before them (%.1f MiB "
                "at start)\n",
                rss / 1048576.0, rss_accounts / 1048576.0, rss_before / 1048576.0);
    if (stats.streams_open > 0) {
        std::printf("per stream       %.1f KiB\n",
                    (rss - rss_accounts) / 1024.0 / static_cast<double>(stats.streams_open));
    }
    std::printf("errors           %ld", stats.ErrorCount());
    {
        std::lock_guard lock(stats.mu);
        for (const auto& [kind, n] : stats.errors) std::printf("  %s: %ld", kind.c_str(), n);
    }
    std::printf("\n");
    stop->store(true);
    rc = stats.streams_open >= o.idle_streams ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"Load generator for tta serve on 127.0.0.1"};
    app.add_option("--mode", o.mode, "play or idle-streams")
        ->check(CLI::IsMember({"play", "idle-streams"}))
        ->capture_default_str();
    app.add_option("--port", o.port, "The server's port on 127.0.0.1")->capture_default_str();
    app.add_option("--players", o.players, "Concurrent players (play)")->capture_default_str();
    app.add_option("--duration", o.duration_s, "Seconds of play")->capture_default_str();
    app.add_option("--think-ms", o.think_ms, "Mean think time between a player's turns")
        ->capture_default_str();
    app.add_flag("!--no-streams", o.streams, "Do not open event streams while playing");
    app.add_option("--world", o.world, "World id (default: the first the server lists)");
    app.add_option("--setup-concurrency", o.setup_concurrency,
                   "Accounts set up at once (registration hashes passwords)")
        ->capture_default_str();
    app.add_option("--threads", o.threads, "Client I/O threads")->capture_default_str();
    app.add_option("--streams", o.idle_streams, "Event streams to hold (idle-streams)")
        ->capture_default_str();
    app.add_option("--streams-per-account", o.streams_per_account,
                   "At most limits.max_streams_per_account of the server")
        ->capture_default_str();
    app.add_option("--hold", o.hold_s, "Seconds to hold the streams before measuring")
        ->capture_default_str();
    app.add_option("--server-pid", o.server_pid, "Read the server's RSS from /proc/<pid>");
    CLI11_PARSE(app, argc, argv);

    // Every connection is a descriptor: ask for as many as the hard limit allows.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    net::io_context ioc(o.threads);
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"),
                                 static_cast<unsigned short>(o.port));
    Stats stats;
    int rc = 0;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            if (o.mode == "play") {
                co_await RunPlay(endpoint, o, stats, rc);
            } else {
                co_await RunIdle(endpoint, o, stats, rc);
            }
            ioc.stop();
        },
        [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::fprintf(stderr, "tta_loadgen: %s\n", ex.what());
            }
        });
    std::vector<std::thread> threads;
    for (int i = 1; i < o.threads; ++i) threads.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    return rc;
}
