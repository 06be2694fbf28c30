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

// Why DeviceKey::openSealed refused a box.
enum class OpenError {
    NotForThisKey,  // sealed to another key, altered, or too short to be a box
    BadKey,         // this key pair cannot be converted to X25519 (never for a generated key)
};

// Why base64Decode refused its input.
enum class Base64Error {
    Malformed,  // not padded standard-alphabet base64, or bytes left after it
};

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
    std::expected<void, std::string> save(const std::filesystem::path& file,
                                          bool overwrite = false) const;

    // Loads `file`, or generates and saves a new key when there is none. Safe when several
    // processes do it at once: they all end up with the one key on disk.
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

    // Opens a sealed box made by SealingKey::seal for this key (X25519 keys converted from
    // the Ed25519 pair).
    std::expected<std::string, OpenError> openSealed(std::string_view box) const;

    ~DeviceKey();
    DeviceKey(const DeviceKey&) = default;
    DeviceKey& operator=(const DeviceKey&) = default;

private:
    DeviceKey() = default;
    std::array<unsigned char, kPublicKeyBytes> m_public{};
    std::array<unsigned char, kSecretKeyBytes> m_secret{};
};

// The public half of a DeviceKey as a sealing key: anyone holding it can seal bytes (libsodium
// sealed box: ephemeral X25519 + XSalsa20-Poly1305, 48 bytes of overhead) that only the key's
// owner can open. The backend's one Ed25519 identity thus signs its replies and receives sealed
// content; a kiosk pinned to that public key needs nothing else.
class SealingKey {
public:
    inline static constexpr std::size_t kOverheadBytes = 48;
    // From the base64 Ed25519 public key; refuses malformed keys and points that cannot convert.
    static std::expected<SealingKey, std::string> fromPublicKeyBase64(
        std::string_view publicKeyBase64);
    std::string seal(std::string_view plaintext) const;
    const std::string& publicKeyBase64() const { return m_ed25519Base64; }

private:
    SealingKey() = default;
    std::array<unsigned char, 32> m_x25519{};
    std::string m_ed25519Base64;
};

// Base64 (standard alphabet, padded).
std::string base64Encode(std::string_view bytes);
std::expected<std::string, Base64Error> base64Decode(std::string_view text);

}  // namespace platform::keys
