#include "tta/server/router.hpp"

#include <gtest/gtest.h>

namespace tta::server {
namespace {

Handler Named(std::string name) {
    return [name](Request&) { return Response::Text(200, name); };
}

std::string Call(const RouteMatch& m) {
    Request req;
    return m.route->handler(req).body;
}

class RouterTest : public ::testing::Test {
  protected:
    RouterTest() {
        router_.Add(Method::kGet, "/v1/sessions", Named("list"));
        router_.Add(Method::kPost, "/v1/sessions", Named("create"));
        router_.Add(Method::kGet, "/v1/sessions/{id}", Named("get"));
        router_.Add(Method::kPost, "/v1/sessions/{id}/turns", Named("turn"));
        router_.Add(Method::kGet, "/v1/worlds/featured", Named("featured"));
        router_.Add(Method::kGet, "/v1/worlds/{id}", Named("world"));
        router_.Add(Method::kDelete, "/v1/characters/{id}", Named("delete"));
        router_.Add(Method::kPatch, "/v1/characters/{id}", Named("patch"));
        router_.Add(Method::kGet, "/", Named("root"));
    }
    Router router_;
};

TEST_F(RouterTest, MatchesLiteralsAndParameters) {
    auto m = router_.Find(Method::kPost, "/v1/sessions/s-42/turns");
    ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
    EXPECT_EQ(Call(m), "turn");
    EXPECT_EQ(m.route->pattern, "/v1/sessions/{id}/turns");
    ASSERT_EQ(m.params.size(), 1u);
    EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"id", "s-42"}));
    EXPECT_EQ(Call(router_.Find(Method::kGet, "/v1/sessions")), "list");
    EXPECT_EQ(Call(router_.Find(Method::kPost, "/v1/sessions")), "create");
    EXPECT_EQ(Call(router_.Find(Method::kGet, "/")), "root");
}

TEST_F(RouterTest, ALiteralSegmentWinsOverAParameter) {
    EXPECT_EQ(Call(router_.Find(Method::kGet, "/v1/worlds/featured")), "featured");
    EXPECT_EQ(Call(router_.Find(Method::kGet, "/v1/worlds/forest")), "world");
}

TEST_F(RouterTest, ParametersArePercentDecodedButNeverSpanSegments) {
    auto m = router_.Find(Method::kGet, "/v1/sessions/a%20b%2Fc");
    ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
    EXPECT_EQ(m.params[0].second, "a b/c");
    EXPECT_EQ(router_.Find(Method::kGet, "/v1/sessions/a/b").kind, RouteMatch::Kind::kNotFound);
}

TEST_F(RouterTest, UnknownPathsAreNotFound) {
    for (const char* path : {"/v2/sessions", "/v1/sessions/", "/v1/sessions//turns", "/v1",
                             "/v1/sessions/x/turns/y", "/healthz"}) {
        EXPECT_EQ(router_.Find(Method::kGet, path).kind, RouteMatch::Kind::kNotFound) << path;
    }
}

TEST_F(RouterTest, AKnownPathWithAnotherMethodListsTheAllowedOnes) {
    auto m = router_.Find(Method::kPut, "/v1/sessions");
    EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
    EXPECT_EQ(m.allow, "GET, HEAD, POST");
    m = router_.Find(Method::kGet, "/v1/characters/c1");
    EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
    EXPECT_EQ(m.allow, "PATCH, DELETE");
    EXPECT_EQ(router_.Find(Method::kGet, "/v1/sessions/s1/turns").allow, "POST");
}

TEST_F(RouterTest, HeadIsServedByGet) {
    EXPECT_EQ(Call(router_.Find(Method::kHead, "/v1/sessions/x")), "get");
    EXPECT_EQ(router_.Find(Method::kHead, "/v1/sessions/x/turns").kind,
              RouteMatch::Kind::kMethodNotAllowed);
}

TEST_F(RouterTest, MalformedPathsAreBadRequests) {
    for (const char* path : {"", "v1/sessions", "/v1/sessions/%zz", "/v1/sessions/%00",
                             "/v1/sessions/%ff", "*", "http://host/v1/sessions"}) {
        EXPECT_EQ(router_.Find(Method::kGet, path).kind, RouteMatch::Kind::kBadPath) << path;
    }
}

TEST_F(RouterTest, RoutesHaveDenseIndexesInRegistrationOrder) {
    const auto& routes = router_.Routes();
    for (std::size_t i = 0; i < routes.size(); ++i) EXPECT_EQ(routes[i]->index, i);
}

TEST(RouterDeathTest, MisuseAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Router r;
            r.Add(Method::kGet, "/a", Named("x"));
            r.Add(Method::kGet, "/a", Named("y"));
        },
        "registered twice");
    EXPECT_DEATH(
        {
            Router r;
            r.Add(Method::kGet, "/a/{id}", Named("x"));
            r.Add(Method::kPost, "/a/{name}", Named("y"));
        },
        "one parameter name");
    EXPECT_DEATH(
        {
            Router r;
            r.Freeze();
            r.Add(Method::kGet, "/a", Named("x"));
        },
        "after the server started");
    EXPECT_DEATH({ Router().Add(Method::kGet, "/a/{}", Named("x")); }, "malformed parameter");
}

}  // namespace
}  // namespace tta::server
