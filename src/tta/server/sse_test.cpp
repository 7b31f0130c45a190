#include "tta/server/sse.hpp"

#include <gtest/gtest.h>

namespace tta::server {
namespace {

TEST(Sse, AnEventHasIdTypeAndDataLinesThenABlankLine) {
    EXPECT_EQ(FormatSseEvent({"7", "turn", R"({"n":1})"}),
              "id: 7\nevent: turn\ndata: {\"n\":1}\n\n");
    EXPECT_EQ(FormatSseEvent({"", "", "hi"}), "data: hi\n\n");
}

TEST(Sse, EveryKindOfLineBreakStartsANewDataLine) {
    EXPECT_EQ(FormatSseEvent({"", "", "a\nb\r\nc\rd"}), "data: a\ndata: b\ndata: c\ndata: d\n\n");
    EXPECT_EQ(FormatSseEvent({"", "", "end\n"}), "data: end\ndata: \n\n");
    EXPECT_EQ(FormatSseEvent({"", "", ""}), "data: \n\n");
}

TEST(Sse, IdsAndTypesCannotBreakTheFraming) {
    EXPECT_EQ(FormatSseEvent({std::string("1\n2\r3\0", 6), "a\nb", "x"}),
              "id: 123\nevent: ab\ndata: x\n\n");
}

TEST(Sse, CommentsAndRetryHints) {
    EXPECT_EQ(FormatSseComment("heartbeat"), ": heartbeat\n\n");
    EXPECT_EQ(FormatSseComment("a\nb"), ": ab\n\n");
    EXPECT_EQ(FormatSseRetry(std::chrono::milliseconds(3000)), "retry: 3000\n\n");
}

}  // namespace
}  // namespace tta::server
