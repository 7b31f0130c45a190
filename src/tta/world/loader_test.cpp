#include "tta/world/loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tta/world/test_pack.hpp"

namespace tta::world {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace tta::world::testing;

constexpr const char* kBase = R"(world:
  id: t
  title: T
  start: a
places:
  a:
    description: A.
    ending: true
)";

// Loads the base world plus `text` as case.yaml; returns the diagnostics as printed.
std::vector<std::string> Problems(const std::string& text) {
    std::vector<Diagnostic> diagnostics;
    auto pack = LoadPackFromSources({{"base.yaml", kBase}, {"case.yaml", text}}, diagnostics);
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) out.push_back(d.ToString());
    EXPECT_EQ(static_cast<bool>(pack), !HasErrors(diagnostics));
    return out;
}

TEST(Loader, LoadsTheTestPack) {
    const auto pack = LighthousePack();
    ASSERT_NE(pack, nullptr);
    EXPECT_EQ(pack->meta.id, "lighthouse");
    EXPECT_EQ(pack->meta.version, 2);
    EXPECT_THAT(pack->meta.techniques, ElementsAre("box_breathing"));
    EXPECT_EQ(pack->places.size(), 5u);
    EXPECT_EQ(pack->people.size(), 2u);
    EXPECT_EQ(pack->items.size(), 4u);
    EXPECT_EQ(pack->rules.size(), 6u);
    EXPECT_EQ(pack->scenes.size(), 2u);
    EXPECT_EQ(pack->endings.size(), 2u);
    // turns and stress come first; stress takes the declared initial value
    EXPECT_EQ(pack->variables[0].id, "turns");
    EXPECT_EQ(pack->variables[1].id, "stress");
    EXPECT_EQ(pack->variables[1].initial, Value{std::int64_t{6}});
    EXPECT_EQ(pack->variables[1].max, 10);
    const Variable* lamp = pack->FindVariable("lamp_lit");
    ASSERT_NE(lamp, nullptr);
    EXPECT_EQ(lamp->type, VarType::kFlag);
}

TEST(Loader, ReadsExitsInBothForms) {
    const auto pack = LighthousePack();
    const Place* quay = pack->FindPlace("quay");
    ASSERT_NE(quay, nullptr);
    ASSERT_EQ(quay->exits.size(), 2u);
    EXPECT_EQ(quay->exits[0].direction, "north");
    EXPECT_EQ(quay->exits[0].to, "lane");
    EXPECT_EQ(quay->exits[0].to_index, pack->PlaceIndex("lane"));
    EXPECT_EQ(quay->exits[1].when.source(), "tide == \"low\"");
    EXPECT_EQ(quay->exits[1].blocked.variants[0], "The beach is under water.");
    EXPECT_TRUE(pack->FindPlace("lane")->FindExit("west")->hidden);
}

TEST(Loader, ReadsPeopleTopicsAndPronouns) {
    const auto pack = LighthousePack();
    const Person* mira = pack->FindPerson("mira");
    ASSERT_NE(mira, nullptr);
    EXPECT_EQ(mira->pronouns.they, "she");
    EXPECT_EQ(mira->pronouns.their, "her");
    EXPECT_EQ(mira->greeting.variants.size(), 2u);
    ASSERT_EQ(mira->topics.size(), 3u);
    EXPECT_THAT(mira->topics[0].aliases, ElementsAre("light"));
    EXPECT_EQ(mira->topics[1].effects.size(), 1u);
    EXPECT_EQ(mira->default_topic.variants[0], "'I couldn't say,' Mira says.");
    EXPECT_EQ(pack->FindPerson("fisher")->scene_index, pack->SceneIndex("fisher_talk"));
}

