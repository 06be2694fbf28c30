// The staff PIN pad and the staff panel.
#include <chrono>

#include "ui/item_probe.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {

namespace {

// One dot per digit typed (filled), at least four places (empty rings): the person sees that
// each tap counted without the digits showing.
void pinDots(KioskUi::Frame& f) {
    const std::size_t typed = f.s.staff.pin.size();
    const std::size_t places = std::max<std::size_t>(4, typed);
    const float r = 22.0f * f.theme.scale();
    const float gap = 28.0f * f.theme.scale();
    const float w = static_cast<float>(places) * 2 * r + static_cast<float>(places - 1) * gap;
    const float x0 = ImGui::GetCursorScreenPos().x + (ImGui::GetContentRegionAvail().x - w) * 0.5f;
    const float y = ImGui::GetCursorScreenPos().y + r + 8.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 ink = f.theme.palette().text;
    for (std::size_t i = 0; i < places; ++i) {
        const ImVec2 c(x0 + r + static_cast<float>(i) * (2 * r + gap), y);
        if (i < typed)
            dl->AddCircleFilled(c, r, ink, 32);
        else
            dl->AddCircle(c, r, ink, 32, 3.0f);
    }
    ImGui::Dummy(ImVec2(0, 2 * r + 16.0f));
    std::string shown;  // what a test reads: one ● per digit
    for (std::size_t i = 0; i < typed; ++i) shown += "●";
    ItemProbe::recordText("pin:" + shown);
}

// "14:05" in Vietnam's time (UTC+7) from unix ms.
std::string clockTime(std::int64_t ms) {
    const auto t = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)) +
                   std::chrono::hours(7);
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::minutes>(t - day)};
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    return buf;
}

// A coloured box with a bold first line and the lines under it.
void box(KioskUi::Frame& f, ImU32 fill, ImU32 ink, std::string_view headline,
         const std::vector<std::string>& lines) {
    colourBox(f.theme, fill, ink, [&] {
        ImGui::PushFont(f.theme.heading());
        wrappedText(headline);
        ImGui::PopFont();
        ImGui::PushFont(f.theme.bodyBold());
        for (const auto& l : lines) wrappedText("• " + l);
        ImGui::PopFont();
    });
}

void verdict(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& info = f.data.staff;
    const Palette& p = f.theme.palette();
    using V = StaffInfo::Verdict;
    std::vector<std::string> lines;
    for (const auto& k : info.reasons) lines.push_back(t.get(k));
    const ImU32 fill = info.verdict == V::Broken           ? p.danger
                       : info.verdict == V::NeedsAttention ? p.warning
                                                           : p.success;
    const char* key = info.verdict == V::Broken           ? "staff.verdict_broken"
                      : info.verdict == V::NeedsAttention ? "staff.verdict_attention"
                                                          : "staff.verdict_ok";
    box(f, fill, info.verdict == V::NeedsAttention ? IM_COL32(0, 0, 0, 255) : p.primaryText,
        t.get(key), lines);
}

void helpCalls(KioskUi::Frame& f, ImVec2 b) {
    const auto& calls = f.s.helpCalls;
    if (calls.empty()) return;
    const auto& t = f.t;
    std::vector<std::string> lines;
    for (const auto& c : calls)
        lines.push_back(t.format("staff.help_call_at", {{"time", clockTime(c.atMs)}}));
    box(f, f.theme.palette().warning, IM_COL32(0, 0, 0, 255),
        t.format("staff.help_calls", {{"count", std::to_string(calls.size())}}), lines);
    if (bigButton(f.theme, {t.get("staff.help_answered")}, "staff_help_answered", b,
                  ButtonKind::Primary))
        f.emit(core::intent::StaffHelpAnswered{});
}

void details(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& info = f.data.staff;
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(t.format("staff.queue", {{"count", std::to_string(info.queued)}}));
    if (!info.oldestAge.empty()) wrappedText(t.format("staff.oldest", {{"age", info.oldestAge}}));
    // A sync error or a refusal in words (sync.reject.* for {words}), its code kept for staff.
    auto worded = [&](const std::string& key, const std::string& wordsKey,
                      const std::string& detail, const std::string& text) {
        return key.empty()
                   ? text
                   : t.format(key, {{"reason", detail},
                                    {"words", wordsKey.empty() ? std::string{} : t.get(wordsKey)}});
    };
    wrappedText(t.format("staff.quarantined", {{"count", std::to_string(info.quarantined)}}),
                info.quarantined > 0 ? f.theme.palette().danger : 0);
    for (const auto& r : info.refused)
        wrappedText(
            t.format("staff.refused", {{"code", r.trackingCode},
                                       {"reason", worded(r.key, r.wordsKey, r.detail, r.text)}}),
            f.theme.palette().danger);
    wrappedText(
        t.format("staff.last_sync",
                 {{"when", info.lastContact.empty() ? t.get("ctl.never") : info.lastContact}}));
    const std::string error =
        worded(info.lastErrorKey, info.lastErrorWordsKey, info.lastErrorDetail, info.lastErrorText);
    if (!error.empty())
        wrappedText(t.format("staff.last_error", {{"error", error}}), f.theme.palette().warning);
    if (!info.printerKey.empty())
        wrappedText(t.format("staff.printer", {{"state", t.get(info.printerKey)}}));
    ImGui::PopFont();
}

