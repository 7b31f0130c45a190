#include "tta/auth/jwt.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "tta/auth/sodium.hpp"
#include "tta/auth/tokens.hpp"

namespace tta::auth {
namespace {

namespace json = boost::json;

// Longer tokens are not ours; refuse them before doing any work.
constexpr std::size_t kMaxTokenLength = 8192;
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"at+jwt"})";

Error Reject(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }

std::string Sign(const SecretKey& key, std::string_view signing_input) {
    std::uint8_t mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(signing_input.data()),
                           signing_input.size(), key.Bytes().data());
    return Base64UrlEncode(mac);
}

// A JSON object from a base64url segment, or nothing.
std::optional<json::object> DecodeObject(std::string_view segment) {
    const auto bytes = Base64UrlDecode(segment);
    if (!bytes) return std::nullopt;
    boost::system::error_code ec;
    json::value v = json::parse(AsText(*bytes), ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

std::optional<std::int64_t> IntClaim(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v->as_uint64());
    }
    return std::nullopt;
}

const json::string* StringClaim(const json::object& o, std::string_view name) {
    const json::value* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

}  // namespace

AccessTokens::AccessTokens(const SecretKey& key, AccessTokenOptions options, const Clock& clock)
    : key_(key), options_(std::move(options)), clock_(clock) {
    detail::EnsureSodium();
}

IssuedToken AccessTokens::Issue(std::string_view subject,
                                std::span<const std::string> roles) const {
    AccessClaims claims;
    claims.subject = std::string(subject);
    claims.roles.assign(roles.begin(), roles.end());
    claims.token_id = RandomId();
    claims.issued_at = clock_.NowMillis() / 1000;
    claims.expires_at = claims.issued_at + options_.ttl.count();

    json::object payload;
    payload["iss"] = options_.issuer;
    payload["aud"] = options_.audience;
    payload["sub"] = claims.subject;
    payload["iat"] = claims.issued_at;
    payload["nbf"] = claims.issued_at;
    payload["exp"] = claims.expires_at;
    payload["jti"] = claims.token_id;
    json::array role_array;
    for (const auto& r : claims.roles) role_array.emplace_back(r);
    payload["roles"] = std::move(role_array);

    std::string token = Base64UrlEncode(kHeader) + "." + Base64UrlEncode(json::serialize(payload));
    const std::string signature = Sign(key_, token);
    token += "." + signature;
    return {std::move(token), std::move(claims)};
}

Result<AccessClaims> AccessTokens::Verify(std::string_view token) const {
    if (token.size() > kMaxTokenLength) return Reject("token too long");
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return Reject("not a signed JWT (expected three segments)");
    }
    const std::string_view header_segment = token.substr(0, dot1);
    const std::string_view payload_segment = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string_view signature_segment = token.substr(dot2 + 1);

    // The header is read only to refuse what we did not issue; the algorithm is never taken
    // from it.
    const auto header = DecodeObject(header_segment);
    if (!header) return Reject("malformed token header");
    const json::string* alg = StringClaim(*header, "alg");
    if (alg == nullptr || *alg != "HS256") return Reject("token algorithm not accepted");
    const json::string* typ = StringClaim(*header, "typ");
    if (typ == nullptr || *typ != "at+jwt") return Reject("not an access token (typ)");
    if (header->contains("crit")) return Reject("token has critical extensions");

    const auto signature = Base64UrlDecode(signature_segment);
    if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES) {
        return Reject("malformed token signature");
    }
    const std::string_view signing_input = token.substr(0, dot2);
    if (crypto_auth_hmacsha256_verify(signature->data(),
                                      reinterpret_cast<const unsigned char*>(signing_input.data()),
                                      signing_input.size(), key_.Bytes().data()) != 0) {
        return Reject("bad token signature");
    }

    const auto payload = DecodeObject(payload_segment);
    if (!payload) return Reject("malformed token payload");
    const json::string* iss = StringClaim(*payload, "iss");
    if (iss == nullptr || *iss != options_.issuer) return Reject("wrong token issuer");
    bool audience_ok = false;
    if (const json::value* aud = payload->if_contains("aud"); aud != nullptr) {
        if (aud->is_string()) {
            audience_ok = aud->as_string() == options_.audience;
        } else if (aud->is_array()) {
            for (const auto& a : aud->as_array()) {
                audience_ok = audience_ok || (a.is_string() && a.as_string() == options_.audience);
            }
        }
    }
    if (!audience_ok) return Reject("wrong token audience");

    const std::int64_t now = clock_.NowMillis() / 1000;
    const std::int64_t leeway = options_.leeway.count();
    const auto exp = IntClaim(*payload, "exp");
    if (!exp) return Reject("token has no expiry");
    if (now >= *exp + leeway) return Reject("token expired");
    const auto iat = IntClaim(*payload, "iat");
    if (!iat) return Reject("token has no issue time");
    if (*iat > now + leeway) return Reject("token issued in the future");
    if (payload->contains("nbf")) {
        const auto nbf = IntClaim(*payload, "nbf");
        if (!nbf) return Reject("malformed nbf");
        if (now + leeway < *nbf) return Reject("token not yet valid");
    }

    AccessClaims claims;
    const json::string* sub = StringClaim(*payload, "sub");
    if (sub == nullptr || sub->empty()) return Reject("token has no subject");
    claims.subject = std::string(*sub);
    if (const json::string* jti = StringClaim(*payload, "jti")) claims.token_id = std::string(*jti);
    if (const json::value* roles = payload->if_contains("roles")) {
        if (!roles->is_array()) return Reject("malformed roles");
        for (const auto& r : roles->as_array()) {
            if (!r.is_string()) return Reject("malformed roles");
            claims.roles.emplace_back(r.as_string());
        }
    }
    claims.issued_at = *iat;
    claims.expires_at = *exp;
    return claims;
}

}  // namespace tta::auth
