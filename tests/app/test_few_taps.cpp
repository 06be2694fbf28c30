// Less typing (issue #15): a first-time resident at the largest text size, tap by tap on the
// real screens (headless), counted by the fixture. From a common problem: at most 8 taps from
// the welcome screen to the receipt. Typed in full: at most 12 taps besides the keys of the
// sentence.
#include "kiosk_fixture.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;
using kiosk::core::TextSize;

namespace {

void checkSentAnonymously(KioskFixture& k, const std::string& body) {
    k.waitFor(Screen::Receipt);
    REQUIRE(k.state().receipt);
    auto rec = k.store().findByCode(k.state().receipt->trackingCode);
    REQUIRE(rec);
    REQUIRE(*rec);
    CHECK((**rec).header.category == "MOI_TRUONG");
    CHECK((**rec).content.body == body);
    CHECK_FALSE((**rec).content.contact.has_value());
    CHECK_FALSE((**rec).content.title.empty());
}

}  // namespace

TEST_CASE("few taps: from a common problem at the largest text size, at most 8 taps") {
    for (ImVec2 display : {ImVec2(1080, 1920), ImVec2(1920, 1080)}) {
        INFO((display.x < display.y ? "portrait" : "landscape"));
        KioskFixture k(display);
        k.tap("welcome_size_xlarge");  // the largest text size, in one tap
        CHECK(k.state().prefs.textSize == TextSize::ExtraLarge);
        k.tap("welcome_pakn");
        k.waitFor(Screen::Category);
        k.tap("cat_MOI_TRUONG");
        REQUIRE(k.state().pickingProblem);
        REQUIRE(k.visible("problem_1"));
        k.tap("problem_1");  // "Cống thoát nước bị tắc, gây ngập khi mưa."
        k.waitFor(Screen::Content);
        CHECK(k.app().ui().field(kiosk::core::FormField::Body).text() ==
              "Cống thoát nước bị tắc, gây ngập khi mưa.");
        CHECK_FALSE(k.state().form.title.empty());  // suggested: nobody has to touch it
        k.tap("nav_next");
        k.waitFor(Screen::Contact);
        k.tap("contact_anonymous");
        k.tap("nav_next");
        k.waitFor(Screen::Review);
        k.tap("nav_confirm");
        checkSentAnonymously(k, "Cống thoát nước bị tắc, gây ngập khi mưa.");
        CHECK(k.state().prefs.textSize == TextSize::ExtraLarge);  // held for the whole visit
        INFO(k.taps() << " taps");
        CHECK(k.taps() <= 8);
    }
}

TEST_CASE("few taps: a one-sentence complaint typed in full, at most 12 taps besides its keys") {
    KioskFixture k(ImVec2(1080, 1920));
    k.tap("welcome_size_xlarge");
    k.tap("welcome_pakn");
    k.waitFor(Screen::Category);
    k.tap("cat_MOI_TRUONG");
    k.tap("problem_own");  // "Việc khác — tôi tự viết"
    k.waitFor(Screen::Content);
    // Telex: "Cống trước nhà tôi bị ngập khi mưa."
    const std::string keys = "Coongs truwowcs nhaf tooi bij ngaapj khi muwa.";
    const int before = k.keyTaps();
    k.typeOnKeyboard(keys);
    const int keyTaps = k.keyTaps() - before;
    CHECK(keyTaps == static_cast<int>(keys.size()) + 1);  // + Shift for the capital
    CHECK(k.state().form.body == "Cống trước nhà tôi bị ngập khi mưa.");
    k.tap("nav_next");
    k.waitFor(Screen::Contact);
    k.tap("contact_anonymous");
    k.tap("nav_next");
    k.waitFor(Screen::Review);
    k.tap("nav_confirm");
    checkSentAnonymously(k, "Cống trước nhà tôi bị ngập khi mưa.");
    INFO(k.taps() - keyTaps << " taps besides " << keyTaps << " keys");
    CHECK(k.taps() - keyTaps <= 12);
}
