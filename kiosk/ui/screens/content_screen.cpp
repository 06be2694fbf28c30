#include <algorithm>

#include "record/text.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

void wardPicker(KioskUi::Frame& f) {
    const auto& t = f.t;
    title(f, t.get("content.ward_label"));
    ImGui::BeginChild("###ward_list", ImVec2(0, 0), false);
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = 84.0f * f.theme.scale();
    if (bigButton(f.theme, {t.get("content.ward_none")}, "ward_none", ImVec2(w, h))) {
        f.emit(core::intent::PickWard{""});
        f.ui.wardPickerOpen() = false;
    }
    for (const auto& ward : f.data.config->wards) {
        const bool selected = f.s.form.wardCode == ward.code;
        if (bigButton(f.theme, {ward.name}, "ward_" + ward.code, ImVec2(w, h),
                      selected ? ButtonKind::Selected : ButtonKind::Secondary,
                      f.theme.bodyBold())) {
            f.emit(core::intent::PickWard{ward.code});
            f.ui.wardPickerOpen() = false;
        }
    }
    ImGui::EndChild();
}

std::string wardName(const KioskUi::Frame& f) {
    for (const auto& w : f.data.config->wards)
        if (w.code == f.s.form.wardCode) return w.name;
    return f.t.get("content.ward_none");
}

}  // namespace

namespace {

void bodyLabel(KioskUi::Frame& f) {
    ImGui::TextUnformatted(f.t.get("content.body_label").c_str());
    // The count only near the limit: before that it is noise.
    const std::size_t count = ksync::record::countCodepoints(f.s.form.body);
    const std::size_t max = ksync::record::kMaxBodyChars;
    if (count * 10 < max * 9) return;
    ImGui::SameLine();
    const std::string left = std::to_string(count < max ? max - count : 0);
    ImGui::TextDisabled("%s", f.t.format("content.chars", {{"left", left}}).c_str());
}

void wardColumn(KioskUi::Frame& f, float w, float line) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted(f.t.get("content.ward_label").c_str());
    if (bigButton(f.theme, {wardName(f) + "  ›"}, "field_ward", ImVec2(w, line),
                  ButtonKind::Secondary, f.theme.body()))
        f.ui.wardPickerOpen() = true;
    ImGui::EndGroup();
}

void addressColumn(KioskUi::Frame& f, float w, float line) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted(f.t.get("content.address_label").c_str());
    f.ui.drawField(f, core::FormField::LocationAddress, "field_location", ImVec2(w, line));
    fieldError(f, ksync::record::Field::LocationAddress);
    ImGui::EndGroup();
}

void titleColumn(KioskUi::Frame& f, float w, float line) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted(f.t.get("content.title_label").c_str());
    f.ui.drawField(f, core::FormField::Title, "field_title", ImVec2(w, line));
    fieldError(f, ksync::record::Field::Title);
    ImGui::EndGroup();
}

// Landscape has little height once the keyboard is up: no heading, and the title, place and
// address share one row under the body (Next is in the step bar).
void contentLandscape(KioskUi::Frame& f) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float kb = f.ui.keyboardHeight(width);
    const float line = 72.0f * f.theme.scale();
    const float rowB =
        line + ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
    const float gap = ImGui::GetStyle().ItemSpacing.y;
    // Too little height for the row under the body (the largest text size): the place becomes
    // one button beside the body's label, and the title (suggested, never needs touching) is
    // seen and changed on the review screen.
    const float room = ImGui::GetContentRegionAvail().y - kb - 3 * gap -
                       ImGui::GetTextLineHeightWithSpacing() - line;
    if (room < rowB) {
        const float wardW = std::min(width * 0.4f, 560.0f * f.theme.scale());
        bodyLabel(f);
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - wardW);
        if (bigButton(f.theme, {wardName(f) + "  ›"}, "field_ward", ImVec2(wardW, kMinTouchPx),
                      ButtonKind::Secondary, f.theme.body()))
            f.ui.wardPickerOpen() = true;
        const float bodyH = std::max(line, ImGui::GetContentRegionAvail().y - kb - 2 * gap);
        f.ui.drawField(f, core::FormField::Body, "field_body", ImVec2(width, bodyH));
        fieldError(f, ksync::record::Field::Body);
        f.ui.drawKeyboard(f, kb);
        return;
    }
    bodyLabel(f);
    const float bodyH = std::max(line, ImGui::GetContentRegionAvail().y - kb - rowB - 3 * gap);
    f.ui.drawField(f, core::FormField::Body, "field_body", ImVec2(width, bodyH));
    fieldError(f, ksync::record::Field::Body);
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const float unit = (width - 2 * sp) / 20.0f;
    titleColumn(f, unit * 8, line);
    ImGui::SameLine();
    wardColumn(f, unit * 6, line);
    ImGui::SameLine();
    addressColumn(f, unit * 6, line);
    f.ui.drawKeyboard(f, kb);
}

}  // namespace

void content(KioskUi::Frame& f) {
    using core::FormField;
    using ksync::record::Field;
    if (f.ui.wardPickerOpen()) {
        wardPicker(f);
        return;
    }
    if (!f.portrait) {
        contentLandscape(f);
        return;
    }
    const auto& t = f.t;
    title(f, t.get(f.s.form.type == "SKGP" ? "content.title_skgp" : "content.title_pakn"));
    const float width = ImGui::GetContentRegionAvail().x;
    const float kb = f.ui.keyboardHeight(width);
    const float line = 76.0f * f.theme.scale();
    const float fixed = line * 2 + 4 * ImGui::GetTextLineHeightWithSpacing();
    const float bodyH =
        std::max(line * 1.5f, ImGui::GetContentRegionAvail().y - kb - fixed - 40.0f);
    bodyLabel(f);
    f.ui.drawField(f, FormField::Body, "field_body", ImVec2(width, bodyH));
    fieldError(f, Field::Body);
    titleColumn(f, width, line);
    const float half = (width - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    wardColumn(f, half, line);
    ImGui::SameLine();
    addressColumn(f, half, line);
    f.ui.drawKeyboard(f, kb);
}

}  // namespace kiosk::ui::screens
