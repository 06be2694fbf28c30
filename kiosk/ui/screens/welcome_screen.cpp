#include <algorithm>

#include "ui/icons.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

// "Cỡ chữ:  A  A+  A++" — the three text sizes, each one tap (issue #15: a first-time resident
// picks the largest at once instead of cycling through the toolbar's button).
void sizeRow(KioskUi::Frame& f, float h) {
    const auto& t = f.t;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    ImFont* font = f.theme.bodyBold();
    const std::string label = t.get("toolbar.text_size");
    const float labelW =
        font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, label.c_str()).x + 2 * spacing;
    const float w = (avail - labelW - 3 * spacing) / 3.0f;
    ImGui::PushFont(font);
    const float x0 = ImGui::GetCursorPosX();
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (h - ImGui::GetTextLineHeight()) * 0.5f);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::SetCursorPosX(x0 + labelW);
    ImGui::SetCursorPosY(y);
    const char* names[] = {"A", "A+", "A++"};
    const char* ids[] = {"welcome_size_normal", "welcome_size_large", "welcome_size_xlarge"};
    const core::TextSize sizes[] = {core::TextSize::Normal, core::TextSize::Large,
                                    core::TextSize::ExtraLarge};
    for (int i = 0; i < 3; ++i) {
        if (i > 0) ImGui::SameLine();
        const bool on = f.s.prefs.textSize == sizes[i];
        if (bigButton(f.theme, {names[i]}, ids[i], ImVec2(w, h),
                      on ? ButtonKind::Selected : ButtonKind::Secondary,
                      i == 0 ? f.theme.bodyBold() : f.theme.heading()))
            f.emit(core::intent::SetTextSize{sizes[i]});
    }
}

}  // namespace

void welcome(KioskUi::Frame& f) {
    namespace intent = core::intent;
    const auto& t = f.t;
    const float s = f.theme.scale();
    ImGui::Dummy(ImVec2(0, 8.0f));
    centredText(f.data.centreName, f.theme.bodyBold(), f.theme.palette().muted);
    centredText(t.get("welcome.title"), f.theme.heading());
    ImGui::Dummy(ImVec2(0, 8.0f));

    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float gapY = ImGui::GetStyle().ItemSpacing.y;
    const float sizeH = 84.0f * s;
    const float trackH = 150.0f * s;
    // The two choices take the height that is left (reflow: in portrait they fill the screen,
    // at the largest size they shrink towards what their text needs; bigButton grows them
    // again if the words need more).
    // Landscape: tracking and the text sizes share one row under the two choices.
    const float below = f.portrait ? sizeH + trackH + 2 * gapY : std::max(sizeH, trackH) + gapY;
    const float left = ImGui::GetContentRegionAvail().y - below - 2 * gapY - 8.0f;
    const float bigH = f.portrait ? std::clamp((left - gapY) * 0.5f, kMinTouchPx, 420.0f * s)
                                  : std::clamp(left, kMinTouchPx, 320.0f * s);
    const ImVec2 choice = f.portrait ? ImVec2(avail, bigH) : ImVec2((avail - spacing) * 0.5f, bigH);
    if (bigButton(f.theme, {t.get("welcome.pakn"), t.get("welcome.pakn_hint"), -1, icons::kPakn},
                  "welcome_pakn", choice, ButtonKind::Primary))
        f.emit(intent::Start{"PAKN"});
    if (!f.portrait) ImGui::SameLine();
    if (bigButton(f.theme, {t.get("welcome.skgp"), t.get("welcome.skgp_hint"), -1, icons::kSkgp},
                  "welcome_skgp", choice, ButtonKind::Primary))
        f.emit(intent::Start{"SKGP"});
    const float trackW = f.portrait ? avail : (avail - spacing) * 0.5f;
    if (bigButton(f.theme,
                  {t.get("welcome.track"), t.get("welcome.track_hint"), -1, icons::kTrack, true},
                  "welcome_track", ImVec2(trackW, trackH)))
        f.emit(intent::OpenTracking{});
    if (!f.portrait) ImGui::SameLine();
    ImGui::BeginGroup();
    if (!f.portrait) ImGui::Dummy(ImVec2(0, std::max(0.0f, (trackH - sizeH) * 0.5f - gapY)));
    sizeRow(f, sizeH);
    ImGui::EndGroup();
    banner(f);
}

}  // namespace kiosk::ui::screens
