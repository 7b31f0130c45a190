#include "tta/auth/password.hpp"

#include <sodium.h>

#include "tta/auth/sodium.hpp"

namespace tta::auth {

PasswordCost CostFor(PasswordStrength strength) {
    switch (strength) {
        case PasswordStrength::kInteractive:
            return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
        case PasswordStrength::kModerate:
            return {crypto_pwhash_argon2id_OPSLIMIT_MODERATE,
                    crypto_pwhash_argon2id_MEMLIMIT_MODERATE};
        case PasswordStrength::kSensitive:
            return {crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE,
                    crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE};
    }
    return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordCost MinimumCost() {
    return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
    detail::EnsureSodium();
    char out[crypto_pwhash_argon2id_STRBYTES];
    if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), cost.ops_limit,
                                   cost.mem_limit) != 0) {
        return Error::Internal("out of memory hashing a password");
    }
    return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
    detail::EnsureSodium();
    // libsodium wants a NUL-terminated string no longer than STRBYTES.
    if (hash.size() >= crypto_pwhash_argon2id_STRBYTES || !hash.starts_with("$argon2id$")) {
        return false;
    }
    char buf[crypto_pwhash_argon2id_STRBYTES] = {};
    hash.copy(buf, hash.size());
    return crypto_pwhash_argon2id_str_verify(buf, password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view hash, const PasswordCost& cost) {
    detail::EnsureSodium();
    if (hash.size() >= crypto_pwhash_argon2id_STRBYTES) return true;
    char buf[crypto_pwhash_argon2id_STRBYTES] = {};
    hash.copy(buf, hash.size());
    return crypto_pwhash_argon2id_str_needs_rehash(buf, cost.ops_limit, cost.mem_limit) != 0;
}

}  // namespace tta::auth
