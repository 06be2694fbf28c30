// The staff PIN pad and the staff panel.
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {

void staffPin(KioskUi::Frame& f) {
    const auto& t = f.t;
    title(f, t.get("staff.pin_title"));
    std::string shown;
    for (size_t i = 0; i < f.s.staff.pin.size(); ++i) shown += "* ";
    centredText(shown.empty() ? "—" : shown, f.theme.huge());
    if (!f.s.staff.messageKey.empty()) centredText(t.get(f.s.staff.messageKey), f.theme.bodyBold(), f.theme.palette().danger);
    const float width = ImGui::GetContentRegionAvail().x;
    if (nextButton(f, "staff.pin_ok", "staff_pin_ok")) f.emit(core::intent::SubmitPin{});
    f.ui.drawKeyboard(f, f.ui.keyboardHeight(width));
}

void staffPanel(KioskUi::Frame& f) {
    namespace intent = core::intent;
    const auto& t = f.t;
    const auto& info = f.data.staff;
    title(f, t.get("staff.panel_title"));
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(t.format("staff.queue", {{"count", std::to_string(info.queued)}}));
    if (!info.oldestAge.empty()) wrappedText(t.format("staff.oldest", {{"age", info.oldestAge}}));
    wrappedText(t.format("staff.quarantined", {{"count", std::to_string(info.quarantined)}}),
                info.quarantined > 0 ? f.theme.palette().danger : 0);
    wrappedText(t.format("staff.last_sync", {{"when", info.lastContact.empty() ? t.get("ctl.never") : info.lastContact}}));
    const std::string error =
        info.lastErrorKey.empty() ? info.lastErrorText : t.format(info.lastErrorKey, {{"reason", info.lastErrorDetail}});
    if (!error.empty()) wrappedText(t.format("staff.last_error", {{"error", error}}), f.theme.palette().warning);
    if (!info.printerKey.empty()) wrappedText(t.format("staff.printer", {{"state", t.get(info.printerKey)}}));
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, 16));
    const float w = ImGui::GetContentRegionAvail().x;
    const ImVec2 b(w, 100.0f * f.theme.scale());
    if (!f.s.lastReceiptCode.empty() &&
        bigButton(f.theme, {t.get("staff.reprint"), f.s.lastReceiptCode}, "staff_reprint", b))
        f.emit(intent::Reprint{});
    if (bigButton(f.theme, {t.get(f.s.staff.assistedNext ? "staff.assisted_on" : "staff.assisted_off")}, "staff_assisted", b,
                  f.s.staff.assistedNext ? ButtonKind::Selected : ButtonKind::Secondary))
        f.emit(intent::StaffToggleAssisted{});
    // USB bundles for communes without a link: the steps, two buttons, the last outcome.
    ImGui::PushFont(f.theme.body());
    wrappedText(t.get("staff.usb_steps"));
    ImGui::PopFont();
    const ImVec2 half((w - ImGui::GetStyle().ItemSpacing.x) / 2, b.y);
    const auto usbKind = f.s.staff.usbBusy ? ButtonKind::Selected : ButtonKind::Secondary;  // the flow ignores taps meanwhile
    if (bigButton(f.theme, {t.get("staff.usb_export")}, "staff_usb_export", half, usbKind)) f.emit(intent::StaffUsbExport{});
    ImGui::SameLine();
    if (bigButton(f.theme, {t.get("staff.usb_import")}, "staff_usb_import", half, usbKind)) f.emit(intent::StaffUsbImport{});
    if (f.s.staff.usbBusy) {
        wrappedText(t.get("staff.usb_busy"));
    } else if (!f.s.staff.usbMessageKey.empty()) {
        std::string words = t.get(f.s.staff.usbMessageKey);
        for (const auto& [name, value] : f.s.staff.usbParams)
            for (auto at = words.find("{" + name + "}"); at != std::string::npos;
                 at = words.find("{" + name + "}", at + value.size()))
                words.replace(at, name.size() + 2, value);
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(words,
                    f.s.staff.usbOk ? f.theme.palette().success : f.theme.palette().danger);
        ImGui::PopFont();
    }
    ImGui::Dummy(ImVec2(0, 16));
    if (bigButton(f.theme, {t.get("staff.close")}, "staff_close", b, ButtonKind::Primary)) f.emit(intent::StaffClose{});
    ImGui::Dummy(ImVec2(0, 40));
    if (bigButton(f.theme, {t.get("staff.exit")}, "staff_exit", b, ButtonKind::Danger)) f.emit(intent::StaffExit{});
}

}  // namespace kiosk::ui::screens
