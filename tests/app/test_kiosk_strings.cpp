// Every on-screen string, in every language, can be drawn with the kiosk's fonts.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "headless.hpp"
#include "text/assets.hpp"
#include "ui/icons.hpp"
#include "ui/theme.hpp"

namespace {

std::vector<char32_t> codepoints(std::string_view s) {
    std::vector<char32_t> out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<size_t>(n);
    }
    return out;
}

nlohmann::json table(const char* lang) {
    return nlohmann::json::parse(
        platform::assets::embedded(std::string("strings/") + lang + ".json"));
}

}  // namespace

TEST_CASE("vietnamese and english string tables have the same keys") {
    const auto vi = table("vi"), en = table("en");
    for (auto& [k, _] : vi.items()) {
        INFO("missing in en.json: " << k);
        CHECK(en.contains(k));
    }
    for (auto& [k, _] : en.items()) {
        INFO("missing in vi.json: " << k);
        CHECK(vi.contains(k));
    }
}

TEST_CASE(
    "every UI string of every language, every category name and common problem, and every "
    "pictogram has all its glyphs in every kiosk font") {
    kiosk::ui::Theme theme;
    testui::HeadlessUi ui(ImVec2(1080, 1920), [&](ImFontAtlas& a) { return theme.loadFonts(a); });
    REQUIRE(ui.fontsLoaded());
    std::vector<std::string> texts;
    for (const char* lang : {"vi", "en"}) {
        const auto strings = table(lang);  // kept alive: items() only refers to it
        for (auto& [k, v] : strings.items()) {
            INFO(lang << " " << k);
            REQUIRE(v.is_string());
            texts.push_back(v.get<std::string>());
        }
    }
    const auto config =
        nlohmann::json::parse(platform::assets::embedded("config/default-config.json"));
    for (const auto& c : config["categories"]) {
        for (const char* key : {"name_vi", "name_en"})
            if (c.contains(key)) texts.push_back(c[key].get<std::string>());
        for (const auto& p : c.value("common_problems", nlohmann::json::array()))
            for (const char* key : {"vi", "en"})
                if (p.contains(key)) texts.push_back(p[key].get<std::string>());
    }
    // The pictograms (issue #15): merged into every text font except the huge one.
    for (auto icon : kiosk::ui::icons::all()) texts.emplace_back(icon);
    for (const auto& w : config["wards"]) texts.push_back(w["name"].get<std::string>());
    // Literals the screens add around strings.
    texts.push_back("‹ › • – * A+ A++");
    // The huge font draws only tracking codes (typed or issued), the PIN pad's stars and the
    // rating's three faces (issue #14).
    std::vector<std::string> codeTexts = {"PAKN-7K3M-000001-0 SKGP-ABCD-999999-Z",
                                          "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                          "abcdefghijklmnopqrstuvwxyz", "* * * * —"};
    for (auto rating : {"hai_long", "tam_chap_nhan", "chua_hai_long"}) {
        REQUIRE_FALSE(kiosk::ui::icons::forRating(rating).empty());
        codeTexts.emplace_back(kiosk::ui::icons::forRating(rating));
    }
    int missing = 0;
    for (auto size : {kiosk::core::TextSize::Normal, kiosk::core::TextSize::Large,
                      kiosk::core::TextSize::ExtraLarge}) {
        const auto& fonts = theme.fonts(size);
        INFO("the icon font " << kiosk::ui::icons::kFontPath << " (fonts-fork-awesome)");
        REQUIRE(fonts.iconsLoaded());
        for (ImFont* font :
             {fonts.regular(kiosk::ui::FontSize::Body), fonts.bold(kiosk::ui::FontSize::Body),
              fonts.bold(kiosk::ui::FontSize::Large), fonts.bold(kiosk::ui::FontSize::Huge)}) {
            for (const auto& t :
                 font == fonts.bold(kiosk::ui::FontSize::Huge) ? codeTexts : texts) {
                for (char32_t cp : codepoints(t)) {
                    if (cp == '\n') continue;
                    if (font->FindGlyphNoFallback(static_cast<ImWchar>(cp)) == nullptr) {
                        ++missing;
                        INFO("U+" << std::hex << static_cast<unsigned>(cp) << " in: " << t);
                        CHECK(false);
                    }
                }
            }
        }
    }
    CHECK(missing == 0);
}

TEST_CASE("the three text sizes grow clearly, the largest at least 1.6x normal (issue #15)") {
    kiosk::ui::Theme theme;
    testui::HeadlessUi ui(ImVec2(1080, 1920), [&](ImFontAtlas& a) { return theme.loadFonts(a); });
    REQUIRE(ui.fontsLoaded());
    using kiosk::core::TextSize;
    using kiosk::ui::FontSize;
    auto px = [&](TextSize s, bool bold, FontSize f) {
        const auto& fonts = theme.fonts(s);
        return (bold ? fonts.bold(f) : fonts.regular(f))->FontSize;
    };
    for (auto [bold, f] : {std::pair{false, FontSize::Body}, std::pair{true, FontSize::Body},
                           std::pair{true, FontSize::Large}}) {
        const float n = px(TextSize::Normal, bold, f), l = px(TextSize::Large, bold, f),
                    x = px(TextSize::ExtraLarge, bold, f);
        CHECK(l >= n * 1.25f);
        CHECK(x >= l * 1.2f);
        CHECK(x >= n * 1.6f);  // running text, headings, and the keyboard's labels (body font)
    }
}
