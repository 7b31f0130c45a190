#include "tta/world/expr.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tta/core/rng.hpp"
#include "tta/world/effect.hpp"
#include "tta/world/test_pack.hpp"

namespace tta::world {
namespace {

using ::testing::ElementsAre;
using namespace tta::world::testing;

struct ErrorCase {
    const char* source;
    std::size_t offset;
    const char* message;
};

std::ostream& operator<<(std::ostream& os, const ErrorCase& c) { return os << c.source; }

class ConditionErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConditionErrors, ReportTheFirstProblemWithItsOffset) {
    const auto pack = LighthousePack();
    std::vector<ExprError> errors;
    Condition c = CompileCondition(GetParam().source, *pack, errors);
    EXPECT_TRUE(c.empty());
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].message, GetParam().message);
    EXPECT_EQ(errors[0].offset, GetParam().offset);
}

INSTANTIATE_TEST_SUITE_P(
    Expressions, ConditionErrors,
    ::testing::Values(
        ErrorCase{"has(oil", 7, "expected ')', found end of expression"},
        ErrorCase{"stress >= ", 10, "expected a value, found end of expression"},
        ErrorCase{"(lamp_lit and at(quay)", 22, "expected ')', found end of expression"},
        ErrorCase{"lamp_lit at(quay)", 9, "expected 'and', 'or' or end of expression, found 'at'"},
        ErrorCase{"tide = \"low\"", 5, "use '==' to compare ('=' assigns, in effects)"},
        ErrorCase{"lamp_lit && at(quay)", 9, "use 'and' instead of '&&'"},
        ErrorCase{"lamp_lit || at(quay)", 9, "use 'or' instead of '||'"},
        ErrorCase{"!lamp_lit", 0, "use 'not' instead of '!'"},
        ErrorCase{"tide == \"low", 8, "unterminated string"},
        ErrorCase{"has(oli)", 4, "unknown item 'oli' (did you mean 'oil'?)"},
        ErrorCase{"has(mira)", 4, "has() needs an item; 'mira' is a person"},
        ErrorCase{"here(quay)", 5, "here() needs a person or item; 'quay' is a place"},
        ErrorCase{"lamp_lt", 0, "unknown name 'lamp_lt' (did you mean 'lamp_lit'?)"},
        ErrorCase{"tide == \"lwo\"", 8,
                  "\"lwo\" is not one of tide's values (high, low) (did you mean 'low'?)"},
        ErrorCase{"quay", 0, "'quay' is a place, not a condition (did you mean at(quay)?)"},
        ErrorCase{"oil and lamp_lit", 0,
                  "'oil' is an item, not a condition (did you mean has(oil)?)"},
        ErrorCase{"1 < 2 < 3", 6, "comparisons cannot be chained; join them with 'and'"},
        ErrorCase{"tide < 3", 5, "'<' compares numbers; this compares a string with a number"},
        ErrorCase{"tide == 3", 5, "cannot compare a string with a number"},
        ErrorCase{"hass(oil)", 0, "unknown function 'hass' (did you mean 'has'?)"},
        ErrorCase{"set(lamp_lit)", 0, "set() is an effect; it cannot be used in a condition"},
        ErrorCase{"has(oil, coin)", 7, "has() takes 1 argument"},
        ErrorCase{"has(\"oil\")", 4, "has() expects a name, found string \"oil\""},
        ErrorCase{"done(fill_lamp, paid)", 16, "only scenes have outcomes; 'fill_lamp' is a rule"},
        ErrorCase{"chance(150)", 7, "chance() takes a percentage from 0 to 100"},
        ErrorCase{"coins > 99999999999", 8, "number too large (at most 1000000000)"},
        ErrorCase{"location(mira) == oil", 18,
                  "a location is a place, a person, player or nowhere; 'oil' is an item"},
        ErrorCase{"coins > 2 é", 10, "unexpected character byte 0xc3"},
        ErrorCase{"", 0, "expected a value, found end of expression"}));

