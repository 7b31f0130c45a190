#include "tta/auth/tokens.hpp"

#include <sodium.h>

#include <vector>

#include "tta/auth/encoding.hpp"
#include "tta/auth/sodium.hpp"

namespace tta::auth {

std::string RandomToken(std::size_t bytes) {
    detail::EnsureSodium();
    std::vector<std::uint8_t> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    return Base64UrlEncode(buf);
}

std::string RandomId() { return RandomToken(16); }

std::string HashToken(std::string_view token) {
    detail::EnsureSodium();
    std::uint8_t digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    return HexEncode(digest);
}

}  // namespace tta::auth
