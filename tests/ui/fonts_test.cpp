// Fonts: the atlas has a glyph for every keyboard string and key cap, in both languages.
#include "headless.hpp"

#include "input/keyboard_layout.hpp"
#include "input/utf8.hpp"
#include "text/strings.hpp"

#include <catch2/catch.hpp>

using namespace kiosk::input;

TEST_CASE("the kiosk font has a glyph for every keyboard string and key cap", "[ui][fonts]") {
    testui::HeadlessUi ui;
    REQUIRE(ui.fontsLoaded());
    ImFont* font = ui.fonts().regular(kiosk::ui::FontSize::Body);
    std::vector<std::string> texts;
    for (const char* lang : {"vi", "en"}) {
        const auto strings = platform::text::Strings::load(lang);
        for (const auto& [key, text] : strings.all())
            if (key.rfind("keyboard.", 0) == 0) texts.push_back(text);
    }
    for (auto kind :
         {LayoutKind::Vietnamese, LayoutKind::Symbols, LayoutKind::Phone, LayoutKind::Email})
        for (const auto& row : keyboardLayout(kind).rows)
            for (const auto& key : row) texts.emplace_back(key.cap);
    texts.emplace_back("ĂÂÊÔƠƯĐăâêôơưđ–—“”•…₫");
    CHECK(texts.size() > 60);
    for (const auto& t : texts) {
        for (char32_t c : fromUtf8(t).value_or(U"?")) {
            INFO("U+" << std::hex << static_cast<unsigned>(c) << " in " << t);
            CHECK(font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
        }
    }
}

TEST_CASE("every strings key the keyboard uses exists in vietnamese and english", "[ui][fonts]") {
    for (const char* lang : {"vi", "en"}) {
        const auto loaded = platform::text::Strings::load(lang);
        std::vector<std::string> keys = {"keyboard.toggle_vi", "keyboard.toggle_abc",
                                         "keyboard.caps",      "keyboard.done",
                                         "keyboard.enter",     "keyboard.clear_confirm",
                                         "keyboard.clear_yes", "keyboard.clear_no"};
        for (auto kind :
             {LayoutKind::Vietnamese, LayoutKind::Symbols, LayoutKind::Phone, LayoutKind::Email})
            for (const auto& row : keyboardLayout(kind).rows)
                for (const auto& key : row)
                    if (!key.labelKey.empty()) keys.emplace_back(key.labelKey);
        for (const auto& k : keys) {
            INFO(lang << ": " << k);
            CHECK(loaded.all().count(k) == 1);
        }
    }
}
