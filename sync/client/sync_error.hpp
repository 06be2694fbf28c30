#pragma once
// What went wrong in a sync pass, classified once at the network boundary.
// messageKey() names a Vietnamese sentence in assets/strings (sync.error.*) for staff: words
// only, never personal data. Pure; safe from any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ksync::client {

enum class SyncErrorKind {
    Offline,        // no route, DNS, refused
    Timeout,        // the backend did not answer in time
    Interrupted,    // connection cut, truncated or garbage response
    CaptivePortal,  // something else answered for the backend (login page, redirect)
    BadResponse,    // an answer that is not a valid, signed backend response
    Tls,            // certificate or TLS handshake refused
    Busy,           // 429 / 503 from the backend
    ServerError,    // 5xx from the backend
    ClockSkew,      // our clock is too far from the backend's
    NotEnrolled,    // no key pair, or the backend does not know this kiosk
    AuthRefused,    // the backend refused our signature or token
    KeyMismatch,    // the server's key is not the one pinned at `kioskctl init --backend-key`
    BadConfig,      // kiosk.toml: bad backend URL and the like
    Storage,        // the local database failed
};

// The one classification of a sync error, made here from its kind, for whoever decides what to
// do next (the worker's retry schedule). Nothing else switches over kinds to decide that.
enum class ErrorClass {
    Transient,  // may clear by itself (link, backend busy or erring, clock): retry with backoff
    Permanent,  // needs a fix on the kiosk (TLS, kiosk.toml, the database)
    Auth,       // the backend does not accept this kiosk (not enrolled, refused, key mismatch)
};

struct SyncError {
    SyncErrorKind kind = SyncErrorKind::Offline;
    std::string detail;                         // technical, English, no personal data (logs)
    std::optional<std::int64_t> retryAfterMs;  // from Retry-After

    ErrorClass errorClass() const;
    // A Transient error that never reached the backend (no route, timeout, cut connection,
    // captive portal): probing again costs a SYN or a health GET. Always false for the others.
    bool linkDown() const;
    std::string_view messageKey() const;  // sync.error.<kind>
};

}  // namespace ksync::client
