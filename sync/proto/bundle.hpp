#pragma once
// USB bundles (docs/PROTOCOL.md, "Bundles"): the sync protocol carried on a USB stick by a
// staff member, for communes without a usable link. Shared by the kiosk (sync/client/bundle.*)
// and the backend (backend/service/bundle_import.*), so the two sides cannot drift apart.
//
// Two kinds, one container:
//   - to the city: every record not yet acknowledged, the kiosk's heartbeat and a manifest,
//     signed with the kiosk's key;
//   - to the kiosk (the "return bundle"): acknowledgements, status updates and the current
//     config, signed with the backend's key.
//
// The container (format 1), in this order, nothing else:
//   "KSYNC-BUNDLE\n"                       the magic, 13 bytes
//   HEADER "\n"                            one line of JSON, at most kMaxHeaderBytes
//   BODY                                   a zstd frame of `body_bytes` bytes, its content size
//                                          declared (`plain_bytes`), the body JSON
//   "\nsig:" BASE64 "\n"                   Ed25519 over "KSYNC1-BUNDLE\n" HEADER
// HEADER = {"format":1,"kind":"to_city"|"to_kiosk","kiosk_id":…,"bundle_id":…,
//           "created_at_ms":…,"body_bytes":…,"plain_bytes":…,"body_sha256":hex}
// The signature covers the header, and through body_sha256 the body; a file of any other length
// is truncated (or has something appended) and is refused before anything is opened.
//
// Reading checks, in this order, each with its own refusal code (BundleRefusal):
// not_a_bundle, newer_format, truncated, tampered (signature or hash), too_large (declared
// plain size over the cap, or a frame that expands past what it declares: a decompression bomb),
// bad_body. Which key must have signed is the caller's business: it reads the header first
// (peekBundleHeader), looks the key up by kiosk, then opens the bundle (openBundle).
//
// Pure functions; safe from any thread.
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/device_key.hpp"
#include "proto/messages.hpp"

namespace ksync::proto {

// Format 2 (issue #14) is format 1 whose records may be of protocol 2 (supplements, ratings,
// receipt proofs): a build before it refuses such a stick as newer_format, with words, before
// reading anything, instead of ingesting content it cannot decode. The backend answers a
// format 1 bundle (a kiosk on protocol 1) with a format 1 return bundle, so old kiosks keep
// working. The container is the same in both.
inline constexpr int kBundleFormat = 2;
inline constexpr int kBundleFormatV1 = 1;
inline constexpr std::string_view kBundleMagic = "KSYNC-BUNDLE\n";
inline constexpr std::size_t kMaxBundleHeaderBytes = 4096;
// The decoded body may not exceed this. 256 MiB holds ~100,000 typical records, or 3,000 of the
// largest fixture (71 KB).
inline constexpr std::size_t kMaxBundlePlainBytes = 256u * 1024 * 1024;

enum class BundleKind { ToCity, ToKiosk };
std::string_view bundleKindCode(BundleKind k);  // "to_city", "to_kiosk"

// Why a bundle file is refused. Each has a message (bundle.refused.<code> in assets/strings).
enum class BundleRefusal {
    NotABundle,    // no magic: another file
    NewerFormat,   // written by a newer version of the software
    Truncated,     // shorter (or longer) than its header says: a copy cut off
    Tampered,      // the signature or the body hash does not match: edited after signing
    TooLarge,      // more than kMaxBundlePlainBytes, or a frame that expands past its size
    BadBody,       // signed but not readable as its kind (a bug on the writing side)
    WrongKind,     // a return bundle given to the backend, or the other way round
    UnknownKiosk,  // the backend: no enrolled kiosk of that id
    OtherKiosk,    // the kiosk: a return bundle for another kiosk
    Replayed,      // the kiosk: a return bundle older than one already applied, or nothing new
    NotEnrolled,   // the kiosk has no backend key yet
    Io,            // the file could not be read or written
};
std::string_view bundleRefusalCode(BundleRefusal r);  // "not_a_bundle", "newer_format", …

struct BundleError {
    BundleRefusal refusal = BundleRefusal::Io;
    std::string detail;  // English, technical, no personal data
};

// The refusal as an error value (every reader and writer of bundles says no this way).
inline std::unexpected<BundleError> bundleRefused(BundleRefusal r, std::string detail) {
    return std::unexpected(BundleError{r, std::move(detail)});
}

struct BundleHeader {
    int format = kBundleFormat;
    BundleKind kind = BundleKind::ToCity;
    std::string kioskId;   // to_city: the sender; to_kiosk: the addressee
    std::string bundleId;  // 32 hex characters, fresh per bundle
    std::int64_t createdAtMs = 0;
    std::uint64_t bodyBytes = 0;
    std::uint64_t plainBytes = 0;
    std::string bodySha256;
};

// What the signature covers: "KSYNC1-BUNDLE\n" + the header line.
std::string bundleSigningString(std::string_view headerLine);

// The whole file: compresses `bodyJson`, writes the header, signs with `key`.
std::string sealBundle(BundleKind kind, const std::string& kioskId, std::int64_t createdAtMs,
                       const std::string& bodyJson, const platform::keys::DeviceKey& key,
                       int format = kBundleFormat);
// The header only, without checking the signature (to find the key that must have signed).
// Refuses not_a_bundle, newer_format (a format above `maxFormat`: tests pass 1 to read as a
// build before format 2 did) and truncated.
std::expected<BundleHeader, BundleError> peekBundleHeader(std::string_view file,
                                                          int maxFormat = kBundleFormat);
// Everything checked; returns the body JSON text.
std::expected<std::string, BundleError> openBundle(std::string_view file,
                                                   std::string_view signerPublicKeyBase64,
                                                   BundleHeader* header = nullptr,
                                                   int maxFormat = kBundleFormat);

// ---- bodies ---------------------------------------------------------------------------------

// The records' sequence range and count, so a reader can say what a bundle holds without
// opening every record.
struct BundleManifest {
    std::uint64_t records = 0;
    std::uint64_t firstSequence = 0;  // 0 when there are no records
    std::uint64_t lastSequence = 0;
    std::string appVersion;
};

// to_city body.
struct CityBundle {
    std::string kioskId;
    std::string createdAt;  // RFC 3339 UTC, the kiosk's clock
    BundleManifest manifest;
    RecordsUploadRequest upload;  // every record not yet acknowledged, oldest first
    HeartbeatRequest heartbeat;
    std::string statusCursor = "0";       // the kiosk's status cursor: updates after it come back
    std::string configVersion;            // the config the kiosk has ("" when none)
    std::vector<std::string> askedCodes;  // other kiosks' codes its residents looked up
    // The payload dictionaries the kiosk has (shipped and installed). Absent in a bundle from a
    // kiosk before this field: the backend then sends the configured dictionary anyway.
    std::optional<std::vector<std::string>> dictionaries;

