// The staff side of issue #15, through the real screens: one dot per PIN digit, the panel's
// verdict in colour and words (all well / needs attention / broken) before the details, the
// residents' help calls, a test print, and leaving kiosk mode only after a confirmation.
#include <chrono>
#include <thread>

#include "client/sync_worker.hpp"
#include "kiosk_fixture.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;
namespace intent = kiosk::core::intent;

namespace {

bool shows(const KioskFixture& k, std::string_view line) {
    const bool found = k.text().find(line) != std::string::npos;
    if (!found) UNSCOPED_INFO("not on screen: " << line << "\n--- screen ---\n" << k.text());
    return found;
}

void openStaffPanel(KioskFixture& k) {
    k.app().ui().onStaffShortcut();
    k.frame();
    k.waitFor(Screen::StaffPin);
    CHECK(shows(k, "pin:\n"));
    k.typeOnKeyboard("24");
    CHECK(shows(k, "pin:●●\n"));
    k.typeOnKeyboard("68");
    CHECK(shows(k, "pin:●●●●\n"));
    k.tap("staff_pin_ok");
    for (int i = 0; i < 400 && k.state().screen != Screen::StaffPanel; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(k.state().screen == Screen::StaffPanel);
    k.frame();
}

ksync::client::SyncSnapshot healthy(const KioskFixture&) {
    ksync::client::SyncSnapshot s;
    s.phase = ksync::client::SyncSnapshot::Phase::Idle;
    s.linkUp = true;
    s.lastContact = "2026-05-01T08:00:00Z";
    return s;
}

void waitForPrinter(KioskFixture& k) {
    for (int i = 0; i < 200 && k.app().services().lastPrinterKey().empty(); ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    k.advanceClock(2500);  // the panel asks the printer every 2 s
    k.frame();
    k.frame();
}

}  // namespace

TEST_CASE(
    "the staff panel opens with a verdict: all well, needs attention with the reasons, or broken") {
    KioskFixture k;
    k.queue().post(healthy(k));
    openStaffPanel(k);
    waitForPrinter(k);
    CHECK(shows(k, "Mọi thứ ổn"));
    CHECK_FALSE(shows(k, "Cần chú ý"));
    // The verdict comes before the details.
    const std::string text = k.text();
    CHECK(text.find("Mọi thứ ổn") < text.find("Hồ sơ chờ gửi"));

    // Never synced, and a record waiting for more than a day.
    auto s = healthy(k);
    s.lastContact.clear();
    s.queued = 3;
    s.oldestQueuedMs = k.now() - 26LL * 3600 * 1000;
    k.queue().post(s);
    k.frame();
    CHECK(shows(k, "Cần chú ý"));
    CHECK(shows(k, "Ki-ốt chưa từng liên lạc được máy chủ."));
    CHECK(shows(k, "Có hồ sơ chờ gửi hơn một ngày"));
    CHECK_FALSE(shows(k, "Mọi thứ ổn"));

    // The backend refuses the kiosk: it will never send by itself.
    s = healthy(k);
    s.lastError = "auth.refused";
    k.queue().post(s);
    k.frame();
    CHECK(shows(k, "Có hỏng hóc — cần xử lý ngay"));
    CHECK(shows(k, "Ki-ốt không tự gửi được hồ sơ"));

    k.app().apply(intent::SetLanguage{"en"}, k.now());
    k.queue().post(healthy(k));
    k.frame();
    CHECK(shows(k, "All well"));
}

TEST_CASE(
    "a resident's help call is said on every screen and waits on the staff panel until a staff "
    "member answers") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.waitFor(Screen::Category);
    k.tap("cat_MOI_TRUONG");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.tap("tb_help");
    CHECK(shows(k, "Cán bộ đang đến giúp bạn"));
    CHECK(k.state().helpCalls.size() == 1);
    k.tap("nav_back");
    k.waitFor(Screen::Category);
    CHECK(shows(k, "Cán bộ đang đến giúp bạn"));  // still said on the next screen
    k.tap("nav_back");
    k.waitFor(Screen::Welcome);

    k.queue().post(healthy(k));
    openStaffPanel(k);
    CHECK(shows(k, "Người dân cần giúp: 1"));
    CHECK(shows(k, "Gọi lúc "));
    CHECK(shows(k, "Cần chú ý"));
    CHECK(shows(k, "Có người dân đang chờ cán bộ giúp."));
    CHECK_FALSE(k.visible("tb_help"));  // not on the staff's own screens
    k.tap("staff_help_answered");
    CHECK(k.state().helpCalls.empty());
    CHECK_FALSE(shows(k, "Người dân cần giúp"));
}

TEST_CASE(
    "the test print prints a marked sample slip; leaving kiosk mode asks first and can be "
    "cancelled") {
    KioskFixture k;
    k.queue().post(healthy(k));
    openStaffPanel(k);
    const auto receipts = k.dir() / "data" / "receipts";
    k.tap("staff_test_print");
    for (int i = 0; i < 500 && k.state().print == kiosk::core::PrintState::Printing; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(k.state().print == kiosk::core::PrintState::Printed);
    k.frame();
    CHECK(shows(k, "Đã in xong."));
    int slips = 0;
    for (const auto& e : std::filesystem::directory_iterator(receipts))
        slips += e.path().extension() == ".png";
    CHECK(slips == 1);

    CHECK(k.visible("staff_exit"));
    CHECK_FALSE(k.visible("staff_exit_yes"));
    // Apart from the other buttons: well below Close.
    const auto* close = k.probe().find("staff_close");
    const auto* exit = k.probe().find("staff_exit");
    REQUIRE(close);
    REQUIRE(exit);
    CHECK(exit->min.y - close->max.y >= 60.0f);
    k.tap("staff_exit");
    CHECK_FALSE(k.app().exitRequested());
    CHECK(shows(k, "Thoát chế độ ki-ốt? Người dân sẽ không dùng được ki-ốt"));
    k.tap("staff_exit_no");
    CHECK_FALSE(k.app().exitRequested());
    CHECK_FALSE(k.visible("staff_exit_yes"));
    k.tap("staff_exit");
    k.tap("staff_exit_yes");
    CHECK(k.app().exitRequested());
}
