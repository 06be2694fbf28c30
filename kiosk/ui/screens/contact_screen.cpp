#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

void labelledField(KioskUi::Frame& f, core::FormField field, ksync::record::Field err,
                   std::string_view labelKey, std::string_view id, float width, float height) {
    ImGui::TextUnformatted(f.t.get(labelKey).c_str());
    f.ui.drawField(f, field, id, ImVec2(width, height));
    fieldError(f, err);
}

void contactFields(KioskUi::Frame& f) {
    using core::FormField;
    using ksync::record::Field;
    const float width = ImGui::GetContentRegionAvail().x;
    const float half = (width - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    const float line = (f.portrait ? 72.0f : 64.0f) * f.theme.scale();
    ImGui::BeginGroup();
    labelledField(f, FormField::Name, Field::Name, "field.name", "field_name", half, line);
    labelledField(f, FormField::Email, Field::Email, "field.email", "field_email", half, line);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    labelledField(f, FormField::Phone, Field::Phone, "field.phone", "field_phone", half, line);
    labelledField(f, FormField::ContactAddress, Field::ContactAddress, "field.contact_address",
                  "field_contact_address", half, line);
    ImGui::EndGroup();

    const bool consent = f.s.form.consent;
    const float readW = 300.0f * f.theme.scale();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    if (bigButton(f.theme, {f.t.get("contact.consent"), {}, consent ? 1 : 0}, "contact_consent",
                  ImVec2(width - readW - spacing, (f.portrait ? 100.0f : 80.0f) * f.theme.scale()),
                  consent ? ButtonKind::Selected : ButtonKind::Secondary, f.theme.body()))
        f.emit(core::intent::SetConsent{!consent});
    ImGui::SameLine();
    if (bigButton(f.theme, {f.t.get("contact.consent_read")}, "contact_consent_read",
                  ImVec2(readW, (f.portrait ? 100.0f : 80.0f) * f.theme.scale()),
                  ButtonKind::Secondary, f.theme.body()))
        f.ui.consentExpanded() = !f.ui.consentExpanded();
    fieldError(f, Field::Consent);
    if (f.ui.consentExpanded())
        wrappedText(f.t.get("contact.consent_full"), f.theme.palette().muted);
}

}  // namespace

void contact(KioskUi::Frame& f) {
    namespace intent = core::intent;
    using core::ContactChoice;
    const auto& t = f.t;
    title(f, t.get("contact.title"));
    const float width = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const int slots = 2;  // Next is in the step bar (kiosk_ui.cpp), always in the same place
    const float slot =
        (width - spacing * static_cast<float>(slots - 1)) / static_cast<float>(slots);
    const float h = (f.portrait ? 150.0f : 110.0f) * f.theme.scale();
    const ContactChoice choice = f.s.form.contact;
    if (bigButton(
            f.theme, {t.get("contact.with"), t.get("contact.with_hint")}, "contact_with",
            ImVec2(slot, h),
            choice == ContactChoice::WithContact ? ButtonKind::Selected : ButtonKind::Secondary))
        f.emit(intent::ChooseContact{ContactChoice::WithContact});
    ImGui::SameLine();
    if (bigButton(
            f.theme, {t.get("contact.anonymous"), t.get("contact.anonymous_hint")},
            "contact_anonymous", ImVec2(slot, h),
            choice == ContactChoice::Anonymous ? ButtonKind::Selected : ButtonKind::Secondary))
        f.emit(intent::ChooseContact{ContactChoice::Anonymous});
    banner(f);

    const float kb = f.ui.keyboardHeight(width);
    const float navH = 0.0f;
    ImGui::BeginChild("###contact_body",
                      ImVec2(0, std::max(120.0f, ImGui::GetContentRegionAvail().y - kb - navH)),
                      false);
    if (choice == ContactChoice::Anonymous) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(t.get("contact.anonymous_explain"));
        ImGui::PopFont();
    } else if (choice == ContactChoice::WithContact) {
        contactFields(f);
    }
    ImGui::EndChild();
    f.ui.drawKeyboard(f, kb);
}

}  // namespace kiosk::ui::screens
