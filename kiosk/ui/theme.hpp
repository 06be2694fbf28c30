#pragma once
// Colours and type for the kiosk screens: a normal and a high-contrast palette, three text
// sizes. Fonts for all three sizes are loaded once at start (switching is free).
// UI thread only.
#include <imgui.h>

#include <array>

#include "core/flow_types.hpp"
#include "ui/fonts.hpp"

namespace kiosk::ui {

struct Palette {
    ImU32 background, panel, text, muted, primary, primaryText, secondary, secondaryText, danger, success, warning,
        border, focus;
};

class Theme {
public:
    // Loads Noto Sans at every size into the current context's font atlas. Returns false when
    // the fonts are missing (ImGui's built-in font is used then).
    bool loadFonts(ImFontAtlas& atlas);
    // Applies palette and sizes for this frame.
    void apply(const core::Preferences& prefs);

    const Palette& palette() const { return m_palette; }
    ImFont* body() const;     // running text, field text
    ImFont* bodyBold() const;
    ImFont* heading() const;  // screen titles, big buttons
    ImFont* huge() const;     // the tracking code
    float scale() const;      // 1.0 for normal text; layout constants multiply by it
    const Fonts& fonts(core::TextSize s) const { return m_fonts[static_cast<int>(s)]; }

    static ImVec4 toVec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

private:
    std::array<Fonts, 3> m_fonts;  // by TextSize; must outlive the atlas build
    core::TextSize m_size = core::TextSize::Normal;
    Palette m_palette{};
};

}  // namespace kiosk::ui
