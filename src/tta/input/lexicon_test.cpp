#include "tta/input/lexicon.hpp"

#include <gtest/gtest.h>

#include "tta/input/normalize.hpp"

namespace tta::input {
namespace {

TEST(Lexicon, PrefersLongerPhrasesThenFewerTypos) {
    Lexicon lex;
    lex.Add("the brass lantern", {EntityKind::kItem, "lantern", ""});
    lex.Add("brass", {EntityKind::kItem, "brass_key", ""});
    auto m = lex.MatchPrefix(Normalize("brass lantern").words);
    ASSERT_GE(m.size(), 2u);
    EXPECT_EQ(m[0].ref->id, "lantern");
    EXPECT_EQ(m[0].words_used, 2u);
}

TEST(Lexicon, ToleratesTyposInLongerWords) {
    Lexicon lex;
    lex.Add("lantern", {EntityKind::kItem, "lantern", ""});
    auto m = lex.MatchPrefix(Normalize("lantren").words);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].typos, 1);
    EXPECT_TRUE(lex.MatchPrefix(Normalize("lamp").words).empty());
}

TEST(Lexicon, FiltersByKind) {
    Lexicon lex;
    lex.Add("mira", {EntityKind::kPerson, "mira", ""});
    const EntityKind items[] = {EntityKind::kItem};
    EXPECT_TRUE(lex.MatchPrefix(Normalize("mira").words, items).empty());
    EXPECT_TRUE(lex.Knows("mira"));
}

}  // namespace
}  // namespace tta::input
