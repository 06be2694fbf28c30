// Pieces every screen uses: titles, the banner, field messages, the Next/Confirm button.
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {

void title(KioskUi::Frame& f, std::string_view text) {
    ImGui::PushFont(f.theme.heading());
    wrappedText(text);
    ImGui::PopFont();
}

void banner(KioskUi::Frame& f) {
    if (f.s.bannerKey.empty()) return;
    // Every banner is a problem to read (a help call has its own notice, kiosk_ui.cpp).
    const Palette& p = f.theme.palette();
    colourBox(f.theme, p.danger, p.primaryText, [&] {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(f.t.get(f.s.bannerKey));
        ImGui::PopFont();
    });
}

void fieldError(KioskUi::Frame& f, ksync::record::Field field) {
    auto it = f.s.errors.find(field);
    if (it == f.s.errors.end()) return;
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(f.t.format(it->second.key, {{"count", std::to_string(it->second.count)},
                                            {"max", std::to_string(it->second.max)}}),
                f.theme.palette().danger);
    ImGui::PopFont();
}

bool nextButton(KioskUi::Frame& f, std::string_view labelKey, std::string_view id) {
    const float w = std::min(ImGui::GetContentRegionAvail().x, 520.0f * f.theme.scale());
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - w);
    return bigButton(f.theme, {f.t.get(labelKey) + " ›"}, id, ImVec2(w, 96.0f * f.theme.scale()),
                     ButtonKind::Primary);
}

}  // namespace kiosk::ui::screens
