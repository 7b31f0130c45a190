#include "tta/core/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

namespace tta {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The canonical variable of a key ("TTA_AUTH_MASTER_KEY or TTA_MASTER_KEY" -> the first).
std::string EnvName(const ConfigKey& k) { return k.env.substr(0, k.env.find(' ')); }

class ConfigFile : public ::testing::Test {
  protected:
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path Write(const std::string& text) {
        std::filesystem::create_directories(dir_);
        const auto path = dir_ / "tta.yaml";
        std::ofstream(path) << text;
        return path;
    }

    std::filesystem::path dir_ =
        std::filesystem::temp_directory_path() / ("tta_config_test_" + std::to_string(::getpid()));
};

TEST(Config, WorksWithNoFileAndNoEnvironment) {
    const auto c = LoadConfig({});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 8080);
    EXPECT_EQ(c->storage.data_dir, "./data");
    EXPECT_EQ(c->storage.backend, "sqlite");
    EXPECT_EQ(c->server.max_body_bytes, 64u * 1024);
    EXPECT_EQ(c->auth.access_ttl, std::chrono::minutes(15));
    EXPECT_TRUE(c->sources.empty());
    EXPECT_TRUE(c->warnings.empty());
}

TEST_F(ConfigFile, FileSettingsReplaceDefaults) {
    const auto c = LoadConfig({.file = Write("server:\n"
                                             "  port: 9000\n"
                                             "  idle_timeout: 90s\n"
                                             "  max_body_bytes: 1MiB\n"
                                             "  trust_forwarded_for: yes\n"
                                             "limits:\n"
                                             "  ip_burst: 5.5\n"
                                             "storage:\n"
                                             "  data_dir: /var/lib/tta\n")});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 9000);
    EXPECT_EQ(c->server.idle_timeout, seconds(90));
    EXPECT_EQ(c->server.max_body_bytes, 1024u * 1024);
    EXPECT_TRUE(c->server.trust_forwarded_for);
    EXPECT_EQ(c->limits.ip_burst, 5.5);
    EXPECT_EQ(c->storage.data_dir, "/var/lib/tta");
    EXPECT_EQ(c->sources.at("server.port"), (dir_ / "tta.yaml").string() + ":2:3");
}

TEST_F(ConfigFile, EnvironmentOverridesTheFileAndCommandLineOverridesBoth) {
    const auto file = Write("server:\n  port: 9000\n  host: 0.0.0.0\n");
    auto c = LoadConfig({.file = file, .env = {{"TTA_SERVER_PORT", "9100"}}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 9100);
    EXPECT_EQ(c->server.host, "0.0.0.0");
    EXPECT_EQ(c->sources.at("server.port"), "environment TTA_SERVER_PORT");

    c = LoadConfig({.file = file,
                    .env = {{"TTA_SERVER_PORT", "9100"}},
                    .overrides = {{"server.port", "9200", "--port"}}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 9200);
}

TEST_F(ConfigFile, TtaConfigNamesTheFileWhenNoneIsGiven) {
    const auto file = Write("server:\n  port: 7000\n");
    const auto c = LoadConfig({.env = {{"TTA_CONFIG", file.string()}}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 7000);
}

TEST(Config, ShortAliasesSetTheirKeysAndTheFullNameWins) {
    auto c = LoadConfig({.env = {{"TTA_MASTER_KEY", "abc"}, {"TTA_DATA_DIR", "/srv/tta"}}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->auth.master_key, "abc");
    EXPECT_EQ(c->storage.data_dir, "/srv/tta");
    c = LoadConfig({.env = {{"TTA_DATA_DIR", "/a"}, {"TTA_STORAGE_DATA_DIR", "/b"}}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->storage.data_dir, "/b");
}

TEST_F(ConfigFile, ABadValueNamesTheKeyAndItsFileLineAndColumn) {
    const auto file = Write("# settings\nserver:\n  port: eighty\n");
    const auto c = LoadConfig({.file = file});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ErrorCode::kInvalid);
    EXPECT_NE(c.error().message.find(file.string() +
                                     ":3:3: server.port: must be an integer from 0 to 65535, "
                                     "got 'eighty'"),
              std::string::npos)
        << c.error().message;
}

TEST(Config, ABadEnvironmentValueNamesTheVariable) {
    const auto c = LoadConfig({.env = {{"TTA_SERVER_IDLE_TIMEOUT", "30"}}});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("environment TTA_SERVER_IDLE_TIMEOUT: server.idle_timeout: "
                                     "must be a duration from 100ms to 1d with a unit"),
              std::string::npos)
        << c.error().message;
}

TEST_F(ConfigFile, UnknownKeysAreErrorsWithASuggestion) {
    const auto c = LoadConfig({.file = Write("server:\n  prot: 1\nfrobnicate: 2\n")});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("server.prot: unknown key (did you mean server.port?)"),
              std::string::npos)
        << c.error().message;
    EXPECT_TRUE(c.error().message.ends_with("frobnicate: unknown key")) << c.error().message;
}

TEST_F(ConfigFile, EveryProblemIsReportedAtOnce) {
    const auto c = LoadConfig({.file = Write("server:\n  port: -1\n  threads: many\n"),
                               .env = {{"TTA_LOG_LEVEL", "loud"}}});
    ASSERT_FALSE(c);
    const std::string& m = c.error().message;
    EXPECT_NE(m.find("server.port"), std::string::npos) << m;
    EXPECT_NE(m.find("server.threads"), std::string::npos) << m;
    EXPECT_NE(m.find("log.level: must be one of trace, debug, info, warn, error, off"),
              std::string::npos)
        << m;
}

TEST_F(ConfigFile, MalformedYamlReportsWhere) {
    const auto file = Write("server:\n  port: [1, 2\n");
    const auto c = LoadConfig({.file = file});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find(file.string() + ":"), std::string::npos);
    EXPECT_NE(c.error().message.find("not valid YAML"), std::string::npos) << c.error().message;
}

TEST_F(ConfigFile, ListsAndMappingsWhereAValueBelongsAreErrors) {
    const auto c = LoadConfig({.file = Write("server:\n  port:\n    a: 1\n  host: [a, b]\n")});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("server.port: expected a single value, got a mapping"),
              std::string::npos)
        << c.error().message;
    EXPECT_NE(c.error().message.find("server.host: expected a single value, got a list"),
              std::string::npos);
}

