#include "keys/device_key.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace platform::keys {
namespace {

constexpr std::string_view kFileMagic = "KIOSK-ED25519-V1\n";

void ensureSodium() {
    // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
    if (sodium_init() < 0) std::abort();
}

std::string hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

}  // namespace

DeviceKey::~DeviceKey() {
    sodium_memzero(m_secret.data(), m_secret.size());
}

DeviceKey DeviceKey::generate() {
    ensureSodium();
    DeviceKey k;
    crypto_sign_keypair(k.m_public.data(), k.m_secret.data());
    return k;
}

std::expected<DeviceKey, std::string> DeviceKey::load(const std::filesystem::path& file) {
    ensureSodium();
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        return std::unexpected(file.string() + ": " + std::strerror(errno));
    if ((st.st_mode & 077) != 0)
        return std::unexpected(file.string() + ": readable by others (must be mode 0600)");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (!in || text.size() < kFileMagic.size() ||
        text.compare(0, kFileMagic.size(), kFileMagic) != 0)
        return std::unexpected(file.string() + ": not a device key file");
    std::string line = text.substr(kFileMagic.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    auto secret = base64Decode(line);
    if (!secret || secret->size() != kSecretKeyBytes)
        return std::unexpected(file.string() + ": damaged device key file");
    DeviceKey k;
    std::memcpy(k.m_secret.data(), secret->data(), kSecretKeyBytes);
    sodium_memzero(secret->data(), secret->size());
    crypto_sign_ed25519_sk_to_pk(k.m_public.data(), k.m_secret.data());
    return k;
}

std::expected<void, std::string> DeviceKey::save(const std::filesystem::path& file,
                                                 bool overwrite) const {
    // A unique temporary file, written and synced, then put in place in one step: link() when
    // the file must not exist yet (two processes creating a key at once: exactly one wins, the
    // other is told "already exists"), rename() when it may be replaced. A reader never sees a
    // half-written key.
    std::string tmp = file.string() + ".tmp.XXXXXX";
    std::string text(kFileMagic);
    text += base64Encode({reinterpret_cast<const char*>(m_secret.data()), m_secret.size()});
    text += "\n";
    const int fd = ::mkstemp(tmp.data());  // mode 0600
    if (fd < 0) {
        sodium_memzero(text.data(), text.size());
        return std::unexpected(file.string() + ": " + std::strerror(errno));
    }
    std::size_t done = 0;
    bool ok = true;
    while (ok && done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    sodium_memzero(text.data(), text.size());
    if (!ok) {
        ::unlink(tmp.c_str());
        return std::unexpected(tmp + ": write failed");
    }
    if (overwrite) {
        if (::rename(tmp.c_str(), file.c_str()) != 0) {
            const int e = errno;
            ::unlink(tmp.c_str());
            return std::unexpected(file.string() + ": " + std::strerror(e));
        }
    } else {
        const int rc = ::link(tmp.c_str(), file.c_str());
        const int e = errno;
        ::unlink(tmp.c_str());
        if (rc != 0)
            return std::unexpected(file.string() + (e == EEXIST
                                                        ? ": already exists"
                                                        : ": " + std::string(std::strerror(e))));
    }
    // The directory entry itself survives a power cut.
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
    return {};
}

std::expected<DeviceKey, std::string> DeviceKey::loadOrCreate(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        // Several processes may get here at once; one link() wins. Whoever lost, and the winner
        // too, uses what is on disk, so every process holds the same key.
        if (auto r = generate().save(file, false); !r && !std::filesystem::exists(file, ec))
            return std::unexpected(r.error());
    }
    return load(file);
}

std::string DeviceKey::publicKeyBase64() const {
    return base64Encode({reinterpret_cast<const char*>(m_public.data()), m_public.size()});
}

std::string DeviceKey::fingerprint() const {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, m_public.data(), m_public.size());
    return hex(h, 8);
}

std::string DeviceKey::signBase64(std::string_view message) const {
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), m_secret.data());
    return base64Encode({reinterpret_cast<const char*>(sig), sizeof sig});
}

bool DeviceKey::verifyBase64(std::string_view publicKeyBase64, std::string_view message,
                             std::string_view signatureBase64) {
    ensureSodium();
    auto pk = base64Decode(publicKeyBase64);
    auto sig = base64Decode(signatureBase64);
    if (!pk || !sig || pk->size() != kPublicKeyBytes || sig->size() != kSignatureBytes)
        return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                       reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(),
                                       reinterpret_cast<const unsigned char*>(pk->data())) == 0;
}

static_assert(SealingKey::kOverheadBytes == crypto_box_SEALBYTES);

std::expected<std::string, OpenError> DeviceKey::openSealed(std::string_view box) const {
    ensureSodium();
    if (box.size() < crypto_box_SEALBYTES) return std::unexpected(OpenError::NotForThisKey);
    std::array<unsigned char, crypto_box_PUBLICKEYBYTES> pk{};
    std::array<unsigned char, crypto_box_SECRETKEYBYTES> sk{};
    if (crypto_sign_ed25519_pk_to_curve25519(pk.data(), m_public.data()) != 0)
        return std::unexpected(OpenError::BadKey);
    crypto_sign_ed25519_sk_to_curve25519(sk.data(), m_secret.data());
    std::string out(box.size() - crypto_box_SEALBYTES, '\0');
    const int rc = crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(box.data()),
                                        box.size(), pk.data(), sk.data());
    sodium_memzero(sk.data(), sk.size());
    if (rc != 0) return std::unexpected(OpenError::NotForThisKey);
    return out;
}

std::expected<SealingKey, std::string> SealingKey::fromPublicKeyBase64(
    std::string_view publicKeyBase64) {
    ensureSodium();
    auto pk = base64Decode(publicKeyBase64);
    if (!pk || pk->size() != kPublicKeyBytes)
        return std::unexpected(std::string("not a base64 Ed25519 public key"));
    SealingKey k;
    if (crypto_sign_ed25519_pk_to_curve25519(
            k.m_x25519.data(), reinterpret_cast<const unsigned char*>(pk->data())) != 0)
        return std::unexpected(std::string("not a valid Ed25519 public key"));
    k.m_ed25519Base64 = std::string(publicKeyBase64);
    return k;
}

std::string SealingKey::seal(std::string_view plaintext) const {
    std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()),
                    reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                    m_x25519.data());
    return out;
}

std::string base64Encode(std::string_view bytes) {
    ensureSodium();
    const std::size_t n = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    std::string out(n, '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.pop_back();  // the terminating NUL
    return out;
}

std::expected<std::string, Base64Error> base64Decode(std::string_view text) {
    ensureSodium();
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::unexpected(Base64Error::Malformed);
    out.resize(len);
    return out;
}

}  // namespace platform::keys
