#include "client/sync_error.hpp"

#include <array>

namespace ksync::client {

namespace {

struct KindInfo {
    SyncErrorKind kind;
    std::string_view code;
    std::string_view messageKey;
};

// The codes are stable: they are stored in kiosk databases and sent in heartbeats. Add, never
// rename. The first part of each matches errorClass() and linkDown() (test_error_class.cpp).
constexpr std::array<KindInfo, 21> kKinds{{
    {SyncErrorKind::Offline, "network.offline", "sync.error.offline"},
    {SyncErrorKind::Timeout, "network.timeout", "sync.error.timeout"},
    {SyncErrorKind::Interrupted, "network.interrupted", "sync.error.interrupted"},
    {SyncErrorKind::CaptivePortal, "network.captive_portal", "sync.error.captive_portal"},
    {SyncErrorKind::BadResponse, "backend.bad_response", "sync.error.bad_response"},
    {SyncErrorKind::Busy, "backend.busy", "sync.error.busy"},
    {SyncErrorKind::ServerError, "backend.server_error", "sync.error.server_error"},
    {SyncErrorKind::ClockSkew, "backend.clock_skew", "sync.error.clock_skew"},
    {SyncErrorKind::NotEnrolled, "auth.not_enrolled", "sync.error.not_enrolled"},
    {SyncErrorKind::AuthRefused, "auth.refused", "sync.error.auth_refused"},
    {SyncErrorKind::KeyMismatch, "auth.key_mismatch", "sync.error.key_mismatch"},
    {SyncErrorKind::Tls, "kiosk.tls", "sync.error.tls"},
    {SyncErrorKind::TlsUntrusted, "kiosk.tls_untrusted", "sync.error.tls_untrusted"},
    {SyncErrorKind::TlsExpired, "kiosk.tls_expired", "sync.error.tls_expired"},
    {SyncErrorKind::TlsHostName, "kiosk.tls_hostname", "sync.error.tls_hostname"},
    {SyncErrorKind::TlsPin, "kiosk.tls_pin", "sync.error.tls_pin"},
    {SyncErrorKind::TlsCaFile, "kiosk.tls_ca_file", "sync.error.tls_ca_file"},
    {SyncErrorKind::PlainHttp, "kiosk.plain_http", "sync.error.plain_http"},
    {SyncErrorKind::BadConfig, "kiosk.bad_config", "sync.error.bad_config"},
    {SyncErrorKind::Storage, "kiosk.storage", "sync.error.storage"},
    {SyncErrorKind::BackendTooOld, "backend.protocol_too_old", "sync.error.protocol_too_old"},
}};

struct RecordCodeInfo {
    std::string_view code;
    std::string_view messageKey;
};

constexpr std::array<RecordCodeInfo, 3> kRecordCodes{{
    {kCodeRecordConflict, "sync.quarantine_conflict"},
    {kCodeRecordRejected, "sync.quarantine_rejected"},
    {kCodeRecordRetryLater, "sync.error.retry_later"},
}};

const KindInfo& infoOf(SyncErrorKind kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return k;
    return kKinds.front();
}

constexpr std::size_t kMaxDetail = 200;

std::string cleanDetail(std::string_view detail) {
    std::string out;
    out.reserve(std::min(detail.size(), kMaxDetail));
    // Controls become spaces (one line), any other character outside ASCII one '?'.
    for (char c : detail.substr(0, kMaxDetail)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 && u < 0xC0) continue;  // a UTF-8 continuation byte
        out.push_back(u >= 0x20 && u < 0x7F ? c : u < 0x20 ? ' ' : '?');
    }
    return out;
}

}  // namespace

ErrorClass SyncError::errorClass() const {
    switch (kind) {
        case SyncErrorKind::Tls:
        case SyncErrorKind::TlsUntrusted:
        case SyncErrorKind::TlsExpired:
        case SyncErrorKind::TlsHostName:
        case SyncErrorKind::TlsPin:
        case SyncErrorKind::TlsCaFile:
        case SyncErrorKind::PlainHttp:
        case SyncErrorKind::BadConfig:
        case SyncErrorKind::Storage:
            return ErrorClass::Permanent;
        case SyncErrorKind::NotEnrolled:
        case SyncErrorKind::AuthRefused:
        case SyncErrorKind::KeyMismatch:
            return ErrorClass::Auth;
        default:
            return ErrorClass::Transient;
    }
}

bool SyncError::linkDown() const {
    switch (kind) {
        case SyncErrorKind::Offline:
        case SyncErrorKind::Timeout:
        case SyncErrorKind::Interrupted:
        case SyncErrorKind::CaptivePortal:
            return errorClass() == ErrorClass::Transient;
        default:
            return false;
    }
}

std::string_view SyncError::code() const {
    return infoOf(kind).code;
}
std::string_view SyncError::messageKey() const {
    return infoOf(kind).messageKey;
}
StoredError SyncError::stored() const {
    return {std::string(code()), cleanDetail(detail)};
}

std::string StoredError::text() const {
    const std::string d = cleanDetail(detail);
    return d.empty() ? code : code + ": " + d;
}

std::string_view storedErrorMessageKey(std::string_view code) {
    for (const auto& k : kKinds)
        if (k.code == code) return k.messageKey;
    for (const auto& r : kRecordCodes)
        if (r.code == code) return r.messageKey;
    return {};
}

std::optional<SyncErrorKind> kindOfCode(std::string_view code) {
    for (const auto& k : kKinds)
        if (k.code == code) return k.kind;
    return std::nullopt;
}

std::optional<StoredError> parseStoredError(std::string_view text) {
    const auto colon = text.find(':');
    const std::string_view code = text.substr(0, colon);
    if (storedErrorMessageKey(code).empty()) return std::nullopt;
    StoredError e{std::string(code), {}};
    if (colon != std::string_view::npos) {
        std::string_view rest = text.substr(colon + 1);
        if (rest.starts_with(' ')) rest.remove_prefix(1);
        e.detail = std::string(rest);
    }
    return e;
}

std::string rejectReasonKey(std::string_view reason) {
    // The reasons a backend gives for refusing a record that have words (docs/PROTOCOL.md).
    static constexpr std::array<std::string_view, 7> kWorded{
        "proof_missing", "proof_mismatch", "proof_unavailable", "unknown_case",
        "bad_case_code", "bad_rating",     "bad_kind"};
    for (auto r : kWorded)
        if (r == reason) return "sync.reject." + std::string(reason);
    return {};
}

StoredErrorWords storedErrorWords(std::string_view code, std::string_view detail) {
    if (code == kCodeRecordRejected)
        if (auto words = rejectReasonKey(detail); !words.empty())
            return {"sync.quarantine_rejected_words", std::move(words)};
    return {std::string(storedErrorMessageKey(code)), {}};
}

std::string describeStoredError(const platform::text::Strings& strings, std::string_view code,
                                std::string_view detail) {
    const auto w = storedErrorWords(code, detail);
    if (w.key.empty()) return {};
    return strings.format(
        w.key, {{"reason", std::string(detail)},
                {"words", w.wordsKey.empty() ? std::string{} : strings.get(w.wordsKey)}});
}

}  // namespace ksync::client
