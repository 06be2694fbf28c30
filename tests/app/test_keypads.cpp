// The right keypad per field (issue #15): the tracking code gets only the code's symbols with
// the dashes placed by themselves, and a scan still fills it; the phone keypad has a +.
#include "kiosk_fixture.hpp"
#include "record/tracking_code.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;

TEST_CASE(
    "the code field opens the code keypad: upper case and digits only, the dashes placed by "
    "themselves") {
    KioskFixture k;
    k.tap("welcome_track");
    k.waitFor(Screen::TrackEntry);
    CHECK(k.visible("kb_P"));
    CHECK(k.visible("kb_7"));
    for (const char* absent : {"kb_at", "kb_dotcom", "kb_dotvn", "kb_o", "kb_i", "kb_l", "kb_O",
                               "kb_I", "kb_L", "kb_minus"}) {
        INFO(absent);
        CHECK_FALSE(k.visible(absent));
    }
    for (char c : std::string("PAKN7K3M")) k.tap(std::string("kb_") + c);
    CHECK(k.state().tracking.typed == "PAKN-7K3M");
    k.tap("kb_0");
    CHECK(k.state().tracking.typed == "PAKN-7K3M-0");
    k.tap("kb_backspace");
    CHECK(k.state().tracking.typed == "PAKN-7K3M");
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 1);
    for (char c : code.substr(10))
        if (c != '-') k.tap(std::string("kb_") + c);
    CHECK(k.state().tracking.typed == code);
    k.tap("kb_clear");  // asks first
    k.tap("kb_clear_yes");
    CHECK(k.state().tracking.typed.empty());
    // A scanner types the whole URL from the QR: the field does not stand in its way.
    for (char c : "https://tra.cuu.gov.vn/t/" + code) k.app().ui().onChar(static_cast<char32_t>(c));
    k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
    k.frame();
    k.waitFor(Screen::TrackResult);
    CHECK(k.state().tracking.code == code);
}

TEST_CASE("the phone keypad types +84 numbers, which the record accepts") {
    KioskFixture k;
    k.tap("welcome_pakn");
    k.waitFor(Screen::Category);
    k.tap("cat_MOI_TRUONG");
    k.tap("problem_own");
    k.waitFor(Screen::Content);
    k.typeOnKeyboard("coongs bij ngaapj");
    k.tap("nav_next");
    k.waitFor(Screen::Contact);
    k.tap("contact_with");
    k.typeOnKeyboard("an");
    k.tap("field_phone");
    k.tap("kb_plus");
    k.typeOnKeyboard("84912345678");
    CHECK(k.state().form.phone == "+84912345678");
    k.tap("kb_enter");
    k.tap("contact_consent");
    k.tap("nav_next");
    k.waitFor(Screen::Review);
    k.tap("nav_confirm");
    k.waitFor(Screen::Receipt);
    REQUIRE(k.state().receipt);
    auto rec = k.store().findByCode(k.state().receipt->trackingCode);
    REQUIRE(rec);
    REQUIRE(*rec);
    REQUIRE((*rec)->content.contact);
    CHECK((*rec)->content.contact->phone == "0912345678");
}
