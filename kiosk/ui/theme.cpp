#include "ui/theme.hpp"

namespace kiosk::ui {
namespace {

constexpr Palette kNormal{
    IM_COL32(246, 248, 251, 255),  // background
    IM_COL32(255, 255, 255, 255),  // panel
    IM_COL32(20, 28, 40, 255),     // text
    IM_COL32(84, 96, 112, 255),    // muted
    IM_COL32(0, 84, 166, 255),     // primary (deep blue)
    IM_COL32(255, 255, 255, 255),  // primaryText
    IM_COL32(226, 233, 242, 255),  // secondary
    IM_COL32(20, 28, 40, 255),     // secondaryText
    IM_COL32(176, 0, 32, 255),     // danger
    IM_COL32(0, 122, 61, 255),     // success
    IM_COL32(150, 90, 0, 255),     // warning
    IM_COL32(160, 172, 188, 255),  // border
    IM_COL32(255, 170, 0, 255),    // focus
};

constexpr Palette kHighContrast{
    IM_COL32(0, 0, 0, 255),       IM_COL32(0, 0, 0, 255),     IM_COL32(255, 255, 255, 255),
    IM_COL32(255, 255, 0, 255),   IM_COL32(255, 255, 0, 255), IM_COL32(0, 0, 0, 255),
    IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255),     IM_COL32(255, 90, 90, 255),
    IM_COL32(90, 255, 90, 255),   IM_COL32(255, 200, 0, 255), IM_COL32(255, 255, 255, 255),
    IM_COL32(0, 255, 255, 255),
};

// Body / heading / code sizes per text size (issue #15: each clearly larger than the last, the
// largest 1.6x normal for running text, headings and the keyboard's labels, which use the body
// font). The tracking code's huge size grows less (1.29x): at 1.6x a code no longer fits a
// portrait screen's width on one line.
constexpr std::array<FontSizes, 3> kSizes{FontSizes{30.0f, 42.0f, 84.0f},
                                          FontSizes{39.0f, 55.0f, 96.0f},
                                          FontSizes{48.0f, 68.0f, 108.0f}};

}  // namespace

namespace {
// An exact-height texture (no padding to a power of two) and no software mouse cursors
// (io.MouseDrawCursor is off): less to clear, convert and upload.
void atlasFlags(ImFontAtlas& atlas) {
    atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight | ImFontAtlasFlags_NoMouseCursors;
}
}  // namespace

bool Theme::loadFonts(ImFontAtlas& atlas) {
    m_atlas = &atlas;
    atlasFlags(atlas);
    bool ok = true;
    for (size_t i = 0; i < m_fonts.size(); ++i) ok = m_fonts[i].load(atlas, kSizes[i]) && ok;
    return ok;
}

bool Theme::loadFonts(ImFontAtlas& atlas, core::TextSize first) {
    m_atlas = &atlas;
    atlasFlags(atlas);
    const auto i = static_cast<size_t>(first);
    return m_fonts[i].load(atlas, kSizes[i]);
}

bool Theme::ensureFonts(core::TextSize size) {
    if (!m_atlas || fontsLoaded(size)) return false;
    const auto i = static_cast<size_t>(size);
    m_fonts[i].load(*m_atlas, kSizes[i]);
    return true;
}

void Theme::apply(const core::Preferences& prefs) {
    m_size = prefs.textSize;
    if (!fontsLoaded(m_size))  // only when the shell did not call ensureFonts (tests, tools)
        for (auto s : {core::TextSize::Normal, core::TextSize::Large, core::TextSize::ExtraLarge})
            if (fontsLoaded(s)) {
                m_size = s;
                break;
            }
    m_palette = prefs.highContrast ? kHighContrast : kNormal;
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0.0f;
    st.FrameRounding = 10.0f;
    st.FramePadding = ImVec2(16.0f, 12.0f);
    st.ItemSpacing = ImVec2(16.0f, 16.0f);
    st.WindowPadding = ImVec2(32.0f, 24.0f);
    st.ScrollbarSize = 28.0f;
    st.TouchExtraPadding = ImVec2(4.0f, 4.0f);
    st.FrameBorderSize = prefs.highContrast ? 3.0f : 1.0f;
    st.Colors[ImGuiCol_Text] = toVec4(m_palette.text);
    st.Colors[ImGuiCol_TextDisabled] = toVec4(m_palette.muted);
    st.Colors[ImGuiCol_WindowBg] = toVec4(m_palette.background);
    st.Colors[ImGuiCol_ChildBg] = toVec4(m_palette.panel);
    st.Colors[ImGuiCol_PopupBg] = toVec4(m_palette.panel);
    st.Colors[ImGuiCol_Border] = toVec4(m_palette.border);
    st.Colors[ImGuiCol_FrameBg] = toVec4(m_palette.panel);
    st.Colors[ImGuiCol_Button] = toVec4(m_palette.secondary);
    st.Colors[ImGuiCol_ButtonHovered] = toVec4(m_palette.secondary);  // touch: no hover look
    st.Colors[ImGuiCol_ButtonActive] = toVec4(m_palette.focus);
    st.Colors[ImGuiCol_ScrollbarBg] = toVec4(m_palette.secondary);
    st.Colors[ImGuiCol_ScrollbarGrab] = toVec4(m_palette.muted);
    st.Colors[ImGuiCol_ScrollbarGrabActive] = toVec4(m_palette.primary);
    st.Colors[ImGuiCol_ScrollbarGrabHovered] = toVec4(m_palette.muted);
    st.Colors[ImGuiCol_CheckMark] = toVec4(m_palette.primary);
    st.Colors[ImGuiCol_Separator] = toVec4(m_palette.border);
}

ImFont* Theme::body() const {
    return fonts(m_size).regular(FontSize::Body);
}
ImFont* Theme::bodyBold() const {
    return fonts(m_size).bold(FontSize::Body);
}
ImFont* Theme::heading() const {
    return fonts(m_size).bold(FontSize::Large);
}
ImFont* Theme::huge() const {
    return fonts(m_size).bold(FontSize::Huge);
}
float Theme::scale() const {
    return kSizes[static_cast<size_t>(m_size)].body / kSizes[0].body;
}

}  // namespace kiosk::ui
