#include "tta/auth/encoding.hpp"

#include <sodium.h>

#include <cstdlib>

#include "tta/auth/sodium.hpp"

namespace tta::auth {
namespace detail {

void EnsureSodium() {
    // sodium_init() is thread-safe and idempotent; it fails only when the system cannot give
    // it entropy, and no key may be made then.
    static const bool ok = sodium_init() >= 0;
    if (!ok) std::abort();
}

}  // namespace detail

namespace {

std::string Encode(std::span<const std::uint8_t> bytes, int variant) {
    detail::EnsureSodium();
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<Bytes> Decode(std::string_view text, int variant) {
    detail::EnsureSodium();
    Bytes out(text.size() * 3 / 4 + 3);
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(len);
    // Canonical form only: reject strings whose unused trailing bits are not zero.
    if (Encode(out, variant) != text) return std::nullopt;
    return out;
}

}  // namespace

std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) {
    return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string Base64UrlEncode(std::string_view bytes) { return Base64UrlEncode(AsBytes(bytes)); }

std::optional<Bytes> Base64UrlDecode(std::string_view text) {
    return Decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string Base64Encode(std::span<const std::uint8_t> bytes) {
    return Encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<Bytes> Base64Decode(std::string_view text) {
    return Decode(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
    detail::EnsureSodium();
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.resize(out.size() - 1);
    return out;
}

}  // namespace tta::auth
