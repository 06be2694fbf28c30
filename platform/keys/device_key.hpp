#pragma once
// Device keys: an Ed25519 key pair (libsodium) that identifies one kiosk, or one backend, and
// signs what it sends. The secret key lives in a file of mode 0600 that only its owner reads.
//
// Thread-safety: a DeviceKey is immutable after creation; sign() and the static helpers may be
// called from any thread.
// Errors: load/save return a one-line reason (file name and OS error; never key bytes).
#include <array>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace platform::keys {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;
inline constexpr std::size_t kSignatureBytes = 64;

class DeviceKey {
public:
    // A fresh random key pair.
    static DeviceKey generate();
    // Reads a key file written by save(). Refuses a file readable by group or others.
    static std::expected<DeviceKey, std::string> load(const std::filesystem::path& file);
    // Writes the key file with mode 0600 (temp file + rename). Never overwrites an existing file
    // unless `overwrite` is true.
    std::expected<void, std::string> save(const std::filesystem::path& file, bool overwrite = false) const;

    // Loads `file`, or generates and saves a new key when there is none.
    static std::expected<DeviceKey, std::string> loadOrCreate(const std::filesystem::path& file);

    std::string publicKeyBase64() const;
    const std::array<unsigned char, kPublicKeyBytes>& publicKey() const { return m_public; }
    // Short fingerprint for people: the first 16 hex characters of SHA-256(public key).
    std::string fingerprint() const;

    // Detached Ed25519 signature of `message`, base64 (standard alphabet, padded).
    std::string signBase64(std::string_view message) const;

    // True when `signatureBase64` is a valid signature of `message` by `publicKeyBase64`.
    static bool verifyBase64(std::string_view publicKeyBase64, std::string_view message,
                             std::string_view signatureBase64);

    ~DeviceKey();
    DeviceKey(const DeviceKey&) = default;
    DeviceKey& operator=(const DeviceKey&) = default;

private:
    DeviceKey() = default;
    std::array<unsigned char, kPublicKeyBytes> m_public{};
    std::array<unsigned char, kSecretKeyBytes> m_secret{};
};

// Base64 (standard alphabet, padded). decode returns nullopt-like error for malformed input.
std::string base64Encode(std::string_view bytes);
std::expected<std::string, bool> base64Decode(std::string_view text);

}  // namespace platform::keys
