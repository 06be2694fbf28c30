// Looking up a code that another kiosk issued: the kiosk asks the backend's public timeline.
#include "client/bundle.hpp"
#include "client/sync_client.hpp"
#include "clock/clock.hpp"
#include "kiosk_fixture.hpp"
#include "service/backend_service.hpp"
#include "sync_test_support.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;

namespace {

void lookUp(KioskFixture& k, const std::string& code) {
    k.tap("welcome_track");
    k.waitFor(Screen::TrackEntry);
    for (char c : code) k.app().ui().onChar(static_cast<char32_t>(c));
    k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
    k.frame();
    k.waitFor(Screen::TrackResult);
    for (int i = 0; i < 400 && k.state().tracking.loading; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE_FALSE(k.state().tracking.loading);
}

}  // namespace

TEST_CASE(
    "a code from another kiosk is looked up on the backend, with its agency and expected date") {
    synctest::Backend backend;
    // Another kiosk submits and syncs.
    synctest::Kiosk other(backend.url(), "9XY8");
    other.enroll(backend);
    other.addRecords(1);
    ksync::client::SyncClientOptions o;
    auto client = ksync::client::SyncClient::open(other.dir(), o);
    REQUIRE(client);
    REQUIRE(client->runPass().ok());
    auto rows = other.store().listRecords(1);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    const std::string code = rows->front().trackingCode;
    ksync::backend::StaffUpdate u{code,         "forwarded",  "Phòng Quản lý đô thị",
                                  "Trần Thị B", "2026-12-10", "Đã chuyển xử lý"};
    REQUIRE(ksync::backend::applyStaffUpdate(backend.storage(), u,
                                             platform::clock::unixMillis(platform::clock::now())));

    KioskFixture k(ImVec2(1080.0f, 1920.0f), backend.url());
    lookUp(k, code);
    CHECK(k.state().tracking.found);
    const auto& t = k.state().tracking.timeline;
    REQUIRE(t.size() >= 2);
    CHECK(t.front().status == "uploaded");
    CHECK(t.back().status == "forwarded");
    CHECK(t.back().agency == "Phòng Quản lý đô thị");
    CHECK(t.back().expectedDate == "2026-12-10");
}

TEST_CASE(
    "an unknown code, or an unreachable backend, reads as not found and never hangs the screen") {
    synctest::Backend backend;
    const std::string unknown =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Skgp, "AB12", 5);
    {
        KioskFixture k(ImVec2(1080.0f, 1920.0f), backend.url());
        lookUp(k, unknown);
        CHECK_FALSE(k.state().tracking.found);
        CHECK(k.state().tracking.messageKey == "track.not_found");
    }
    KioskFixture offline(ImVec2(1080.0f, 1920.0f), "http://127.0.0.1:9");  // nothing listens there
    lookUp(offline, unknown);
    CHECK(offline.state().tracking.messageKey == "track.not_found");
    // The kiosk remembers the code it could not answer: its next USB bundle asks for it.
    auto asked = offline.store().state(ksync::client::kStateAskedCodes);
    REQUIRE(asked);
    REQUIRE(*asked);
    CHECK(**asked == nlohmann::json({unknown}).dump());
}
