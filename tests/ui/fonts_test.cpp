// Fonts: the atlas has a glyph for every keyboard string and key cap, in both languages.
#include "headless.hpp"

#include "input/keyboard_layout.hpp"
#include "input/utf8.hpp"
#include "text/strings.hpp"
#include "ui/theme.hpp"

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

TEST_CASE("the theme loads one text size at start and another before its first frame",
          "[ui][fonts]") {
    using kiosk::core::TextSize;
    kiosk::ui::Theme theme;
    testui::HeadlessUi ui(ImVec2(1080, 1920),
                          [&](ImFontAtlas& a) { return theme.loadFonts(a, TextSize::Normal); });
    REQUIRE(ui.fontsLoaded());
    CHECK(theme.fontsLoaded(TextSize::Normal));
    CHECK_FALSE(theme.fontsLoaded(TextSize::Large));
    ImFont* normalBody = theme.fonts(TextSize::Normal).regular(kiosk::ui::FontSize::Body);
    const int fontsAtStart = ImGui::GetIO().Fonts->Fonts.Size;

    // A frame at a size that is not loaded draws with the loaded one rather than nothing.
    kiosk::core::Preferences large;
    large.textSize = TextSize::Large;
    ui.frame([&] {
        theme.apply(large);
        CHECK(theme.body() == normalBody);
    });

    // Between frames: the shell adds the size, rebuilds the atlas; fonts loaded before keep
    // their ImFont and their glyphs.
    CHECK(theme.ensureFonts(TextSize::Large));
    CHECK_FALSE(theme.ensureFonts(TextSize::Large));
    CHECK(ImGui::GetIO().Fonts->Fonts.Size > fontsAtStart);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
    ImGui::GetIO().Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    ui.frame([&] {
        theme.apply(large);
        CHECK(theme.body() == theme.fonts(TextSize::Large).regular(kiosk::ui::FontSize::Body));
        CHECK(theme.body()->FontSize > normalBody->FontSize);
        ImGui::PushFont(theme.heading());
        ImGui::TextUnformatted("Gửi phản ánh, kiến nghị");
        ImGui::PopFont();
    });
    CHECK(normalBody->FindGlyphNoFallback(0x1EC7) != nullptr);  // ệ
    CHECK(theme.fonts(TextSize::Large)
              .bold(kiosk::ui::FontSize::Large)
              ->FindGlyphNoFallback(0x1EC7) != nullptr);
    CHECK(theme.fonts(TextSize::Large).bold(kiosk::ui::FontSize::Huge)->FindGlyphNoFallback('Z') !=
          nullptr);
}
