// SyncError's one classification: the class every kind belongs to, and which transient errors
// mean the link is down (the worker's short backoff cap).
#include <catch2/catch.hpp>

#include <set>

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
    {SyncErrorKind::TlsUntrusted, ErrorClass::Permanent, false},
    {SyncErrorKind::TlsExpired, ErrorClass::Permanent, false},
    {SyncErrorKind::TlsHostName, ErrorClass::Permanent, false},
    {SyncErrorKind::TlsPin, ErrorClass::Permanent, false},
    {SyncErrorKind::TlsCaFile, ErrorClass::Permanent, false},
    {SyncErrorKind::PlainHttp, ErrorClass::Permanent, false},
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

TEST_CASE(
    "every sync error kind has its own stable code, whose first part follows the classification") {
    std::set<std::string_view> codes;
    for (const auto& e : kAll) {
        const SyncError err{e.kind, "detail", {}};
        const std::string_view code = err.code();
        INFO(code);
        CHECK(codes.insert(code).second);
        const std::string_view area = code.substr(0, code.find('.'));
        switch (err.errorClass()) {
            case ErrorClass::Transient:
                CHECK(area == (err.linkDown() ? "network" : "backend"));
                break;
            case ErrorClass::Auth:
                CHECK(area == "auth");
                break;
            case ErrorClass::Permanent:
                CHECK(area == "kiosk");
                break;
        }
        CHECK(kindOfCode(code) == e.kind);
        CHECK(storedErrorMessageKey(code) == err.messageKey());
    }
    CHECK(SyncError{SyncErrorKind::Timeout, {}, {}}.code() == "network.timeout");
    CHECK(SyncError{SyncErrorKind::AuthRefused, {}, {}}.code() == "auth.refused");
}

TEST_CASE("a stored sync error is a code and a plain technical detail, and reads back as one") {
    const SyncError err{SyncErrorKind::Timeout, "connect timed out\nafter 15000 ms: Lê Văn A", {}};
    const std::string text = err.stored().text();
    // One line of printable ASCII: no words of any language, nothing personal can be kept.
    CHECK(text == "network.timeout: connect timed out after 15000 ms: L? V?n A");
    const auto back = parseStoredError(text);
    REQUIRE(back);
    CHECK(back->code == "network.timeout");
    CHECK(back->detail == "connect timed out after 15000 ms: L? V?n A");
    CHECK(SyncError{SyncErrorKind::Offline, std::string(500, 'x'), {}}.stored().text().size() ==
          200 + 17);

    const auto rejected =
        parseStoredError(StoredError{std::string(kCodeRecordRejected), "bad_content"}.text());
    REQUIRE(rejected);
    CHECK(rejected->detail == "bad_content");
    CHECK(storedErrorMessageKey(rejected->code) == "sync.quarantine_rejected");
    CHECK(parseStoredError("record.conflict")->detail.empty());
    CHECK(storedErrorMessageKey(kCodeRecordConflict) == "sync.quarantine_conflict");
    CHECK(storedErrorMessageKey(kCodeRecordRetryLater) == "sync.error.retry_later");
    CHECK_FALSE(kindOfCode(kCodeRecordConflict));
}

TEST_CASE("text an older version stored in words is not read as a code") {
    // What sync_state.last_error and outbox.last_error held before codes (shown as they are).
    for (std::string_view old :
         {"Mạng yêu cầu đăng nhập (captive portal)", "Máy chủ từ chối hồ sơ (mã lỗi: bad_content)",
          "Máy chủ hẹn gửi lại sau", "", "network", "network.timeou", "network.timeout2: x"}) {
        INFO(old);
        CHECK_FALSE(parseStoredError(old));
    }
}
