#pragma once
// Protocol v1 between a kiosk and the city backend (docs/PROTOCOL.md is the reference).
// Shared by sync/client and the backend (backend/) so the two sides cannot drift apart.
// Pure functions and constants; safe from any thread.
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "record/record.hpp"

namespace ksync::proto {

// Protocol versions (docs/PROTOCOL.md, "Versions"). 2 (issue #14): record content may carry
// the fields of supplements, ratings and receipt proofs (record.hpp); every reply says 2. A
// backend on 2 takes everything a kiosk on 1 sends. A kiosk on 2 uploads only to a backend whose
// health reply says 2 or more (an older backend would refuse its content), and otherwise fails
// the pass with backend.protocol_too_old, keeping every record queued.
inline constexpr int kProtocolVersion = 2;
inline constexpr int kMinBackendProtocol = 2;

// Paths.
inline constexpr std::string_view kPathHealth = "/api/v1/health";
inline constexpr std::string_view kPathEnroll = "/api/v1/enroll";
inline constexpr std::string_view kPathRecords = "/api/v1/records";
inline constexpr std::string_view kPathStatus = "/api/v1/status";
inline constexpr std::string_view kPathConfig = "/api/v1/config";
inline constexpr std::string_view kPathHeartbeat = "/api/v1/heartbeat";
inline constexpr std::string_view kPathStaffUpdates = "/api/v1/staff/updates";

// Request signature headers (kiosk -> backend).
inline constexpr std::string_view kHeaderKiosk = "X-Kiosk-Id";
inline constexpr std::string_view kHeaderTimestamp = "X-Kiosk-Timestamp";  // unix milliseconds
inline constexpr std::string_view kHeaderNonce =
    "X-Kiosk-Nonce";  // 32 hex chars, fresh per request
inline constexpr std::string_view kHeaderSignature = "X-Kiosk-Signature";  // base64 Ed25519
// Response signature header (backend -> kiosk), over responseSigningString().
inline constexpr std::string_view kHeaderBackendSignature = "X-Backend-Signature";

// A request whose timestamp is further than this from the backend's clock is refused.
inline constexpr std::int64_t kMaxClockSkewMs = 5 * 60 * 1000;

// Batch limits: the backend refuses bigger requests with 413.
inline constexpr std::size_t kMaxBatchRecords = 500;
inline constexpr std::size_t kMaxRequestBytes = 8 * 1024 * 1024;
// Decoded content of one record may not exceed this (64,000 characters of UTF-8 plus fields).
inline constexpr std::size_t kMaxContentBytes = 1024 * 1024;

// What the kiosk signs:
//   "KSYNC1\n" METHOD "\n" PATH?QUERY "\n" KIOSK "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA-256(body))
std::string requestSigningString(std::string_view method, std::string_view pathAndQuery,
                                 std::string_view kioskId, std::string_view timestampMs,
                                 std::string_view nonce, std::string_view body);
// What the backend signs in every response to a signed request (and to /health):
//   "KSYNC1-RESPONSE\n" NONCE "\n" STATUS "\n" hex(SHA-256(body))
// so a response cannot be forged (captive portal, proxy) or replayed onto another request.
std::string responseSigningString(std::string_view requestNonce, int status, std::string_view body);

// 16 random bytes as 32 lower-case hex characters.
std::string newNonce();

// One record on the wire: the plain header fields plus the payload — the record's canonical
// content bytes, encoded by PayloadCodec (compressed per record; later sealed) as base64.
struct WireRecord {
    record::Header header;
    std::string payloadFormat;  // "plain", "zstd", "zstd-dict:<name>"
    std::string payload;        // raw bytes (base64 only on the wire)
};

// The header fields as JSON (the wire record and kioskctl --json share this shape).
nlohmann::json headerToJson(const record::Header& h);
nlohmann::json toWire(const WireRecord& r);
// Checks shapes and types only (not hashes); the error is a short reason code such as
// "bad_field:sequence" (English, no personal data).
std::expected<WireRecord, std::string> fromWire(const nlohmann::json& j);

// Per-record outcome of an upload.
enum class ItemResult { Created, Duplicate, Conflict, Rejected };
std::string_view itemResultCode(ItemResult r);  // "created", "duplicate", "conflict", "rejected"

}  // namespace ksync::proto
