#include "ui/item_probe.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>

namespace kiosk::ui {
namespace {
// The test hook is global on purpose (like ImGui's own context): widgets must not take a
// probe parameter that the product never uses.
thread_local ItemProbe* t_probe = nullptr;

// Drawn in a child window that scrolls (not the root window, not the keyboard's own area).
bool inScrollArea() {
    const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
    return w && (w->Flags & ImGuiWindowFlags_ChildWindow) &&
           !(w->Flags & ImGuiWindowFlags_NoScrollbar);
}
}  // namespace

void ItemProbe::record(std::string_view id) {
    if (t_probe == nullptr) return;
    const Rect r{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    t_probe->m_items.insert_or_assign(std::string(id), r);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 c0 = dl->GetClipRectMin(), c1 = dl->GetClipRectMax();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    Shown shown;
    shown.visible = Rect{ImVec2(std::max(r.min.x, c0.x), std::max(r.min.y, c0.y)),
                         ImVec2(std::min(r.max.x, c1.x), std::min(r.max.y, c1.y))};
    (void)display;
    shown.inScrollArea = inScrollArea();
    t_probe->m_shown.insert_or_assign(std::string(id), shown);
}

void ItemProbe::recordText(std::string_view text) {
    if (t_probe != nullptr) t_probe->m_texts.emplace_back(text);
}

void ItemProbe::recordTextBox(std::string_view text, Rect rect, Rect bounds, bool brokenWord) {
    if (t_probe != nullptr)
        t_probe->m_boxes.push_back(
            TextBox{std::string(text), rect, bounds, brokenWord, inScrollArea()});
}

bool ItemProbe::hasWordWiderThan(ImFont* font, float size, std::string_view text, float room) {
    if (t_probe == nullptr || font == nullptr) return false;  // only measured for a probe
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find_first_of(" \n", at);
        if (end == std::string_view::npos) end = text.size();
        if (end > at) {
            const float w =
                font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.data() + at, text.data() + end).x;
            if (w > room + 0.5f) return true;
        }
        at = end + 1;
    }
    return false;
}

ItemProbe* ItemProbe::installed() {
    return t_probe;
}

void ItemProbe::install() {
    t_probe = this;
}

void ItemProbe::uninstall() {
    if (t_probe == this) t_probe = nullptr;
}

const ItemProbe::Rect* ItemProbe::find(std::string_view id) const {
    const auto it = m_items.find(id);
    return it == m_items.end() ? nullptr : &it->second;
}

}  // namespace kiosk::ui
