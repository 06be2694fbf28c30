// Flow: building the draft from the form and checking it screen by screen.
#include <algorithm>

#include "core/flow.hpp"

namespace kiosk::core {

Screen screenOf(record::Field f) {
    using record::Field;
    switch (f) {
        case Field::Type:
        case Field::Category:
            return Screen::Category;
        case Field::Title:
        case Field::Body:
        case Field::Ward:
        case Field::LocationAddress:
            return Screen::Content;
        case Field::Name:
        case Field::Phone:
        case Field::Email:
        case Field::ContactAddress:
        case Field::Consent:
            return Screen::Contact;
        case Field::Channel:
        case Field::Language:
        // Supplements and ratings (issue #14) have their own screens; the submission's form
        // never reports these fields.
        case Field::ParentCode:
        case Field::Secret:
        case Field::Rating:
        case Field::Comment:
        case Field::ReopenReason:
            return Screen::Review;
    }
    return Screen::Review;
}

record::Draft Flow::draft() const {
    const Form& f = m_state.form;
    record::Draft d;
    d.type = f.type;
    d.category = f.category;
    d.title = f.title;
    d.body = f.body;
    d.wardCode = f.wardCode;
    d.locationAddress = f.locationAddress;
    d.anonymous = f.contact != ContactChoice::WithContact;
    if (!d.anonymous) {
        d.name = f.name;
        d.phone = f.phone;
        d.email = f.email;
        d.contactAddress = f.contactAddress;
        d.consent = f.consent;
    }
    d.consentVersion = m_config.consentVersion;
    d.channel = "kiosk";
    d.staffAssisted = m_state.staff.assistedNext;
    d.language = m_state.prefs.language;
    return d;
}

bool Flow::validateScreen(Screen s) {
    // Clear this screen's old messages, then check the whole draft and keep what is shown here.
    for (auto it = m_state.errors.begin(); it != m_state.errors.end();) {
        it = screenOf(it->first) == s ? m_state.errors.erase(it) : std::next(it);
    }
    auto result = record::validateDraft(draft());
    if (result) return true;
    bool ok = true;
    for (const auto& e : result.error()) {
        if (screenOf(e.field) != s) continue;
        m_state.errors[e.field] = FieldMessage{e.messageKey, e.count, e.max};
        ok = false;
    }
    return ok;
}

}  // namespace kiosk::core