TEST(Loader, ReadsRulesScenesAndItemLocations) {
    const auto pack = LighthousePack();
    const Rule* fill = pack->FindRule("fill_lamp");
    ASSERT_NE(fill, nullptr);
    EXPECT_EQ(fill->on.trigger, Trigger::kUse);
    EXPECT_EQ(fill->on.object, "oil");
    EXPECT_EQ(fill->on.target, "lamp");
    EXPECT_EQ(fill->effects.size(), 3u);
    EXPECT_TRUE(pack->FindRule("enter_tower")->then_continue);
    EXPECT_TRUE(pack->FindRule("find_cellar")->once);
    EXPECT_EQ(pack->FindRule("give_coin")->effects.size(), 3u);
    const Scene* scene = pack->FindScene("breathe_at_sea");
    EXPECT_EQ(scene->start, "begin");  // the first node when `start` is left out
    EXPECT_EQ(scene->nodes[0].choices[0].go_to_index, 1);
    EXPECT_THAT(scene->content_tags, ElementsAre("the sea"));
    EXPECT_THAT(pack->FindScene("fisher_talk")->content_tags, IsEmpty());
    EXPECT_EQ(pack->FindItem("key")->location,
              (Where{Where::Kind::kPerson, pack->PersonIndex("mira")}));
    EXPECT_EQ(pack->FindItem("coin")->location.kind, Where::Kind::kPlayer);
    EXPECT_FALSE(pack->FindItem("lamp")->portable);
}

TEST(Loader, GivesEveryTextAStableKeyAndSlot) {
    const auto pack = LighthousePack();
    const Text* t = pack->FindText("people.mira.topics.lamp.text");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->variants[0], "'The lamp needs oil,' she says.");
    EXPECT_EQ(pack->TextSlot(t->key), t->slot);
    EXPECT_EQ(pack->TextKey(t->slot), t->key);
    EXPECT_NE(pack->FindText("scenes.fisher_talk.nodes.hello.choices.2.text"), nullptr);
    EXPECT_EQ(pack->FindText("places.nowhere.description"), nullptr);
}

TEST(Loader, BuildsTheVocabularyFromNamesAliasesAndIds) {
    const auto pack = LighthousePack();
    auto has = [&](std::string phrase, Kind kind, std::string id) {
        for (const Term& t : pack->vocabulary.terms) {
            if (t.phrase == phrase && t.kind == kind && t.id == id) return true;
        }
        return false;
    };
    EXPECT_TRUE(has("quay", Kind::kPlace, "quay"));     // "the quay" without the article
    EXPECT_TRUE(has("harbour", Kind::kPlace, "quay"));  // alias
    EXPECT_TRUE(has("can of oil", Kind::kItem, "oil"));
    EXPECT_TRUE(has("old woman", Kind::kPerson, "mira"));
    EXPECT_TRUE(has("mira", Kind::kPerson, "mira"));  // lowercased name
    EXPECT_TRUE(has("light", Kind::kTopic, "lamp"));
    EXPECT_TRUE(has("n", Kind::kDirection, "north"));
    EXPECT_TRUE(std::is_sorted(pack->vocabulary.terms.begin(), pack->vocabulary.terms.end(),
                               [](const Term& a, const Term& b) { return a.phrase < b.phrase; }));
}

TEST(Loader, AcceptsTheMinimalWorld) { EXPECT_THAT(Problems(""), IsEmpty()); }

struct Case {
    const char* name;
    const char* yaml;
    std::vector<std::string> expected;
};
std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

class LoaderErrors : public ::testing::TestWithParam<Case> {};

