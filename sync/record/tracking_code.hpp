#pragma once
// Tracking codes: PAKN-7K3M-000123-X = type, kiosk id, per-kiosk sequence, check character.
//
// Generated offline and unique across kiosks (kiosk ids are unique, sequences are unique per
// kiosk). The alphabet has 31 symbols: 0-9 and A-Z without I, L, O, U and Z, so no symbol looks
// like another and 31 is prime. The check character c makes
//     sum_i w_i * v_i + w_n * v(c) == 0  (mod 31),   w_i = (i mod 30) + 1,
// over the dash-less characters (type, kiosk id, sequence digits). Because 31 is prime and
// every weight and every pair of adjacent weights differ mod 31, every single substitution and
// every adjacent transposition changes the sum, so it is always detected.
// Pure functions; safe from any thread.
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace ksync::record {

inline constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXY";
inline constexpr int kKioskIdLength = 4;
inline constexpr int kMinSequenceDigits = 6;

enum class RecordType { Pakn, Skgp };

std::string_view typeCode(RecordType t);  // "PAKN" / "SKGP"
// The type for its code ("PAKN" / "SKGP"); nullopt for anything else, like parseChannel.
std::optional<RecordType> parseRecordType(std::string_view code);

// Maps what people (and scanners) type onto kCodeAlphabet: case-insensitive, O read as 0, I and
// L as 1, Z as 2, U as V; 0 for separators that are dropped (- space . _), -1 for characters
// codes never contain.
int normaliseCodeChar(unsigned char c);

// True when `id` is kKioskIdLength symbols of kCodeAlphabet (upper case).
bool isValidKioskId(std::string_view id);

struct TrackingCode {
    RecordType type = RecordType::Pakn;
    std::string kioskId;
    std::uint64_t sequence = 0;
    char check = '0';

    std::string text() const;  // canonical form with dashes
    bool operator==(const TrackingCode&) const = default;
};

// Canonical code text for (type, kiosk, sequence). Precondition: isValidKioskId(kioskId),
// sequence >= 1.
std::string makeTrackingCode(RecordType type, std::string_view kioskId, std::uint64_t sequence);

// The check symbol for dash-less `payload` (type + kiosk id + sequence digits).
char checkSymbol(std::string_view payload);

enum class CodeError {
    Empty,      // nothing typed
    BadFormat,  // wrong length or layout
    BadChar,    // a character that never appears in codes (see CodeParseError::badChar)
    BadType,    // does not start with PAKN or SKGP
    BadCheck,   // a mistyped or swapped character
};

struct CodeParseError {
    CodeError error = CodeError::BadFormat;
    std::string badChar;                  // UTF-8 of the offending character, for BadChar
    std::string_view messageKey() const;  // key in assets/strings (code.*)
};

// Forgiving parser for what a person types or a scanner reads: case-insensitive; dashes,
// spaces and dots optional; O read as 0, I and L as 1, Z as 2, U as V; a full tracking URL
// (".../T/<code>") is accepted too, and so is a receipt QR payload with the proof after '#'
// (receipt_proof.hpp; the proof, when it is a well-formed secret, is ignored here). Rejects a wrong
// check character.
std::expected<TrackingCode, CodeParseError> parseTrackingCode(std::string_view input);

}  // namespace ksync::record
