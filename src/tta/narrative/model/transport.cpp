#include "tta/narrative/model/transport.hpp"

#include <boost/url/parse.hpp>

namespace tta::narrative::model {

Result<Endpoint> ParseBaseUrl(std::string_view text) {
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed) return Error::Invalid("not a URL: " + std::string(text));
    const auto& url = *parsed;
    Endpoint e;
    if (url.scheme() == "https") {
        e.tls = true;
    } else if (url.scheme() != "http") {
        return Error::Invalid("a provider URL starts with http:// or https://");
    }
    if (url.has_query() || url.has_fragment() || url.has_userinfo()) {
        return Error::Invalid("a provider URL has no query, fragment or user info");
    }
    if (url.host_type() == boost::urls::host_type::ipv6) {
        e.host = url.host_address();
    } else {
        e.host = url.host();
    }
    if (e.host.empty()) return Error::Invalid("a provider URL needs a host");
    e.port = url.has_port() ? std::string(url.port()) : (e.tls ? "443" : "80");
    e.host_header = std::string(url.encoded_host_and_port());
    e.path_prefix = std::string(url.encoded_path());
    while (!e.path_prefix.empty() && e.path_prefix.back() == '/') e.path_prefix.pop_back();
    return e;
}

std::string_view FailureName(Failure failure) {
    switch (failure) {
        case Failure::kNone:
            return "ok";
        case Failure::kConnect:
            return "connect";
        case Failure::kStatus:
            return "status";
        case Failure::kFirstTokenTimeout:
            return "first_token_timeout";
        case Failure::kStallTimeout:
            return "stall_timeout";
        case Failure::kTotalTimeout:
            return "total_timeout";
        case Failure::kMalformed:
            return "malformed";
        case Failure::kProviderError:
            return "provider_error";
        case Failure::kTruncated:
            return "truncated";
        case Failure::kCancelled:
            return "cancelled";
        case Failure::kStopped:
            return "stopped";
    }
    return "ok";
}

}  // namespace tta::narrative::model
