#pragma once
// The record: what a resident (or staff, keying in paper) submits, split in two parts.
//
//  * Header  — what tracking needs, kept in plain form on the kiosk: ids, sequence, code,
//              type, category, times, hashes.
//  * Content — what the person wrote and who they are: title, body, location, contact. It is
//              the part that gets sealed to the backend's key. It carries a random salt so that
//              its digest (stored in the header) reveals nothing about short fields such as a
//              phone number.
//
// hash = SHA-256(canonical header bytes), and the header holds prev_hash and content_digest,
// so the hashes form a per-kiosk chain over everything. See docs/RECORD.md for the byte layout
// that the backend re-implements.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "record/tracking_code.hpp"

namespace ksync::record {

enum class Channel { Kiosk, StaffEntry };
std::string_view channelCode(Channel c);  // "kiosk" / "staff_entry"
std::optional<Channel> parseChannel(std::string_view s);

struct Location {
    std::string wardCode;  // from the config's ward list; may be empty
    std::string address;   // free text; may be empty
    bool operator==(const Location&) const = default;
};

struct Contact {
    std::string name;
    std::string phone;  // normalised digits, e.g. 0912345678
    std::string email;
    std::string address;
    bool operator==(const Contact&) const = default;
};

// What a record is (issue #14): a new case, or information added later to a case, or the
// resident's rating of its answer. Supplements and ratings name their case (`parentCode`) and
// carry the receipt's secret (`proof`) inside the content, so both travel sealed to the backend
// key and only the backend (which checks the proof) learns which case they belong to.
enum class RecordKind { Case, Supplement, Rating };
std::string_view kindCode(RecordKind k);  // "case" / "supplement" / "rating"
std::optional<RecordKind> parseKind(std::string_view s);

// The three answers to "Bạn có hài lòng với kết quả giải quyết?".
inline constexpr std::string_view kRatingSatisfied = "hai_long";
inline constexpr std::string_view kRatingAcceptable = "tam_chap_nhan";
inline constexpr std::string_view kRatingUnsatisfied = "chua_hai_long";
bool isRatingCode(std::string_view s);

struct Content {
    std::string salt;  // 32 hex chars, random per record
    std::string title;
    std::string body;
    std::optional<Location> location;
    std::optional<Contact> contact;  // nullopt: anonymous
    bool consent = false;            // to personal-data processing (required with a contact)
    std::string consentVersion;      // which consent text was shown
    // Issue #14; each is encoded only when set, so a case's bytes without them are the bytes an
    // older kiosk wrote.
    RecordKind kind = RecordKind::Case;
    std::string parentCode = {};  // supplement, rating: the case's canonical tracking code
    std::string proof = {};       // supplement, rating: the receipt's secret (compact), as typed
    std::string proofVerifier =
        {};                   // case: makeVerifier(secret) (receipt_proof.hpp); "" on old records
    std::string rating = {};  // rating: kRating*; the comment, if any, is `body`
    bool reopen = false;      // rating: the resident asks for the case to be reopened
    std::string reopenReason = {};  // rating with reopen: why
    bool operator==(const Content&) const = default;
};

struct Header {
    std::string id;  // UUID v4, lower case
    std::string kioskId;
    std::uint64_t sequence = 0;
    std::string trackingCode;
    RecordType type = RecordType::Pakn;
    std::string category;
    Channel channel = Channel::Kiosk;
    bool staffAssisted = false;  // entered at the kiosk with a staff member's help
    std::string language = "vi";
    std::string createdAt;      // RFC 3339 UTC with milliseconds, device clock
    bool clockSynced = false;   // false: the device clock was never synchronised
    std::string contentDigest;  // hex SHA-256 of the canonical content bytes
    std::string prevHash;       // hex SHA-256 of the previous record's header; zeros for the first
    std::string hash;           // hex SHA-256 of this header's canonical bytes
    bool operator==(const Header&) const = default;
};

struct Record {
    Header header;
    Content content;      // empty when `sealed` (read back from a kiosk database)
    bool sealed = false;  // the content is sealed to the backend's key: only the backend reads it
    // A new case's receipt secret, in memory only: set by the store's createRecord for the
    // receipt, never written anywhere (the store keeps the verifier).
    std::string receiptSecret = {};
    bool operator==(const Record&) const = default;
};

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Canonical bytes (docs/RECORD.md). Deterministic: equal values give equal bytes.
std::string encodeContent(const Content& c);
std::string encodeHeader(const Header& h);  // everything except `hash`

enum class DecodeError { BadMagic, Truncated, BadOrder, UnknownTag, BadValue };
// Strict inverse of encodeContent; rejects anything encodeContent would not produce.
std::optional<Content> decodeContent(std::string_view bytes, DecodeError* why = nullptr);

std::string sha256Hex(std::string_view bytes);
std::string contentDigest(const Content& c);  // sha256Hex(encodeContent(c))
std::string headerHash(const Header& h);      // sha256Hex(encodeHeader(h))

// Fills contentDigest and hash from the content and the header's other fields.
void seal(Record& r);

// Random values from libsodium.
std::string newUuid();     // RFC 4122 version 4, lower case
std::string newSaltHex();  // 16 random bytes as hex

}  // namespace ksync::record
