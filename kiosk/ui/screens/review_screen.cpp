#include "record/text.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

// A section header with its "Sửa" button on the right.
void section(KioskUi::Frame& f, std::string_view heading, core::Screen edit, std::string_view id) {
    ImGui::Separator();
    ImGui::PushFont(f.theme.heading());
    ImGui::TextUnformatted(heading.data(), heading.data() + heading.size());
    ImGui::PopFont();
    ImGui::SameLine();
    const float w = 200.0f * f.theme.scale();
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() +
                         std::max(0.0f, ImGui::GetContentRegionAvail().x - w));
    if (bigButton(f.theme, {f.t.get("nav.edit")}, id, ImVec2(w, 64.0f), ButtonKind::Secondary,
                  f.theme.bodyBold()))
        f.emit(core::intent::EditSection{edit});
}

void row(KioskUi::Frame& f, std::string_view labelKey, std::string_view value) {
    ImGui::PushFont(f.theme.bodyBold());
    ImGui::TextUnformatted(f.t.get(labelKey).c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    wrappedText(value);
}

}  // namespace

void review(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& form = f.s.form;
    title(f, t.get("review.title"));
    banner(f);
    ImGui::BeginChild("###review_body", ImVec2(0, ImGui::GetContentRegionAvail().y), false);
    std::string categoryName = form.category;
    if (const auto* c = f.data.config->findCategory(form.category))
        categoryName = f.s.prefs.language == "en" ? c->nameEn : c->nameVi;
    section(f, t.get("review.what"), core::Screen::Category, "review_edit_category");
    row(f, "review.kind", t.get("type." + form.type));
    row(f, "review.what", categoryName);

    section(f, t.get("field.body"), core::Screen::Content, "review_edit_content");
    row(f, "review.short_name", form.title);
    std::string body(ksync::record::prefixCodepoints(form.body, 600));
    if (body.size() < form.body.size()) body += " …";
    wrappedText(body);
    std::string place = form.locationAddress;
    for (const auto& w : f.data.config->wards)
        if (w.code == form.wardCode) place = w.name + (place.empty() ? "" : ", " + place);
    row(f, "field.location_address", place.empty() ? t.get("review.location_none") : place);

    section(f, t.get("contact.title"), core::Screen::Contact, "review_edit_contact");
    if (form.contact != core::ContactChoice::WithContact) {
        wrappedText(t.get("review.anonymous"));
    } else {
        row(f, "field.name", form.name);
        if (!form.phone.empty()) row(f, "field.phone", form.phone);
        if (!form.email.empty()) row(f, "field.email", form.email);
        if (!form.contactAddress.empty()) row(f, "field.contact_address", form.contactAddress);
    }
    if (f.s.staff.assistedNext) wrappedText(t.get("review.assisted"), f.theme.palette().muted);
    ImGui::EndChild();  // "Xác nhận gửi" is in the step bar (kiosk_ui.cpp)
}

}  // namespace kiosk::ui::screens