TEST_F(ConfigFile, AnEmptyFileMeansDefaults) {
    const auto c = LoadConfig({.file = Write("# nothing set yet\n")});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->server.port, 8080);
}

TEST(Config, AMissingFileIsAnError) {
    const auto c = LoadConfig({.file = "/nonexistent/tta.yaml"});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("/nonexistent/tta.yaml: cannot read"), std::string::npos);
}

TEST(Config, SecretValuesNeverAppearInMessages) {
    const auto c = LoadConfig({.env = {{"TTA_STORAGE_POSTGRES_URL", "postgres://u:hunter2@db/x"},
                                       {"TTA_AUTH_MASTER_KEY_FILE", "/k"},
                                       {"TTA_MASTER_KEY", "s3cret-key"}}});
    ASSERT_FALSE(c);  // master_key and master_key_file together
    EXPECT_EQ(c.error().message.find("s3cret-key"), std::string::npos);
    EXPECT_EQ(c.error().message.find("hunter2"), std::string::npos);
    EXPECT_NE(c.error().message.find("environment TTA_AUTH_MASTER_KEY_FILE: auth.master_key_file: "
                                     "set either auth.master_key or this, not both"),
              std::string::npos)
        << c.error().message;
}

TEST(Config, CrossKeyRulesNameTheKeyAndWhereItWasSet) {
    auto c = LoadConfig({.env = {{"TTA_STORAGE_BACKEND", "postgres"}}});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find(
                  "default: storage.postgres_url: is required when storage.backend is postgres"),
              std::string::npos)
        << c.error().message;
    c = LoadConfig({.env = {{"TTA_AUTH_ACCESS_TTL", "31d"}}});
    ASSERT_FALSE(c);
}

TEST(Config, UnknownTtaVariablesAreWarnedAboutNotFatal) {
    const auto c = LoadConfig({.env = {{"TTA_SERVER_PROT", "1"}}});
    ASSERT_TRUE(c);
    ASSERT_EQ(c->warnings.size(), 1u);
    EXPECT_EQ(c->warnings[0], "unknown environment variable TTA_SERVER_PROT ignored");
}

TEST(Config, DurationsNeedAUnit) {
    const std::pair<const char*, long long> kGood[] = {
        {"250ms", 250},   {"15s", 15000}, {"10m", 600000}, {"2h", 7200000},
        {"1d", 86400000}, {"0s", 0},      {"3S", 3000}};
    for (const auto& [text, ms] : kGood) {
        const auto d = ParseDuration(text);
        ASSERT_TRUE(d) << text;
        EXPECT_EQ(d->count(), ms) << text;
    }
    for (const char* bad : {"", "15", "s", "1.5s", "-1s", "10 s", "1w", "99999999999999999999d"}) {
        EXPECT_FALSE(ParseDuration(bad)) << bad;
    }
    EXPECT_EQ(FormatDuration(milliseconds(900000)), "15m");
    EXPECT_EQ(FormatDuration(milliseconds(1500)), "1500ms");
}

