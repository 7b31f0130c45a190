// The `models` section of the config (tta/core/config.hpp), tested here beside its user.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "tta/core/config.hpp"

namespace tta {
namespace {

using std::chrono::milliseconds;

class ModelsConfigTest : public ::testing::Test {
  protected:
    void TearDown() override { std::filesystem::remove_all(dir_); }
    Result<Config> Load(const std::string& text) {
        std::filesystem::create_directories(dir_);
        const auto path = dir_ / "tta.yaml";
        std::ofstream(path) << text;
        return LoadConfig({.file = path});
    }
    std::filesystem::path dir_ = std::filesystem::temp_directory_path() /
                                 ("tta_models_config_" + std::to_string(::getpid()));
};

TEST_F(ModelsConfigTest, NoModelsByDefault) {
    auto c = LoadConfig({});
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->models.providers.empty());
    EXPECT_EQ(c->models.breaker_failures, 5);
}

TEST_F(ModelsConfigTest, ReadsProvidersInOrder) {
    auto c = Load(R"(
models:
  turn_timeout: 8s
  window_turns: 2
  providers:
    - name: local
      base_url: http://127.0.0.1:8080/v1
      model: llama-3.1-8b-instruct
      tasks: [narration, dialogue]
      first_token_timeout: 800ms
      max_concurrent: 2
    - name: hosted
      base_url: https://api.example.com/v1
      model: small
      api_key_env: EXAMPLE_API_KEY
      cost_per_1k_prompt_tokens: 0.15
      cost_per_1k_completion_tokens: 0.6
      temperature: 0.4
)");
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->models.providers.size(), 2u);
    const auto& local = c->models.providers[0];
    EXPECT_EQ(local.name, "local");
    EXPECT_EQ(local.tasks, (std::vector<std::string>{"narration", "dialogue"}));
    EXPECT_EQ(local.first_token_timeout, milliseconds(800));
    EXPECT_EQ(local.max_concurrent, 2);
    const auto& hosted = c->models.providers[1];
    EXPECT_EQ(hosted.api_key_env, "EXAMPLE_API_KEY");
    EXPECT_DOUBLE_EQ(hosted.cost_per_1k_completion_tokens, 0.6);
    EXPECT_EQ(hosted.tasks.size(), 3u);
    EXPECT_EQ(c->models.turn_timeout, milliseconds(8000));
    EXPECT_EQ(c->models.window_turns, 2);
}

TEST_F(ModelsConfigTest, ProblemsNameTheProviderKeyAndLine) {
    auto c = Load(R"(models:
  providers:
    - name: a
      base_url: ftp://x
      model: m
      tasks: [poetry]
      total_timeout: soon
      colour: blue
    - name: a
      base_url: http://x/v1
)");
    ASSERT_FALSE(c);
    const std::string& m = c.error().message;
    EXPECT_NE(m.find(":6:7: models.providers[0].tasks: tasks are narration"), std::string::npos)
        << m;
    EXPECT_NE(m.find(":7:7: models.providers[0].total_timeout: must be a duration"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("models.providers[0].colour: unknown provider setting"), std::string::npos);
    EXPECT_NE(m.find("models.providers[0].base_url: is required and must start with http"),
              std::string::npos);
    EXPECT_NE(m.find("models.providers[1].model: is required"), std::string::npos);
    EXPECT_NE(m.find("models.providers[1].name: 'a' names two providers"), std::string::npos);
}

TEST_F(ModelsConfigTest, AnInlineKeyIsRefusedWithoutEchoingIt) {
    auto c = Load(
        "models:\n  providers:\n    - {name: a, base_url: http://x/v1, model: m, "
        "api_key: sk-secret-123}\n");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("api_key_env"), std::string::npos);
    EXPECT_EQ(c.error().message.find("sk-secret-123"), std::string::npos);
}

TEST_F(ModelsConfigTest, ScalarsHaveEnvironmentNames) {
    auto c = LoadConfig(
        {.env = {{"TTA_MODELS_MAX_ATTEMPTS", "3"}, {"TTA_MODELS_BREAKER_OPEN_FOR", "5s"}}});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->models.max_attempts, 3);
    EXPECT_EQ(c->models.breaker_open_for, milliseconds(5000));
}

TEST_F(ModelsConfigTest, LengthBoundsMustMakeSense) {
    auto c = Load("models:\n  min_chars: 500\n  max_chars: 400\n");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("models.min_chars: must be less than"), std::string::npos);
}

}  // namespace
}  // namespace tta
