#pragma once
// Colours and type for the kiosk screens: a normal and a high-contrast palette, three text
// sizes. The kiosk loads the fonts of the first text size at start and those of another size
// the first time a resident picks it (ensureFonts, between frames: one rebuild of the atlas);
// after that switching is free.
// UI thread only.
#include <imgui.h>

#include <array>
#include <string>
#include <string_view>

#include "core/flow_types.hpp"
#include "ui/fonts.hpp"

namespace kiosk::ui {

struct Palette {
    ImU32 background, panel, text, muted, primary, primaryText, secondary, secondaryText, danger,
        success, warning, border, focus;
};

class Theme {
public:
    // Loads Noto Sans at every text size into `atlas`. Returns false when the fonts are missing
    // (ImGui's built-in font is used then).
    bool loadFonts(ImFontAtlas& atlas);
    // Loads only the fonts of `first`; ensureFonts adds the others when they are needed.
    bool loadFonts(ImFontAtlas& atlas, core::TextSize first);
    // Outside a frame (before NewFrame): adds the fonts of `size` to the atlas given to
    // loadFonts if they are not there yet. Returns true when it did: the atlas must then be
    // rebuilt and its texture uploaded again before the next frame.
    bool ensureFonts(core::TextSize size);
    bool fontsLoaded(core::TextSize size) const { return m_fonts[static_cast<int>(size)].loaded(); }
    // Applies palette and sizes for this frame. A text size whose fonts are not loaded is drawn
    // with a loaded one (the shell calls ensureFonts before the frame, so this does not happen
    // in the kiosk).
    void apply(const core::Preferences& prefs);

    const Palette& palette() const { return m_palette; }
    ImFont* body() const;  // running text, field text
    ImFont* bodyBold() const;
    ImFont* heading() const;  // screen titles, big buttons
    ImFont* huge() const;     // the tracking code
    float scale() const;      // 1.0 for normal text; layout constants multiply by it
    // The pictograms are in the fonts of the text size on screen (ui/icons.hpp).
    bool iconsLoaded() const { return fonts(m_size).iconsLoaded(); }
    // "<icon> <text>" when the pictograms are loaded, else the text alone.
    std::string withIcon(std::string_view icon, std::string_view text) const {
        if (!iconsLoaded() || icon.empty()) return std::string(text);
        std::string out(icon);
        out += ' ';
        out += text;
        return out;
    }
    const Fonts& fonts(core::TextSize s) const { return m_fonts[static_cast<int>(s)]; }

    static ImVec4 toVec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

private:
    std::array<Fonts, 3> m_fonts;  // by TextSize; must outlive the atlas
    ImFontAtlas* m_atlas = nullptr;
    core::TextSize m_size = core::TextSize::Normal;
    Palette m_palette{};
};

}  // namespace kiosk::ui