    nlohmann::json toJson() const;
    // Records are read as an upload is (RecordsUploadRequest::fromJson), without its 500 limit:
    // the backend ingests them in batches.
    static std::expected<CityBundle, std::string> fromJson(const nlohmann::json& j,
                                                           ReceivedUpload* records);
};

// One record of a to_city bundle as the backend acknowledges it.
struct BundleRecordRef {
    std::uint64_t sequence = 0;
    std::string id;
    bool operator==(const BundleRecordRef&) const = default;
};

struct BundleConfig {
    std::string version;
    std::string etag;
    std::string document;  // the config JSON as GET /api/v1/config serves it
    bool operator==(const BundleConfig&) const = default;
};

// A payload dictionary (zstd, trained by `kiosk-backend train-dictionary`) travelling to a kiosk
// that does not have the one its config names. On the wire: {"name", "bytes_b64"}.
struct BundleDictionary {
    std::string name;   // [a-z0-9._-], at most 32 characters (isDictionaryName)
    std::string bytes;  // the raw dictionary
    bool operator==(const BundleDictionary&) const = default;
};

// to_kiosk body.
struct KioskBundle {
    std::string kioskId;
    std::string inReplyTo;        // the to_city bundle's id
    std::int64_t issuedAtMs = 0;  // the backend's clock; a kiosk never applies an older one
    std::vector<BundleRecordRef> records;  // what the to_city bundle held, as the reply's items
    RecordsUploadReply upload;             // as for an upload of exactly those records
    StatusReply status;                    // updates for this kiosk's records after its cursor
    std::vector<StatusUpdateEntry> asked;  // updates for the asked codes
    std::optional<BundleConfig> config;
    std::optional<BundleDictionary>
        dictionary;  // the one the config names, when the kiosk lacks it

    nlohmann::json toJson() const;
    static std::expected<KioskBundle, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const KioskBundle&) const = default;
};

// File names on the stick: "<kiosk>-<yyyymmddThhmmssmmmZ>.to-city.ksb" and ".to-kiosk.ksb"
// (UTC to the millisecond: names sort by time).
std::string bundleFileName(BundleKind kind, const std::string& kioskId, std::int64_t createdAtMs);
inline constexpr std::string_view kBundleExtension = ".ksb";

// Writes `bytes` to `dir/name` atomically: a temporary file in the same directory, fsync, rename,
// fsync of the directory. A stick pulled out halfway leaves at most a ".tmp" file, never a
// bundle that looks whole. Refuses to replace an existing file.
std::expected<std::string, BundleError> writeFileAtomically(const std::string& dir,
                                                            const std::string& name,
                                                            std::string_view bytes);
// The whole file; refuses (TooLarge) one larger than `maxBytes`.
std::expected<std::string, BundleError> readWholeFile(const std::string& path,
                                                      std::size_t maxBytes = kMaxBundlePlainBytes +
                                                                             (1u << 20));

}  // namespace ksync::proto
