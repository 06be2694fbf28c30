#pragma once
// The reference backend's storage, behind a small interface so that a PostgreSQL
// implementation can replace SQLite later without touching the HTTP layer or the CLI.
//
// Thread-safety: every method may be called from any thread at the same time (the HTTP
// server calls them from its worker pool); implementations serialise writes themselves.
// Errors: values (StorageError); `detail` is technical English and never holds personal data.
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "proto/protocol.hpp"
#include "record/record.hpp"

namespace ksync::server {

struct StorageError {
    std::string detail;
    bool transient = false;  // busy/locked: the caller may answer 503 and let the kiosk retry
};

template <class T>
using Result = std::expected<T, StorageError>;

// One record to store. The HTTP layer has decoded the payload and checked the hashes.
struct IngestItem {
    record::Header header;
    std::string payloadFormat;  // as received
    std::string content;        // canonical content bytes (decoded payload)
    bool intact = true;         // false: the hash or content digest does not match (kept, flagged by audit)
};

struct IngestResult {
    proto::ItemResult result = proto::ItemResult::Created;
    std::string reason;  // for conflicts
};

struct StoredRecord {
    record::Header header;
    std::string payloadFormat;
    std::string content;
    std::string receivedAt;
    bool intact = true;
};

struct StatusEvent {
    std::int64_t eventId = 0;
    std::string trackingCode;
    std::string status;
    std::string note;
    std::string agency;
    std::string officer;
    std::string expectedDate;  // YYYY-MM-DD or empty
    std::string updatedAt;     // RFC 3339 UTC
};

// What the public page and Open311 may show: no content, no contact.
struct PublicRecord {
    std::string trackingCode;
    std::string kioskId;
    record::RecordType type = record::RecordType::Pakn;
    std::string category;
    std::string createdAt;
    std::string receivedAt;
    std::vector<StatusEvent> events;  // oldest first
};

struct ConfigDocument {
    std::string version;
    std::string etag;  // quoted, as sent in the ETag header
    std::string document;
};

struct KioskRow {
    std::string kioskId;
    std::string publicKey;  // base64
    std::string enrolledAt;
    std::string lastSeenAt;
    std::string heartbeat;  // JSON of the last heartbeat, may be empty
};

struct ConflictRow {
    std::string id;
    std::string kioskId;
    std::uint64_t sequence = 0;
    std::string hash;
    std::string receivedAt;
};

enum class EnrolOutcome { Enrolled, BadToken, KeyMismatch };

struct RequestFilter {
    std::string serviceCode;  // category, empty: any
    std::string status;       // "open" / "closed" / empty
    std::string startDate, endDate;
    std::size_t limit = 200;
};

class BackendStorage {
public:
    virtual ~BackendStorage() = default;

    // --- kiosks and tokens ----------------------------------------------------------------
    // A one-time enrolment token (returned in clear once; only its hash is kept).
    virtual Result<std::string> issueEnrolToken(const std::string& kioskId, std::int64_t expiresMs) = 0;
    virtual Result<EnrolOutcome> enrol(const std::string& token, const std::string& kioskId,
                                       const std::string& publicKey, std::int64_t nowMs) = 0;
    virtual Result<std::optional<std::string>> kioskPublicKey(const std::string& kioskId) = 0;
    virtual Result<std::vector<KioskRow>> kiosks() = 0;
    virtual Result<void> recordHeartbeat(const std::string& kioskId, const std::string& json, std::int64_t nowMs) = 0;
    // Staff API tokens (for POST /api/v1/staff/updates).
    virtual Result<std::string> issueStaffToken(const std::string& name) = 0;
    virtual Result<std::optional<std::string>> staffTokenName(const std::string& token) = 0;

    // Remembers (kiosk, nonce); false when it was seen before (a replay).
    virtual Result<bool> useNonce(const std::string& kioskId, const std::string& nonce, std::int64_t nowMs) = 0;

    // --- records ----------------------------------------------------------------------------
    // All items in one transaction: insert by unique id; the same id with the same hash is a
    // duplicate, with another hash a conflict (recorded, never overwritten).
    virtual Result<std::vector<IngestResult>> ingest(std::span<const IngestItem> items, std::int64_t nowMs) = 0;
    virtual Result<std::optional<StoredRecord>> recordById(const std::string& id) = 0;
    virtual Result<std::uint64_t> recordCount() = 0;
    // Every record of `kioskId` by sequence (then id), for the chain audit.
    virtual Result<std::vector<StoredRecord>> kioskRecords(const std::string& kioskId) = 0;
    virtual Result<std::vector<std::string>> kioskIdsWithRecords() = 0;
    virtual Result<std::vector<ConflictRow>> conflicts(const std::string& kioskId) = 0;

    // --- status -----------------------------------------------------------------------------
    // Appends an event for the record with this canonical code; false when no such record.
    virtual Result<bool> addStatus(const StatusEvent& e) = 0;
    // Events of this kiosk's records after `cursor` (an event id), oldest first.
    virtual Result<std::vector<StatusEvent>> statusSince(const std::string& kioskId, std::int64_t cursor,
                                                         std::size_t limit) = 0;
    virtual Result<std::optional<PublicRecord>> publicRecord(const std::string& trackingCode) = 0;
    virtual Result<std::vector<PublicRecord>> publicRecords(const RequestFilter& f) = 0;

    // --- config -----------------------------------------------------------------------------
    virtual Result<std::optional<ConfigDocument>> config() = 0;
    virtual Result<void> setConfig(const ConfigDocument& c) = 0;
};

}  // namespace ksync::server
