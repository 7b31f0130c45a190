#include "tta/narrative/model/prompt.hpp"

#include <gtest/gtest.h>

#include "tta/narrative/model/test_world.hpp"

namespace tta::narrative::model {
namespace {

class PromptTest : public ::testing::Test {
  protected:
    void SetUp() override {
        pack_ = CovePack();
        ASSERT_NE(pack_, nullptr);
        Rng rng(1);
        outcome_ = world::Begin(*pack_, world::Initial(*pack_), rng);
        authored_ = AuthoredNarrator().Narrate(*pack_, outcome_, player_, rng);
    }
    PromptInput Input() {
        return PromptInput{.pack = pack_.get(),
                           .outcome = &outcome_,
                           .player = &player_,
                           .action = nullptr,
                           .authored = &authored_,
                           .beat = std::nullopt,
                           .window = {},
                           .voice = "",
                           .max_chars = 600,
                           .correction = ""};
    }
    std::shared_ptr<const world::Pack> pack_;
    world::Outcome outcome_;
    PlayerInfo player_ = MakePlayer("Sam", "she/her");
    Narration authored_;
};

TEST_F(PromptTest, TheSystemPromptCarriesVoiceBoundariesAndTheFactsRule) {
    const auto prompt = BuildPrompt(Input());
    ASSERT_EQ(prompt.messages.size(), 2u);
    const std::string& system = prompt.messages[0].content;
    EXPECT_EQ(prompt.messages[0].role, "system");
    const std::vector<std::string_view> needles = {
        "\"The Quiet Cove\"",    "Never give medical",      "Never describe self-harm",
        "Stay inside the story", "content notes: the sea.", "Suitable for: all ages",
        "Do not invent people",  "at most 100 words",       DefaultVoice()};
    for (std::string_view needle : needles) {
        EXPECT_NE(system.find(needle), std::string::npos) << needle;
    }
}

TEST_F(PromptTest, AWorldsOwnVoiceReplacesTheDefault) {
    auto input = Input();
    input.voice = "Dry and wry, like an old fisherman.";
    const auto prompt = BuildPrompt(input);
    EXPECT_NE(prompt.messages[0].content.find("Dry and wry"), std::string::npos);
    EXPECT_EQ(prompt.messages[0].content.find(DefaultVoice()), std::string::npos);
}

TEST_F(PromptTest, OnlyWhatIsInScopeIsDescribed) {
    const std::string user = BuildPrompt(Input()).messages[1].content;
    EXPECT_NE(user.find("- Place: the beach: The beach is wide and pale."), std::string::npos)
        << user;
    EXPECT_NE(user.find("- Ways on: north to the net hut; east to the tide pools"),
              std::string::npos);
    EXPECT_NE(user.find("- Lying here: a brass lantern: An old brass lantern."), std::string::npos);
    EXPECT_NE(user.find("The player is Sam (she/her)"), std::string::npos);
    // Elsewhere: not a word about them.
    for (std::string_view absent :
         {"Ada mends", "Tom", "spiral shell", "old lighthouse", "matches"}) {
        EXPECT_EQ(user.find(absent), std::string::npos) << absent;
    }
}

TEST_F(PromptTest, ThisTurnCarriesTheAuthoredEventsAndEffects) {
    Rng rng(3);
    world::Action take;
    take.verb = world::Verb::kTake;
    take.object = "lantern";
    const auto took = world::Resolve(*pack_, outcome_.state, take, rng);
    const auto authored = AuthoredNarrator().Narrate(*pack_, took, player_, rng);
    auto input = Input();
    input.outcome = &took;
    input.authored = &authored;
    input.action = &take;
    const std::string user = BuildPrompt(input).messages[1].content;
    EXPECT_NE(user.find("- The player chose to: take a brass lantern"), std::string::npos) << user;
    EXPECT_NE(user.find("- Effect: the player now carries a brass lantern"), std::string::npos);
    EXPECT_NE(user.find(authored.paragraphs.front()), std::string::npos);
    EXPECT_NE(user.find("- Carried by the player: a brass lantern"), std::string::npos);
}

TEST_F(PromptTest, ThePlayersOwnWordsNeverLeave) {
    world::Action look;
    look.verb = world::Verb::kExamine;
    look.object = "my secret diary entry";  // unresolved words stay in the process
    auto input = Input();
    input.action = &look;
    const auto prompt = BuildPrompt(input);
    for (const auto& m : prompt.messages) {
        EXPECT_EQ(m.content.find("secret diary"), std::string::npos);
    }
}

TEST_F(PromptTest, WindowBeatAndCorrectionAppear) {
    const std::vector<std::string> window = {"Earlier, the gulls.", "Then, the wind."};
    auto input = Input();
    input.window = window;
    input.beat = Beat{"box_breathing", "breathe", "stress is rising"};
    input.correction = "names Rook, who or which is not in this world";
    const std::string user = BuildPrompt(input).messages[1].content;
    const auto first = user.find("Earlier, the gulls.");
    const auto second = user.find("Then, the wind.");
    ASSERT_NE(first, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_NE(user.find("BEAT: the story offers a box_breathing moment (stress is rising)"),
              std::string::npos);
    EXPECT_NE(user.find("previous draft could not be used: names Rook"), std::string::npos);
}

TEST_F(PromptTest, TheHashFollowsTheFacts) {
    const auto a = BuildPrompt(Input());
    EXPECT_EQ(a.hash, BuildPrompt(Input()).hash);
    EXPECT_EQ(a.hash.size(), 16u);
    auto input = Input();
    input.correction = "too long";
    EXPECT_NE(a.hash, BuildPrompt(input).hash);
}

TEST(Fnv1a64Hex, MatchesTheReferenceVectors) {
    EXPECT_EQ(Fnv1a64Hex(""), "cbf29ce484222325");
    EXPECT_EQ(Fnv1a64Hex("a"), "af63dc4c8601ec8c");
    EXPECT_EQ(Fnv1a64Hex("foobar"), "85944171f73967e8");
}

}  // namespace
}  // namespace tta::narrative::model
