#include "tta/narrative/model/chat.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tta/core/utf8.hpp"

namespace tta::narrative::model {
namespace {

TEST(ChatRequest, EncodesAStreamingRequestWithUsage) {
    ChatRequest r;
    r.model = "llama3";
    r.messages = {{"system", "Be kind."}, {"user", "Go \"north\"."}};
    r.max_tokens = 123;
    r.temperature = 0.5;
    const auto v = boost::json::parse(EncodeChatRequest(r)).as_object();
    EXPECT_EQ(v.at("model").as_string(), "llama3");
    EXPECT_TRUE(v.at("stream").as_bool());
    EXPECT_TRUE(v.at("stream_options").as_object().at("include_usage").as_bool());
    EXPECT_EQ(v.at("max_tokens").as_int64(), 123);
    EXPECT_EQ(v.at("messages").as_array().size(), 2u);
    EXPECT_EQ(v.at("messages").as_array()[1].as_object().at("content").as_string(),
              "Go \"north\".");
}

TEST(ParseChunk, ReadsTheDeltaText) {
    auto c = ParseChunk(R"({"id":"x","object":"chat.completion.chunk","choices":[{"index":0,)"
                        R"("delta":{"content":"The tide"},"finish_reason":null}]})");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->content, "The tide");
    EXPECT_TRUE(c->finish_reason.empty());
    EXPECT_FALSE(c->done);
}

TEST(ParseChunk, ReadsFinishReasonAndUsage) {
    auto c = ParseChunk(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
                        R"("usage":{"prompt_tokens":312,"completion_tokens":88}})");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->finish_reason, "stop");
    ASSERT_TRUE(c->usage);
    EXPECT_EQ(c->usage->prompt_tokens, 312);
    EXPECT_EQ(c->usage->completion_tokens, 88);
}

TEST(ParseChunk, AcceptsAUsageOnlyChunkAndARoleOnlyDelta) {
    EXPECT_TRUE(ParseChunk(R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})"));
    auto c = ParseChunk(R"({"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]})");
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->content.empty());
}

TEST(ParseChunk, RecognisesDoneAndInStreamErrors) {
    EXPECT_TRUE(ParseChunk("[DONE]")->done);
    auto e = ParseChunk(R"({"error":{"message":"model overloaded","type":"server_error"}})");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->error, "model overloaded");
}

TEST(ParseChunk, RejectsMalformedPayloads) {
    for (std::string_view bad : {"{not json", "[1,2]", "{}", R"({"choices":"x"})",
                                 R"({"choices":[{"delta":{"content":7}}]})"}) {
        EXPECT_FALSE(ParseChunk(bad)) << bad;
    }
}

std::vector<std::string> Decode(std::initializer_list<std::string_view> pieces) {
    SseDecoder d;
    std::vector<std::string> out;
    for (auto p : pieces) d.Feed(p, out);
    return out;
}

TEST(SseDecoder, SplitsEventsOnBlankLines) {
    EXPECT_EQ(Decode({"data: a\n\ndata: b\n\n"}), (std::vector<std::string>{"a", "b"}));
}

TEST(SseDecoder, JoinsEventsCutAnywhere) {
    const std::string wire = "data: {\"x\":1}\r\n\r\ndata: [DONE]\r\n\r\n";
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        EXPECT_EQ(
            Decode({std::string_view(wire).substr(0, cut), std::string_view(wire).substr(cut)}),
            (std::vector<std::string>{"{\"x\":1}", "[DONE]"}))
            << "cut at " << cut;
    }
}

TEST(SseDecoder, SkipsCommentsAndOtherFieldsAndJoinsDataLines) {
    EXPECT_EQ(Decode({": keep-alive\n\nevent: delta\nid: 4\ndata: one\ndata:two\n\n"}),
              (std::vector<std::string>{"one\ntwo"}));
}

TEST(SseDecoder, AcceptsBareCarriageReturns) {
    EXPECT_EQ(Decode({"data: a\r\rdata: b\r\r"}), (std::vector<std::string>{"a", "b"}));
}

TEST(SseDecoder, HoldsAnUnfinishedEvent) {
    SseDecoder d;
    std::vector<std::string> out;
    d.Feed("data: partial", out);
    EXPECT_TRUE(out.empty());
    EXPECT_GT(d.Pending(), 0u);
}

TEST(Utf8Joiner, NeverSplitsACodePoint) {
    const std::string text = "Salt — “marsh” 🌊 é";
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        Utf8Joiner j;
        const std::string a = j.Push(std::string_view(text).substr(0, cut));
        const std::string b = j.Push(std::string_view(text).substr(cut));
        EXPECT_TRUE(IsValidUtf8(a)) << cut;
        EXPECT_TRUE(IsValidUtf8(b)) << cut;
        EXPECT_EQ(a + b + j.Flush(), text) << cut;
    }
}

TEST(Utf8Joiner, ByteByByteStillYieldsWholeCharacters) {
    const std::string text = "🌊é";
    Utf8Joiner j;
    std::vector<std::string> pieces;
    for (char c : text) {
        auto out = j.Push(std::string_view(&c, 1));
        if (!out.empty()) pieces.push_back(out);
    }
    EXPECT_EQ(pieces, (std::vector<std::string>{"🌊", "é"}));
}

TEST(Utf8Joiner, ReplacesInvalidBytesInsteadOfHoldingThem) {
    Utf8Joiner j;
    EXPECT_EQ(j.Push("a\xFF"
                     "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(j.Push("\xE2\x80"), "");
    EXPECT_EQ(j.Flush(), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace tta::narrative::model
