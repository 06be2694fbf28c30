// KioskUi — section index:
//   1. construction and fields      2. frame: root window, screen dispatch
//   3. toolbar                      4. overlays (idle countdown, staff corner)
//   5. input routing (on-screen keyboard, physical keys, scanner)
#include "ui/kiosk_ui.hpp"

#include "ui/icons.hpp"

#include <algorithm>
#include <initializer_list>

#include "core/addition.hpp"
#include "ui/item_probe.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"
#include "ui/widgets/text_field_view.hpp"

namespace kiosk::ui {

using core::FormField;
using core::Screen;
namespace intent = core::intent;

// ---- 1. construction and fields ------------------------------------------------------------

KioskUi::KioskUi(const platform::text::Strings& vi, const platform::text::Strings& en, Theme& theme)
    : m_vi(vi), m_en(en), m_theme(theme), m_keyboardVi(vi), m_keyboardEn(en) {
    m_fields.emplace(FormField::Body,
                     TextField::vietnameseText(true, ksync::record::kMaxBodyChars));
    m_fields.emplace(FormField::Title,
                     TextField::vietnameseText(false, ksync::record::kMaxTitleChars));
    m_fields.emplace(FormField::LocationAddress,
                     TextField::vietnameseText(false, ksync::record::kMaxAddressChars));
    m_fields.emplace(FormField::Name,
                     TextField::vietnameseText(false, ksync::record::kMaxNameChars));
    m_fields.emplace(FormField::Phone, TextField::phone());
    m_fields.emplace(FormField::Email, TextField::email());
    m_fields.emplace(FormField::ContactAddress,
                     TextField::vietnameseText(false, ksync::record::kMaxAddressChars));
    m_fields.emplace(FormField::TrackCode, TextField::code(64));
    // Issue #14: the receipt secret on the code keypad (a scanner may type a whole QR payload),
    // the supplement as a submission's body, a rating's comment and reopen reason.
    m_fields.emplace(FormField::Secret, TextField::code(256));
    m_fields.emplace(FormField::Supplement,
                     TextField::vietnameseText(true, ksync::record::kMaxBodyChars));
    m_fields.emplace(FormField::Comment,
                     TextField::vietnameseText(true, ksync::record::kMaxCommentChars));
    m_fields.emplace(FormField::ReopenReason,
                     TextField::vietnameseText(true, ksync::record::kMaxCommentChars));
    TextFieldConfig pin;
    pin.layout = input::LayoutKind::Phone;
    pin.allowVietnamese = false;
    pin.vietnameseOn = false;
    pin.maxChars = 8;
    m_fields.emplace(FormField::Pin, TextField(pin));
}

TextField& KioskUi::field(FormField f) {
    return m_fields.at(f);
}

void KioskUi::focus(FormField f) {
    if (m_hasFocus && m_focus == f) return;
    if (m_hasFocus) m_fields.at(m_focus).commit();
    m_focus = f;
    m_hasFocus = true;
    m_keyboardVi.reset();
    m_keyboardEn.reset();
}

void KioskUi::resetFields() {
    for (auto& [_, fld] : m_fields) fld.clear();
    m_hasFocus = false;
    m_consentExpanded = false;
    m_wardPickerOpen = false;
    m_scanBuffer.clear();
}

namespace {

const std::string* formText(const core::State& s, FormField f) {
    switch (f) {
        case FormField::Title:
            return &s.form.title;
        case FormField::Body:
            return &s.form.body;
        case FormField::Ward:
            return &s.form.wardCode;
        case FormField::LocationAddress:
            return &s.form.locationAddress;
        case FormField::Name:
            return &s.form.name;
        case FormField::Phone:
            return &s.form.phone;
        case FormField::Email:
            return &s.form.email;
        case FormField::ContactAddress:
            return &s.form.contactAddress;
        case FormField::TrackCode:
            return &s.tracking.typed;
        case FormField::Pin:
            return &s.staff.pin;
        case FormField::Secret:
            return &s.addition.secretTyped;
        case FormField::Supplement:
            return &s.addition.body;
        case FormField::Comment:
            return &s.addition.comment;
        case FormField::ReopenReason:
            return &s.addition.reopenReason;
    }
    return nullptr;
}

// The field that gets focus when a screen opens.
std::optional<FormField> firstField(const core::State& s) {
    switch (s.screen) {
        case Screen::Content:
            return FormField::Body;
        case Screen::Contact:
            return s.form.contact == core::ContactChoice::WithContact
                       ? std::optional(FormField::Name)
                       : std::nullopt;
        case Screen::TrackEntry:
            return FormField::TrackCode;
        case Screen::StaffPin:
            return FormField::Pin;
        case Screen::AddProof:
            return s.addition.checking ? std::nullopt : std::optional(FormField::Secret);
        case Screen::AddText:
            return FormField::Supplement;
        default:
            return std::nullopt;
    }
}

}  // namespace

// The core holds the text. Every edit a field makes reaches the core in the same frame (as a
// SetText intent), so at the start of a frame the two differ only when the core changed the
// text itself — a reset, a new title suggestion, a PIN cleared after checking — and then the
// core wins.
void KioskUi::syncFields(const core::State& s) {
    if (s.screen != m_lastScreen) {
        m_lastScreen = s.screen;
        m_hasFocus = false;
        m_wardPickerOpen = false;
        if (auto f = firstField(s)) focus(*f);
    }
    if (s.form.contact != m_lastContactChoice) {
        m_lastContactChoice = s.form.contact;
        if (s.screen == Screen::Contact && s.form.contact == core::ContactChoice::WithContact)
            focus(FormField::Name);
        if (s.form.contact != core::ContactChoice::WithContact && m_hasFocus &&
            s.screen == Screen::Contact)
            m_hasFocus = false;
    }
    for (auto& [id, fld] : m_fields) {
        const std::string* text = formText(s, id);
        if (!text) continue;
        if (fld.text() != *text) fld.setText(*text);
    }
}

// ---- 2. frame --------------------------------------------------------------------------------

std::vector<core::Intent> KioskUi::draw(const UiData& data) {
    const core::State& s = *data.state;
    std::vector<core::Intent> out = std::exchange(m_pending, {});
    m_theme.apply(s.prefs);
    syncFields(s);

    const ImVec2 display = ImGui::GetIO().DisplaySize;
    Frame fr{*this, data, s, strings(s), m_theme, out, display, display.y > display.x};
    m_landscape = !fr.portrait;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(display);
    const ImGuiWindowFlags root = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                  ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                  ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("###kiosk_root", nullptr, root);
    ImGui::PushFont(m_theme.body());
    drawToolbar(fr);
    drawStepBar(fr);
    switch (s.screen) {
        case Screen::Welcome:
            screens::welcome(fr);
            break;
        case Screen::Category:
            screens::category(fr);
            break;
        case Screen::Content:
            screens::content(fr);
            break;
        case Screen::Contact:
            screens::contact(fr);
            break;
        case Screen::Review:
            screens::review(fr);
            break;
        case Screen::Receipt:
            screens::receipt(fr);
            break;
        case Screen::TrackEntry:
            screens::trackEntry(fr);
            break;
        case Screen::TrackResult:
            screens::trackResult(fr);
            break;
        case Screen::StaffPin:
            screens::staffPin(fr);
            break;
        case Screen::StaffPanel:
            screens::staffPanel(fr);
            break;
        case Screen::AddProof:
            screens::addProof(fr);
            break;
        case Screen::AddText:
            screens::addText(fr);
            break;
        case Screen::AddReview:
            screens::addReview(fr);
            break;
        case Screen::AddDone:
            screens::addDone(fr);
            break;
        case Screen::Rate:
            screens::rate(fr);
            break;
        case Screen::RateDone:
            screens::rateDone(fr);
            break;
    }
    ImGui::PopFont();
    ImGui::End();
    drawStaffCorner(fr);
    if (s.idleWarning) drawIdleOverlay(fr);
    return out;
}

// ---- 3. toolbar ------------------------------------------------------------------------------

void KioskUi::drawToolbar(Frame& fr) {
    const auto& t = fr.t;
    const float corner = 72.0f;  // the staff corner sits left of the toolbar
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + corner);
    const bool hasBack = fr.s.screen != Screen::Welcome && fr.s.screen != Screen::Receipt &&
                         fr.s.screen != Screen::StaffPanel && fr.s.screen != Screen::AddDone &&
                         fr.s.screen != Screen::RateDone;
    const char* sizeLabel = fr.s.prefs.textSize == core::TextSize::Normal  ? "A+"
                            : fr.s.prefs.textSize == core::TextSize::Large ? "A++"
                                                                           : "A";
    // Each label with its pictogram (issue #15; ui/icons.hpp), as one more word of it.
    const bool icons = m_theme.iconsLoaded();
    const std::string back =
        icons ? m_theme.withIcon(icons::kBack, t.get("nav.back")) : "‹ " + t.get("nav.back");
    const std::string size =
        m_theme.withIcon(icons::kTextSize, t.get("toolbar.text_size") + " " + sizeLabel);
    const std::string lang = m_theme.withIcon(icons::kLanguage, t.get("toolbar.language"));
    const std::string contrast = m_theme.withIcon(icons::kContrast, t.get("toolbar.contrast"));
    const std::string speech =
        m_theme.withIcon(fr.s.prefs.speech ? icons::kSpeechOn : icons::kSpeechOff,
                         t.get(fr.s.prefs.speech ? "toolbar.speech_on" : "toolbar.speech_off"));
    const std::string listen = m_theme.withIcon(icons::kListen, t.get("toolbar.listen"));
    const std::string help = m_theme.withIcon(icons::kHelp, t.get("toolbar.help"));
    const bool staffScreen = fr.s.screen == Screen::StaffPin || fr.s.screen == Screen::StaffPanel;
    // Seven equal slots (Back's stays empty where there is no Back; Help's on the staff's own
    // screens). As many in a row as fit without breaking a word of any label at this text size:
    // one row normally, two or three at the large sizes in portrait. Labels wrap between words.
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    ImFont* font = m_theme.bodyBold();
    const float pad = 40.0f * m_theme.scale();  // bigButton's padding, both sides
    const std::string* labels[] = {&back, &lang, &size, &contrast, &speech, &listen, &help};
    auto widest = [&](const std::string& text) {
        float most = 0.0f;
        std::size_t at = 0;
        while (at <= text.size()) {
            std::size_t end = text.find(' ', at);
            if (end == std::string::npos) end = text.size();
            most = std::max(most, font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f,
                                                      text.data() + at, text.data() + end)
                                      .x);
            at = end + 1;
        }
        return most;
    };
    float word = 0.0f;
    for (const std::string* label : labels) word = std::max(word, widest(*label));
    int perRow = 7;
    while (perRow > 2 &&
           (avail - static_cast<float>(perRow - 1) * spacing) / static_cast<float>(perRow) - pad <
               word + 1.0f)
        --perRow;
    const float w = (avail - static_cast<float>(perRow - 1) * spacing) / static_cast<float>(perRow);
    float h = 84.0f * m_theme.scale();  // tall enough for the longest label once wrapped
    for (const std::string* label : labels) {
        const float textH = font->CalcTextSizeA(font->FontSize, FLT_MAX, w - pad, label->c_str()).y;
        h = std::max(h, textH + 24.0f * m_theme.scale());
    }
    int slot = 0;
    auto place = [&] {
        if (slot > 0 && slot % perRow != 0)
            ImGui::SameLine();
        else if (slot > 0)
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + corner);
        ++slot;
    };
    place();
    if (hasBack) {
        if (bigButton(m_theme, {back}, "nav_back", ImVec2(w, h), ButtonKind::Secondary, font))
            fr.emit(intent::Back{});
    } else {
        ImGui::Dummy(ImVec2(w, h));
    }
    place();
    if (bigButton(m_theme, {lang}, "tb_language", ImVec2(w, h), ButtonKind::Secondary, font))
        fr.emit(intent::SetLanguage{fr.s.prefs.language == "vi" ? "en" : "vi"});
    place();
    if (bigButton(m_theme, {size}, "tb_text_size", ImVec2(w, h), ButtonKind::Secondary, font)) {
        const auto next = fr.s.prefs.textSize == core::TextSize::Normal ? core::TextSize::Large
                          : fr.s.prefs.textSize == core::TextSize::Large
                              ? core::TextSize::ExtraLarge
                              : core::TextSize::Normal;
        fr.emit(intent::SetTextSize{next});
    }
    place();
    if (bigButton(m_theme, {contrast}, "tb_contrast", ImVec2(w, h),
                  fr.s.prefs.highContrast ? ButtonKind::Selected : ButtonKind::Secondary, font))
        fr.emit(intent::ToggleContrast{});
    place();
    if (bigButton(m_theme, {speech}, "tb_speech", ImVec2(w, h),
                  fr.s.prefs.speech ? ButtonKind::Selected : ButtonKind::Secondary, font))
        fr.emit(intent::ToggleSpeech{});
    place();
    if (bigButton(m_theme, {listen}, "tb_listen", ImVec2(w, h), ButtonKind::Secondary, font))
        fr.emit(intent::SpeakScreen{});
    // "Cần giúp đỡ?" on every screen of the resident (the staff screens have the staff there).
    place();
    if (staffScreen) {
        ImGui::Dummy(ImVec2(w, h));
    } else if (bigButton(m_theme, {help}, "tb_help", ImVec2(w, h),
                         fr.s.helpComing ? ButtonKind::Selected : ButtonKind::Primary, font)) {
        fr.emit(intent::CallStaff{});
    }
    ImGui::Separator();
    if (fr.s.helpComing && !staffScreen) drawHelpNotice(fr);
}