void printLine(KioskUi::Frame& f) {
    const auto& t = f.t;
    switch (f.s.print) {
        case core::PrintState::Printing:
            wrappedText(t.get("done.printing"));
            break;
        case core::PrintState::Printed:
            wrappedText(t.get("staff.printed"));
            break;
        case core::PrintState::Failed:
            wrappedText(t.format("staff.print_failed", {{"reason", t.get(f.s.printMessageKey)}}),
                        f.theme.palette().danger);
            break;
        case core::PrintState::Idle:
            break;
    }
}

void usb(KioskUi::Frame& f, float w, float h) {
    namespace intent = core::intent;
    const auto& t = f.t;
    // USB bundles for communes without a link: the steps, two buttons, the last outcome.
    ImGui::PushFont(f.theme.body());
    wrappedText(t.get("staff.usb_steps"));
    ImGui::PopFont();
    const ImVec2 half((w - ImGui::GetStyle().ItemSpacing.x) / 2, h);
    const auto usbKind = f.s.staff.usbBusy
                             ? ButtonKind::Selected
                             : ButtonKind::Secondary;  // the flow ignores taps meanwhile
    if (bigButton(f.theme, {t.get("staff.usb_export")}, "staff_usb_export", half, usbKind))
        f.emit(intent::StaffUsbExport{});
    ImGui::SameLine();
    if (bigButton(f.theme, {t.get("staff.usb_import")}, "staff_usb_import", half, usbKind))
        f.emit(intent::StaffUsbImport{});
    if (f.s.staff.usbBusy) {
        wrappedText(t.get("staff.usb_busy"));
    } else if (!f.s.staff.usbMessageKey.empty()) {
        std::string words = t.get(f.s.staff.usbMessageKey);
        for (const auto& [name, value] : f.s.staff.usbParams)
            for (auto at = words.find("{" + name + "}"); at != std::string::npos;
                 at = words.find("{" + name + "}", at + value.size()))
                words.replace(at, name.size() + 2, value);
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(words, f.s.staff.usbOk ? f.theme.palette().success : f.theme.palette().danger);
        ImGui::PopFont();
    }
}

// Leaving kiosk mode sits apart, at the bottom, and asks first.
void exitKiosk(KioskUi::Frame& f, float w, float h) {
    namespace intent = core::intent;
    const auto& t = f.t;
    const float need = f.s.staff.exitAsked ? 2 * h + 3 * ImGui::GetTextLineHeightWithSpacing() : h;
    ImGui::SetCursorPosY(
        std::max(ImGui::GetCursorPosY() + 60.0f, ImGui::GetWindowHeight() - need - 40.0f));
    ImGui::Separator();
    if (!f.s.staff.exitAsked) {
        if (bigButton(f.theme, {t.get("staff.exit")}, "staff_exit", ImVec2(w, h),
                      ButtonKind::Danger))
            f.emit(intent::StaffExit{});
        return;
    }
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(t.get("staff.exit_question"), f.theme.palette().danger);
    ImGui::PopFont();
    const ImVec2 half((w - ImGui::GetStyle().ItemSpacing.x) / 2, h);
    if (bigButton(f.theme, {t.get("staff.exit_no")}, "staff_exit_no", half, ButtonKind::Primary))
        f.emit(intent::StaffExitCancel{});
    ImGui::SameLine();
    if (bigButton(f.theme, {t.get("staff.exit_yes")}, "staff_exit_yes", half, ButtonKind::Danger))
        f.emit(intent::StaffExitConfirm{});
}

}  // namespace

void staffPin(KioskUi::Frame& f) {
    const auto& t = f.t;
    title(f, t.get("staff.pin_title"));
    pinDots(f);
    if (!f.s.staff.messageKey.empty())
        centredText(t.get(f.s.staff.messageKey), f.theme.bodyBold(), f.theme.palette().danger);
    const float width = ImGui::GetContentRegionAvail().x;
    if (nextButton(f, "staff.pin_ok", "staff_pin_ok")) f.emit(core::intent::SubmitPin{});
    f.ui.drawKeyboard(f, f.ui.keyboardHeight(width));
}

void staffPanel(KioskUi::Frame& f) {
    namespace intent = core::intent;
    const auto& t = f.t;
    title(f, t.get("staff.panel_title"));
    verdict(f);
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = 96.0f * f.theme.scale();
    helpCalls(f, ImVec2(w, h));
    details(f);
    ImGui::Dummy(ImVec2(0, 12));
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 half((w - sp) / 2, h);
    if (bigButton(f.theme, {t.get("staff.test_print")}, "staff_test_print", half))
        f.emit(intent::StaffTestPrint{});
    ImGui::SameLine();
    if (!f.s.lastReceiptCode.empty()) {
        if (bigButton(f.theme, {t.get("staff.reprint"), f.s.lastReceiptCode}, "staff_reprint",
                      half))
            f.emit(intent::Reprint{});
    } else {
        ImGui::Dummy(half);
    }
    printLine(f);
    if (bigButton(f.theme,
                  {t.get(f.s.staff.assistedNext ? "staff.assisted_on" : "staff.assisted_off")},
                  "staff_assisted", ImVec2(w, h),
                  f.s.staff.assistedNext ? ButtonKind::Selected : ButtonKind::Secondary))
        f.emit(intent::StaffToggleAssisted{});
    usb(f, w, h);
    ImGui::Dummy(ImVec2(0, 12));
    if (bigButton(f.theme, {t.get("staff.close")}, "staff_close", ImVec2(w, h),
                  ButtonKind::Primary))
        f.emit(intent::StaffClose{});
    exitKiosk(f, w, h);
}

}  // namespace kiosk::ui::screens
