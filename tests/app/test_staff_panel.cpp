// The staff panel's sync state: it shows the last snapshot posted through the MainQueue (the
// sync worker's channel), words its error code in the language on screen, and reads nothing
// from the store by itself. Headless, through the real screens.
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "backend_process.hpp"
#include "client/sync_worker.hpp"
#include "keys/device_key.hpp"
#include "kiosk_fixture.hpp"
#include "record/validation.hpp"
#include "store/data_dir.hpp"
#include "tls_proxy.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;
namespace intent = kiosk::core::intent;

namespace {

void openStaffPanel(KioskFixture& k) {
    k.app().ui().onStaffShortcut();
    k.frame();
    k.waitFor(Screen::StaffPin);
    k.typeOnKeyboard("2468");
    k.tap("staff_pin_ok");
    for (int i = 0; i < 400 && k.state().screen != Screen::StaffPanel; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(k.state().screen == Screen::StaffPanel);
    k.frame();
}

bool shows(const KioskFixture& k, std::string_view line) {
    const bool found = k.text().find(line) != std::string::npos;
    if (!found) UNSCOPED_INFO("not on screen: " << line << "\n--- screen ---\n" << k.text());
    return found;
}

void addRecord(KioskFixture& k) {
    ksync::record::Draft d;
    d.type = "PAKN";
    d.category = "MOI_TRUONG";
    d.body = "Đề nghị phường sửa đèn chiếu sáng hỏng ở đầu hẻm 12, buổi tối rất tối và nguy hiểm.";
    auto v = ksync::record::validateDraft(d);
    REQUIRE(v);
    REQUIRE(k.store().createRecord(*v, "7K3M", "2026-05-01T08:00:00Z", false));
}

ksync::client::SyncSnapshot snapshot(long long queued, std::string error) {
    ksync::client::SyncSnapshot s;
    s.phase = ksync::client::SyncSnapshot::Phase::Waiting;
    s.queued = queued;
    s.quarantined = 2;
    s.lastContact = "2026-05-01T08:00:00Z";
    s.lastError = std::move(error);
    return s;
}

}  // namespace

TEST_CASE(
    "the staff panel shows the snapshot posted through the main queue, its error code worded in "
    "Vietnamese and in English") {
    KioskFixture k;
    auto s = snapshot(7, "network.timeout");
    s.oldestQueuedMs = k.now() - (3 * 60 + 5) * 60 * 1000;
    k.queue().post(s);
    openStaffPanel(k);
    // The store holds no record: every number is the snapshot's.
    CHECK(shows(k, "Hồ sơ chờ gửi: 7"));
    CHECK(shows(k, "Chờ lâu nhất: 3 giờ 5 phút"));
    CHECK(shows(k, "Cần cán bộ kiểm tra: 2"));
    CHECK(shows(k, "Liên lạc máy chủ lần cuối: 2026-05-01T08:00:00Z"));
    CHECK(shows(k, "Lỗi gần nhất: Máy chủ không trả lời kịp"));
    CHECK_FALSE(shows(k, "network.timeout"));

    k.app().apply(intent::SetLanguage{"en"}, k.now());
    k.frame();
    CHECK(shows(k, "Waiting to send: 7"));
    CHECK(shows(k, "Oldest waiting: 3 h 5 min"));
    CHECK(shows(k, "Needs staff attention: 2"));
    CHECK(shows(k, "Last error: The server did not answer in time"));

    // A code with a detail for its sentence, and a sentence an older version stored in words
    // (sync_state.last_error before codes), which is shown as it is in either language.
    s = snapshot(7, "record.rejected");
    s.lastErrorDetail = "bad_content";
    k.queue().post(s);
    k.frame();
    CHECK(shows(k, "Last error: The server rejected the record (code: bad_content)"));
    k.queue().post(snapshot(7, "Mạng yêu cầu đăng nhập (captive portal)"));
    k.frame();
    CHECK(shows(k, "Last error: Mạng yêu cầu đăng nhập (captive portal)"));
    k.app().apply(intent::SetLanguage{"vi"}, k.now());
    k.frame();
    CHECK(shows(k, "Lỗi gần nhất: Mạng yêu cầu đăng nhập (captive portal)"));
}

TEST_CASE("the staff panel changes only when a snapshot is posted: it does not poll the store") {
    KioskFixture k;
    std::int64_t asked = 0;
    k.app().setOnSyncStateWanted([&] { ++asked; });
    k.queue().post(snapshot(1, {}));
    openStaffPanel(k);
    CHECK(asked == 1);  // opening the panel asks the worker for a fresh snapshot, once
    CHECK(shows(k, "Hồ sơ chờ gửi: 1"));
    CHECK_FALSE(shows(k, "Lỗi gần nhất"));

    // Records stored and time passing (50 s: many times the 2 s the panel used to re-read the
    // store at, short of the idle timeout) change nothing on the panel by themselves.
    addRecord(k);
    addRecord(k);
    addRecord(k);
    for (int i = 0; i < 10; ++i) {
        k.advanceClock(5000);
        k.frame();
    }
    REQUIRE(k.state().screen == Screen::StaffPanel);
    CHECK(shows(k, "Hồ sơ chờ gửi: 1"));
    CHECK(asked == 1);

    k.queue().post(snapshot(3, "auth.refused"));
    k.frame();
    CHECK(shows(k, "Hồ sơ chờ gửi: 3"));
    CHECK(shows(k, "Lỗi gần nhất: Máy chủ từ chối xác thực ki-ốt"));
    // Only the newest of snapshots posted between two frames is shown.
    k.queue().post(snapshot(4, {}));
    k.queue().post(snapshot(5, {}));
    k.frame();
    CHECK(shows(k, "Hồ sơ chờ gửi: 5"));
    CHECK_FALSE(shows(k, "Lỗi gần nhất"));
}

TEST_CASE(
    "the sync worker's snapshot reaches the staff panel through the main queue when a record wakes "
    "it") {
    KioskFixture k;
    ksync::store::DataDir dir;
    dir.root = k.dir() / "data";
    ksync::client::SyncWorkerOptions o;
    o.runPasses = false;  // the fixture has no backend: the worker only keeps the queue's numbers
    o.idlePollMs = 60 * 60 * 1000;
    ksync::client::SyncWorker worker(
        dir, o, [&k](const ksync::client::SyncEvent& e) { k.queue().post(e.snapshot); });
    k.app().setOnSyncStateWanted([&worker] { worker.refresh(); });
    worker.start();
    openStaffPanel(k);
    CHECK(shows(k, "Hồ sơ chờ gửi: 0"));
    addRecord(k);
    addRecord(k);
    worker.wake();  // what Services does after each stored record
    for (int i = 0; i < 500 && !shows(k, "Hồ sơ chờ gửi: 2"); ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(shows(k, "Hồ sơ chờ gửi: 2"));
    CHECK(shows(k, "Chờ lâu nhất:"));
    worker.stop();
}

TEST_CASE(
    "the staff panel names refused records with the backend's reason in words, its code in "
    "brackets") {
    KioskFixture k;
    ksync::store::DataDir dir;
    dir.root = k.dir() / "data";
    addRecord(k);
    addRecord(k);
    const auto recent = k.store().listRecords(2);
    REQUIRE(recent);
    REQUIRE(recent->size() == 2);
    const auto& mismatch = recent->at(1);  // the older one
    const auto& unknown = recent->at(0);
    // What the sync client stores for a record the backend refused (acknowledge.cpp).
    REQUIRE(k.store().quarantine(mismatch.seq, "record.rejected: proof_mismatch"));
    REQUIRE(k.store().quarantine(unknown.seq, "record.rejected: bad_content"));
    ksync::client::SyncWorkerOptions o;
    o.runPasses = false;
    o.idlePollMs = 60 * 60 * 1000;
    ksync::client::SyncWorker worker(
        dir, o, [&k](const ksync::client::SyncEvent& e) { k.queue().post(e.snapshot); });
    k.app().setOnSyncStateWanted([&worker] { worker.refresh(); });
    worker.start();
    openStaffPanel(k);
    const std::string vi = "Bị từ chối: " + mismatch.trackingCode +
                           " — Máy chủ từ chối hồ sơ: mã bí mật không khớp với hồ sơ "
                           "[proof_mismatch]";
    for (int i = 0; i < 500 && k.text().find(vi) == std::string::npos; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(shows(k, "Cần cán bộ kiểm tra: 2"));
    CHECK(shows(k, vi));
    CHECK_FALSE(shows(k, "mã lỗi: proof_mismatch"));
    // A reason without words keeps the sentence with the code.
    CHECK(shows(k, "Bị từ chối: " + unknown.trackingCode +
                       " — Máy chủ từ chối hồ sơ (mã lỗi: bad_content)"));
    k.app().apply(intent::SetLanguage{"en"}, k.now());
    k.frame();
    CHECK(shows(k, "Refused: " + mismatch.trackingCode +
                       " — The server rejected the record: secret code does not match the case "
                       "[proof_mismatch]"));
    worker.stop();
}

// HTTPS for real (tests/support/tls_proxy.hpp): the kiosk enrols through nginx with a good
// certificate, then nginx serves an expired one. The real sync worker's pass is refused, and the
// panel words the stored code in the language on screen.
TEST_CASE("the staff panel words a refused TLS certificate from a real pass through nginx") {
    testsupport::TempDir tmp;
    testsupport::BackendProcess backend({}, tmp.path() / "backend", {}, tmp.path() / "backend.log");
    backend.start(0);
    testsupport::PrivateCa ca(tmp.path() / "ca", "Kiosk Test CA");
    testsupport::TlsProxy nginx(
        tmp.path() / "nginx", backend.port(),
        {ca.issue("good", "localhost"),
         ca.issue("expired", "localhost", testsupport::PrivateCa::Validity::Expired)});
    if (!nginx.start()) return;
    ksync::client::globalInit();

    KioskFixture k({1080.0f, 1920.0f}, nginx.url(0));
    ksync::store::DataDir dir{k.dir() / "data", {}};
    auto settings = ksync::store::loadSettings(dir);
    REQUIRE(settings);
    settings->caBundle = ca.certFile().string();
    REQUIRE(ksync::store::saveSettings(dir, *settings));
    REQUIRE(platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir)));
    {
        auto client = ksync::client::SyncClient::open(dir);
        REQUIRE(client);
        auto token = backend.cli({"issue-token", "--kiosk-id", "7K3M"});
        REQUIRE(token.exitCode == 0);
        auto enrolled = client->enroll(token.out.substr(0, token.out.find('\n')));
        INFO((enrolled ? std::string{} : enrolled.error().detail));
        REQUIRE(enrolled);
    }
    settings->backendUrl = nginx.url(1);  // the expired certificate
    REQUIRE(ksync::store::saveSettings(dir, *settings));
    addRecord(k);

    std::mutex m;
    std::optional<ksync::client::SyncSnapshot> refused;
    ksync::client::SyncWorkerOptions o;
    o.idlePollMs = 60 * 60 * 1000;
    ksync::client::SyncWorker worker(dir, o, [&](const ksync::client::SyncEvent& e) {
        k.queue().post(e.snapshot);
        std::lock_guard lock(m);
        if (e.kind == ksync::client::SyncEvent::Kind::PassFinished && !e.snapshot.lastError.empty())
            refused = e.snapshot;
    });
    worker.start();
    for (int i = 0; i < 1000; ++i) {
        {
            std::lock_guard lock(m);
            if (refused) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    worker.stop();
    {
        std::lock_guard lock(m);
        REQUIRE(refused);
        CHECK(refused->lastError == "kiosk.tls_expired");
    }
    openStaffPanel(k);
    CHECK(shows(k, "Hồ sơ chờ gửi: 1"));
    CHECK(shows(k,
                "Lỗi gần nhất: Chứng chỉ của máy chủ đã hết hạn hoặc chưa có hiệu lực (kiểm tra "
                "đồng hồ của ki-ốt): không kết nối"));
    k.app().apply(intent::SetLanguage{"en"}, k.now());
    k.frame();
    CHECK(shows(k,
                "Last error: The server's certificate has expired or is not valid yet (check the "
                "kiosk's clock): not connecting"));
}
