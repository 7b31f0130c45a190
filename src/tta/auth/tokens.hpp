// tta::auth tokens: opaque random strings for refresh tokens and ids. A refresh token is 32
// random bytes in base64url (43 characters); the store keeps only its BLAKE2b-256 hash, so a
// copy of the database holds no usable token. Random ids (users, token families, JWT ids)
// are 16 random bytes in base64url (22 characters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tta::auth {

// `bytes` random bytes from the system's entropy source, base64url without padding.
std::string RandomToken(std::size_t bytes = 32);
std::string RandomId();
// Hex BLAKE2b-256 of the token: the form to store and look up.
std::string HashToken(std::string_view token);

}  // namespace tta::auth
