#include "tta/input/parser.hpp"

#include <gtest/gtest.h>

namespace tta::input {
namespace {

using world::Verb;
using Kind = Interpretation::Kind;

class ParserTest : public ::testing::Test {
protected:
    ParserTest() {
        lex_.Add("brass lantern", {EntityKind::kItem, "lantern", ""});
        lex_.Add("lamp", {EntityKind::kItem, "lantern", ""});
        lex_.Add("matches", {EntityKind::kItem, "matches", ""});
        lex_.Add("shell", {EntityKind::kItem, "shell", ""});
        lex_.Add("lamp", {EntityKind::kItem, "lamp_post", ""});
        lex_.Add("Mira", {EntityKind::kPerson, "mira", ""});
        lex_.Add("keeper", {EntityKind::kPerson, "mira", ""});
        lex_.Add("Tom", {EntityKind::kPerson, "tom", ""});
        lex_.Add("the harbour", {EntityKind::kPlace, "harbour", ""});
        lex_.Add("lighthouse", {EntityKind::kTopic, "lighthouse", "mira"});
        lex_.Add("light", {EntityKind::kTopic, "lighthouse", "mira"});
        lex_.Add("lighthouse", {EntityKind::kPlace, "lighthouse_base", ""});
        scope_.people_here = {"mira"};
        scope_.inventory = {"matches"};
        scope_.items_here = {"lantern"};
    }
    Interpretation Parse(std::string_view text) { return Interpret(text, lex_, scope_); }

