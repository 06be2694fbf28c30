#include <algorithm>

#include "qr/qr_code.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

// The tracking URL's QR, drawn module by module (dark on white, 4-module quiet zone).
void drawQr(std::string_view url, float side) {
    auto qr = platform::qr::encode(url);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(side, side));
    if (!qr) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int n = qr->size() + 8;
    const float m = side / static_cast<float>(n);
    dl->AddRectFilled(pos, ImVec2(pos.x + side, pos.y + side), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < qr->size(); ++y)
        for (int x = 0; x < qr->size(); ++x)
            if (qr->dark(x, y)) {
                const ImVec2 a(pos.x + (x + 4) * m, pos.y + (y + 4) * m);
                dl->AddRectFilled(a, ImVec2(a.x + m, a.y + m), IM_COL32(0, 0, 0, 255));
            }
}

std::string printLine(const KioskUi::Frame& f) {
    switch (f.s.print) {
        case core::PrintState::Printing:
            return f.t.get("done.printing");
        case core::PrintState::Printed:
            return f.t.get("done.printed");
        case core::PrintState::Failed:
            return f.t.format("done.print_failed", {{"reason", f.t.get(f.s.printMessageKey)}});
        case core::PrintState::Idle:
            break;
    }
    return {};
}

}  // namespace

namespace {

void buttons(KioskUi::Frame& f, float bottomY) {
    namespace intent = core::intent;
    const auto& t = f.t;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 b((avail - 2 * gap) / 3.0f, 110.0f * f.theme.scale());
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), bottomY - b.y));
    // Printing starts by itself: once it has, the button prints again.
    const bool printedOnce = f.s.print != core::PrintState::Idle;
    if (bigButton(f.theme, {t.get(printedOnce ? "done.reprint" : "done.print")}, "done_print", b))
        f.emit(intent::Reprint{});
    ImGui::SameLine();
    if (bigButton(f.theme, {t.get("done.listen")}, "done_listen", b)) f.emit(intent::SpeakCode{});
    ImGui::SameLine();
    if (bigButton(f.theme, {t.get("done.finish")}, "done_finish", b, ButtonKind::Primary))
        f.emit(intent::Done{});
}

// "Sent" only once the backend has acknowledged the record; before that, "recorded", and
// whether it is on its way or waits for the network.
void heading(KioskUi::Frame& f) {
    const auto& t = f.t;
    const Palette& p = f.theme.palette();
    if (f.data.receiptSent) {
        centredText(t.get("done.title_sent"), f.theme.heading(), p.success);
        return;
    }
    centredText(t.get("done.title_recorded"), f.theme.heading(), p.success);
    centredText(t.get(f.data.online ? "done.sending" : "done.offline"), f.theme.bodyBold());
}

// The receipt secret (issue #14), as the receipt prints it, and why it matters; nothing on a
// receipt without one. In landscape it goes under the code.
void secret(KioskUi::Frame& f) {
    const auto& r = *f.s.receipt;
    if (r.secretText.empty()) return;
    centredText(f.t.format("done.secret", {{"secret", r.secretText}}), f.theme.bodyBold());
    centredText(f.t.get("done.secret_why"), f.theme.body(), f.theme.palette().muted);
}

// In portrait, beside the QR (they share its height, so the buttons keep their place at the
// largest text size): the words, the secret large enough to copy, why it is needed.
void secretBesideQr(KioskUi::Frame& f) {
    const auto& r = *f.s.receipt;
    const Palette& p = f.theme.palette();
    ImGui::BeginGroup();
    wrappedText(f.t.get("field.secret"), p.muted);
    ImGui::PushFont(f.theme.heading());
    wrappedText(r.secretText);
    ImGui::PopFont();
    wrappedText(f.t.get("done.secret_why"), p.muted);
    ImGui::EndGroup();
}

void details(KioskUi::Frame& f) {
    const auto& r = *f.s.receipt;
    const auto& t = f.t;
    const Palette& p = f.theme.palette();
    centredText(t.format("done.expected", {{"date", r.expectedReplyDate}}), f.theme.bodyBold());
    const std::string line = printLine(f);
    if (!line.empty())
        centredText(line, f.theme.bodyBold(),
                    f.s.print == core::PrintState::Failed ? p.danger : p.text);
    centredText(t.get("done.keep"), f.theme.body(), p.muted);
}

}  // namespace

void receipt(KioskUi::Frame& f) {
    if (!f.s.receipt) return;
    const auto& r = *f.s.receipt;
    const auto& t = f.t;
    const Palette& p = f.theme.palette();
    const float bottom = ImGui::GetWindowHeight() - 40.0f;
    if (!f.portrait) {
        // Landscape: the code, the dates and the buttons on the left; the QR on the right.
        const float qrCol = std::min(ImGui::GetContentRegionAvail().x * 0.38f,
                                     bottom - ImGui::GetCursorPosY() - 60.0f);
        const float top = ImGui::GetCursorPosY();
        ImGui::BeginChild("###receipt_left",
                          ImVec2(ImGui::GetContentRegionAvail().x - qrCol - 24.0f, bottom - top),
                          false, ImGuiWindowFlags_NoBackground);
        heading(f);
        centredText(t.get("done.code_label"), f.theme.body(), p.muted);
        centredText(r.trackingCode, f.theme.huge());
        secret(f);
        details(f);
        buttons(f, ImGui::GetWindowHeight());
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginGroup();
        drawQr(r.trackingUrl, qrCol);
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + qrCol);
        ImGui::TextDisabled("%s", t.get("done.qr_caption").c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndGroup();
        return;
    }
    heading(f);
    centredText(t.get("done.code_label"), f.theme.body(), p.muted);
    centredText(r.trackingCode, f.theme.huge());
    // The QR shares the height with the caption, three lines of details and the buttons: at the
    // largest text size it shrinks (to no less than a phone still reads) so the buttons stay on
    // the screen.
    const float line = f.theme.bodyBold()->FontSize * 1.6f;
    const float below =
        5.0f * line + 110.0f * f.theme.scale() + 4.0f * ImGui::GetStyle().ItemSpacing.y;
    const bool hasSecret = !r.secretText.empty();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float qrSide =
        std::max(240.0f, std::min({avail * (hasSecret ? 0.42f : 0.6f), 460.0f * f.theme.scale(),
                                   bottom - ImGui::GetCursorPosY() - below}));
    if (hasSecret) {
        ImGui::BeginGroup();
        drawQr(r.trackingUrl, qrSide);
        ImGui::EndGroup();
        ImGui::SameLine(0.0f, 32.0f * f.theme.scale());
        secretBesideQr(f);
    } else {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - qrSide) * 0.5f);
        drawQr(r.trackingUrl, qrSide);
    }
    centredText(t.get("done.qr_caption"), f.theme.body(), p.muted);
    details(f);
    buttons(f, bottom);
}

}  // namespace kiosk::ui::screens
