#pragma once
// Headless Dear ImGui for tests: a context with the real kiosk fonts, frames without a window
// or GL, and clicks on items by their stable id (recorded through kiosk::ui::ItemProbe).
// A click is three frames: hover, press, release (ImGui 1.86: io.MousePos/io.MouseDown set
// directly; a press and release inside one frame would be lost), plus one frame to settle so
// that items that appear because of the click (a confirmation, another layer) are recorded.
#include "ui/fonts.hpp"
#include "ui/item_probe.hpp"

#include <imgui.h>

#include <functional>
#include <string_view>

namespace testui {

class HeadlessUi {
public:
    explicit HeadlessUi(ImVec2 displaySize = ImVec2(1920.0f, 1080.0f));
    // With a font loader of the caller's (e.g. the kiosk theme's three text sizes) instead of
    // the keyboard's default fonts. The loader adds fonts to the atlas; the harness builds it.
    HeadlessUi(ImVec2 displaySize, const std::function<bool(ImFontAtlas&)>& loadFonts);
    ~HeadlessUi();
    HeadlessUi(const HeadlessUi&) = delete;
    HeadlessUi& operator=(const HeadlessUi&) = delete;

    using DrawFn = std::function<void()>;
    // One frame. With `rootWindow`, `draw` runs inside a full-screen window "###headless_root";
    // without, `draw` creates its own windows.
    void frame(const DrawFn& draw, bool rootWindow = true);
    // Clicks the centre of the item recorded as `id` in the previous frame. Returns false (and
    // does nothing) if that id was not drawn.
    bool click(std::string_view id, const DrawFn& draw, bool rootWindow = true);
    // Clicks several ids in order; returns false at the first one that is missing.
    bool clickAll(std::initializer_list<std::string_view> ids, const DrawFn& draw);
    void setDisplaySize(ImVec2 size);

    const kiosk::ui::ItemProbe& probe() const { return m_probe; }
    const kiosk::ui::Fonts& fonts() const { return m_fonts; }
    bool fontsLoaded() const { return m_fontsLoaded; }

private:
    ImGuiContext* m_context = nullptr;
    kiosk::ui::Fonts m_fonts;
    kiosk::ui::ItemProbe m_probe;
    bool m_fontsLoaded = false;
};

}  // namespace testui
