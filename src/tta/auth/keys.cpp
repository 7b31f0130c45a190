#include "tta/auth/keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "tta/auth/sodium.hpp"

namespace tta::auth {
namespace {

constexpr std::uint8_t kWrapVersion = 1;
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::kSize == crypto_kdf_KEYBYTES);

Error Tampered(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }

SecretKey FromArray(std::array<std::uint8_t, SecretKey::kSize>& raw) {
    auto key = SecretKey::FromBytes(raw);
    sodium_memzero(raw.data(), raw.size());
    return *key;
}

std::string Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

SecretKey SecretKey::Random() {
    detail::EnsureSodium();
    SecretKey k;
    randombytes_buf(k.bytes_.data(), k.bytes_.size());
    return k;
}

Result<SecretKey> SecretKey::FromBytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != kSize) {
        return Error::Invalid("a key is " + std::to_string(kSize) + " bytes, got " +
                              std::to_string(bytes.size()));
    }
    SecretKey k;
    std::memcpy(k.bytes_.data(), bytes.data(), kSize);
    return k;
}

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

MasterKey::MasterKey(const SecretKey& key) : key_(key), wrap_(Derive(KeyPurpose::kWrapDataKeys)) {}

MasterKey MasterKey::Generate() { return MasterKey(SecretKey::Random()); }

Result<MasterKey> MasterKey::FromBase64(std::string_view text) {
    auto bytes = Base64Decode(Trim(text));
    if (!bytes) return Error::Invalid("the master key is not valid base64");
    auto key = SecretKey::FromBytes(*bytes);
    sodium_memzero(bytes->data(), bytes->size());
    if (!key) return Error::Invalid("the master key must be 32 bytes (44 base64 characters)");
    return MasterKey(*key);
}

std::string MasterKey::ToBase64() const { return Base64Encode(key_.Bytes()); }

SecretKey MasterKey::Derive(KeyPurpose purpose) const {
    detail::EnsureSodium();
    std::array<std::uint8_t, SecretKey::kSize> raw{};
    crypto_kdf_derive_from_key(raw.data(), raw.size(), static_cast<std::uint64_t>(purpose),
                               "tta-keys", key_.Bytes().data());
    return FromArray(raw);
}

Bytes MasterKey::WrapDataKey(const DataKey& key, std::string_view user_id) const {
    detail::EnsureSodium();
    Bytes out(1 + kNonce + SecretKey::kSize + kTag);
    out[0] = kWrapVersion;
    std::uint8_t* nonce = out.data() + 1;
    randombytes_buf(nonce, kNonce);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + kNonce, &len, key.Bytes().data(), key.Bytes().size(),
        reinterpret_cast<const unsigned char*>(user_id.data()), user_id.size(), nullptr, nonce,
        wrap_.Bytes().data());
    return out;
}

Result<DataKey> MasterKey::UnwrapDataKey(std::span<const std::uint8_t> wrapped,
                                         std::string_view user_id) const {
    detail::EnsureSodium();
    if (wrapped.size() != 1 + kNonce + SecretKey::kSize + kTag || wrapped[0] != kWrapVersion) {
        return Tampered("the wrapped data key is malformed");
    }
    const std::uint8_t* nonce = wrapped.data() + 1;
    std::array<std::uint8_t, SecretKey::kSize> raw{};
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            raw.data(), &len, nullptr, nonce + kNonce, SecretKey::kSize + kTag,
            reinterpret_cast<const unsigned char*>(user_id.data()), user_id.size(), nonce,
            wrap_.Bytes().data()) != 0) {
        return Tampered("the data key does not open with this master key and user");
    }
    return FromArray(raw);
}

Bytes Seal(const DataKey& key, std::string_view plaintext, std::string_view context) {
    detail::EnsureSodium();
    Bytes out(kNonce + plaintext.size() + kTag);
    randombytes_buf(out.data(), kNonce);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out.data() + kNonce, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
        plaintext.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(),
        nullptr, out.data(), key.Bytes().data());
    return out;
}

Result<std::string> Open(const DataKey& key, std::span<const std::uint8_t> sealed,
                         std::string_view context) {
    detail::EnsureSodium();
    if (sealed.size() < kNonce + kTag) return Tampered("sealed text is too short");
    std::string out(sealed.size() - kNonce - kTag, '\0');
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, sealed.data() + kNonce,
            sealed.size() - kNonce, reinterpret_cast<const unsigned char*>(context.data()),
            context.size(), sealed.data(), key.Bytes().data()) != 0) {
        return Tampered("sealed text does not open with this key and context");
    }
    return out;
}

namespace {

Result<LoadedMasterKey> ReadKeyFile(const std::filesystem::path& path, bool generated) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::Unavailable(path.string() + ": cannot read the master key file");
    std::stringstream text;
    text << in.rdbuf();
    std::string contents = text.str();
    auto key = MasterKey::FromBase64(contents);
    sodium_memzero(contents.data(), contents.size());
    if (!key) return Error::Invalid(path.string() + ": " + key.error().message);
    LoadedMasterKey loaded{std::move(*key), path.string(), generated, {}};
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
        loaded.warnings.push_back(path.string() +
                                  ": the master key file can be read by other users; "
                                  "chmod 600 it");
    }
    return loaded;
}

Result<LoadedMasterKey> Generate(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        return Error::Unavailable(path.parent_path().string() +
                                  ": cannot create the data directory: " + ec.message());
    }
    MasterKey key = MasterKey::Generate();
    std::string text = key.ToBase64() + "\n";
    // O_EXCL: never overwrite a key that appeared meanwhile (another process starting).
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return ReadKeyFile(path, false);
        return Error::Unavailable(path.string() +
                                  ": cannot create the master key file: " + std::strerror(errno));
    }
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    sodium_memzero(text.data(), text.size());
    if (!written) {
        std::filesystem::remove(path, ec);
        return Error::Unavailable(path.string() + ": cannot write the master key file");
    }
    LoadedMasterKey loaded{std::move(key), path.string(), true, {}};
    loaded.warnings.push_back("generated a new master key in " + path.string() +
                              "; back it up: without it no user's personal text can be read");
    return loaded;
}

}  // namespace

Result<LoadedMasterKey> LoadMasterKey(const Config& config) {
    if (!config.auth.master_key.empty()) {
        const auto it = config.sources.find("auth.master_key");
        const std::string source =
            "auth.master_key" + (it == config.sources.end() ? "" : " (" + it->second + ")");
        auto key = MasterKey::FromBase64(config.auth.master_key);
        if (!key) return Error::Invalid(source + ": " + key.error().message);
        return LoadedMasterKey{std::move(*key), source, false, {}};
    }
    if (!config.auth.master_key_file.empty()) {
        return ReadKeyFile(config.auth.master_key_file, false);
    }
    const auto path = config.storage.data_dir / "master.key";
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return ReadKeyFile(path, false);
    return Generate(path);
}

}  // namespace tta::auth