TEST(Conditions, ReportEveryUnknownNameNotJustTheFirst) {
    const auto pack = LighthousePack();
    std::vector<ExprError> errors;
    CompileCondition("has(lantern) or at(harbor)", *pack, errors);
    EXPECT_THAT(errors, ElementsAre(ExprError{4, "unknown item 'lantern'"},
                                    ExprError{19, "unknown place 'harbor'"}));
}

TEST(Conditions, NestTooDeepIsAnErrorNotACrash) {
    const auto pack = LighthousePack();
    std::vector<ExprError> errors;
    CompileCondition(std::string(200, '(') + "lamp_lit" + std::string(200, ')'), *pack, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message, "expression nested too deeply");
}

struct Truth {
    const char* source;
    bool holds;
};
std::ostream& operator<<(std::ostream& os, const Truth& t) { return os << t.source; }

class ConditionValues : public ::testing::TestWithParam<Truth> {};

TEST_P(ConditionValues, HoldInTheInitialState) {
    const auto pack = LighthousePack();
    const State state = Initial(*pack);
    std::vector<ExprError> errors;
    Condition c = CompileCondition(GetParam().source, *pack, errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
    EXPECT_EQ(c.source(), GetParam().source);
    EXPECT_EQ(c.Holds({*pack, state, nullptr}), GetParam().holds);
}

INSTANTIATE_TEST_SUITE_P(
    Expressions, ConditionValues,
    ::testing::Values(
        Truth{"at(quay)", true}, Truth{"at(lane)", false}, Truth{"has(coin)", true},
        Truth{"has(oil)", false}, Truth{"here(fisher)", true}, Truth{"here(mira)", false},
        Truth{"here(coin)", true}, Truth{"not visited(quay)", true},
        Truth{"trust(mira) == 0", true}, Truth{"trust(mira) >= 1", false},
        Truth{"tide == \"high\"", true}, Truth{"tide != 'high'", false},
        Truth{"not lamp_lit", true}, Truth{"lamp_lit or coins == 2", true},
        Truth{"lamp_lit and coins == 2", false}, Truth{"not not lamp_lit", false},
        Truth{"coins + 1 == 3", true}, Truth{"coins - 3 == -1", true}, Truth{"-coins < 0", true},
        Truth{"stress == 6", true}, Truth{"turns == 0", true}, Truth{"location(key) == mira", true},
        Truth{"location(mira) == lane", true}, Truth{"location(coin) == player", true},
        Truth{"location(mira) != quay", true}, Truth{"location(oil) == \"beach\"", true},
        Truth{"location(oil) == location(oil)", true}, Truth{"done(fill_lamp)", false},
        Truth{"done(fisher_talk, paid)", false}, Truth{"active(fisher_talk)", false},
        Truth{"chance(100)", false}, Truth{"true and not false", true},
        Truth{"(at(quay) or at(lane)) and has(coin)", true}));

TEST(Conditions, ChanceUsesTheTurnsRandomNumbers) {
    const auto pack = LighthousePack();
    const State state = Initial(*pack);
    std::vector<ExprError> errors;
    const Condition always = CompileCondition("chance(100)", *pack, errors);
    const Condition never = CompileCondition("chance(0)", *pack, errors);
    const Condition half = CompileCondition("chance(50)", *pack, errors);
    ASSERT_TRUE(errors.empty());
    Rng rng(1);
    int hits = 0;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(always.Holds({*pack, state, &rng}));
        EXPECT_FALSE(never.Holds({*pack, state, &rng}));
        hits += half.Holds({*pack, state, &rng}) ? 1 : 0;
    }
    EXPECT_GT(hits, 400);
    EXPECT_LT(hits, 600);
}

TEST(Conditions, ListThePlacesTheyRequire) {
    const auto pack = LighthousePack();
    std::vector<ExprError> errors;
    EXPECT_THAT(CompileCondition("lamp_lit and at(tower)", *pack, errors).RequiredPlaces(*pack),
                ElementsAre("tower"));
    EXPECT_TRUE(
        CompileCondition("at(tower) or at(lane)", *pack, errors).RequiredPlaces(*pack).empty());
}

class EffectErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(EffectErrors, ReportTheFirstProblemWithItsOffset) {
    const auto pack = LighthousePack();
    std::vector<ExprError> errors;
    Script s = CompileEffects(GetParam().source, *pack, errors);
    EXPECT_TRUE(s.empty());
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].message, GetParam().message);
    EXPECT_EQ(errors[0].offset, GetParam().offset);
}

INSTANTIATE_TEST_SUITE_P(
    Expressions, EffectErrors,
    ::testing::Values(
        ErrorCase{"set(coins)", 4,
                  "set(coins) needs a flag; 'coins' is a number (use set(coins, VALUE))"},
        ErrorCase{"clear(tide)", 6, "clear(tide) needs a flag; 'tide' is a string"},
        ErrorCase{"turns += 1", 0, "'turns' counts itself and cannot be assigned"},
        ErrorCase{"tide += 1", 5, "'+=' needs a number; 'tide' is a string"},
        ErrorCase{"coins = \"many\"", 8, "coins is a number; cannot assign a string"},
        ErrorCase{"tide = \"middle\"", 7, "\"middle\" is not one of tide's values (high, low)"},
        ErrorCase{"tide == \"low\"", 5, "use '=' to assign ('==' compares)"},
        ErrorCase{"giv(oil)", 0, "unknown effect 'giv' (did you mean 'give'?)"},
        ErrorCase{"has(oil)", 0, "has() is a condition; it cannot be used as an effect"},
        ErrorCase{"go(quay", 7, "expected ')', found end of expression"},
        ErrorCase{"go(quay) give(oil)", 9, "expected ',' or ';' between effects, found 'give'"},
        ErrorCase{"move(oil)", 8, "expected ',' and a destination, found ')'"},
        ErrorCase{"move(mira, coin)", 11, "move() needs a place; 'coin' is an item"},
        ErrorCase{"reveal(lane, west2)", 13, "unknown direction 'west2' (did you mean 'west'?)"},
        ErrorCase{"reveal(quay, south)", 13, "place 'quay' has no exit south"},
        ErrorCase{"trust(mira) *= 2", 12, "unexpected character '*'"},
        ErrorCase{"trust(mira)", 11,
                  "expected '+=', '-=' or '=' after trust(mira), found end of expression"},
        ErrorCase{"stres -= 1", 0, "unknown variable 'stres' (did you mean 'stress'?)"},
        ErrorCase{"quay = 1", 0, "'quay' is a place, not a variable"},
        ErrorCase{"end(fisher_talk)", 4, "end() needs an ending; 'fisher_talk' is a scene"},
        ErrorCase{"check_in(quay)", 9, "check_in() needs a person; 'quay' is a place"},
        ErrorCase{"check_in(mira, fisher)", 13, "check_in() takes 1 argument"},
        ErrorCase{"check_in", 8,
                  "expected '=', '+=', '-=' or '(' after 'check_in', found end of expression"},
        ErrorCase{"", 0, "expected an effect, found end of expression"},
        ErrorCase{"set(lamp_lit),, go(quay)", 14, "expected an effect, found ','"}));

class Effects : public ::testing::Test {
  protected:
    std::vector<Effect> Run(std::string_view source) {
        std::vector<ExprError> errors;
        Script s = CompileEffects(source, *pack, errors);
        EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
        std::vector<Effect> out;
        s.Run(*pack, state, nullptr, out);
        return out;
    }
    std::shared_ptr<const Pack> pack = LighthousePack();
    State state = Initial(*pack);
};

TEST_F(Effects, ProduceResolvedValuesClampedToBounds) {
    EXPECT_THAT(Run("coins += 10"),
                ElementsAre(Effect{EffectKind::kSetVariable, "coins", {}, std::int64_t{5}, 0}));
    EXPECT_THAT(Run("stress -= 100"),
                ElementsAre(Effect{EffectKind::kSetVariable, "stress", {}, std::int64_t{0}, 0}));
}

TEST_F(Effects, LaterStatementsSeeEarlierOnes) {
    EXPECT_THAT(Run("coins = 1; coins += coins + 1"),
                ElementsAre(Effect{EffectKind::kSetVariable, "coins", {}, std::int64_t{1}, 0},
                            Effect{EffectKind::kSetVariable, "coins", {}, std::int64_t{3}, 0}));
}

