// `tta play`: the terminal player. Plays offline against the SQLite store in --data, resuming
// the latest unfinished story of the chosen world unless --new is given. With --script it
// reads commands from a file (or - for stdin) and prints the transcript, for testers and
// golden tests.
#include "cmd_play.hpp"

#include <editline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "tta/core/clock.hpp"
#include "tta/engine/engine.hpp"
#include "tta/engine/safety_records.hpp"
#include "tta/store/sqlite/sqlite_store.hpp"

namespace tta::app {
namespace {

constexpr const char* kLocalUser = "local";

struct PlayOptions {
    std::string world;
    std::string data = "data";
    std::string worlds;
    bool fresh = false;
    std::optional<std::uint64_t> seed;
    std::string script;
    std::string name;
    std::string pronouns = "they/them";
    std::string locale;
};

// The player's locale for crisis lines: --locale, else $LC_ALL / $LANG ("en_GB.UTF-8").
std::string LocaleFrom(const std::string& given) {
    if (!given.empty()) return given;
    for (const char* var : {"LC_ALL", "LANG"}) {
        if (const char* v = std::getenv(var); v != nullptr && *v != '\0' &&
                                              std::string_view(v) != "C" &&
                                              std::string_view(v) != "POSIX") {
            return v;
        }
    }
    return "";
}

void Print(const engine::TurnReply& reply, std::ostream& out) {
    out << reply.text << "\n";
    if (reply.ended) out << "\n*** The End ***\n";
    if (!reply.summary_text.empty()) out << "\n" << reply.summary_text << "\n";
    out << std::endl;
}

// Reads one line: libedit with history on a terminal, plain getline otherwise.
bool ReadLine(bool interactive, std::istream& in, std::string& line) {
    if (!interactive) return static_cast<bool>(std::getline(in, line));
    char* raw = readline("> ");
    if (raw == nullptr) return false;
    line = raw;
    std::free(raw);
    if (!line.empty()) add_history(line.c_str());
    return true;
}

int RunPlay(const PlayOptions& opt) {
    std::vector<world::Diagnostic> diagnostics;
    const auto worlds_dir =
        opt.worlds.empty() ? engine::DefaultWorldsDir() : std::filesystem::path(opt.worlds);
    auto catalog = engine::WorldCatalog::LoadDirectory(worlds_dir, diagnostics);
    for (const auto& d : diagnostics) {
        if (d.severity == world::Severity::kError) std::cerr << d.ToString() << "\n";
    }
    if (!catalog) {
        std::cerr << "tta play: " << catalog.error().message << "\n";
        return 1;
    }
    std::shared_ptr<const engine::LoadedWorld> chosen;
    if (opt.world.empty()) {
        chosen = catalog->All().front();
    } else {
        chosen = catalog->Find(opt.world);
        if (!chosen) {
            std::cerr << "tta play: no world '" << opt.world << "'; try `tta worlds list`\n";
            return 1;
        }
    }

    store::sqlite::SqliteOptions store_options;
    store_options.data_dir = opt.data;
    auto store = store::sqlite::SqliteStore::Open(store_options);
    if (!store) {
        std::cerr << "tta play: " << store.error().message << "\n";
        return 1;
    }
    SystemClock clock;
    engine::Engine engine(*catalog, **store, clock);
    engine.SetTherapyStore(store->get());
    store::AccountStore& accounts = **store;
    const std::string locale = LocaleFrom(opt.locale);
    engine.SetPlayerResolver([&accounts, locale](const store::Session& s) {
        engine::PlayerContext context;
        context.locale = locale;
        if (auto c = accounts.GetCharacter(s.character_id)) {
            context.player = narrative::MakePlayer(c->name, c->pronouns);
            context.profile = c->profile;
        }
        return context;
    });
    engine.SetProfileSaver(
        [&accounts, &clock](const store::Session& s, const std::string& profile) {
            auto c = accounts.GetCharacter(s.character_id);
            if (!c) return Status(c.error());
            c->profile = profile;
            c->updated_ms = clock.NowMillis();
            return accounts.UpdateCharacter(*c);
        });
    engine.SetSafetyPlanLookup([&accounts](const store::Session& s) {
        return engine::LoadSafetyPlan(accounts, s.owner_user_id);
    });
    engine.SetSafetyPlanSaver([&accounts, &clock](const store::Session& s,
                                                  const safety::SafetyPlan& plan) {
        return engine::SaveSafetyPlan(accounts, s.owner_user_id, plan, clock.NowMillis());
    });
    engine::StoreSafetyEventSink safety_records(accounts, clock);
    engine.SetSafetyEventSink(&safety_records);

    const bool interactive = opt.script.empty() && isatty(STDIN_FILENO) != 0;
    std::ifstream file;
    std::istream* in = &std::cin;
    if (!opt.script.empty() && opt.script != "-") {
        file.open(opt.script);
        if (!file) {
            std::cerr << "tta play: cannot read script " << opt.script << "\n";
            return 1;
        }
        in = &file;
    }

    // Offline play belongs to one local account that can never sign in (no password).
    if (auto user = accounts.GetUser(kLocalUser); !user) {
        if (user.error().code != ErrorCode::kNotFound) {
            std::cerr << "tta play: " << user.error().message << "\n";
            return 1;
        }
        store::User local;
        local.id = kLocalUser;
        local.username = kLocalUser;
        local.roles = {"player"};
        local.created_ms = clock.NowMillis();
        if (auto created = accounts.CreateUser(local); !created) {
            std::cerr << "tta play: " << created.error().message << "\n";
            return 1;
        }
    }

    // Resume the latest unfinished offline story in this world, unless asked for a new one.
    std::string session_id;
    if (!opt.fresh) {
        auto sessions = (*store)->ListSessions(kLocalUser, 50);
        if (!sessions) {
            std::cerr << "tta play: " << sessions.error().message << "\n";
            return 1;
        }
        for (const auto& s : *sessions) {
            if (s.world_id == chosen->pack->meta.id && s.status == store::SessionStatus::kActive) {
                session_id = s.id;
                break;
            }
        }
    }
    Result<engine::TurnReply> reply = Error::Internal("no turn");
    if (!session_id.empty()) {
        reply = engine.Resume(session_id);
        if (reply) std::cout << "(Resuming your story.)\n\n";
    } else {
        std::string name = opt.name;
        if (name.empty() && interactive) {
            char* raw = readline("What is your character's name? ");
            if (raw != nullptr) {
                name = raw;
                std::free(raw);
            }
        }
        store::Character character;
        character.id = "offline-" + std::to_string(RandomSeed());
        character.owner_user_id = kLocalUser;
        character.name = name.empty() ? "Traveller" : name;
        character.pronouns = opt.pronouns;
        // Offline play has one player: a new story keeps the profile (goals, questionnaire
        // schedule) of the last one.
        if (auto previous = accounts.ListCharacters(kLocalUser); previous && !previous->empty()) {
            character.profile = previous->back().profile;
        }
        character.created_ms = clock.NowMillis();
        character.updated_ms = character.created_ms;
        if (auto created = accounts.CreateCharacter(character); !created) {
            std::cerr << "tta play: " << created.error().message << "\n";
            return 1;
        }
        engine::NewSession spec;
        spec.world_id = chosen->pack->meta.id;
        spec.character_id = character.id;
        spec.owner_user_id = kLocalUser;
        spec.seed = opt.seed;
        reply = engine.Start(spec);
    }
    if (!reply) {
        std::cerr << "tta play: " << reply.error().message << "\n";
        return 1;
    }
    session_id = reply->session_id;
    Print(*reply, std::cout);

    std::string line;
    while (ReadLine(interactive, *in, line)) {
        if (!interactive) std::cout << "> " << line << "\n";
        auto turn = engine.Play(session_id, line);
        if (!turn) {
            std::cerr << "tta play: " << turn.error().message << "\n";
            return 1;
        }
        Print(*turn, std::cout);
        if (turn->kind == "quit") break;
    }
    return 0;
}

}  // namespace

void AddPlayCommands(CLI::App& app) {
    auto opt = std::make_shared<PlayOptions>();
    auto* play = app.add_subcommand("play", "Play a world in the terminal (offline)");
    play->add_option("--world", opt->world, "World id (default: the first installed world)");
    play->add_option("--data", opt->data, "Data directory for saved stories")
        ->capture_default_str();
    play->add_option("--worlds", opt->worlds, "Folder of world packs (default: ./worlds)");
    play->add_flag("--new", opt->fresh, "Start a new story instead of resuming");
    play->add_option("--seed", opt->seed, "Seed for a new story (replays exactly)");
    play->add_option("--script", opt->script, "Read commands from FILE (- for stdin)");
    play->add_option("--name", opt->name, "Your character's name for a new story");
    play->add_option("--pronouns", opt->pronouns, "Your character's pronouns, e.g. she/her")
        ->capture_default_str();
    play->add_option("--locale", opt->locale,
                     "Locale for crisis lines, e.g. en-GB (default: $LANG)");
    play->callback([opt] { throw CLI::RuntimeError(RunPlay(*opt)); });
}

}  // namespace tta::app
