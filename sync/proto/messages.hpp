#pragma once
// The request and reply bodies of protocol v1 (docs/PROTOCOL.md), one struct per message,
// shared by the kiosk's client (sync/client), the kiosk's online lookup (kiosk/app) and the
// backend (backend/service, backend/http). Nobody builds or picks apart these JSON bodies by
// hand: a side writes `message.toJson()` (or dumpMessage) and reads `Message::fromJson(j)` (or
// parseMessage<Message>(text)).
//
// Sections:
//   1. helpers: parseMessage, dumpMessage, parseItemResult
//   2. health, enrolment
//   3. records upload
//   4. status pull
//   5. heartbeat, error reply
//   6. staff update, public status
// The config document (GET /api/v1/config) is the backend config: backend_config.hpp.
//
// Reading rules (every fromJson):
//   - never throws; a refusal is a short English reason code, "bad_field:<name>" for a field
//     that is missing or of the wrong type ("bad_field:updates.status" inside an array), or
//     "not_object" for a body that is not a JSON object; never personal data;
//   - "protocol", when present, must be an integer (its value is not checked: v1 only);
//   - unknown fields are ignored (a newer peer may add some);
//   - required fields are those the reader needs and the writer always sends; the few optional
//     ones are named in the struct's comment and checked for type when present.
// Writing: every reply carries "protocol":1; requests do not (they never did).
//
// Pure functions; safe from any thread.
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/protocol.hpp"

namespace ksync::proto {

// ---- 1. helpers ------------------------------------------------------------------------------

// Parses `text` as JSON and then as `Message` (any type of this file with a static fromJson).
// Never throws: "not_json" when the text is not JSON, otherwise what Message::fromJson says.
template <class Message>
auto parseMessage(std::string_view text)
    -> decltype(Message::fromJson(std::declval<const nlohmann::json&>())) {
    auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::unexpected(std::string("not_json"));
    return Message::fromJson(j);
}

// The body text of `message`. Invalid UTF-8 in a string (only a damaged database could hold
// it) becomes U+FFFD instead of an exception; the receiver's hash check then flags it.
template <class Message>
std::string dumpMessage(const Message& message) {
    return message.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// "created", "duplicate", "conflict", "rejected" -> ItemResult (itemResultCode's inverse).
std::optional<ItemResult> parseItemResult(std::string_view code);

// ---- 2. health, enrolment ----------------------------------------------------------------------

// GET /api/v1/health reply. `acceptEncoding` is optional on read (an older backend sends none).
struct HealthReply {
    std::string service = "kiosk-backend";
    std::int64_t timeMs = 0;
    std::string time;                         // RFC 3339 UTC, the same instant as timeMs
    std::string backendPublicKey;             // base64 Ed25519
    std::vector<std::string> acceptEncoding;  // request body encodings, e.g. "zstd"
    int protocol =
        kProtocolVersion;  // on read: the reply's "protocol" (1 when absent, as v1 sent it always)

    bool acceptsEncoding(std::string_view encoding) const;
    nlohmann::json toJson() const;
    static std::expected<HealthReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const HealthReply&) const = default;
};

// POST /api/v1/enroll body. `appVersion` is optional on read ("" when absent).
struct EnrollRequest {
    std::string kioskId;
    std::string publicKey;  // base64 Ed25519, the key being enrolled
    std::string token;      // one-time enrolment token
    std::string appVersion;

    nlohmann::json toJson() const;
    static std::expected<EnrollRequest, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const EnrollRequest&) const = default;
};

// POST /api/v1/enroll 200 reply.
struct EnrollReply {
    std::string kioskId;
    bool enrolled = true;
    std::string backendPublicKey;  // base64 Ed25519

    nlohmann::json toJson() const;
    static std::expected<EnrollReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const EnrollReply&) const = default;
};

// ---- 3. records upload
// ---------------------------------------------------------------------------

// One record of an upload as the backend reads it. The sequence (and the id, when it is a
// string) are read first because the reply names them; the rest of the record may be refused
// on its own (`record` holds fromWire's reason) without refusing the batch.
struct UploadItem {
    std::uint64_t sequence = 0;
    std::string id;  // "" when absent or not a string
    std::expected<WireRecord, std::string> record = std::unexpected(std::string("bad_record"));
};

// What RecordsUploadRequest::fromJson gives: the items in the order they were sent.
struct ReceivedUpload {
    std::string kioskId;  // optional on the wire ("" when absent); the signature names the kiosk
    std::vector<UploadItem> items;
};

// POST /api/v1/records body: a batch of wire records.
struct RecordsUploadRequest {
    std::string kioskId;
    std::vector<WireRecord> records;

    nlohmann::json toJson() const;
    // Refuses the whole batch with "not_object", "bad_field:kiosk_id", "bad_field:records",
    // "batch_too_large" (more than kMaxBatchRecords, checked before any record is read) or
    // "record_without_sequence" (a record without an unsigned sequence would otherwise be
    // covered by the watermark silently). Any other fault stays in its item. A USB bundle
    // (bundle.hpp) reads its records through this too, with a higher `maxRecords`.
    static std::expected<ReceivedUpload, std::string> fromJson(
        const nlohmann::json& j, std::size_t maxRecords = kMaxBatchRecords);
};

