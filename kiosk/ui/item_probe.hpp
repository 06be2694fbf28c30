#pragma once
// A test hook: widgets report the screen rectangle of each interactive item under its stable
// id, so headless UI tests can click "by id", and the text lines they draw (wrappedText,
// centredText), so tests can read a screen. Costs one pointer check per item when no probe is
// installed (always, in the product).
//
// UI thread only. The installed probe is per thread (ImGui itself runs on one thread).
#include <imgui.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

class ItemProbe {
public:
    struct Rect {
        ImVec2 min;
        ImVec2 max;
        ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
    };
    // Records the last item (ImGui::GetItemRectMin/Max) as `id` if a probe is installed.
    static void record(std::string_view id);
    // Records a line of text as drawn, if a probe is installed.
    static void recordText(std::string_view text);
    // Where a text was drawn and the rectangle it must stay inside (its button or key, or the
    // window), and whether its wrapping had to break a word (a word wider than the room).
    struct TextBox {
        std::string text;
        Rect rect;
        Rect bounds;
        bool brokenWord = false;
        bool inScrollArea = false;  // may lie outside the screen until scrolled to
    };
    static void recordTextBox(std::string_view text, Rect rect, Rect bounds, bool brokenWord);
    // For the widgets: whether some word of `text` in `font` at `size` is wider than `room`.
    static bool hasWordWiderThan(ImFont* font, float size, std::string_view text, float room);
    const std::vector<TextBox>& textBoxes() const { return m_boxes; }
    // The part of an item inside the clip rectangle it was drawn under (a scroll area hides
    // the rest), and whether that clip was narrower than the screen (the item is in a scroll area).
    struct Shown {
        Rect visible;
        bool inScrollArea = false;
    };
    const Shown* shown(std::string_view id) const {
        const auto it = m_shown.find(id);
        return it == m_shown.end() ? nullptr : &it->second;
    }
    static ItemProbe* installed();

    void install();    // makes this the probe of the calling thread
    void uninstall();  // only if this one is installed
    void clear() {
        m_items.clear();
        m_texts.clear();
        m_boxes.clear();
        m_shown.clear();
    }
    const Rect* find(std::string_view id) const;
    const std::map<std::string, Rect, std::less<>>& items() const { return m_items; }
    const std::vector<std::string>& texts() const { return m_texts; }  // in drawing order

private:
    std::map<std::string, Rect, std::less<>> m_items;
    std::vector<std::string> m_texts;
    std::vector<TextBox> m_boxes;
    std::map<std::string, Shown, std::less<>> m_shown;
};

}  // namespace kiosk::ui
