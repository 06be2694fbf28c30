// SyncError's one classification: the class every kind belongs to, and which transient errors
// mean the link is down (the worker's short backoff cap).
#include <catch2/catch.hpp>

#include "client/sync_error.hpp"

using namespace ksync::client;

namespace {

struct Expected {
    SyncErrorKind kind;
    ErrorClass errorClass;
    bool linkDown;
};

constexpr Expected kAll[] = {
    {SyncErrorKind::Offline, ErrorClass::Transient, true},
    {SyncErrorKind::Timeout, ErrorClass::Transient, true},
    {SyncErrorKind::Interrupted, ErrorClass::Transient, true},
    {SyncErrorKind::CaptivePortal, ErrorClass::Transient, true},
    {SyncErrorKind::BadResponse, ErrorClass::Transient, false},
    {SyncErrorKind::Busy, ErrorClass::Transient, false},
    {SyncErrorKind::ServerError, ErrorClass::Transient, false},
    {SyncErrorKind::ClockSkew, ErrorClass::Transient, false},
    {SyncErrorKind::Tls, ErrorClass::Permanent, false},
    {SyncErrorKind::BadConfig, ErrorClass::Permanent, false},
    {SyncErrorKind::Storage, ErrorClass::Permanent, false},
    {SyncErrorKind::NotEnrolled, ErrorClass::Auth, false},
    {SyncErrorKind::AuthRefused, ErrorClass::Auth, false},
    {SyncErrorKind::KeyMismatch, ErrorClass::Auth, false},
};

}  // namespace

TEST_CASE("every sync error kind has one class, and only a link that is down counts as down") {
    for (const auto& e : kAll) {
        const SyncError err{e.kind, "detail", {}};
        INFO(err.messageKey());
        CHECK(err.errorClass() == e.errorClass);
        CHECK(err.linkDown() == e.linkDown);
        if (err.linkDown()) CHECK(err.errorClass() == ErrorClass::Transient);
    }
}
