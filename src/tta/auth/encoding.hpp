// tta::auth encoding: the text forms of binary secrets. Base64url without padding (RFC 4648
// §5) for tokens and JWT segments; standard base64 for the master key, as operators paste it.
// Decoders are strict: they accept only the canonical encoding, so two different strings never
// decode to the same bytes (a changed character in a token is always a different token).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tta::auth {

using Bytes = std::vector<std::uint8_t>;

std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);
std::string Base64UrlEncode(std::string_view bytes);
std::optional<Bytes> Base64UrlDecode(std::string_view text);

std::string Base64Encode(std::span<const std::uint8_t> bytes);  // with padding
std::optional<Bytes> Base64Decode(std::string_view text);

std::string HexEncode(std::span<const std::uint8_t> bytes);  // lowercase

inline std::span<const std::uint8_t> AsBytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsText(std::span<const std::uint8_t> b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace tta::auth
