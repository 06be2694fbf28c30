#pragma once
// Noto Sans Regular and Bold for the kiosk, with every Vietnamese letter plus – — “ ” • … and ₫
// (GetGlyphRangesVietnamese alone lacks those). OversampleH = 1: at these sizes it looks the
// same and the atlas builds 3-4x faster in a quarter of the memory.
//
// UI thread only. The glyph ranges live in this object and ImGui reads them when the atlas is
// built, so a Fonts must outlive the atlas build (keep it for the life of the program).
#include <imgui.h>

#include <array>
#include <filesystem>

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

    // Adds Regular and Bold at each size to `atlas` (the first one added, Body Regular, becomes
    // ImGui's default font). Returns false if a font file is missing: then ImGui's built-in font
    // is added instead so the UI still runs, but Vietnamese letters show as '?'.
    bool load(ImFontAtlas& atlas, const FontSizes& sizes = FontSizes{},
              const std::filesystem::path& dir = kDefaultDir);

    ImFont* regular(FontSize size) const { return m_regular[static_cast<int>(size)]; }
    ImFont* bold(FontSize size) const { return m_bold[static_cast<int>(size)]; }
    // The code points loaded (pairs of first/last, zero-terminated), for missing-glyph checks.
    const ImVector<ImWchar>& ranges() const { return m_ranges; }

private:
    ImVector<ImWchar> m_ranges;
    std::array<ImFont*, 3> m_regular{};
    std::array<ImFont*, 3> m_bold{};
};

}  // namespace kiosk::ui
