// A resident's whole path through the real screens, tap by tap, ending in a real SQLite file.
#include "kiosk_fixture.hpp"

#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "proto/bundle.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;

namespace {

// Polls frames until the print queue has answered.
void waitForPrint(KioskFixture& k) {
    for (int i = 0; i < 500 && k.state().print == kiosk::core::PrintState::Printing; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

TEST_CASE(
    "a complete anonymous PAKN submission by tapping on-screen keys ends in the database and a "
    "printed receipt") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.waitFor(Screen::Category);
    k.tap("cat_MOI_TRUONG");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("ddeef nghij suwar ddenf ddwowngf");
    CHECK(k.state().form.body == "đề nghị sửa đèn đường");
    CHECK(k.state().form.title == "đề nghị sửa đèn đường");
    k.tap("nav_next");
    k.waitFor(Screen::Contact);
    k.tap("contact_anonymous");
    k.tap("nav_next");
    k.waitFor(Screen::Review);
    k.tap("nav_confirm");
    k.waitFor(Screen::Receipt);
    REQUIRE(k.state().receipt);
    const std::string code = k.state().receipt->trackingCode;
    CHECK(code == "PAKN-7K3M-000001-" + code.substr(code.size() - 1));

    auto rec = k.store().findByCode(code);
    REQUIRE(rec);
    REQUIRE(*rec);
    const auto& r = **rec;
    CHECK(r.header.type == ksync::record::RecordType::Pakn);
    CHECK(r.header.category == "MOI_TRUONG");
    CHECK(r.header.channel == ksync::record::Channel::Kiosk);
    CHECK_FALSE(r.header.staffAssisted);
    CHECK(r.content.body == "đề nghị sửa đèn đường");
    CHECK(r.content.title == "đề nghị sửa đèn đường");
    CHECK_FALSE(r.content.contact.has_value());
    CHECK(k.state().form.body.empty());  // nothing typed stays in memory after the commit

    waitForPrint(k);
    CHECK(k.state().print == kiosk::core::PrintState::Printed);
    CHECK(std::filesystem::exists(k.dir() / "data" / "receipts" / (code + ".png")));
}

TEST_CASE(
    "a complete SKGP submission with contact details by tapping keys, the phone keypad and "
    "consent") {
    KioskFixture k;
    k.tap("welcome_skgp");
    k.waitFor(Screen::Category);
    k.tap("cat_CHUYEN_DOI_SO");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("sasng kieens soos hoas");
    k.tap("nav_next");
    k.waitFor(Screen::Contact);
    k.tap("contact_with");
    k.typeOnKeyboard("nguyeenx an");
    k.tap("field_phone");
    k.typeOnKeyboard("0912345678");
    k.tap("kb_enter");  // "Xong": the keypad goes away and the consent box shows
    k.tap("contact_consent");
    CHECK(k.state().form.consent);
    k.tap("nav_next");
    k.waitFor(Screen::Review);
    k.tap("nav_confirm");
    k.waitFor(Screen::Receipt);
    const std::string code = k.state().receipt->trackingCode;
    CHECK(code.starts_with("SKGP-7K3M-"));
    CHECK(k.state().receipt->maskedContact.find("09xx xxx 678") != std::string::npos);
    auto rec = k.store().findByCode(code);
    REQUIRE(rec);
    REQUIRE(*rec);
    const auto& r = **rec;
    CHECK(r.header.type == ksync::record::RecordType::Skgp);
    CHECK(r.header.category == "CHUYEN_DOI_SO");
    CHECK(r.content.body == "sáng kiến số hóa");
    REQUIRE(r.content.contact);
    CHECK(r.content.contact->name == "nguyễn an");
    CHECK(r.content.contact->phone == "0912345678");
    CHECK(r.content.consent);
}

TEST_CASE("the code of a stored record is looked up from the tracking screen, typed by a scanner") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.tap("cat_AN_NINH");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("mats ddenf");
    k.tap("nav_next");
    k.tap("contact_anonymous");
    k.tap("nav_next");
    k.tap("nav_confirm");
    k.waitFor(Screen::Receipt);
    const std::string code = k.state().receipt->trackingCode;
    k.tap("done_finish");
    k.waitFor(Screen::Welcome);
    k.tap("welcome_track");
    k.waitFor(Screen::TrackEntry);
    for (char c : "https://tra.cuu.gov.vn/T/" + code) k.app().ui().onChar(static_cast<char32_t>(c));
    k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
    k.frame();
    k.waitFor(Screen::TrackResult);
    for (int i = 0; i < 50 && k.state().tracking.loading; ++i) k.frame();
    CHECK(k.state().tracking.code == code);
    CHECK(k.state().tracking.found);
    REQUIRE_FALSE(k.state().tracking.timeline.empty());
    CHECK(k.state().tracking.timeline.front().status == "queued");
}

TEST_CASE("a scanned receipt on the welcome screen opens its status without touching anything") {
    KioskFixture k;
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 77);
    for (char c : "HTTPS://TRA.CUU.GOV.VN/T/" + code) k.app().ui().onChar(static_cast<char32_t>(c));
    k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
    k.frame();
    k.frame();
    CHECK(k.state().screen == Screen::TrackResult);
    for (int i = 0; i < 50 && k.state().tracking.loading; ++i) k.frame();
    CHECK(k.state().tracking.messageKey == "track.not_found");
}

