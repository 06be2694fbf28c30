// Canonical byte encoding of records: a 4-byte magic, then fields as
//   tag (1 byte) | length (4 bytes, big endian) | value (length bytes, UTF-8 or ASCII)
// in strictly increasing tag order; absent optional fields are left out.
#include <sodium.h>

#include <array>
#include <cassert>
#include <charconv>

#include "record/record.hpp"
#include "record/text.hpp"

namespace ksync::record {
namespace {

constexpr std::string_view kContentMagic = "KRC1";
constexpr std::string_view kHeaderMagic = "KRH1";

enum ContentTag : unsigned char {
    kSalt = 1,
    kTitle = 2,
    kBody = 3,
    kWardCode = 4,
    kLocationAddress = 5,
    kContactName = 6,
    kContactPhone = 7,
    kContactEmail = 8,
    kContactAddress = 9,
    kConsent = 10,
    kConsentVersion = 11,
    kHasLocation = 12,
    kHasContact = 13,
    // Issue #14: written only when set (kind other than case, a non-empty string, reopen).
    kKind = 14,
    kParentCode = 15,
    kProof = 16,
    kProofVerifier = 17,
    kRating = 18,
    kReopen = 19,
    kReopenReason = 20,
    kLastContentTag = kReopenReason,
};

enum HeaderTag : unsigned char {
    kId = 1,
    kKioskId = 2,
    kSequence = 3,
    kTrackingCode = 4,
    kType = 5,
    kCategory = 6,
    kChannel = 7,
    kStaffAssisted = 8,
    kLanguage = 9,
    kCreatedAt = 10,
    kClockSynced = 11,
    kContentDigest = 12,
    kPrevHash = 13,
};

void put(std::string& out, unsigned char tag, std::string_view value) {
    assert(value.size() <= 0xFFFFFFFFu);
    const auto n = static_cast<std::uint32_t>(value.size());
    out.push_back(static_cast<char>(tag));
    out.push_back(static_cast<char>((n >> 24) & 0xFF));
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
    out.append(value);
}

std::string_view flag(bool b) {
    return b ? "1" : "0";
}

}  // namespace

std::string_view kindCode(RecordKind k) {
    switch (k) {
        case RecordKind::Case:
            return "case";
        case RecordKind::Supplement:
            return "supplement";
        case RecordKind::Rating:
            return "rating";
    }
    return "case";
}

std::optional<RecordKind> parseKind(std::string_view s) {
    for (auto k : {RecordKind::Case, RecordKind::Supplement, RecordKind::Rating})
        if (kindCode(k) == s) return k;
    return std::nullopt;
}

bool isRatingCode(std::string_view s) {
    return s == kRatingSatisfied || s == kRatingAcceptable || s == kRatingUnsatisfied;
}

std::string_view channelCode(Channel c) {
    return c == Channel::Kiosk ? "kiosk" : "staff_entry";
}

std::optional<Channel> parseChannel(std::string_view s) {
    if (s == "kiosk") return Channel::Kiosk;
    if (s == "staff_entry") return Channel::StaffEntry;
    return std::nullopt;
}

std::string encodeContent(const Content& c) {
    std::string out(kContentMagic);
    out.reserve(64 + c.body.size() + c.title.size());
    put(out, kSalt, c.salt);
    put(out, kTitle, c.title);
    put(out, kBody, c.body);
    if (c.location) {
        put(out, kWardCode, c.location->wardCode);
        put(out, kLocationAddress, c.location->address);
    }
    if (c.contact) {
        put(out, kContactName, c.contact->name);
        put(out, kContactPhone, c.contact->phone);
        put(out, kContactEmail, c.contact->email);
        put(out, kContactAddress, c.contact->address);
    }
    put(out, kConsent, flag(c.consent));
    put(out, kConsentVersion, c.consentVersion);
    put(out, kHasLocation, flag(c.location.has_value()));
    put(out, kHasContact, flag(c.contact.has_value()));
    if (c.kind != RecordKind::Case) put(out, kKind, kindCode(c.kind));
    if (!c.parentCode.empty()) put(out, kParentCode, c.parentCode);
    if (!c.proof.empty()) put(out, kProof, c.proof);
    if (!c.proofVerifier.empty()) put(out, kProofVerifier, c.proofVerifier);
    if (!c.rating.empty()) put(out, kRating, c.rating);
    if (c.reopen) put(out, kReopen, "1");
    if (!c.reopenReason.empty()) put(out, kReopenReason, c.reopenReason);
    return out;
}

std::optional<Content> decodeContent(std::string_view bytes, DecodeError* why) {
    auto fail = [&](DecodeError e) -> std::optional<Content> {
        if (why) *why = e;
        return std::nullopt;
    };
    if (bytes.substr(0, kContentMagic.size()) != kContentMagic) return fail(DecodeError::BadMagic);
    bytes.remove_prefix(kContentMagic.size());
    std::array<std::optional<std::string_view>, kLastContentTag + 1> fields{};
    int lastTag = 0;
    while (!bytes.empty()) {
        if (bytes.size() < 5) return fail(DecodeError::Truncated);
        const int tag = static_cast<unsigned char>(bytes[0]);
        const std::uint32_t n = (std::uint32_t{static_cast<unsigned char>(bytes[1])} << 24) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[2])} << 16) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[3])} << 8) |
                                std::uint32_t{static_cast<unsigned char>(bytes[4])};
        bytes.remove_prefix(5);
        if (n > bytes.size()) return fail(DecodeError::Truncated);
        if (tag <= lastTag) return fail(DecodeError::BadOrder);
        if (tag < kSalt || tag > kLastContentTag) return fail(DecodeError::UnknownTag);
        const std::string_view value = bytes.substr(0, n);
        if (!isValidUtf8(value)) return fail(DecodeError::BadValue);
        fields[static_cast<size_t>(tag)] = value;
        bytes.remove_prefix(n);
        lastTag = tag;
    }
    auto get = [&](int tag) { return std::string(fields[static_cast<size_t>(tag)].value_or("")); };
    auto isFlag = [&](int tag) {
        return fields[static_cast<size_t>(tag)] == "0" || fields[static_cast<size_t>(tag)] == "1";
    };
    for (int tag : {kSalt, kTitle, kBody, kConsent, kConsentVersion, kHasLocation, kHasContact})
        if (!fields[static_cast<size_t>(tag)]) return fail(DecodeError::BadValue);
    if (!isFlag(kConsent) || !isFlag(kHasLocation) || !isFlag(kHasContact))
        return fail(DecodeError::BadValue);
    const bool hasLocation = get(kHasLocation) == "1";
    const bool hasContact = get(kHasContact) == "1";
    for (int tag : {kWardCode, kLocationAddress})
        if (fields[static_cast<size_t>(tag)].has_value() != hasLocation)
            return fail(DecodeError::BadValue);
    for (int tag : {kContactName, kContactPhone, kContactEmail, kContactAddress})
        if (fields[static_cast<size_t>(tag)].has_value() != hasContact)
            return fail(DecodeError::BadValue);

    Content c;
    c.salt = get(kSalt);
    c.title = get(kTitle);
    c.body = get(kBody);
    if (hasLocation) c.location = Location{get(kWardCode), get(kLocationAddress)};
    if (hasContact)
        c.contact = Contact{get(kContactName), get(kContactPhone), get(kContactEmail),
                            get(kContactAddress)};
    c.consent = get(kConsent) == "1";
    c.consentVersion = get(kConsentVersion);
    // The optional fields of issue #14: present only when set, so an empty one is not canonical.
    for (int tag : {kKind, kParentCode, kProof, kProofVerifier, kRating, kReopenReason})
        if (fields[static_cast<size_t>(tag)] && fields[static_cast<size_t>(tag)]->empty())
            return fail(DecodeError::BadValue);
    if (fields[kKind]) {
        auto kind = parseKind(get(kKind));
        if (!kind || *kind == RecordKind::Case) return fail(DecodeError::BadValue);
        c.kind = *kind;
    }
    if (fields[kReopen] && get(kReopen) != "1") return fail(DecodeError::BadValue);
    c.parentCode = get(kParentCode);
    c.proof = get(kProof);
    c.proofVerifier = get(kProofVerifier);
    c.rating = get(kRating);
    c.reopen = fields[kReopen].has_value();
    c.reopenReason = get(kReopenReason);
    return c;
}

