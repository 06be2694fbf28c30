#include "record/receipt_proof.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "record/record.hpp"
#include "record/text.hpp"

namespace ksync::record {
namespace {

constexpr std::string_view kVerifierPrefix = "s256:";
constexpr std::size_t kSaltBytes = 16;

std::string digestHex(std::string_view saltBytes, std::string_view compact) {
    std::string input(saltBytes);
    input.append(compact);
    return sha256Hex(input);
}

std::optional<std::string> fromHex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string out(hex.size() / 2, '\0');
    std::size_t n = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                       hex.size(), nullptr, &n, nullptr) != 0 ||
        n != out.size())
        return std::nullopt;
    return out;
}

}  // namespace

std::string newReceiptSecret() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::string s;
    s.reserve(kSecretSymbols);
    // randombytes_uniform is unbiased for any upper bound.
    for (std::size_t i = 0; i < kSecretSymbols; ++i)
        s.push_back(
            kCodeAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kCodeAlphabet.size()))]);
    return s;
}

std::string formatSecret(std::string_view compact) {
    std::string out;
    for (std::size_t i = 0; i < compact.size(); ++i) {
        if (i == 4 || i == 8) out.push_back('-');
        out.push_back(compact[i]);
    }
    return out;
}

std::optional<std::string> parseSecret(std::string_view typed) {
    std::string s;
    for (const char ch : typed) {
        if (ch == '\t' || ch == '\n' || ch == '\r') continue;
        const int c = normaliseCodeChar(static_cast<unsigned char>(ch));
        if (c == 0) continue;
        if (c < 0 || s.size() == kSecretSymbols) return std::nullopt;
        s.push_back(static_cast<char>(c));
    }
    if (s.size() != kSecretSymbols) return std::nullopt;
    return s;
}

std::string makeVerifier(std::string_view compactSecret) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::array<unsigned char, kSaltBytes> salt{};
    randombytes_buf(salt.data(), salt.size());
    const std::string_view saltBytes(reinterpret_cast<const char*>(salt.data()), salt.size());
    return std::string(kVerifierPrefix) + toHex(saltBytes) + ":" +
           digestHex(saltBytes, compactSecret);
}

bool checkVerifier(std::string_view verifier, std::string_view secret) {
    const auto compact = parseSecret(secret);
    if (!compact || !verifier.starts_with(kVerifierPrefix)) return false;
    verifier.remove_prefix(kVerifierPrefix.size());
    const auto colon = verifier.find(':');
    if (colon != kSaltBytes * 2 || verifier.size() != colon + 1 + 64) return false;
    const auto salt = fromHex(verifier.substr(0, colon));
    if (!salt) return false;
    const std::string expected(verifier.substr(colon + 1));
    const std::string actual = digestHex(*salt, *compact);
    return sodium_memcmp(expected.data(), actual.data(), expected.size()) == 0;
}

std::string receiptQrPayload(std::string_view trackingUrl, std::string_view compactSecret) {
    std::string out(trackingUrl);
    if (!compactSecret.empty()) out.append("#").append(compactSecret);
    return out;
}

std::expected<ScannedReceipt, CodeParseError> parseReceiptPayload(std::string_view payload) {
    auto code = parseTrackingCode(payload);  // ignores the fragment
    if (!code) return std::unexpected(code.error());
    ScannedReceipt r{std::move(*code), std::nullopt};
    if (auto hash = payload.find('#'); hash != std::string_view::npos)
        r.secret = parseSecret(payload.substr(hash + 1));
    return r;
}

}  // namespace ksync::record