struct UploadCounts {
    std::uint64_t created = 0, duplicate = 0, conflict = 0, rejected = 0;
    bool operator==(const UploadCounts&) const = default;
};

// A record of the batch that is not simply stored: a conflict or a rejection.
struct UploadException {
    std::uint64_t sequence = 0;
    std::string id;
    ItemResult result = ItemResult::Rejected;
    std::string reason;  // short English code, e.g. "same_id_different_hash", "bad_content"
    bool retry = false;  // true: the kiosk keeps the record queued (e.g. "unknown_dictionary")
    bool operator==(const UploadException&) const = default;
};

// POST /api/v1/records 200 reply: a watermark plus the exceptions (docs/PROTOCOL.md).
struct RecordsUploadReply {
    std::string kioskId;
    std::uint64_t storedThrough = 0;
    UploadCounts counts;
    std::vector<UploadException> exceptions;

    nlohmann::json toJson() const;
    static std::expected<RecordsUploadReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const RecordsUploadReply&) const = default;
};

// ---- 4. status pull ---------------------------------------------------------------------------

// POST /api/v1/status body. `since` is optional on read ("0" when absent).
struct StatusRequest {
    std::string since = "0";  // the cursor of the last reply, opaque to the kiosk

    nlohmann::json toJson() const;
    static std::expected<StatusRequest, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const StatusRequest&) const = default;
};

struct StatusUpdateEntry {
    std::string trackingCode;
    std::string status;  // received, forwarded, needs_info, answered, closed, rejected, duplicate
    std::string note;
    std::string agency;
    std::string officer;
    std::string expectedDate;  // YYYY-MM-DD or ""
    std::string updatedAt;     // RFC 3339 UTC
    bool operator==(const StatusUpdateEntry&) const = default;
};

// POST /api/v1/status 200 reply. A malformed update refuses the whole reply: the kiosk must not
// move its cursor past an update it could not read.
struct StatusReply {
    std::vector<StatusUpdateEntry> updates;
    std::string cursor = "0";
    bool more = false;  // another page follows

    nlohmann::json toJson() const;
    static std::expected<StatusReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const StatusReply&) const = default;
};

// ---- 5. heartbeat, error reply
// -------------------------------------------------------------------

// POST /api/v1/heartbeat body: telemetry, so every field is optional and written only when
// set. Reading is lenient on purpose: a field of the wrong type (or an integer out of range)
// is dropped, not refused; only a body that is not an object is refused ("not_object").
struct HeartbeatRequest {
    std::optional<std::int64_t> queueDepth, oldestQueuedAgeS, quarantined;
    std::optional<std::string> printer, appVersion, lastError, lastContact;

    nlohmann::json toJson() const;
    static std::expected<HeartbeatRequest, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const HeartbeatRequest&) const = default;
};

// POST /api/v1/heartbeat 200 reply.
struct HeartbeatReply {
    std::int64_t timeMs = 0;

    nlohmann::json toJson() const;
    static std::expected<HeartbeatReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const HeartbeatReply&) const = default;
};

// Every refusal, on every endpoint: {"protocol":1,"error":CODE} plus, for some codes, an extra.
struct ErrorReply {
    std::string error;                         // e.g. "bad_request", "stale_timestamp", "busy"
    std::optional<std::int64_t> serverTimeMs;  // with "stale_timestamp": the backend's clock
    std::optional<std::string> reason;         // with "refused" (staff updates): why, in English

    nlohmann::json toJson() const;
    static std::expected<ErrorReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const ErrorReply&) const = default;
};

// ---- 6. staff update, public status
// ---------------------------------------------------------------

// POST /api/v1/staff/updates body. Every field is optional on read ("" when absent): what is
// missing is refused by the update's own rules (422 "refused"), not as a malformed body.
struct StaffUpdateRequest {
    std::string trackingCode;  // any form parseTrackingCode accepts
    std::string status;
    std::string agency, officer, expectedDate, note;

    nlohmann::json toJson() const;
    static std::expected<StaffUpdateRequest, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const StaffUpdateRequest&) const = default;
};

// POST /api/v1/staff/updates 200 reply.
struct StaffUpdateReply {
    std::string trackingCode;  // canonical form
    std::string status;

    nlohmann::json toJson() const;
    static std::expected<StaffUpdateReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const StaffUpdateReply&) const = default;
};

struct PublicStatusEvent {
    std::string status;
    std::string note;
    std::string agency;
    std::string officer;
    std::string expectedDate;  // YYYY-MM-DD or ""
    std::string updatedAt;     // RFC 3339 UTC
    bool operator==(const PublicStatusEvent&) const = default;
};

// GET /api/v1/public/status/CODE 200 reply: the public timeline (what /t/CODE shows: no
// content, no contact data).
struct PublicStatusReply {
    std::string trackingCode;
    std::string createdAt;                  // when the kiosk made the record
    std::string receivedAt;                 // when the backend stored it
    std::vector<PublicStatusEvent> events;  // oldest first

    nlohmann::json toJson() const;
    static std::expected<PublicStatusReply, std::string> fromJson(const nlohmann::json& j);
    bool operator==(const PublicStatusReply&) const = default;
};

}  // namespace ksync::proto
