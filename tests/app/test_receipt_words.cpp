// The receipt screen's words (issue #15): "sent" only after the backend has acknowledged the
// record (the sync worker's snapshot, through the MainQueue); before that "recorded", and,
// without a network, that it will be sent by itself. After the automatic print the button
// reads "In lại". Headless, through the real screens, one run offline and one against the
// real backend on loopback with the real sync worker.
#include <chrono>
#include <thread>

#include "client/sync_client.hpp"
#include "client/sync_worker.hpp"
#include "keys/device_key.hpp"
#include "kiosk_fixture.hpp"
#include "sync_test_support.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;

namespace {

bool shows(const KioskFixture& k, std::string_view line) {
    return k.text().find(line) != std::string::npos;
}

void submitAnonymously(KioskFixture& k) {
    k.tap("welcome_pakn");
    k.waitFor(Screen::Category);
    k.tap("cat_MOI_TRUONG");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("coongs bij ngaapj");
    k.tap("nav_next");
    k.waitFor(Screen::Contact);
    k.tap("contact_anonymous");
    k.tap("nav_next");
    k.waitFor(Screen::Review);
    k.tap("nav_confirm");
    k.waitFor(Screen::Receipt);
    for (int i = 0; i < 500 && k.state().print == kiosk::core::PrintState::Printing; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(k.state().print == kiosk::core::PrintState::Printed);
    k.frame();
}

}  // namespace

TEST_CASE(
    "offline, the receipt screen says the submission is recorded and will go by itself, never that "
    "it was sent") {
    KioskFixture k(ImVec2(1080.0f, 1920.0f), "http://127.0.0.1:9");  // nothing listens there
    ksync::store::DataDir dir;
    dir.root = k.dir() / "data";
    ksync::client::SyncWorkerOptions o;
    o.idlePollMs = 60 * 60 * 1000;
    ksync::client::SyncWorker worker(
        dir, o, [&k](const ksync::client::SyncEvent& e) { k.queue().post(e.snapshot); });
    worker.start();
    submitAnonymously(k);
    worker.wake();  // what Services does after each stored record
    // Give the worker time for its (failing) pass and its snapshot.
    for (int i = 0; i < 100; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    INFO(k.text());
    CHECK(shows(k, "Đã ghi nhận"));
    CHECK(shows(k, "sẽ tự gửi đi khi có mạng trở lại"));
    CHECK_FALSE(shows(k, "Đã gửi"));
    CHECK_FALSE(shows(k, "thành công"));
    // Printed once by itself: the button prints again, it does not offer a first print.
    CHECK(shows(k, "In lại"));
    CHECK_FALSE(shows(k, "In phiếu\n"));
    k.app().apply(kiosk::core::intent::SetLanguage{"en"}, k.now());
    k.frame();
    CHECK(shows(k, "Recorded"));
    CHECK(shows(k, "will be sent by itself when the network is back"));
    CHECK(shows(k, "Print again"));
    CHECK_FALSE(shows(k, "Sent"));
    worker.stop();
}

TEST_CASE(
    "online, the receipt screen says 'sent' once the backend has acknowledged the record, not "
    "before") {
    synctest::Backend backend;
    KioskFixture k(ImVec2(1080.0f, 1920.0f), backend.url());
    ksync::store::DataDir dir;
    dir.root = k.dir() / "data";
    {
        REQUIRE(platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir)));
        auto c = ksync::client::SyncClient::open(dir);
        REQUIRE(c);
        REQUIRE(c->enroll(backend.token("7K3M")));
    }
    // A snapshot from before the record was made says nothing about it: not "sent".
    ksync::client::SyncSnapshot before;
    before.linkUp = true;
    k.queue().post(before);
    submitAnonymously(k);
    INFO(k.text());
    CHECK(shows(k, "Đã ghi nhận"));
    CHECK(shows(k, "đang gửi"));
    CHECK_FALSE(shows(k, "Đã gửi đến cơ quan"));

    ksync::client::SyncWorkerOptions o;
    o.idlePollMs = 60 * 60 * 1000;
    ksync::client::SyncWorker worker(
        dir, o, [&k](const ksync::client::SyncEvent& e) { k.queue().post(e.snapshot); });
    worker.start();
    for (int i = 0; i < 500 && !shows(k, "Đã gửi đến cơ quan"); ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(shows(k, "Đã gửi đến cơ quan"));
    CHECK_FALSE(shows(k, "Đã ghi nhận"));
    CHECK_FALSE(shows(k, "khi có mạng"));
    CHECK(shows(k, "In lại"));
    // And the backend really has it.
    auto stats = k.store().outboxStats();
    REQUIRE(stats);
    CHECK(stats->queued == 0);
    CHECK(stats->uploaded == 1);
    worker.stop();
}