// The submission's steps: "Bước 2/5 — Nội dung" with five marks on the left, and the step's
// forward button (Tiếp tục / Xác nhận gửi) on the right — always in this one place, as Back
// is always the toolbar's first button.
void KioskUi::drawStepBar(Frame& fr) {
    const auto& s = fr.s;
    int step = 0;
    const char* nameKey = "";
    switch (s.screen) {
        case Screen::Category:
            step = 1, nameKey = "step.category";
            break;
        case Screen::Content:
            step = 2, nameKey = "step.content";
            break;
        case Screen::Contact:
            step = 3, nameKey = "step.contact";
            break;
        case Screen::Review:
            step = 4, nameKey = "step.review";
            break;
        case Screen::Receipt:
            step = 5, nameKey = "step.receipt";
            break;
        // Issue #14: adding information (four steps) and rating (three).
        case Screen::AddProof:
            step = 1, nameKey = "step.add_proof";
            break;
        case Screen::AddText:
            step = 2, nameKey = "step.add_text";
            break;
        case Screen::AddReview:
            step = 3, nameKey = "step.add_review";
            break;
        case Screen::AddDone:
            step = 4, nameKey = "step.add_done";
            break;
        case Screen::Rate:
            step = 2, nameKey = "step.rate";
            break;
        case Screen::RateDone:
            step = 3, nameKey = "step.rate_done";
            break;
        default:
            return;
    }
    const bool rating =
        s.addition.kind == core::AdditionKind::Rating &&
        (s.screen == Screen::AddProof || s.screen == Screen::Rate || s.screen == Screen::RateDone);
    const int kSteps = !core::isAdditionScreen(s.screen) ? 5 : rating ? 3 : 4;
    if (rating && s.screen == Screen::AddProof) nameKey = "step.add_proof";
    const Palette& p = m_theme.palette();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float h = 96.0f * m_theme.scale();
    const float buttonW = std::min(avail * 0.42f, 520.0f * m_theme.scale());
    const float labelW = avail - buttonW - ImGui::GetStyle().ItemSpacing.x;
    const std::string label = fr.t.format("nav.step", {{"step", std::to_string(step)},
                                                       {"total", std::to_string(kSteps)}}) +
                              " — " + fr.t.get(nameKey);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    ImGui::PushFont(m_theme.heading());
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + labelW);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ItemProbe::recordText(label);
    // Five marks: done and current filled, the rest outlined.
    const float markH = 14.0f * m_theme.scale();
    const float gap = 10.0f * m_theme.scale();
    const float markW = std::min(90.0f * m_theme.scale(), (labelW - gap * (kSteps - 1)) / kSteps);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < kSteps; ++i) {
        const ImVec2 a(at.x + static_cast<float>(i) * (markW + gap), at.y + 4.0f);
        const ImVec2 b(a.x + markW, a.y + markH);
        if (i < step)
            dl->AddRectFilled(a, b, p.primary, markH * 0.5f);
        else
            dl->AddRect(a, b, p.border, markH * 0.5f, 0, 2.0f);
    }
    ImGui::Dummy(ImVec2(labelW, markH + 8.0f));
    ImGui::EndGroup();
    const float usedH = ImGui::GetCursorScreenPos().y - origin.y;
    ImGui::SameLine();
    const float bh = std::max(h, usedH - ImGui::GetStyle().ItemSpacing.y);
    const ImVec2 b(buttonW, bh);
    if (s.screen == Screen::Content || s.screen == Screen::Contact ||
        (s.screen == Screen::Category && !s.form.category.empty())) {
        if (bigButton(m_theme, {fr.t.get("nav.next") + " ›"}, "nav_next", b, ButtonKind::Primary))
            fr.emit(intent::Next{});
    } else if (s.screen == Screen::Review && !s.storing) {
        if (bigButton(m_theme, {fr.t.get("nav.confirm") + " ›"}, "nav_confirm", b,
                      ButtonKind::Primary))
            fr.emit(intent::Confirm{});
    } else if ((s.screen == Screen::AddProof && !s.addition.checking) ||
               s.screen == Screen::AddText) {
        if (bigButton(m_theme, {fr.t.get("nav.next") + " ›"}, "nav_next", b, ButtonKind::Primary))
            fr.emit(intent::Next{});
    } else if ((s.screen == Screen::AddReview || s.screen == Screen::Rate) && !s.addition.storing) {
        const char* forward = s.screen == Screen::Rate ? "rate.send" : "nav.confirm";
        if (bigButton(m_theme, {fr.t.get(forward) + " ›"}, "nav_confirm", b, ButtonKind::Primary))
            fr.emit(intent::Confirm{});
    } else {
        ImGui::Dummy(b);
    }
}

