#include "tta/server/http.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace tta::server {
namespace {

Request WithBody(std::string body, std::string type = "application/json") {
    Request r;
    r.body = std::move(body);
    if (!type.empty()) r.headers.emplace_back("content-type", type);
    return r;
}

TEST(Http, JsonBodiesParse) {
    auto v = WithBody(R"({"text":"look around"})").JsonObject();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->at("text").as_string(), "look around");
    EXPECT_TRUE(WithBody("[1]", "application/json; charset=utf-8").Json());
    EXPECT_TRUE(WithBody("{}", "").Json());
}

TEST(Http, BadBodiesAreInvalidWithAClearMessage) {
    const std::pair<Request, std::string> cases[] = {
        {WithBody(""), "expected a JSON body"},
        {WithBody("{\"a\":"), "malformed JSON"},
        {WithBody("{\"a\":\"\xff\"}"), "the body is not valid UTF-8"},
        {WithBody("{}", "text/plain"), "expected Content-Type: application/json"},
        {WithBody(std::string(100, '[') + std::string(100, ']')), "malformed JSON"},
    };
    for (const auto& [req, message] : cases) {
        const auto v = req.Json();
        ASSERT_FALSE(v) << req.body;
        EXPECT_EQ(v.error().code, ErrorCode::kInvalid);
        EXPECT_TRUE(v.error().message.starts_with(message)) << v.error().message;
    }
    EXPECT_EQ(WithBody("[1]").JsonObject().error().message, "expected a JSON object");
}

TEST(Http, ErrorsBecomeTheirStatusAndTheStandardBody) {
    const Response r = Error::NotFound("no such session");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":{"code":"not_found","message":"no such session"}})");
    EXPECT_EQ(Response(Error{ErrorCode::kRateLimited, "slow down"}).status, 429);
    EXPECT_EQ(Response::ErrorBody(405, "method_not_allowed", "no").status, 405);
}

TEST(Http, HeadersAreFoundInAnyCaseAndQueryParametersDecoded) {
    Request r;
    r.headers = {{"last-event-id", "42"}};
    r.query = "a=1&name=Mira%20K&flag&b=x+y";
    EXPECT_EQ(r.Header("Last-Event-ID"), "42");
    EXPECT_EQ(r.Header("missing"), "");
    EXPECT_EQ(r.Query("name"), "Mira K");
    EXPECT_EQ(r.Query("flag"), "");
    EXPECT_EQ(r.Query("b"), "x y");
    EXPECT_EQ(r.Query("zzz"), std::nullopt);
}

TEST(Http, StringFieldsAreCheckedForTypeAndLengthInCharacters) {
    const boost::json::object o = {{"name", "Zoë"}, {"n", 3}, {"none", nullptr}};
    EXPECT_EQ(*RequiredString(o, "name", 3), "Zoë");
    EXPECT_EQ(RequiredString(o, "name", 2).error().message, "name must be at most 2 characters");
    EXPECT_EQ(RequiredString(o, "n", 10).error().message, "n must be a string");
    EXPECT_EQ(RequiredString(o, "missing", 10).error().message, "missing is required");
    EXPECT_EQ(*OptionalString(o, "none", 10), std::nullopt);
}

TEST(Http, PercentDecodingIsStrict) {
    EXPECT_EQ(PercentDecode("a%2Fb%C3%A9"), "a/bé");
    EXPECT_EQ(PercentDecode("%"), std::nullopt);
    EXPECT_EQ(PercentDecode("%4"), std::nullopt);
    EXPECT_EQ(PercentDecode("%zz"), std::nullopt);
    EXPECT_EQ(PercentDecode("%00"), std::nullopt);
    EXPECT_EQ(PercentDecode("%C3"), std::nullopt);  // half a code point
    EXPECT_EQ(PercentDecode("a+b"), "a+b");
    EXPECT_EQ(PercentDecode("a+b", true), "a b");
}

}  // namespace
}  // namespace tta::server
