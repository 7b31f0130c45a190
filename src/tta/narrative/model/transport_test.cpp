#include "tta/narrative/model/transport.hpp"

#include <gtest/gtest.h>

namespace tta::narrative::model {
namespace {

TEST(ParseBaseUrl, ReadsHostPortAndPrefix) {
    auto e = ParseBaseUrl("http://127.0.0.1:11434/v1/");
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_FALSE(e->tls);
    EXPECT_EQ(e->host, "127.0.0.1");
    EXPECT_EQ(e->port, "11434");
    EXPECT_EQ(e->host_header, "127.0.0.1:11434");
    EXPECT_EQ(e->path_prefix, "/v1");
}

TEST(ParseBaseUrl, DefaultsThePortFromTheScheme) {
    auto e = ParseBaseUrl("https://api.example.com/v1");
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->tls);
    EXPECT_EQ(e->port, "443");
    EXPECT_EQ(e->host_header, "api.example.com");
    EXPECT_EQ(ParseBaseUrl("http://localhost")->port, "80");
    EXPECT_EQ(ParseBaseUrl("http://localhost")->path_prefix, "");
}

TEST(ParseBaseUrl, KeepsIpv6LiteralsUsable) {
    auto e = ParseBaseUrl("http://[::1]:8080/v1");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->host, "::1");
    EXPECT_EQ(e->host_header, "[::1]:8080");
}

TEST(ParseBaseUrl, RefusesWhatIsNotAProviderUrl) {
    for (std::string_view bad : {"", "localhost:8080", "ftp://x/v1", "http://x/v1?key=1",
                                 "http://user:pw@x/v1", "http:///v1"}) {
        EXPECT_FALSE(ParseBaseUrl(bad)) << bad;
    }
}

TEST(FailureName, NamesEveryFailure) {
    EXPECT_EQ(FailureName(Failure::kNone), "ok");
    EXPECT_EQ(FailureName(Failure::kFirstTokenTimeout), "first_token_timeout");
    EXPECT_EQ(FailureName(Failure::kStopped), "stopped");
}

}  // namespace
}  // namespace tta::narrative::model