// After "Cần giúp đỡ?": the same words on every screen until the session ends.
void KioskUi::drawHelpNotice(Frame& fr) {
    colourBox(m_theme, m_theme.palette().warning, IM_COL32(0, 0, 0, 255), [&] {
        ImGui::PushFont(m_theme.bodyBold());
        wrappedText(fr.t.get("help.coming"));
        ImGui::PopFont();
    });
}

// ---- 4. overlays -------------------------------------------------------------------------------

void KioskUi::drawIdleOverlay(Frame& fr) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(fr.size);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 200));
    ImGui::Begin(
        "###idle_overlay", nullptr,
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleColor();
    // A tap anywhere continues; the big button says so.
    ImGui::SetCursorPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("###idle_anywhere", fr.size)) fr.emit(intent::Touch{});
    const float w = std::min(fr.size.x * 0.8f, 900.0f * m_theme.scale());
    ImGui::SetCursorPos(ImVec2((fr.size.x - w) * 0.5f, fr.size.y * 0.3f));
    ImGui::BeginChild("###idle_panel", ImVec2(w, 0), true, ImGuiWindowFlags_AlwaysAutoResize);
    // The seconds left in the tracking code's size, the words below, one button (it is also
    // read aloud as it appears: flow_voice.cpp).
    centredText(fr.t.get("idle.title"), m_theme.heading());
    centredText(fr.t.format("idle.seconds", {{"seconds", std::to_string(fr.s.idleSecondsLeft)}}),
                m_theme.huge());
    ImGui::PushFont(m_theme.body());
    wrappedText(fr.t.format("idle.countdown", {{"seconds", std::to_string(fr.s.idleSecondsLeft)}}));
    ImGui::PopFont();
    if (bigButton(m_theme, {fr.t.get("idle.continue")}, "idle_continue",
                  ImVec2(ImGui::GetContentRegionAvail().x, 110.0f * m_theme.scale()),
                  ButtonKind::Primary))
        fr.emit(intent::Touch{});
    ImGui::EndChild();
    ImGui::End();
}

