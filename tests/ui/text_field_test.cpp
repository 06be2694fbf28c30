// The field model: physical keyboards and barcode scanners type through the same engine.
#include "headless.hpp"

#include "ui/widgets/physical_keys.hpp"
#include "ui/widgets/text_field.hpp"
#include "ui/widgets/text_field_view.hpp"

#include <GLFW/glfw3.h>
#include <catch2/catch.hpp>

using kiosk::input::SpecialKey;
using kiosk::ui::TextField;

TEST_CASE("a physical keyboard types telex through the field's engine", "[ui][field]") {
    auto field = TextField::vietnameseText(true, 1000);
    for (char32_t c : std::u32string_view(U"nguowif Vieetj")) field.onChar(c);
    field.onKey(SpecialKey::Backspace);
    CHECK(field.text() == "người Việ");
    field.onChar(U't');
    CHECK(field.text() == "người Việt");
    CHECK_FALSE(field.onKey(SpecialKey::Enter).submitted);  // multi-line: a new line
    CHECK(field.text() == "người Việt\n");
}

TEST_CASE("a barcode scanner's characters and enter reach a code field unchanged", "[ui][field]") {
    auto field = TextField::code(40);
    for (char32_t c : std::u32string_view(U"PAKN-7K3M-000123-X")) field.onChar(c);
    const auto ev = field.onChar(U'\r');
    CHECK(ev.submitted);
    CHECK(field.text() == "PAKN-7K3M-000123-X");
    field.setVietnamese(true);  // a code field never turns Vietnamese on
    field.onChar(U'a');
    field.onChar(U's');
    CHECK(field.text() == "PAKN-7K3M-000123-Xas");
}

TEST_CASE("glfw special keys map to the engine's keys", "[ui][field]") {
    CHECK(kiosk::ui::specialKeyFromGlfw(GLFW_KEY_BACKSPACE) == SpecialKey::Backspace);
    CHECK(kiosk::ui::specialKeyFromGlfw(GLFW_KEY_KP_ENTER) == SpecialKey::Enter);
    CHECK(kiosk::ui::specialKeyFromGlfw(GLFW_KEY_LEFT) == SpecialKey::Left);
    CHECK_FALSE(kiosk::ui::specialKeyFromGlfw(GLFW_KEY_A).has_value());
}

TEST_CASE("a field refuses typing past its length limit", "[ui][field]") {
    auto field = TextField::vietnameseText(false, 3);
    for (char32_t c : std::u32string_view(U"abcd")) field.onChar(c);
    CHECK(field.text() == "abc");
    CHECK(field.onChar(U'e').refused);
}

TEST_CASE("the text field view draws long wrapped text and reports taps", "[ui][field]") {
    testui::HeadlessUi ui;
    auto field = TextField::vietnameseText(true, 64000);
    field.setText(std::string(3000, 'a') + "\nxin chào " + std::string(500, 'b'));
    bool tapped = false;
    const auto draw = [&] {
        tapped = kiosk::ui::drawTextField(field, "body", ImVec2(600.0f, 200.0f), true) || tapped;
    };
    ui.frame(draw);
    REQUIRE(ui.click("body", draw));
    CHECK(tapped);
}
