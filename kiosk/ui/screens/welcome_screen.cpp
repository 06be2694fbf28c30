#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {

void welcome(KioskUi::Frame& f) {
    namespace intent = core::intent;
    const auto& t = f.t;
    ImGui::Dummy(ImVec2(0, 16.0f));
    centredText(f.data.centreName, f.theme.bodyBold(), f.theme.palette().muted);
    centredText(t.get("welcome.title"), f.theme.heading());
    ImGui::Dummy(ImVec2(0, 24.0f));

    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float bigH = (f.portrait ? 300.0f : 260.0f) * f.theme.scale();
    const ImVec2 choice = f.portrait ? ImVec2(avail, bigH) : ImVec2((avail - spacing) * 0.5f, bigH);
    if (bigButton(f.theme, {t.get("welcome.pakn"), t.get("welcome.pakn_hint")}, "welcome_pakn",
                  choice, ButtonKind::Primary))
        f.emit(intent::Start{"PAKN"});
    if (!f.portrait) ImGui::SameLine();
    if (bigButton(f.theme, {t.get("welcome.skgp"), t.get("welcome.skgp_hint")}, "welcome_skgp",
                  choice, ButtonKind::Primary))
        f.emit(intent::Start{"SKGP"});
    ImGui::Dummy(ImVec2(0, 8.0f));
    if (bigButton(f.theme, {t.get("welcome.track"), t.get("welcome.track_hint")}, "welcome_track",
                  ImVec2(avail, 170.0f * f.theme.scale())))
        f.emit(intent::OpenTracking{});
    banner(f);
}

}  // namespace kiosk::ui::screens