// A long press (3 s) on the top-left corner opens the staff PIN pad. Nothing is drawn there.
void KioskUi::drawStaffCorner(Frame& fr) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(72.0f, 72.0f));
    ImGui::Begin("###staff_corner", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground);
    ImGui::SetCursorPos(ImVec2(0, 0));
    ImGui::InvisibleButton("###staff_corner_button", ImVec2(72.0f, 72.0f));
    ItemProbe::record("staff_corner");
    if (ImGui::IsItemActive() && ImGui::GetIO().MouseDownDuration[0] >= 3.0f &&
        ImGui::GetIO().MouseDownDurationPrev[0] < 3.0f)
        fr.emit(intent::OpenStaff{});
    ImGui::End();
}

// ---- 5. input routing ---------------------------------------------------------------------------

float KioskUi::keyboardWidth(float avail) const {
    if (!m_hasFocus || m_keyboardVi.currentLayout(m_fields.at(m_focus)) != input::LayoutKind::Phone)
        return avail;
    return std::min(avail, 760.0f);
}

float KioskUi::keyboardHeight(float width) {
    if (!m_hasFocus) return 0.0f;
    for (Keyboard* kb : {&m_keyboardVi, &m_keyboardEn})
        kb->setMaxKeyHeight(m_landscape ? 76.0f : 110.0f);
    return m_keyboardVi.height(m_fields.at(m_focus), keyboardWidth(width));
}

