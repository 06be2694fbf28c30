#include "ui/item_probe.hpp"

namespace kiosk::ui {
namespace {
// The test hook is global on purpose (like ImGui's own context): widgets must not take a
// probe parameter that the product never uses.
thread_local ItemProbe* t_probe = nullptr;
}  // namespace

void ItemProbe::record(std::string_view id) {
    if (t_probe == nullptr) return;
    t_probe->m_items.insert_or_assign(std::string(id),
                                      Rect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
}

void ItemProbe::recordText(std::string_view text) {
    if (t_probe != nullptr) t_probe->m_texts.emplace_back(text);
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