TEST_F(Effects, ChangesThatChangeNothingAreLeftOut) {
    EXPECT_TRUE(Run("clear(lamp_lit), coins = 2, give(coin), tide = \"high\"").empty());
}

TEST_F(Effects, CoverEveryKindOfChange) {
    EXPECT_THAT(Run("set(lamp_lit), set(tide, \"low\"), trust(mira) += 2, give(oil), remove(coin), "
                    "move(key, fisher), move(mira, quay), go(tower), reveal(lane, west), "
                    "start(fisher_talk), end(lit)"),
                ElementsAre(Effect{EffectKind::kSetVariable, "lamp_lit", {}, true, 0},
                            Effect{EffectKind::kSetVariable, "tide", {}, std::string("low"), 0},
                            Effect{EffectKind::kSetTrust, "mira", {}, false, 2},
                            Effect{EffectKind::kMoveItem, "oil", "player", false, 0},
                            Effect{EffectKind::kMoveItem, "coin", "", false, 0},
                            Effect{EffectKind::kMoveItem, "key", "fisher", false, 0},
                            Effect{EffectKind::kMovePerson, "mira", "quay", false, 0},
                            Effect{EffectKind::kMovePlayer, "tower", {}, false, 0},
                            Effect{EffectKind::kExitRevealed, "lane", "west", false, 0},
                            Effect{EffectKind::kSceneStarted, "fisher_talk", "hello", false, 0},
                            Effect{EffectKind::kEndingReached, "lit", {}, false, 0}));
    EXPECT_EQ(state.ending, pack->EndingIndex("lit"));
}

TEST_F(Effects, ACheckInAsksWithOrWithoutSomeoneAndChangesNothing) {
    const State before = state;
    EXPECT_THAT(Run("check_in(mira), check_in()"),
                ElementsAre(Effect{EffectKind::kCheckIn, "mira", {}, false, 0},
                            Effect{EffectKind::kCheckIn, "", {}, false, 0}));
    EXPECT_EQ(StateToJson(*pack, state), StateToJson(*pack, before));
    std::vector<ExprError> errors;
    EXPECT_TRUE(CompileEffects("check_in()", *pack, errors).Summary().checks_in);
    EXPECT_FALSE(CompileEffects("go(tower)", *pack, errors).Summary().checks_in);
    EXPECT_TRUE(errors.empty());
}

TEST_F(Effects, SummariseWhatTheyMoveForTheValidator) {
    std::vector<ExprError> errors;
    Script s = CompileEffects(
        "go(tower), give(oil), move(key, quay), move(mira, nowhere), "
        "reveal(lane, west), start(fisher_talk), end(lit)",
        *pack, errors);
    ASSERT_TRUE(errors.empty());
    const EffectSummary sum = s.Summary();
    EXPECT_THAT(sum.goes_to, ElementsAre("tower"));
    EXPECT_THAT(sum.gives, ElementsAre("oil"));
    EXPECT_THAT(sum.moves_items, ElementsAre("key"));
    EXPECT_THAT(sum.moves_people, ElementsAre("mira"));
    EXPECT_THAT(sum.reveals, ElementsAre("lane.west"));
    EXPECT_THAT(sum.starts, ElementsAre("fisher_talk"));
    EXPECT_THAT(sum.ends, ElementsAre("lit"));
    EXPECT_THAT(s.Sources(),
                ElementsAre("go(tower)", "give(oil)", "move(key, quay)", "move(mira, nowhere)",
                            "reveal(lane, west)", "start(fisher_talk)", "end(lit)"));
}

TEST(Syntax, CheckingNeedsNoPack) {
    EXPECT_TRUE(CheckConditionSyntax("has(anything) and x >= 3").empty());
    EXPECT_THAT(CheckConditionSyntax("has(x"),
                ElementsAre(ExprError{5, "expected ')', found end of expression"}));
    EXPECT_TRUE(CheckEffectsSyntax("set(a), b += 1; go(c)").empty());
    EXPECT_THAT(CheckEffectsSyntax("b +="),
                ElementsAre(ExprError{4, "expected a value, found end of expression"}));
}

}  // namespace
}  // namespace tta::world
