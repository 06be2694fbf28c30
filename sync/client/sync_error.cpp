#include "client/sync_error.hpp"

namespace ksync::client {

ErrorClass SyncError::errorClass() const {
    switch (kind) {
        case SyncErrorKind::Tls:
        case SyncErrorKind::BadConfig:
        case SyncErrorKind::Storage: return ErrorClass::Permanent;
        case SyncErrorKind::NotEnrolled:
        case SyncErrorKind::AuthRefused:
        case SyncErrorKind::KeyMismatch: return ErrorClass::Auth;
        default: return ErrorClass::Transient;
    }
}

bool SyncError::linkDown() const {
    switch (kind) {
        case SyncErrorKind::Offline:
        case SyncErrorKind::Timeout:
        case SyncErrorKind::Interrupted:
        case SyncErrorKind::CaptivePortal: return errorClass() == ErrorClass::Transient;
        default: return false;
    }
}

std::string_view SyncError::messageKey() const {
    switch (kind) {
        case SyncErrorKind::Offline: return "sync.error.offline";
        case SyncErrorKind::Timeout: return "sync.error.timeout";
        case SyncErrorKind::Interrupted: return "sync.error.interrupted";
        case SyncErrorKind::CaptivePortal: return "sync.error.captive_portal";
        case SyncErrorKind::BadResponse: return "sync.error.bad_response";
        case SyncErrorKind::Tls: return "sync.error.tls";
        case SyncErrorKind::Busy: return "sync.error.busy";
        case SyncErrorKind::ServerError: return "sync.error.server_error";
        case SyncErrorKind::ClockSkew: return "sync.error.clock_skew";
        case SyncErrorKind::NotEnrolled: return "sync.error.not_enrolled";
        case SyncErrorKind::AuthRefused: return "sync.error.auth_refused";
        case SyncErrorKind::KeyMismatch: return "sync.error.key_mismatch";
        case SyncErrorKind::BadConfig: return "sync.error.bad_config";
        case SyncErrorKind::Storage: return "sync.error.storage";
    }
    return "sync.error.offline";
}

}  // namespace ksync::client