std::string encodeHeader(const Header& h) {
    std::string out(kHeaderMagic);
    out.reserve(512);
    char seq[24];
    auto [end, ec] = std::to_chars(seq, seq + sizeof seq, h.sequence);
    assert(ec == std::errc{});
    put(out, kId, h.id);
    put(out, kKioskId, h.kioskId);
    put(out, kSequence, std::string_view(seq, static_cast<size_t>(end - seq)));
    put(out, kTrackingCode, h.trackingCode);
    put(out, kType, typeCode(h.type));
    put(out, kCategory, h.category);
    put(out, kChannel, channelCode(h.channel));
    put(out, kStaffAssisted, flag(h.staffAssisted));
    put(out, kLanguage, h.language);
    put(out, kCreatedAt, h.createdAt);
    put(out, kClockSynced, flag(h.clockSynced));
    put(out, kContentDigest, h.contentDigest);
    put(out, kPrevHash, h.prevHash);
    return out;
}

std::string sha256Hex(std::string_view bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size());
    return toHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string contentDigest(const Content& c) {
    return sha256Hex(encodeContent(c));
}
std::string headerHash(const Header& h) {
    return sha256Hex(encodeHeader(h));
}

void seal(Record& r) {
    r.header.contentDigest = contentDigest(r.content);
    r.header.hash = headerHash(r.header);
}

}  // namespace ksync::record
