// tta::auth passwords: Argon2id hashing and verification (libsodium crypto_pwhash, RFC 9106).
// Hashes are self-describing strings ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), so the
// cost can rise later: PasswordNeedsRehash says when a stored hash is below the current cost
// and should be replaced at the next successful login.
//
// Hashing costs tens of milliseconds and tens of MiB of memory by design; call it off the
// I/O threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tta/core/config.hpp"
#include "tta/core/error.hpp"

namespace tta::auth {

struct PasswordCost {
    unsigned long long ops_limit;
    std::size_t mem_limit;  // bytes
};

// libsodium's interactive, moderate and sensitive limits.
PasswordCost CostFor(PasswordStrength strength);
// The cheapest cost libsodium allows; for tests only, never for stored passwords.
PasswordCost MinimumCost();

// kInternal only if the system cannot allocate the memory the cost asks for.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
// Constant-time in the password; false for a wrong password or a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
bool PasswordNeedsRehash(std::string_view hash, const PasswordCost& cost);

}  // namespace tta::auth
