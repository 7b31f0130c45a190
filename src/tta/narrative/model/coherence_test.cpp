#include "tta/narrative/model/coherence.hpp"

#include <gtest/gtest.h>

#include "tta/narrative/model/test_world.hpp"

namespace tta::narrative::model {
namespace {

// A turn of the cove world: the opening, or one action from the start.
class CoherenceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        pack_ = CovePack();
        ASSERT_NE(pack_, nullptr);
        checker_ = std::make_unique<CoherenceChecker>(*pack_);
    }
    world::Outcome Begin() {
        Rng rng(1);
        return world::Begin(*pack_, world::Initial(*pack_), rng);
    }
    world::Outcome After(const world::Outcome& before, world::Action action) {
        Rng rng(2);
        return world::Resolve(*pack_, before.state, action, rng);
    }
    static world::Action Act(world::Verb verb, std::string object = "", std::string dir = "") {
        world::Action a;
        a.verb = verb;
        a.object = std::move(object);
        a.direction = std::move(dir);
        return a;
    }
    std::vector<std::string> Checks(std::string_view text, const world::Outcome& outcome,
                                    std::string_view authored = "") {
        const TurnScope scope = checker_->Scope(outcome, authored, "Sam");
        std::vector<std::string> out;
        for (const auto& issue : checker_->Check(text, scope)) {
            out.push_back(issue.check + ": " + issue.detail);
        }
        return out;
    }

    std::shared_ptr<const world::Pack> pack_;
    std::unique_ptr<CoherenceChecker> checker_;
};

TEST_F(CoherenceTest, FaithfulProseHasNoIssues) {
    const auto opening = Begin();
    EXPECT_TRUE(Checks("Waves fold onto the pale sand, Sam. A brass lantern lies half buried "
                       "near the shore, and to the north the net hut leans in the wind. Far off, "
                       "the Lantern Rock stands in the sea.",
                       opening)
                    .empty());
}

TEST_F(CoherenceTest, APersonWhoIsNotHereIsOutOfScope) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("Ada waves to you from the water's edge.", opening),
              (std::vector<std::string>{"out_of_scope: names Ada, who is not here"}));
    EXPECT_EQ(Checks("You think you hear Granny Ada calling.", opening).size(), 1u);
}

TEST_F(CoherenceTest, APersonTheTurnNamesIsInScope) {
    const auto opening = Begin();
    EXPECT_TRUE(Checks("You remember Ada's net.", opening, "Ada mends nets in the hut.").empty());
}

TEST_F(CoherenceTest, ADistantPlaceByItsFullNameIsOutOfScope) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("The old lighthouse blinks above you.", opening),
              (std::vector<std::string>{"out_of_scope: names the old lighthouse, which is not "
                                        "here"}));
    // The tide pools are one exit away: fair to mention.
    EXPECT_TRUE(Checks("To the east the tide pools shine.", opening).empty());
}

TEST_F(CoherenceTest, AnItemElsewhereByItsFullNameIsOutOfScope) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("A spiral shell glints at your feet.", opening).size(), 1u);
    // A single-word mention is ordinary language, not a claim.
    EXPECT_TRUE(Checks("The sea hums in every shell.", opening).empty());
}

TEST_F(CoherenceTest, InventedNamesAreCaught) {
    const auto opening = Begin();
    EXPECT_EQ(
        Checks("An old sailor called Captain Rook watches you.", opening),
        (std::vector<std::string>{"invented_name: names Captain, who or which is not in this world",
                                  "invented_name: names Rook, who or which is not in this world"}));
}

TEST_F(CoherenceTest, CapitalsAtTheStartOfSentencesAndQuotationsAreNotNames) {
    const auto opening = Begin();
    EXPECT_TRUE(
        Checks("Rain begins. \"Somewhere,\" you think, 'Gulls.' Wind: Cold. I know.", opening)
            .empty());
}

TEST_F(CoherenceTest, WorldWordsAndThePlayersNameAreNotInvented) {
    const auto opening = Begin();
    EXPECT_TRUE(Checks("Gulls wheel over Saltby Point, and the wind finds Sam.", opening).empty());
}

TEST_F(CoherenceTest, TakingWhatWasNotTakenContradictsTheEffects) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("You pick up the brass lantern.", opening),
              (std::vector<std::string>{"contradiction: says you take a brass lantern"}));
    const auto took = After(opening, Act(world::Verb::kTake, "lantern"));
    EXPECT_TRUE(Checks("You pick up the brass lantern. Your lamp is cold.", took).empty());
}

TEST_F(CoherenceTest, SomethingNotCarriedIsNotYours) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("Sand drifts over the beach and your lantern.", opening),
              (std::vector<std::string>{"contradiction: calls a brass lantern yours"}));
}

TEST_F(CoherenceTest, DroppingNeedsTheDropEffect) {
    const auto took = After(Begin(), Act(world::Verb::kTake, "lantern"));
    EXPECT_EQ(Checks("You set down the lamp on the sand.", took).size(), 1u);
    const auto dropped = After(took, Act(world::Verb::kDrop, "lantern"));
    EXPECT_TRUE(Checks("You set down the lamp on the sand.", dropped).empty());
}

TEST_F(CoherenceTest, BeingGivenSomethingNeedsHavingIt) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("The wind hands you the lantern.", opening).size(), 1u);
}

TEST_F(CoherenceTest, BeingSomewhereElseContradictsTheState) {
    const auto opening = Begin();
    EXPECT_EQ(Checks("You are in the net hut, out of the wind.", opening),
              (std::vector<std::string>{"contradiction: puts you at the net hut, not where you "
                                        "are"}));
    EXPECT_TRUE(Checks("You stand on the beach, looking north to the net hut.", opening).empty());
    const auto moved = After(opening, Act(world::Verb::kGo, "", "north"));
    EXPECT_TRUE(Checks("You step into the net hut. Ada looks up.", moved).empty());
}

TEST(NormaliseForMatching, LowercasesAndSeparatesWords) {
    EXPECT_EQ(NormaliseForMatching("Ada's  brass-Lantern!"), " ada s brass lantern ");
    EXPECT_EQ(NormaliseForMatching(""), " ");
}

}  // namespace
}  // namespace tta::narrative::model
