#include "tta/therapy/content.hpp"

#include <gtest/gtest.h>

namespace tta::therapy {
namespace {

struct TopicCase {
    const char* text;
    const char* topic;
    bool touches;
};

class Topics : public ::testing::TestWithParam<TopicCase> {};

TEST_P(Topics, MatchHoweverTheyAreWorded) {
    EXPECT_EQ(TouchesTopic(GetParam().text, GetParam().topic), GetParam().touches)
        << "'" << GetParam().text << "' and '" << GetParam().topic << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Content, Topics,
    ::testing::Values(
        TopicCase{"the sea", "the sea", true},
        TopicCase{"the sea, tides and cold water (a swimmer, a rising tide, a cave)", "Sea", true},
        TopicCase{"the sea, tides and cold water", "cold water", true},
        TopicCase{"a storm at night", "storms", true},
        TopicCase{"heights (a lighthouse stair and an open gallery)", "height", true},
        TopicCase{"breath_focus", "breath focus", true},
        TopicCase{"grief, gently (an older character's late wife)", "GRIEF", true},
        TopicCase{"memories of a lost parent", "lost parent", true},
        // Words must come in order and whole: no match inside a word or out of order.
        TopicCase{"the seaside in summer", "sea", false},
        TopicCase{"water that is cold", "cold water", false},
        TopicCase{"a storm at night", "night storm", false},
        TopicCase{"glass and grasses", "glas", false},
        // Nothing is not a topic.
        TopicCase{"the sea", "", false}, TopicCase{"the sea", "the", false},
        TopicCase{"", "sea", false}));

TEST(Content, ConflictingNotesKeepTheNotesOrderAndTheFirstTopicEach) {
    const std::vector<std::string> notes = {"the sea, tides and cold water", "heights",
                                            "a storm at night", "an unopened letter"};
    const std::vector<std::string> topics = {"storms", "cold water", "sea"};
    EXPECT_EQ(ConflictingNotes(notes, topics),
              (std::vector<ContentConflict>{{"the sea, tides and cold water", "cold water"},
                                            {"a storm at night", "storms"}}));
    EXPECT_TRUE(ConflictingNotes(notes, {}).empty());
}

}  // namespace
}  // namespace tta::therapy
