// The on-screen keyboard in headless ImGui: tapping keys on screen types into a field.
#include "headless.hpp"

#include "text/strings.hpp"
#include "ui/widgets/keyboard.hpp"
#include "ui/widgets/text_field_view.hpp"

#include <imgui_internal.h>
#include <catch2/catch.hpp>

using kiosk::ui::Keyboard;
using kiosk::ui::TextField;

namespace {

// A field above the keyboard, as a screen would draw them.
struct Screen {
    explicit Screen(TextField f) : field(std::move(f)) {}
    platform::text::Strings strings = platform::text::Strings::load("vi");
    TextField field;
    Keyboard keyboard{strings};
    int submitted = 0;
    testui::HeadlessUi ui;

    void draw() {
        kiosk::ui::drawTextField(field, "field", ImVec2(ImGui::GetContentRegionAvail().x, 200.0f),
                                 true);
        for (const auto& intent : keyboard.draw(field)) submitted += field.apply(intent).submitted;
    }
    testui::HeadlessUi::DrawFn fn() {
        return [this] { draw(); };
    }
    bool tap(std::initializer_list<std::string_view> ids) {
        ui.frame(fn());
        return ui.clickAll(ids, fn());
    }
};

}  // namespace

TEST_CASE("tapping letter keys in telex types tiếng việt into the field", "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(true, 64000));
    REQUIRE(s.tap({"kb_t", "kb_i", "kb_e", "kb_e", "kb_n", "kb_g", "kb_s", "kb_space", "kb_v",
                   "kb_i", "kb_e", "kb_t", "kb_mark_ee", "kb_tone_nang"}));
    CHECK(s.field.text() == "tiếng việt");
}

TEST_CASE("the tone and shape row lets someone who does not know telex write người",
          "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(false, 200));
    REQUIRE(s.tap({"kb_n", "kb_g", "kb_u", "kb_o", "kb_i", "kb_mark_uw", "kb_tone_huyen"}));
    CHECK(s.field.text() == "người");
    REQUIRE(s.tap({"kb_backspace"}));
    CHECK(s.field.text() == "ngườ");
}

TEST_CASE("shift makes the next letter upper-case and a second tap locks caps", "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(false, 200));
    REQUIRE(s.tap({"kb_shift", "kb_h", "kb_a"}));
    CHECK(s.field.text() == "Ha");
    REQUIRE(s.tap({"kb_space", "kb_shift", "kb_shift", "kb_n", "kb_o", "kb_o", "kb_i", "kb_j"}));
    CHECK(s.field.text() == "Ha NỘI");
    CHECK(s.keyboard.shift() == Keyboard::Shift::Locked);
    REQUIRE(s.tap({"kb_shift"}));
    CHECK(s.keyboard.shift() == Keyboard::Shift::Off);
}

TEST_CASE("clearing the field asks for confirmation first", "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(true, 1000));
    REQUIRE(s.tap({"kb_a", "kb_b", "kb_clear"}));
    CHECK(s.field.text() == "ab");
    CHECK(s.ui.probe().find("kb_q") == nullptr);  // the keys give way to the question
    REQUIRE(s.tap({"kb_clear_no"}));
    CHECK(s.field.text() == "ab");
    REQUIRE(s.tap({"kb_clear", "kb_clear_yes"}));
    CHECK(s.field.text().empty());
    CHECK(s.ui.probe().find("kb_q") != nullptr);
}

TEST_CASE("the tiếng việt / abc toggle turns the input method off and on", "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(false, 200));
    REQUIRE(s.tap({"kb_toggle", "kb_a", "kb_a", "kb_s", "kb_space"}));
    CHECK(s.field.text() == "aas ");
    CHECK_FALSE(s.field.vietnameseOn());
    REQUIRE(s.tap({"kb_toggle", "kb_a", "kb_a", "kb_s"}));
    CHECK(s.field.text() == "aas ấ");
}

TEST_CASE("the layer key switches to numbers and symbols and back", "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(false, 200));
    REQUIRE(
        s.tap({"kb_layer_symbols", "kb_1", "kb_0", "kb_0", "kb_dong", "kb_layer_letters", "kb_a"}));
    CHECK(s.field.text() == "100₫a");
}

TEST_CASE("the phone keypad types digits only and enter submits", "[ui][keyboard]") {
    Screen s(TextField::phone());
    s.ui.frame(s.fn());
    CHECK(s.ui.probe().find("kb_a") == nullptr);
    CHECK(s.ui.probe().find("kb_toggle") == nullptr);
    REQUIRE(s.tap({"kb_0", "kb_9", "kb_1", "kb_2", "kb_backspace", "kb_3", "kb_enter"}));
    CHECK(s.field.text() == "0913");
    CHECK(s.submitted == 1);
    CHECK(s.field.onChar(U'a').refused);
}

TEST_CASE("the email layout types @ and . with no input method", "[ui][keyboard]") {
    Screen s(TextField::email());
    REQUIRE(s.tap({"kb_a", "kb_a", "kb_s", "kb_at", "kb_g", "kb_period", "kb_dotvn"}));
    CHECK(s.field.text() == "aas@g..vn");
}

TEST_CASE("every key is at least 60 px even on a narrow window", "[ui][keyboard]") {
    for (float width : {1920.0f, 800.0f}) {
        Screen s(TextField::vietnameseText(false, 200));
        s.ui.setDisplaySize(ImVec2(width, 1080.0f));
        s.ui.frame(s.fn());
        int keys = 0;
        for (const auto& [id, rect] : s.ui.probe().items()) {
            if (id.rfind("kb_", 0) != 0) continue;
            INFO(id << " at width " << width);
            CHECK(rect.max.x - rect.min.x >= Keyboard::kMinKeyPx);
            CHECK(rect.max.y - rect.min.y >= Keyboard::kMinKeyPx);
            ++keys;
        }
        CHECK(keys == 51);  // 13 tone/shape keys + 11 + 10 + 11 + 6
    }
}

TEST_CASE("a pressed key is shown pressed while held", "[ui][keyboard]") {
    Screen s(TextField::vietnameseText(false, 200));
    s.ui.frame(s.fn());
    const auto* rect = s.ui.probe().find("kb_a");
    REQUIRE(rect != nullptr);
    ImGui::GetIO().MousePos = rect->center();
    s.ui.frame(s.fn());
    ImGui::GetIO().MouseDown[0] = true;
    bool heldActive = false;
    s.ui.frame([&] {
        s.draw();
        heldActive = ImGui::GetActiveID() == ImGui::GetID("###kb_a");
    });
    ImGui::GetIO().MouseDown[0] = false;
    s.ui.frame(s.fn());
    CHECK(heldActive);
    CHECK(s.field.text() == "a");
}
