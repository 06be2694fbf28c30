#pragma once
// Noto Sans Regular and Bold for the kiosk, with every Vietnamese letter plus – — “ ” • … and ₫
// (GetGlyphRangesVietnamese alone lacks those). OversampleH = 1: at these sizes it looks the
// same and the atlas builds 3-4x faster in a quarter of the memory.
//
// Only the faces the screens draw are rasterised (issue #7: the atlas was 2048x4096 and its
// build and upload were most of the cold start): Regular at the body size, Bold at the body
// and heading sizes, and Bold at the huge size for the glyphs of tracking codes and the PIN
// pad only (ASCII and —), which would otherwise be two thirds of the atlas.
//
// UI thread only. The glyph ranges and the font files' bytes live in this object and ImGui
// reads them whenever the atlas is (re)built, so a Fonts must outlive the atlas (keep it for
// the life of the program).
#include <imgui.h>

#include <array>
#include <filesystem>
#include <string>
#include <utility>

#include "ui/icons.hpp"

namespace kiosk::ui {

enum class FontSize { Body, Large, Huge };  // 24, 36 and 56 px by default

struct FontSizes {
    float body = 24.0f;
    float large = 36.0f;
    float huge = 56.0f;
};

class Fonts {
public:
    static constexpr const char* kDefaultDir = "/usr/share/fonts/truetype/noto";

    // Adds Regular (body size) and Bold (each size) to `atlas` (the first one added, Body
    // Regular, becomes ImGui's default font if the atlas was empty). Returns false if a font
    // file is missing: then ImGui's built-in font is added instead so the UI still runs, but
    // Vietnamese letters show as '?'.
    bool load(ImFontAtlas& atlas, const FontSizes& sizes = FontSizes{},
              const std::filesystem::path& dir = kDefaultDir);
    // The pictograms (ui/icons.hpp) merged into Regular and Bold at the body and large sizes
    // (not the huge one, which has only the rating's faces). False when the icon font file is
    // missing: screens then draw no pictograms rather than '?'.
    bool iconsLoaded() const { return m_iconsLoaded; }
    // Where the icon font is read from (tests may point it elsewhere before load()).
    void setIconPath(std::filesystem::path p) { m_iconPath = std::move(p); }

    // Regular exists at the body size only: regular(Large) and regular(Huge) are null.
    ImFont* regular(FontSize size) const { return size == FontSize::Body ? m_regular : nullptr; }
    ImFont* bold(FontSize size) const { return m_bold[static_cast<int>(size)]; }
    // The code points loaded in the Body and Large fonts (pairs of first/last,
    // zero-terminated), for missing-glyph checks.
    const ImVector<ImWchar>& ranges() const { return m_ranges; }
    // The code points of the Huge font: printable ASCII and — (tracking codes, PIN stars).
    static const ImWchar* hugeRanges();
    bool loaded() const { return m_regular != nullptr; }

private:
    ImVector<ImWchar> m_ranges;
    std::string m_regularData, m_boldData, m_iconData;
    std::filesystem::path m_iconPath = icons::kFontPath;
    bool m_iconsLoaded = false;
    ImFont* m_regular = nullptr;
    std::array<ImFont*, 3> m_bold{};
};

}  // namespace kiosk::ui