TEST_P(LoaderErrors, AreReportedWithTheirPosition) {
    EXPECT_EQ(Problems(GetParam().yaml), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Loader, LoaderErrors,
    ::testing::Values(
        Case{"BadYaml",
             "places:\n  b: [\n",
             {"case.yaml:3:1: YAML: end of sequence flow not found"}},
        Case{"FlowListSplitAtComma",
             "rules:\n  - id: r\n    on: wait\n    effects: [set(tide, \"low\")]\n",
             {"case.yaml:4:30: YAML: end of sequence flow not found (inside [...] a ',' "
              "separates entries; write one effect per line ('- set(tide, \"low\")') or one "
              "string ('effects: set(a), set(tide, \"low\")'))"}},
        Case{"FlowListSplitQuietly",
             "rules:\n  - id: r\n    on: wait\n    effects: [move(b, a)]\n",
             {"case.yaml:4:14: this [...] list was split at a ',' inside (...): inside [...] a "
              "',' separates entries; write one effect per line ('- set(tide, \"low\")') or "
              "one string ('effects: set(a), set(tide, \"low\")')"}},
        Case{"UnknownKey",
             "places:\n  b:\n    discription: B.\n",
             {"case.yaml:3:5: unknown key 'discription' in a place (did you mean 'description'?)"}},
        Case{"UnknownSection",
             "plces:\n  b: {}\n",
             {"case.yaml:1:1: unknown key 'plces' in a world file (did you mean 'places'?)"}},
        Case{"NotAMap",
             "- a\n- b\n",
             {"case.yaml:1:1: a world file is a map of sections: world, variables, places, "
              "people, items, rules, scenes, endings"}},
        Case{"DuplicateChoiceText",
             "scenes:\n  s:\n    nodes:\n      n:\n        text: N.\n        choices:\n"
             "          - text: Go\n            text: Bye.\n            end: done\n",
             {"case.yaml:8:13: duplicate key 'text' (a choice's label is 'text'; what is said "
              "after choosing is 'reply')"}},
        Case{"DuplicateId",
             "items:\n  a:\n    description: x\n",
             {"case.yaml:2:3: 'a' is already defined as a place at base.yaml:6:3"}},
        Case{"BadId",
             "items:\n  Lamp:\n    description: x\n",
             {"case.yaml:2:3: id 'Lamp' must be lowercase snake_case (a-z, 0-9, '_')"}},
        Case{"WrongNumber",
             "people:\n  p:\n    trust: lots\n",
             {"case.yaml:3:12: 'trust' must be a whole number, not 'lots'"}},
        Case{"WrongBool",
             "items:\n  i:\n    portable: maybe\n",
             {"case.yaml:3:15: 'portable' must be true or false, not 'maybe'"}},
        Case{"TextNotMap",
             "items:\n  i:\n    name: {a: b}\n",
             {"case.yaml:3:11: 'name' must be text, not a map"}},
        Case{"UnknownExitTarget",
             "places:\n  b:\n    exits:\n      north: kitchn\n",
             {"case.yaml:4:14: unknown place 'kitchn'"}},
        Case{"UnknownDirection",
             "places:\n  b:\n    exits:\n      nrth: a\n",
             {"case.yaml:4:7: unknown direction 'nrth' (did you mean 'north'?)"}},
        Case{"ExitWithoutTarget",
             "places:\n  b:\n    exits:\n      north:\n        name: x\n",
             {"case.yaml:4:7: exit north has no destination ('to: PLACE')"}},
        Case{"WrongKindOfReference",
             "items:\n  i:\n    location: e2\nendings:\n  e2: {text: x}\n",
             {"case.yaml:3:15: 'e2' is an ending; expected place or person"}},
        Case{"ExpressionErrorPosition",
             "places:\n  b:\n    exits:\n      north:\n        to: a\n"
             "        when: has(lantren) and stress >=\n",
             {"case.yaml:6:19: unknown item 'lantren'",
              "case.yaml:6:41: expected a value, found end of expression"}},
        Case{"QuotedExpressionPosition",
             "endings:\n  e:\n    when: \"at(b)\"\n    text: x\n",
             {"case.yaml:3:15: unknown place 'b' (did you mean 'a'?)"}},
        Case{"EffectsErrorPosition",
             "rules:\n  - id: r\n    on: wait\n    effects:\n"
             "      - go(a)\n      - stres -= 1\n",
             {"case.yaml:6:9: unknown variable 'stres' (did you mean 'stress'?)"}},
        Case{"BadPattern",
             "rules:\n  - id: r\n    on: jump a\n",
             {"case.yaml:3:9: unknown action 'jump'; 'on' must be one of: go PLACE, enter PLACE, "
              "take ITEM, drop ITEM, use ITEM, use ITEM on THING, give ITEM to PERSON, open "
              "ITEM, examine THING, talk PERSON, ask PERSON about TOPIC, look, reflect "
              "[EMOTION], breathe, wait, turn"}},
        Case{"MisspeltPattern",
             "rules:\n  - id: r\n    on: tkae b\n",
             {"case.yaml:3:9: unknown action 'tkae' (did you mean 'take'?); 'on' must be one "
              "of: go PLACE, enter PLACE, take ITEM, drop ITEM, use ITEM, use ITEM on THING, "
              "give ITEM to PERSON, open ITEM, examine THING, talk PERSON, ask PERSON about "
              "TOPIC, look, reflect [EMOTION], breathe, wait, turn"}},
        Case{"RuleWithoutId", "rules:\n  - on: wait\n", {"case.yaml:2:5: rule has no 'id'"}},
        Case{"AskUnknownTopic",
             "people:\n  p:\n    topics:\n      sea: The sea.\n"
             "rules:\n  - id: r\n    on: ask p about se\n",
             {"case.yaml:7:9: 'p' has no topic 'se' (did you mean 'sea'?)"}},
        Case{"VariableTypes",
             "variables:\n  v: {type: colour}\n  w: {type: number, initial: 11, max: 10}\n"
             "  x: {type: string, initial: mid, values: [low, high]}\n  turns: 3\n",
             {"case.yaml:2:13: unknown type 'colour' (use flag, number or string)",
              "case.yaml:3:30: initial value 11 is outside min..max",
              "case.yaml:4:30: initial value 'mid' is not one of the values",
              "case.yaml:5:3: 'turns' is built in (it counts turns) and cannot be declared"}},
        Case{"Pronouns",
             "people:\n  p:\n    pronouns: ze\n",
             {"case.yaml:3:15: pronouns: write 'she/her', 'he/him', 'they/them', 'it/its' or "
              "three words like 'xe/xem/xyr'"}},
        Case{"ChoiceWithoutDestination",
             "scenes:\n  s:\n    nodes:\n      n:\n        text: N.\n        choices:\n          - "
             "text: Go\n",
             {"case.yaml:7:13: choice needs 'goto: NODE' or 'end: OUTCOME'"}},
        Case{"UnknownGoto",
             "scenes:\n  s:\n    nodes:\n      n:\n        text: N.\n        choices:\n"
             "          - text: Go\n            goto: nn\n",
             {"case.yaml:7:13: unknown node 'nn' in scene 's' (did you mean 'n'?)"}},
        Case{"BadTemplate",
             "items:\n  i:\n    description: \"{{#flag.x}}open\"\n",
             {"case.yaml:3:18: template: Unclosed section \"flag.x\" at 0"}},
        Case{"UnknownTemplateVariable",
             "items:\n  i:\n    description: \"It is {{var.tyde}}.\"\n",
             {"case.yaml:3:18: template: unknown variable 'tyde' in {{var.tyde}}"}},
        Case{"SecondWorldSection",
             "world:\n  id: u\n",
             {"case.yaml:1:1: section 'world' is defined twice (once per world)"}}));

TEST(Loader, ReportsAMissingWorldSection) {
    std::vector<Diagnostic> diagnostics;
    auto pack = LoadPackFromSources({{"a.yaml", "places: {a: {description: x}}\n"}}, diagnostics);
    EXPECT_FALSE(pack);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics[0].ToString(),
              "a.yaml: no 'world' section (id, title, start) in any file");
}

TEST(Loader, ReportsAMissingFolder) {
    std::vector<Diagnostic> diagnostics;
    auto pack = LoadPack(TestData("no-such-world"), diagnostics);
    ASSERT_FALSE(pack);
    EXPECT_EQ(pack.error().code, ErrorCode::kNotFound);
}

TEST(Loader, NeverThrowsOnArbitraryBytes) {
    const std::vector<std::string> inputs = {std::string("\0\xff\xfe", 3),
                                             "world: &a [*a]",
                                             "{{{{",
                                             "world: !!binary x",
                                             "[[[[[[[[[[",
                                             std::string(10000, '['),
                                             "places: {a: {exits: {north: {to: [1, 2]}}}}",
                                             "rules: [1, 2]",
                                             "people: {p: {topics: {default: [1]}}}",
                                             "scenes: {s: {nodes: []}}"};
    for (const std::string& input : inputs) {
        std::vector<Diagnostic> diagnostics;
        auto pack = LoadPackFromSources({{"x.yaml", input}}, diagnostics);
        EXPECT_FALSE(pack);
        EXPECT_FALSE(diagnostics.empty());
    }
}

}  // namespace
}  // namespace tta::world