TEST(Config, SizesTakeBytesOrAUnit) {
    const std::pair<const char*, std::uint64_t> kGood[] = {
        {"512", 512},         {"512B", 512}, {"64KiB", 65536}, {"1MiB", 1048576},
        {"2GiB", 2147483648}, {"1KB", 1000}, {"3mb", 3000000}};
    for (const auto& [text, n] : kGood) {
        const auto s = ParseByteSize(text);
        ASSERT_TRUE(s) << text;
        EXPECT_EQ(*s, n) << text;
    }
    for (const char* bad : {"", "KiB", "1.5MiB", "1 MiB", "1TiB", "-1"}) {
        EXPECT_FALSE(ParseByteSize(bad)) << bad;
    }
}

TEST(Config, SafetyWebhookIsOffByDefaultAndSetFromTheEnvironment) {
    auto c = LoadConfig({});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_TRUE(c->safety.webhook_url.empty());
    EXPECT_EQ(c->safety.webhook_timeout, seconds(5));
    c = LoadConfig({.env = {{"TTA_SAFETY_WEBHOOK_URL", "https://clinic.example/hooks/tta"},
                            {"TTA_SAFETY_WEBHOOK_SECRET_ENV", "TTA_CLINIC_HOOK_KEY"},
                            {"TTA_CLINIC_HOOK_KEY", "k"},
                            {"TTA_SAFETY_WEBHOOK_TIMEOUT", "1500ms"},
                            {"TTA_SAFETY_WEBHOOK_MAX_ATTEMPTS", "6"},
                            {"TTA_SAFETY_WEBHOOK_QUEUE_SIZE", "50"}}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->safety.webhook_url, "https://clinic.example/hooks/tta");
    EXPECT_EQ(c->safety.webhook_secret_env, "TTA_CLINIC_HOOK_KEY");
    EXPECT_EQ(c->safety.webhook_timeout, milliseconds(1500));
    EXPECT_EQ(c->safety.webhook_max_attempts, 6);
    EXPECT_EQ(c->safety.webhook_queue_size, 50u);
    // The variable holding the key is expected, not an unknown setting.
    EXPECT_TRUE(c->warnings.empty());
}

TEST(Config, AWebhookMustBeHttpAndASecretNeedsAWebhook) {
    auto c = LoadConfig({.env = {{"TTA_SAFETY_WEBHOOK_URL", "ftp://x/token-abc"}}});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("environment TTA_SAFETY_WEBHOOK_URL: safety.webhook_url: "
                                     "must start with http:// or https://"),
              std::string::npos)
        << c.error().message;
    EXPECT_EQ(c.error().message.find("token-abc"), std::string::npos) << "the URL is a secret";
    c = LoadConfig({.env = {{"TTA_SAFETY_WEBHOOK_SECRET_ENV", "HOOK_KEY"}}});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("safety.webhook_secret_env: is set but safety.webhook_url "
                                     "is not"),
              std::string::npos)
        << c.error().message;
}

TEST(Config, EveryKeyHasAnEnvironmentNameADefaultAndHelp) {
    const auto keys = ConfigKeys();
    ASSERT_GT(keys.size(), 20u);
    for (const auto& k : keys) {
        EXPECT_TRUE(k.env.starts_with("TTA_")) << k.key;
        EXPECT_FALSE(k.help.empty()) << k.key;
    }
    const auto port = std::find_if(keys.begin(), keys.end(),
                                   [](const ConfigKey& k) { return k.key == "server.port"; });
    ASSERT_NE(port, keys.end());
    EXPECT_EQ(port->env, "TTA_SERVER_PORT");
    EXPECT_EQ(port->default_text, "8080");
}

TEST(Config, OperationsGuideListsEveryServerAuthLimitsStorageLogAndSafetyKey) {
    std::ifstream in(std::string(TTA_SOURCE_DIR) + "/docs/operations.md");
    ASSERT_TRUE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& k : ConfigKeys()) {
        const std::string section = k.key.substr(0, k.key.find('.'));
        if (section != "server" && section != "auth" && section != "limits" &&
            section != "storage" && section != "log" && section != "safety") {
            continue;  // other sections have their own guides
        }
        EXPECT_NE(doc.find("| `" + k.key + "` | `" + EnvName(k) + "`"), std::string::npos)
            << k.key << " is missing from docs/operations.md";
    }
}

}  // namespace
}  // namespace tta
