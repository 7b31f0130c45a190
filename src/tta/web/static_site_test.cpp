#include "tta/web/static_site.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace tta::web {
namespace {
namespace fs = std::filesystem;
using server::Method;

class StaticSiteTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("tta_web_test_" + std::to_string(::getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_ / "assets");
        fs::create_directories(root_ / ".git");
        Write("index.html", "<!doctype html><title>TTA</title>");
        Write("assets/index-3f2a9c1e.js", "console.log(1)");
        Write("sw.js", "self.addEventListener('fetch', () => {})");
        Write("manifest.webmanifest", "{}");
        Write(".env", "SECRET=1");
        Write(".git/config", "[core]");
        fs::create_symlink("/etc/hostname", root_ / "host.txt");
    }
    void TearDown() override { fs::remove_all(root_); }

    void Write(const std::string& rel, const std::string& text) {
        std::ofstream(root_ / rel, std::ios::binary) << text;
    }

    // Dispatches as the server does: the router picks the route, then its handler runs.
    server::Response Get(const std::string& path, Method method = Method::kGet,
                         std::string if_none_match = "") {
        if (!router_) {
            auto site = StaticSite::Load(root_);
            EXPECT_TRUE(site.has_value());
            site_ = std::move(*site);
            router_ = std::make_unique<server::Router>();
            router_->Add(Method::kGet, "/v1/me",
                         [](server::Request&) { return server::Response::Text(200, "me"); });
            router_->Add(Method::kPost, "/v1/sessions/{id}/turns",
                         [](server::Request&) { return server::Response::Text(200, "turn"); });
            router_->Add(Method::kGet, "/openapi.json",
                         [](server::Request&) { return server::Response::Text(200, "openapi"); });
            site_->AddRoutes(*router_);
        }
        server::Request req;
        req.method = method;
        req.path = path;
        req.target = path;
        if (!if_none_match.empty()) req.headers.emplace_back("if-none-match", if_none_match);
        const auto match = router_->Find(method, path);
        if (match.kind == server::RouteMatch::Kind::kMethodNotAllowed) {
            return server::Response::ErrorBody(405, "method_not_allowed", match.allow);
        }
        if (match.kind != server::RouteMatch::Kind::kFound) {
            return server::Response(Error::NotFound("router: no route"));
        }
        return match.route->handler(req);
    }

    static std::string HeaderOf(const server::Response& r, std::string_view name) {
        for (const auto& [k, v] : r.headers) {
            if (k == name) return v;
        }
        return "";
    }

    fs::path root_;
    std::optional<StaticSite> site_;
    std::unique_ptr<server::Router> router_;
};

TEST_F(StaticSiteTest, ServesIndexAtTheRootAsRevalidatedHtmlWithAContentSecurityPolicy) {
    const auto r = Get("/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(r.body, "<!doctype html><title>TTA</title>");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
    EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableAndTypedByExtension) {
    const auto js = Get("/assets/index-3f2a9c1e.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
    const auto sw = Get("/sw.js");
    EXPECT_EQ(HeaderOf(sw, "Cache-Control"), "no-cache");
    EXPECT_EQ(Get("/manifest.webmanifest").content_type, "application/manifest+json");
    EXPECT_EQ(ContentTypeFor("ICON.PNG"), "image/png");
    EXPECT_EQ(ContentTypeFor("notes"), "application/octet-stream");
}

TEST_F(StaticSiteTest, PlayerPathsWithoutAnExtensionFallBackToIndex) {
    for (const char* path : {"/play", "/play/5b1e0c", "/settings", "/a/b/c/d"}) {
        const auto r = Get(path);
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    }
}

TEST_F(StaticSiteTest, AMissingFileWithAnExtensionIsNotFoundRatherThanHtml) {
    const auto r = Get("/assets/index-old.js");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("\"not_found\""), std::string::npos);
}

TEST_F(StaticSiteTest, ApiRoutesStillWinOverTheCatchAll) {
    EXPECT_EQ(Get("/v1/me").body, "me");
    EXPECT_EQ(Get("/openapi.json").body, "openapi");
    // A known API path under another method keeps the router's 405.
    EXPECT_EQ(Get("/v1/sessions/abc/turns").status, 405);
}

TEST_F(StaticSiteTest, UnknownApiPathsAreTheApisJson404ForEveryMethod) {
    for (Method m : {Method::kGet, Method::kPost, Method::kDelete}) {
        const auto r = Get("/v1/nope", m);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.content_type, "application/json");
        EXPECT_NE(r.body.find("no route for /v1/nope"), std::string::npos);
    }
}

TEST_F(StaticSiteTest, OtherMethodsOnPlayerPathsAre405WithAllow) {
    const auto r = Get("/play", Method::kPost);
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD");
}

TEST_F(StaticSiteTest, TraversalAndHiddenPathsAreNeverServed) {
    for (const char* path : {"/..%2f..%2fetc%2fhostname", "/assets/..%2findex.html", "/%2e%2e/x",
                             "/.env", "/.git/config", "/assets/%5c..%5cx", "/a%00b"}) {
        const auto r = Get(path);
        EXPECT_NE(r.status, 200) << path;
        EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
    }
}

TEST_F(StaticSiteTest, SymlinksAndHiddenFilesAreNotLoaded) {
    Get("/");
    EXPECT_EQ(site_->FileCount(), 4u);  // index.html, the asset, sw.js, the manifest
    EXPECT_EQ(Get("/host.txt").status, 404);
}

TEST_F(StaticSiteTest, AMatchingEtagGives304WithoutABody) {
    const auto first = Get("/sw.js");
    const std::string etag = HeaderOf(first, "ETag");
    ASSERT_FALSE(etag.empty());
    const auto again = Get("/sw.js", Method::kGet, etag);
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(Get("/sw.js", Method::kGet, "\"stale\"").status, 200);
}

TEST_F(StaticSiteTest, ARootWithoutIndexIsNotFoundAndSaysHowToBuild) {
    fs::remove(root_ / "index.html");
    auto site = StaticSite::Load(root_);
    ASSERT_FALSE(site.has_value());
    EXPECT_EQ(site.error().code, ErrorCode::kNotFound);
    EXPECT_NE(site.error().message.find("scripts/web.sh"), std::string::npos);
}

}  // namespace
}  // namespace tta::web