void KioskUi::drawField(Frame& fr, FormField f, std::string_view id, ImVec2 size) {
    if (drawTextField(m_fields.at(f), id, size, focused(f))) focus(f);
    (void)fr;
}

void KioskUi::drawKeyboard(Frame& fr, float height) {
    if (!m_hasFocus) return;
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), ImGui::GetWindowHeight() - height -
                                                              ImGui::GetStyle().WindowPadding.y));
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = keyboardWidth(avail);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) * 0.5f);
    ImGui::BeginChild("###keyboard_area", ImVec2(w, height + 4.0f), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
    for (const auto& k : keyboard(fr.s).draw(m_fields.at(m_focus))) applyToFocused(k, fr.out);
    ImGui::EndChild();
}

namespace {

// What the person types on the code keypad: upper case, and the dashes placed by themselves
// after each group of `groups`. Text with anything else in it — a scanner typing a whole URL —
// is left as it is (the parser reads it).
std::string dashedGroups(const std::string& typed, std::initializer_list<std::size_t> groups) {
    std::string plain;
    for (char c : typed) {
        const bool alnum =
            (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!alnum && c != '-' && c != ' ') return typed;
        if (alnum) plain.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    std::string out;
    std::size_t at = 0;
    for (std::size_t group : groups) {
        if (plain.size() <= at + group) break;
        out += plain.substr(at, group) + "-";
        at += group;
    }
    return out + plain.substr(std::min(at, plain.size()));
}

// A tracking code: PAKN-7K3M-000123-X (groups of 4, 4, 6 and 1).
std::string dashedCode(const std::string& typed) {
    return dashedGroups(typed, {4u, 4u, 6u});
}

// A receipt secret: K3M7-X9QA-RT5PW (4, 4 and 5).
std::string dashedSecret(const std::string& typed) {
    return dashedGroups(typed, {4u, 4u});
}

}  // namespace

void KioskUi::applyToFocused(const input::KeyIntent& k, std::vector<core::Intent>& out) {
    if (!m_hasFocus) return;
    TextField& fld = m_fields.at(m_focus);
    FieldEvent ev = fld.apply(k);
    if (m_focus == FormField::TrackCode && ev.changed) {
        const std::string shaped = dashedCode(fld.text());
        if (shaped != fld.text()) fld.setText(shaped);
    }
    if (m_focus == FormField::Secret && ev.changed) {
        const std::string shaped = dashedSecret(fld.text());
        if (shaped != fld.text()) fld.setText(shaped);
    }
    if (ev.changed || k.kind == input::KeyIntent::Kind::ClearAll)
        out.push_back(intent::SetText{m_focus, fld.text()});
    if (!ev.submitted) return;
    switch (m_focus) {
        case FormField::TrackCode:
            out.push_back(intent::SubmitCode{});
            break;
        case FormField::Pin:
            out.push_back(intent::SubmitPin{});
            break;
        case FormField::Secret: {
            // A scanner typing the receipt's QR (a URL with the secret after '#') is a scan;
            // "Xong" after typing the secret is the step's forward button.
            const std::string& text = fld.text();
            if (text.find('/') != std::string::npos || text.find('#') != std::string::npos)
                out.push_back(intent::CodeScanned{text});
            else
                out.push_back(intent::Next{});
            break;
        }
        default:
            // "Xong" on a single-line field puts the keyboard away so the whole form shows.
            fld.commit();
            m_hasFocus = false;
            break;
    }
}

void KioskUi::onChar(char32_t c) {
    m_pending.push_back(intent::Touch{});
    if (m_hasFocus) {
        applyToFocused(input::KeyIntent::character(c), m_pending);
    } else if (c >= 0x20 && c < 0x7F && m_scanBuffer.size() < 256) {
        m_scanBuffer.push_back(
            static_cast<char>(c));  // a scanner typing on a screen without a field
    }
}

void KioskUi::onKey(input::SpecialKey key) {
    m_pending.push_back(intent::Touch{});
    if (m_hasFocus) {
        applyToFocused(input::KeyIntent::specialKey(key), m_pending);
    } else if (key == input::SpecialKey::Enter && !m_scanBuffer.empty()) {
        m_pending.push_back(intent::CodeScanned{std::exchange(m_scanBuffer, {})});
    }
}

void KioskUi::onStaffShortcut() {
    m_pending.push_back(intent::OpenStaff{});
}

}  // namespace kiosk::ui
