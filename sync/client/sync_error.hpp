#pragma once
// What went wrong in a sync pass, classified once at the network boundary, and the one way it
// is written down: a stable code plus a technical detail, never words.
//
// The sync layer stores codes only (sync_state.last_error, outbox.last_error, the worker's
// snapshot, the heartbeat). Words are made at the edge — the staff panel and kioskctl — from the
// string tables in the chosen language: parseStoredError() reads a stored text back and
// storedErrorMessageKey() names its sentence in assets/strings. Pure; safe from any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "text/strings.hpp"

namespace ksync::client {

enum class SyncErrorKind {
    Offline,        // no route, DNS, refused
    Timeout,        // the backend did not answer in time
    Interrupted,    // connection cut, truncated or garbage response
    CaptivePortal,  // something else answered for the backend (login page, redirect)
    BadResponse,    // an answer that is not a valid, signed backend response
    Tls,            // TLS handshake or certificate refused (none of the reasons below)
    TlsUntrusted,   // the certificate's chain does not lead to the trusted (or configured) CA
    TlsExpired,     // the certificate expired or is not valid yet
    TlsHostName,    // the certificate is for another host name
    TlsPin,         // the server's public key is not the one pinned in kiosk.toml
    TlsCaFile,      // the CA file named in kiosk.toml cannot be read
    PlainHttp,      // kiosk.toml names http:// for a host that is not loopback
    Busy,           // 429 / 503 from the backend
    ServerError,    // 5xx from the backend
    ClockSkew,      // our clock is too far from the backend's
    NotEnrolled,    // no key pair, or the backend does not know this kiosk
    AuthRefused,    // the backend refused our signature or token
    KeyMismatch,    // the server's key is not the one pinned at `kioskctl init --backend-key`
    BadConfig,      // kiosk.toml: bad backend URL and the like
    Storage,        // the local database failed
    BackendTooOld,  // the backend speaks an older protocol than this kiosk's records need
};

// The one classification of a sync error, made here from its kind, for whoever decides what to
// do next (the worker's retry schedule). Nothing else switches over kinds to decide that.
enum class ErrorClass {
    Transient,  // may clear by itself (link, backend busy or erring, clock): retry with backoff
    Permanent,  // needs a fix on the kiosk (TLS, kiosk.toml, the database)
    Auth,       // the backend does not accept this kiosk (not enrolled, refused, key mismatch)
};

// What the sync layer writes into SQLite for an error: "<code>" or "<code>: <detail>".
// The detail is technical (a curl message, the backend's error code), printable ASCII only and
// at most 200 characters, so no personal data and no words of any language can be in it.
struct StoredError {
    std::string code;          // one of the codes below
    std::string detail;        // may be empty
    std::string text() const;  // the stored form
};

// Codes of one record's fate (outbox.last_error), besides the codes of the kinds.
inline constexpr std::string_view kCodeRecordConflict =
    "record.conflict";  // same id, other content
inline constexpr std::string_view kCodeRecordRejected =
    "record.rejected";  // detail: the backend's reason
inline constexpr std::string_view kCodeRecordRetryLater =
    "record.retry_later";  // the backend kept it for later

struct SyncError {
    SyncErrorKind kind = SyncErrorKind::Offline;
    std::string detail;                        // technical, English, no personal data (logs)
    std::optional<std::int64_t> retryAfterMs;  // from Retry-After

    ErrorClass errorClass() const;
    // A Transient error that never reached the backend (no route, timeout, cut connection,
    // captive portal): probing again costs a SYN or a health GET. Always false for the others.
    bool linkDown() const;
    // The stable code of the kind. Its first part follows the classification: network.* (a
    // transient error with the link down), backend.* (transient, the backend answered or was
    // reached), auth.* (class Auth), kiosk.* (class Permanent: a fix on the kiosk).
    std::string_view code() const;
    std::string_view messageKey() const;  // sync.error.<kind>
    StoredError stored() const;           // code() and the detail, ready for the database
};

// A stored text read back. nullopt when it does not start with a known code: a sentence that a
// version before codes wrote (Vietnamese words). Callers show such text as it is; no migration
// rewrites those rows — the next pass overwrites sync_state.last_error, and outbox rows keep
// theirs until the record is acknowledged or fails again.
std::optional<StoredError> parseStoredError(std::string_view text);
// The message key in assets/strings for a known code ("" for an unknown one). The sentence may
// hold a {reason} placeholder for the detail (record.rejected).
std::string_view storedErrorMessageKey(std::string_view code);
// The words of a backend's refusal reason (sync.reject.<reason> in assets/strings), "" when the
// reason has none (then the code alone is shown).
std::string rejectReasonKey(std::string_view reason);
// The message key and detail of a stored error as staff read it (the staff panel, kioskctl):
// a refusal whose reason has words is sync.quarantine_rejected_words, with {words} to fill from
// `wordsKey` and the code kept for {reason}. Otherwise storedErrorMessageKey(code).
struct StoredErrorWords {
    std::string key;       // "" for an unknown code
    std::string wordsKey;  // "" when there are no words to fill in
};
StoredErrorWords storedErrorWords(std::string_view code, std::string_view detail);
// The whole sentence in the language of `strings` ("" for an unknown code).
std::string describeStoredError(const platform::text::Strings& strings, std::string_view code,
                                std::string_view detail);
// The kind a code names, when it names one (not for the record.* codes).
std::optional<SyncErrorKind> kindOfCode(std::string_view code);

}  // namespace ksync::client
