#pragma once
// Proof of holding a receipt (issue #14): a random secret printed on each new receipt and
// carried in its QR code, needed to add information to a case or rate its answer. Looking a
// case up by its tracking code alone stays public; the secret is only for acting on it.
//
// Size. 13 symbols of the 31-symbol code alphabet: 13 * log2(31) = 64.4 bits, printed in
// three groups (XXXX-XXXX-XXXXX) that a person can type from paper. Nobody stores the secret:
// the kiosk that made the record and the backend keep a verifier, a salted SHA-256
// (16 random bytes of salt per record). Why SHA-256 and not Argon2id: the secret is random,
// not a password a person chose, so stretching buys little — an attacker who steals a database
// needs on average 2^63 SHA-256 evaluations per record (about 30 years at 10^10 per second on
// a GPU), and the salt stops one table of guesses serving many records. Argon2id at interactive
// settings would add about 0.1 s and 64 MiB to every commit at the kiosk. Online guessing goes
// only through enrolled kiosks (signed requests; every refused attempt is a record quarantined
// at that kiosk for staff) and the kiosk's own check, which the flow core limits to
// kMaxProofAttempts per code and session; at 2^64 possibilities neither path is usable for
// guessing.
//
// The QR payload is the tracking URL with the secret as its fragment:
//     HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X#K3M7X9QART5PW
// A phone that opens it never sends the fragment to the web server, and old receipts (the URL
// alone) still parse: they allow lookup only.
// Pure functions; safe from any thread.
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "record/tracking_code.hpp"

namespace ksync::record {

inline constexpr std::size_t kSecretSymbols = 13;  // 64.4 bits
inline constexpr int kMaxProofAttempts = 5;        // per code at one kiosk session (flow core)

// A fresh secret: kSecretSymbols symbols of kCodeAlphabet from libsodium's random source,
// compact (no dashes).
std::string newReceiptSecret();
// "K3M7-X9QA-RT5PW": how the receipt prints it.
std::string formatSecret(std::string_view compact);
// What a person typed or a scanner read, forgiving like tracking codes (case, dashes, spaces,
// O/0 I/L/1 Z/2 U/V); nullopt unless it is exactly kSecretSymbols symbols. Compact form.
std::optional<std::string> parseSecret(std::string_view typed);

// "s256:<32 hex salt>:<64 hex SHA-256(salt bytes || compact secret)>".
std::string makeVerifier(std::string_view compactSecret);
// True when `secret` (any form parseSecret takes) matches `verifier`; constant time in the
// hash comparison. False for an empty or malformed verifier.
bool checkVerifier(std::string_view verifier, std::string_view secret);

// The QR payload of a receipt: the tracking URL, plus "#SECRET" when there is one.
std::string receiptQrPayload(std::string_view trackingUrl, std::string_view compactSecret);
struct ScannedReceipt {
    TrackingCode code;
    std::optional<std::string> secret;  // compact; nullopt for a receipt from before secrets
};
// A QR payload, a URL or a typed code. A fragment that is not a well-formed secret makes the
// code unreadable (code.bad_char), as any stray '#' does.
std::expected<ScannedReceipt, CodeParseError> parseReceiptPayload(std::string_view payload);

}  // namespace ksync::record