TEST_CASE("a wrong body shows its message on the content screen and nothing is stored") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.tap("cat_KHAC");
    k.waitFor(Screen::Content);
    k.tap("nav_next");
    CHECK(k.state().screen == Screen::Content);
    CHECK(k.state().errors.count(ksync::record::Field::Body) == 1);
    CHECK(k.store().recordCount().value() == 0);
}

TEST_CASE("the staff panel opens with the right PIN typed on the keypad and exits the kiosk") {
    KioskFixture k;
    k.app().ui().onStaffShortcut();
    k.frame();
    k.waitFor(Screen::StaffPin);
    k.typeOnKeyboard("1111");
    k.tap("staff_pin_ok");
    for (int i = 0; i < 200 && k.state().staff.checking; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(k.state().screen == Screen::StaffPin);
    CHECK(k.state().staff.messageKey == "staff.pin_wrong");
    k.typeOnKeyboard("2468");
    k.tap("staff_pin_ok");
    for (int i = 0; i < 200 && k.state().screen != Screen::StaffPanel; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(k.state().screen == Screen::StaffPanel);
    k.tap("staff_assisted");
    CHECK(k.state().staff.assistedNext);
    k.tap("staff_exit");
    CHECK_FALSE(k.app().exitRequested());  // it asks first
    k.tap("staff_exit_yes");
    CHECK(k.app().exitRequested());
}

TEST_CASE(
    "the staff panel exports to the USB stick and imports from it, with the outcome in words") {
    KioskFixture k;
    auto openPanel = [&] {
        k.app().ui().onStaffShortcut();
        k.frame();
        k.waitFor(Screen::StaffPin);
        k.typeOnKeyboard("2468");
        k.tap("staff_pin_ok");
        k.waitFor(Screen::StaffPanel);
    };
    auto waitUsb = [&] {
        for (int i = 0; i < 400 && k.state().staff.usbBusy; ++i) {
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        REQUIRE_FALSE(k.state().staff.usbBusy);
        k.frame();
    };
    openPanel();
    REQUIRE(k.visible("staff_usb_export"));
    REQUIRE(k.visible("staff_usb_import"));
    // No stick: refused with the words for it.
    k.tap("staff_usb_export");
    waitUsb();
    CHECK_FALSE(k.state().staff.usbOk);
    CHECK(k.state().staff.usbMessageKey == "bundle.refused.io");
    // A stick, but not enrolled yet: refused, and the panel says why.
    std::filesystem::create_directories(k.dir() / "usb");
    k.tap("staff_usb_export");
    waitUsb();
    CHECK_FALSE(k.state().staff.usbOk);
    CHECK(k.state().staff.usbMessageKey == "bundle.refused.not_enrolled");

    // Provisioned with the backend's key: the export writes one bundle on the stick.
    const auto backendKey = platform::keys::DeviceKey::generate();
    REQUIRE(k.store().setState(ksync::store::kStateBackendKey, backendKey.publicKeyBase64()));
    auto kioskKey = platform::keys::DeviceKey::loadOrCreate(k.dir() / "data" / "device.key");
    REQUIRE(kioskKey);
    k.tap("staff_usb_export");
    waitUsb();
    CHECK(k.state().staff.usbOk);
    CHECK(k.state().staff.usbMessageKey == "bundle.exported");
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(k.dir() / "usb"))
        files.push_back(e.path());
    REQUIRE(files.size() == 1);
    auto bytes = ksync::proto::readWholeFile(files.front().string());
    REQUIRE(bytes);
    CHECK(ksync::proto::openBundle(*bytes, kioskKey->publicKeyBase64()));
    // No return bundle on the stick yet: refused with the words for it.
    k.tap("staff_usb_import");
    waitUsb();
    CHECK_FALSE(k.state().staff.usbOk);
    CHECK(k.state().staff.usbMessageKey == "bundle.refused.io");

    // The backend's return bundle with a newer config (a new category): applied, and the
    // screens have the category at once, without a restart.
    auto doc = nlohmann::json::parse(ksync::proto::defaultBackendConfigJson());
    doc["version"] = "2026-12-03.9";
    doc["categories"].push_back(
        {{"code", "PHONG_CHAY"}, {"name_vi", "Phòng cháy, chữa cháy"}, {"name_en", "Fire safety"}});
    ksync::proto::KioskBundle ret;
    ret.kioskId = "7K3M";
    ret.inReplyTo = "x";
    ret.issuedAtMs = platform::clock::unixMillis(platform::clock::now());
    ret.upload.kioskId = "7K3M";
    ret.config = ksync::proto::BundleConfig{"2026-12-03.9", "\"e9\"", doc.dump()};
    const std::string sealed =
        ksync::proto::sealBundle(ksync::proto::BundleKind::ToKiosk, "7K3M", ret.issuedAtMs,
                                 ksync::proto::dumpMessage(ret), backendKey);
    REQUIRE(ksync::proto::writeFileAtomically(
        (k.dir() / "usb").string(),
        ksync::proto::bundleFileName(ksync::proto::BundleKind::ToKiosk, "7K3M", ret.issuedAtMs),
        sealed));
    REQUIRE_FALSE(k.app().services().config().findCategory("PHONG_CHAY"));
    k.tap("staff_usb_import");
    waitUsb();
    CHECK(k.state().staff.usbOk);
    CHECK(k.state().staff.usbMessageKey == "bundle.imported_kiosk");
    CHECK(k.app().services().config().version == "2026-12-03.9");
    CHECK(k.app().services().config().findCategory("PHONG_CHAY"));
}

TEST_CASE(
    "every screen can be drawn in landscape, large text and high contrast without losing a "
    "button") {
    KioskFixture k(ImVec2(1920.0f, 1080.0f));
    k.tap("tb_text_size");
    k.tap("tb_contrast");
    CHECK(k.state().prefs.highContrast);
    CHECK(k.state().prefs.textSize == kiosk::core::TextSize::Large);
    k.tap("welcome_pakn");
    k.tap("cat_GIAO_THONG");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("oor gaf");
    CHECK(k.state().form.body == "ổ gà");
    CHECK(k.visible("nav_next"));
    k.tap("nav_next");
    k.waitFor(Screen::Contact);
    k.tap("contact_anonymous");
    k.tap("nav_next");
    k.waitFor(Screen::Review);
    k.tap("nav_confirm");
    k.waitFor(Screen::Receipt);
    CHECK(k.visible("done_finish"));
    CHECK(k.visible("done_print"));
    CHECK(k.visible("done_listen"));
}

TEST_CASE("going back keeps the text, and the idle reset wipes every field on screen") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.tap("cat_DAT_DAI");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("tranh chaaps ddaats");
    k.tap("nav_back");
    k.waitFor(Screen::Category);
    k.tap("cat_DAT_DAI");
    k.waitFor(Screen::Content);
    CHECK(k.app().ui().field(kiosk::core::FormField::Body).text() == "tranh chấp đất");
    // Left alone: the countdown, then everything goes.
    k.app().apply(kiosk::core::intent::Tick{}, 1'800'000'000'000 + 10'000'000);
    k.frame();
    CHECK(k.state().screen == Screen::Welcome);
    CHECK(k.state().form.body.empty());
    CHECK(k.app().ui().field(kiosk::core::FormField::Body).text().empty());
}

TEST_CASE("keys from a physical keyboard or scanner arriving between frames are never lost") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.tap("cat_KHAC");
    k.waitFor(Screen::Content);
    for (char c : std::string("Rasc thair ")) k.app().ui().onChar(static_cast<char32_t>(c));
    k.frame();
    for (char c : std::string("chuwa dduwowcj")) k.app().ui().onChar(static_cast<char32_t>(c));
    for (char c : std::string(" thu gom")) k.app().ui().onChar(static_cast<char32_t>(c));
    k.frame();
    k.frame();
    CHECK(k.state().form.body == "Rác thải chưa được thu gom");
    CHECK(k.app().ui().field(kiosk::core::FormField::Body).text() == "Rác thải chưa được thu gom");
}