    Lexicon lex_;
    Scope scope_;
};

TEST_F(ParserTest, DirectionsInEveryForm) {
    for (auto text : {"n", "north", "go north", "walk north", "Go N"}) {
        auto r = Parse(text);
        ASSERT_EQ(r.kind, Kind::kAction) << text;
        EXPECT_EQ(r.action.verb, Verb::kGo) << text;
        EXPECT_EQ(r.action.direction, "north") << text;
    }
}

TEST_F(ParserTest, GoToANamedPlace) {
    auto r = Parse("walk to the harbour");
    ASSERT_EQ(r.kind, Kind::kAction);
    EXPECT_EQ(r.action.verb, Verb::kGo);
    EXPECT_EQ(r.action.object, "harbour");
}

TEST_F(ParserTest, TakeWithSynonymsAndArticles) {
    for (auto text : {"take the lamp", "get brass lantern", "pick up the lamp", "grab lamp"}) {
        auto r = Parse(text);
        ASSERT_EQ(r.kind, Kind::kAction) << text;
        EXPECT_EQ(r.action.verb, Verb::kTake) << text;
    }
    EXPECT_EQ(Parse("take the lantern").kind, Kind::kNotUnderstood);  // "lantern" alone unknown
}

TEST_F(ParserTest, PrefersTheThingInReachWhenNamesCollide) {
    auto r = Parse("take the lamp");
    ASSERT_EQ(r.kind, Kind::kAction);
    EXPECT_EQ(r.action.object, "lantern");
}

TEST_F(ParserTest, ToleratesTyposAndReportsTheCorrection) {
    auto r = Parse("exmaine the brass lantren");
    ASSERT_EQ(r.kind, Kind::kAction);
    EXPECT_EQ(r.action.verb, Verb::kExamine);
    EXPECT_EQ(r.action.object, "lantern");
    EXPECT_EQ(r.corrections.size(), 2u);
}

TEST_F(ParserTest, UseOnAndLightWith) {
    auto use = Parse("use the matches on the lamp");
    ASSERT_EQ(use.kind, Kind::kAction);
    EXPECT_EQ(use.action.verb, Verb::kUse);
    EXPECT_EQ(use.action.object, "matches");
    EXPECT_EQ(use.action.target, "lantern");
    auto light = Parse("light the lamp with the matches");
    ASSERT_EQ(light.kind, Kind::kAction);
    EXPECT_EQ(light.action.object, "matches");
    EXPECT_EQ(light.action.target, "lantern");
}

TEST_F(ParserTest, PutInIsUseOnAndPutDownIsDrop) {
    auto put = Parse("put the matches in the lamp");
    ASSERT_EQ(put.kind, Kind::kAction);
    EXPECT_EQ(put.action.verb, Verb::kUse);
    EXPECT_EQ(put.action.object, "matches");
    EXPECT_EQ(put.action.target, "lantern");
    EXPECT_EQ(Parse("put down the matches").action.verb, Verb::kDrop);
}

TEST_F(ParserTest, GiveInBothWordOrders) {
    auto a = Parse("give the shell to mira");
    auto b = Parse("give mira the shell");
    for (const auto& r : {a, b}) {
        ASSERT_EQ(r.kind, Kind::kAction);
        EXPECT_EQ(r.action.verb, Verb::kGive);
        EXPECT_EQ(r.action.object, "shell");
        EXPECT_EQ(r.action.target, "mira");
    }
}

TEST_F(ParserTest, TalkAndAsk) {
    auto talk = Parse("talk to the keeper");
    ASSERT_EQ(talk.kind, Kind::kAction);
    EXPECT_EQ(talk.action.verb, Verb::kTalk);
    EXPECT_EQ(talk.action.object, "mira");

    auto ask = Parse("ask Mira about the light");
    ASSERT_EQ(ask.kind, Kind::kAction);
    EXPECT_EQ(ask.action.verb, Verb::kAsk);
    EXPECT_EQ(ask.action.object, "mira");
    EXPECT_EQ(ask.action.topic, "lighthouse");

    auto implicit = Parse("ask about the weather");
    ASSERT_EQ(implicit.kind, Kind::kAction);
    EXPECT_EQ(implicit.action.object, "mira");
    EXPECT_EQ(implicit.action.topic, "weather");
}

TEST_F(ParserTest, FeelingStatementsAreReflections) {
    auto r = Parse("I feel really anxious right now");
    ASSERT_EQ(r.kind, Kind::kAction);
    EXPECT_EQ(r.action.verb, Verb::kReflect);
    EXPECT_EQ(r.action.emotion, "anxious");
}

TEST_F(ParserTest, ASentenceStartingWithIIsNotAnInventoryCommand) {
    EXPECT_EQ(Parse("i").action.verb, Verb::kInventory);
    EXPECT_EQ(Parse("I can't find the way").kind, Kind::kNotUnderstood);
}

TEST_F(ParserTest, EmotionCuesRideAlongWithCommands) {
    auto r = Parse("take the lamp, I'm scared");
    EXPECT_EQ(r.emotions.size(), 1u);
}

TEST_F(ParserTest, NumbersPickChoicesOnlyWhenASceneIsOpen) {
    EXPECT_EQ(Parse("2").kind, Kind::kNotUnderstood);
    scope_.choices = {"Breathe with her", "Not now"};
    auto r = Parse("2");
    ASSERT_EQ(r.kind, Kind::kAction);
    EXPECT_EQ(r.action.verb, Verb::kChoose);
    EXPECT_EQ(r.action.choice, 2);
    EXPECT_EQ(Parse("breathe with her").action.choice, 1);
}

TEST_F(ParserTest, MetaCommands) {
    EXPECT_EQ(Parse("undo").meta, Meta::kUndo);
    EXPECT_EQ(Parse("help").meta, Meta::kHelp);
    EXPECT_EQ(Parse("check in").meta, Meta::kCheckIn);
    EXPECT_EQ(Parse("questionnaire").meta, Meta::kQuestionnaire);
    EXPECT_TRUE(Parse("journal").argument.empty());
}

TEST_F(ParserTest, MetaCommandsThatTakeWordsKeepThemAsTyped) {
    struct Case {
        std::string_view text;
        Meta meta;
        std::string_view argument;
    };
    for (const Case& c : std::initializer_list<Case>{
             {"journal The sea was calm today.", Meta::kJournal, "The sea was calm today."},
             {"journal: I don't mind the rain", Meta::kJournal, "I don't mind the rain"},
             {"Please journal  Wren's glass is GREEN", Meta::kJournal, "Wren's glass is GREEN"},
             {"jurnal the tide came in", Meta::kJournal, "the tide came in"},
             {"check in 6 tired, hopeful", Meta::kCheckIn, "6 tired, hopeful"},
             {"mood 3", Meta::kCheckIn, "3"},
             {"questionnaire PHQ-9", Meta::kQuestionnaire, "PHQ-9"},
             {"questionnaire schedule weekly", Meta::kQuestionnaire, "schedule weekly"},
         }) {
        auto r = Parse(c.text);
        ASSERT_EQ(r.kind, Kind::kMeta) << c.text;
        EXPECT_EQ(r.meta, c.meta) << c.text;
        EXPECT_EQ(r.argument, c.argument) << c.text;
    }
}

TEST_F(ParserTest, OnlySomeMetaCommandsTakeWords) {
    EXPECT_NE(Parse("check in the lamp").kind, Kind::kMeta);  // a check-in takes a rating
    EXPECT_NE(Parse("progress report").kind, Kind::kMeta);
    EXPECT_NE(Parse("undo that").kind, Kind::kMeta);
}

TEST_F(ParserTest, SaysWhatItUnderstoodWhenItCannotParse) {
    auto r = Parse("take the flurble");
    ASSERT_EQ(r.kind, Kind::kNotUnderstood);
    EXPECT_EQ(r.understood, "take");
    EXPECT_EQ(r.unknown_words, std::vector<std::string>{"flurble"});
    auto none = Parse("xyzzy plugh");
    ASSERT_EQ(none.kind, Kind::kNotUnderstood);
    EXPECT_TRUE(none.understood.empty());
}

TEST_F(ParserTest, AnyBytesGetAnInterpretation) {
    EXPECT_EQ(Parse("").kind, Kind::kEmpty);
    EXPECT_EQ(Parse("   !!! ").kind, Kind::kEmpty);
    auto r = Parse(std::string("\xFF\x00\xC3", 3));
    EXPECT_NE(r.kind, Kind::kAction);
}

}  // namespace
}  // namespace tta::input
