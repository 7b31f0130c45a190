// tta::auth keys: what keeps personal text private at rest (ARCHITECTURE.md, principle 7).
//
// Each user has a random 32-byte data key. Their personal text (turn inputs, character
// backgrounds, journals, safety plans) is sealed with it: XChaCha20-Poly1305 (libsodium's
// IETF AEAD), stored as nonce || ciphertext. The data key itself is stored only wrapped by the
// master key, with the user id as associated data, so a wrapped key copied onto another
// user's row does not open. Deleting the wrapped key makes the user's text unrecoverable.
//
// The master key is 32 bytes from config (auth.master_key, TTA_MASTER_KEY: base64), a key
// file (auth.master_key_file), or <data_dir>/master.key, generated there with mode 0600 on
// first run. Purpose-bound subkeys are derived from it (crypto_kdf, BLAKE2b), so the bytes
// that wrap data keys never also sign tokens.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tta/auth/encoding.hpp"
#include "tta/core/config.hpp"
#include "tta/core/error.hpp"

namespace tta::auth {

// 32 secret bytes, wiped from memory when destroyed.
class SecretKey {
  public:
    static constexpr std::size_t kSize = 32;

    static SecretKey Random();
    // kInvalid unless exactly kSize bytes.
    static Result<SecretKey> FromBytes(std::span<const std::uint8_t> bytes);

    SecretKey(const SecretKey&) = default;
    SecretKey& operator=(const SecretKey&) = default;
    ~SecretKey();

    std::span<const std::uint8_t, kSize> Bytes() const { return bytes_; }

  private:
    SecretKey() = default;
    std::array<std::uint8_t, kSize> bytes_{};
};

// A user's data key.
using DataKey = SecretKey;

// What a subkey of the master key is for; each purpose gets different bytes.
enum class KeyPurpose : std::uint64_t {
    kWrapDataKeys = 1,
    kSignAccessTokens = 2,
};

class MasterKey {
  public:
    static MasterKey Generate();
    // Standard base64 of exactly 32 bytes; surrounding whitespace is ignored.
    static Result<MasterKey> FromBase64(std::string_view text);
    std::string ToBase64() const;

    SecretKey Derive(KeyPurpose purpose) const;

    // version(1) || nonce(24) || ciphertext(32 + 16 tag): 73 bytes.
    Bytes WrapDataKey(const DataKey& key, std::string_view user_id) const;
    // kUnauthenticated if the bytes were changed, belong to another user or another master key.
    Result<DataKey> UnwrapDataKey(std::span<const std::uint8_t> wrapped,
                                  std::string_view user_id) const;

  private:
    explicit MasterKey(const SecretKey& key);

    SecretKey key_;
    SecretKey wrap_;
};

// Seals personal text: nonce(24) || ciphertext(text + 16 tag). `context` is bound to the
// ciphertext as associated data (e.g. "turn:<session>:<seq>") so a sealed value moved to
// another place does not open; pass the same context to Open.
Bytes Seal(const DataKey& key, std::string_view plaintext, std::string_view context = {});
// kUnauthenticated if the bytes were changed, the key or the context differ.
Result<std::string> Open(const DataKey& key, std::span<const std::uint8_t> sealed,
                         std::string_view context = {});

struct LoadedMasterKey {
    MasterKey key;
    std::string source;  // "auth.master_key (environment TTA_MASTER_KEY)", a file path, ...
    bool generated = false;
    std::vector<std::string> warnings;  // e.g. generated, or a key file others may read
};

// Finds the master key as config says (see the header comment): auth.master_key, else
// auth.master_key_file, else <storage.data_dir>/master.key, which is created (with the data
// directory) when missing. Errors name the key or file at fault.
Result<LoadedMasterKey> LoadMasterKey(const Config& config);

}  // namespace tta::auth
