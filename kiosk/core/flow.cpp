// Flow: the transitions. One operator() per intent; each is short and says what it changes.
#include "core/flow.hpp"

#include <algorithm>

#include "record/receipt_proof.hpp"
#include "record/text.hpp"
#include "record/tracking_code.hpp"

namespace kiosk::core {

namespace {

bool isResult(const Intent& i) {
    return std::holds_alternative<intent::Tick>(i) || std::holds_alternative<intent::Stored>(i) ||
           std::holds_alternative<intent::StoreFailed>(i) ||
           std::holds_alternative<intent::Printed>(i) ||
           std::holds_alternative<intent::PrintFailed>(i) ||
           std::holds_alternative<intent::StatusLoaded>(i) ||
           std::holds_alternative<intent::PinChecked>(i) ||
           std::holds_alternative<intent::UsbDone>(i) ||
           std::holds_alternative<intent::ProofChecked>(i) ||
           std::holds_alternative<intent::AdditionStored>(i) ||
           std::holds_alternative<intent::AdditionFailed>(i);
}

constexpr std::size_t kMaxPinDigits = 8;

}  // namespace

struct FlowVisitor {
    Flow& f;
    std::vector<Effect>& fx;
    State& s = f.m_state;

    void operator()(const intent::Start& i) {
        if (s.screen != Screen::Welcome) return;
        if (i.type != "PAKN" && i.type != "SKGP") return;
        if (s.form.type != i.type) s.form = Form{};  // a new kind of submission starts clean
        s.form.type = i.type;
        f.go(Screen::Category, fx);
    }
    void operator()(const intent::OpenTracking&) {
        if (s.screen != Screen::Welcome) return;
        s.tracking = Tracking{};
        f.go(Screen::TrackEntry, fx);
    }
    void operator()(const intent::Back&) {
        s.bannerKey.clear();
        if (f.additionBack(fx)) return;
        switch (s.screen) {
            case Screen::Category:
                if (!f.backFromProblems()) f.go(Screen::Welcome, fx);
                break;
            case Screen::Content:
                f.go(Screen::Category, fx);
                break;
            case Screen::Contact:
                f.go(Screen::Content, fx);
                break;
            case Screen::Review:
                f.go(Screen::Contact, fx);
                break;
            case Screen::TrackEntry:
                f.go(Screen::Welcome, fx);
                break;
            case Screen::TrackResult:
                f.go(Screen::TrackEntry, fx);
                break;
            case Screen::StaffPin:
                f.go(s.staffReturn, fx);
                break;
            case Screen::StaffPanel:
                f.go(s.staffReturn, fx);
                break;
            case Screen::Receipt:
                (*this)(intent::Done{});
                break;
            case Screen::Welcome:
            case Screen::AddProof:  // additionBack's
            case Screen::AddText:
            case Screen::AddReview:
            case Screen::AddDone:
            case Screen::Rate:
            case Screen::RateDone:
                break;
        }
    }
    void operator()(const intent::Next&) {
        s.bannerKey.clear();
        if (f.additionNext(fx)) return;
        if (s.screen == Screen::Content) {
            if (f.validateScreen(Screen::Content)) advance(Screen::Contact);
        } else if (s.screen == Screen::Contact) {
            if (s.form.contact == ContactChoice::Undecided) {
                s.bannerKey = "contact.choose_first";
                return;
            }
            if (f.validateScreen(Screen::Contact)) advance(Screen::Review);
        } else if (s.screen == Screen::Category && s.pickingProblem) {
            f.pickProblem(-1, fx);  // "Tiếp tục" under the problem list: the person writes
        } else if (s.screen == Screen::Category && !s.form.category.empty()) {
            advance(Screen::Content);
        }
    }
    void advance(Screen next) {
        if (f.m_returnToReview) {
            f.m_returnToReview = false;
            f.go(Screen::Review, fx);
        } else {
            f.go(next, fx);
        }
    }
    void operator()(const intent::PickCategory& i) { f.pickCategory(i.code, fx); }
    void operator()(const intent::PickProblem& i) { f.pickProblem(i.index, fx); }
    void operator()(const intent::SetText& i) {
        Form& form = s.form;
        switch (i.field) {
            case FormField::Title:
                form.title = i.text;
                form.titleEdited = !i.text.empty();
                if (!form.titleEdited) suggestTitle();
                s.errors.erase(record::Field::Title);
                break;
            case FormField::Body:
                form.body = i.text;
                if (!form.titleEdited) suggestTitle();
                s.errors.erase(record::Field::Body);
                break;
            case FormField::Ward:
                form.wardCode = i.text;
                s.errors.erase(record::Field::Ward);
                break;
            case FormField::LocationAddress:
                form.locationAddress = i.text;
                s.errors.erase(record::Field::LocationAddress);
                break;
            case FormField::Name:
                form.name = i.text;
                s.errors.erase(record::Field::Name);
                break;
            case FormField::Phone:
                form.phone = i.text;
                s.errors.erase(record::Field::Phone);
                break;
            case FormField::Email:
                form.email = i.text;
                s.errors.erase(record::Field::Email);
                break;
            case FormField::ContactAddress:
                form.contactAddress = i.text;
                s.errors.erase(record::Field::ContactAddress);
                s.errors.erase(record::Field::Phone);  // "a way to reply" is reported on the phone
                break;
            case FormField::TrackCode:
                s.tracking.typed = i.text;
                s.tracking.messageKey.clear();
                break;
            case FormField::Secret:
            case FormField::Supplement:
            case FormField::Comment:
            case FormField::ReopenReason:
                f.additionText(i.field, i.text);
                break;
            case FormField::Pin: {
                std::string digits;
                for (char c : i.text)
                    if (c >= '0' && c <= '9' && digits.size() < kMaxPinDigits) digits.push_back(c);
                s.staff.pin = digits;
                s.staff.messageKey.clear();
                break;
            }
        }
    }
    void suggestTitle() {
        s.form.title =
            record::isValidUtf8(s.form.body)
                ? record::suggestTitle(record::cleanText(s.form.body, record::Lines::Multi))
                : std::string{};
    }
    void operator()(const intent::PickWard& i) {
        s.form.wardCode = i.code;
        s.errors.erase(record::Field::Ward);
    }
    void operator()(const intent::ChooseContact& i) {
        s.form.contact = i.choice;
        s.bannerKey.clear();
        if (i.choice != ContactChoice::WithContact) {
            for (auto fld : {record::Field::Name, record::Field::Phone, record::Field::Email,
                             record::Field::ContactAddress, record::Field::Consent})
                s.errors.erase(fld);
        }
    }
    void operator()(const intent::SetConsent& i) {
        s.form.consent = i.value;
        s.errors.erase(record::Field::Consent);
    }
    void operator()(const intent::EditSection& i) {
        if (s.screen != Screen::Review) return;
        if (i.screen != Screen::Category && i.screen != Screen::Content &&
            i.screen != Screen::Contact)
            return;
        f.m_returnToReview = true;
        f.go(i.screen, fx);
    }
    void operator()(const intent::Confirm&) {
        if (f.additionConfirm(fx)) return;
        if (s.screen != Screen::Review || s.storing) return;
        s.bannerKey.clear();
        auto result = record::validateDraft(f.draft());
        if (!result) {
            s.errors.clear();
            Screen first = Screen::Review;
            for (const auto& e : result.error()) {
                s.errors[e.field] = FieldMessage{e.messageKey, e.count, e.max};
                if (static_cast<int>(screenOf(e.field)) < static_cast<int>(first))
                    first = screenOf(e.field);
            }
            if (first != Screen::Review) f.m_returnToReview = true;
            f.go(first, fx);
            return;
        }
        s.storing = true;
        fx.push_back(effect::StoreRecord{std::move(*result)});
    }
    void operator()(const intent::Stored& i) {
        s.storing = false;
        s.receipt = i.receipt;
        s.lastReceiptCode = i.receipt.trackingCode;
        s.staff.assistedNext = false;  // used up by this submission
        // The record is durable: nothing the person typed needs to stay in memory.
        s.form = Form{};
        s.errors.clear();
        f.m_returnToReview = false;
        fx.push_back(effect::ResetInputs{});
        s.print = PrintState::Printing;
        s.printMessageKey.clear();
        fx.push_back(effect::PrintReceipt{i.receipt.trackingCode});
        f.go(Screen::Receipt, fx);
    }
    void operator()(const intent::StoreFailed& i) {
        s.storing = false;
        s.bannerKey = i.messageKey;  // the form stays as it is: nothing lost
    }
    void operator()(const intent::Printed&) {
        s.print = PrintState::Printed;
        s.printMessageKey.clear();
    }
    void operator()(const intent::PrintFailed& i) {
        s.print = PrintState::Failed;
        s.printMessageKey = i.messageKey;
    }
    void operator()(const intent::PrintAnswer&) {
        if (s.screen != Screen::TrackResult || !s.tracking.found || s.print == PrintState::Printing)
            return;
        s.print = PrintState::Printing;
        s.printMessageKey.clear();
        fx.push_back(effect::PrintAnswer{s.tracking.code, s.tracking.timeline});
    }
    void operator()(const intent::Reprint&) {
        if (f.additionReprint(fx)) return;
        const std::string code = s.screen == Screen::Receipt && s.receipt ? s.receipt->trackingCode
                                 : s.screen == Screen::StaffPanel         ? s.lastReceiptCode
                                                                          : std::string{};
        if (code.empty() || s.print == PrintState::Printing) return;
        s.print = PrintState::Printing;
        s.printMessageKey.clear();
        fx.push_back(effect::PrintReceipt{code});
    }
    void operator()(const intent::Done&) {
        if (f.additionDone(fx)) return;
        if (s.screen != Screen::Receipt && s.screen != Screen::TrackResult) return;
        f.resetSession(fx);
    }
    void operator()(const intent::SpeakScreen&) {
        fx.push_back(effect::SpeakKey{s.pickingProblem ? std::string("speech.problem")
                                                       : Flow::instructionKey(s.screen)});
    }
    void operator()(const intent::SpeakCode&) {
        const std::string code =
            s.screen == Screen::Receipt && s.receipt ? s.receipt->trackingCode : s.tracking.code;
        if (!code.empty()) fx.push_back(effect::SpeakCode{code});
    }
    void operator()(const intent::SpeakText& i) {
        if (!i.text.empty()) fx.push_back(effect::Speak{i.text});
    }
    void operator()(const intent::SetLanguage& i) {
        if (i.language == "vi" || i.language == "en") s.prefs.language = i.language;
    }
    void operator()(const intent::SetTextSize& i) { s.prefs.textSize = i.size; }
    void operator()(const intent::ToggleContrast&) { s.prefs.highContrast = !s.prefs.highContrast; }
    void operator()(const intent::ToggleSpeech&) {
        s.prefs.speech = !s.prefs.speech;
        if (s.prefs.speech) fx.push_back(effect::SpeakKey{Flow::instructionKey(s.screen)});
    }
    // "Cần giúp đỡ?" on any screen: said in words and aloud (whether speech is on or not), and
    // one call per session waits on the staff panel.
    void operator()(const intent::CallStaff&) {
        if (s.screen == Screen::StaffPin || s.screen == Screen::StaffPanel) return;
        if (!s.helpComing) {
            s.helpCalls.push_back(HelpCall{f.m_now, s.screen});
            fx.push_back(effect::CallStaff{});
        }
        s.helpComing = true;
        fx.push_back(effect::SpeakKey{"help.coming_speech"});
    }
    void operator()(const intent::StaffHelpAnswered&) {
        if (s.screen != Screen::StaffPanel) return;
        s.helpCalls.clear();
        s.helpComing = false;
    }
    void operator()(const intent::StaffTestPrint&) {
        if (s.screen != Screen::StaffPanel || s.print == PrintState::Printing) return;
        s.print = PrintState::Printing;
        s.printMessageKey.clear();
        fx.push_back(effect::PrintTest{});
    }
    void operator()(const intent::SubmitCode&) {
        if (s.screen != Screen::TrackEntry) return;
        f.submitCode(s.tracking.typed, fx);
    }
    void operator()(const intent::CodeScanned& i) {
        if (f.additionScan(i.text, fx)) return;
        if (s.screen != Screen::Welcome && s.screen != Screen::TrackEntry &&
            s.screen != Screen::TrackResult)
            return;
        s.tracking = Tracking{};
        s.tracking.typed = i.text;
        if (s.screen != Screen::TrackEntry) f.go(Screen::TrackEntry, fx);
        f.submitCode(i.text, fx);
        // A new receipt's QR carries its secret: kept for this code (issue #14).
        if (auto scanned = record::parseReceiptPayload(i.text); scanned && scanned->secret) {
            s.tracking.scannedSecret = *scanned->secret;
            s.tracking.scannedSecretCode = scanned->code.text();
        }
    }
    void operator()(const intent::StatusLoaded& i) {
        if (!s.tracking.loading) return;
        s.tracking.loading = false;
        s.tracking.found = i.found;
        s.tracking.timeline = i.timeline;
        s.tracking.loadedAtMs = f.m_now;
        if (i.busy)
            s.tracking.messageKey = "kiosk.busy";
        else if (!i.found)
            s.tracking.messageKey = "track.not_found";
    }
    void operator()(const intent::Touch&) {}
    void operator()(const intent::Tick&) {
        if (s.storing || s.addition.storing || !f.hasSessionData()) {
            s.idleWarning = false;
            return;
        }
        const std::int64_t idle = f.m_now - s.lastInputMs;
        const std::int64_t total = f.m_config.idleTimeoutMs + f.m_config.countdownMs;
        if (idle >= total) {
            f.resetSession(fx);
        } else if (idle >= f.m_config.idleTimeoutMs) {
            s.idleWarning = true;
            s.idleSecondsLeft = static_cast<int>((total - idle + 999) / 1000);
        }
    }
    void operator()(const intent::OpenStaff&) {
        if (s.screen == Screen::StaffPin || s.screen == Screen::StaffPanel) return;
        s.staffReturn = s.screen == Screen::Receipt ? Screen::Welcome : s.screen;
        s.staff.pin.clear();
        s.staff.messageKey.clear();
        s.staff.exitAsked = false;
        f.go(Screen::StaffPin, fx);
    }
    void operator()(const intent::SubmitPin&) {
        if (s.screen != Screen::StaffPin || s.staff.checking) return;
        if (f.m_now < s.staff.lockedUntilMs) {
            s.staff.messageKey = "staff.pin_locked";
            s.staff.pin.clear();
            return;
        }
        s.staff.checking = true;
        fx.push_back(effect::CheckPin{s.staff.pin});
        s.staff.pin.clear();
    }
    void operator()(const intent::PinChecked& i) {
        if (!s.staff.checking) return;
        s.staff.checking = false;
        if (i.busy) {
            s.staff.messageKey = "kiosk.busy";
            return;
        }
        if (i.ok) {
            s.staff.failures = 0;
            s.staff.messageKey.clear();
            f.go(Screen::StaffPanel, fx);
            return;
        }
        ++s.staff.failures;
        s.staff.messageKey = "staff.pin_wrong";
        if (s.staff.failures >= f.m_config.pinFailuresBeforeLock) {
            std::int64_t lock = f.m_config.pinLockMs;
            for (int k = f.m_config.pinFailuresBeforeLock;
                 k < s.staff.failures && lock < f.m_config.pinLockMaxMs; ++k)
                lock *= 2;
            s.staff.lockedUntilMs = f.m_now + std::min(lock, f.m_config.pinLockMaxMs);
            s.staff.messageKey = "staff.pin_locked";
        }
    }
    void operator()(const intent::StaffToggleAssisted&) {
        if (s.screen == Screen::StaffPanel) s.staff.assistedNext = !s.staff.assistedNext;
    }
    // Leaving kiosk mode takes two taps: the question, then "Có, thoát".
    void operator()(const intent::StaffExit&) {
        if (s.screen == Screen::StaffPanel) s.staff.exitAsked = true;
    }
    void operator()(const intent::StaffExitConfirm&) {
        if (s.screen == Screen::StaffPanel && s.staff.exitAsked) fx.push_back(effect::ExitApp{});
    }
    void operator()(const intent::StaffExitCancel&) { s.staff.exitAsked = false; }
    void operator()(const intent::StaffClose&) {
        if (s.screen != Screen::StaffPanel) return;
        s.staff.exitAsked = false;
        f.go(s.staffReturn, fx);
    }
    // USB bundles: one at a time; the answer stays on the panel until the next one.
    void operator()(const intent::StaffUsbExport&) {
        if (s.screen != Screen::StaffPanel || s.staff.usbBusy) return;
        s.staff.usbBusy = true;
        fx.push_back(effect::UsbExport{});
    }
    void operator()(const intent::StaffUsbImport&) {
        if (s.screen != Screen::StaffPanel || s.staff.usbBusy) return;
        s.staff.usbBusy = true;
        fx.push_back(effect::UsbImport{});
    }
    // ---- issue #14: supplements and ratings (flow_addition.cpp) ----------------------------
    void operator()(const intent::StartSupplement& i) { f.onAddition(i, fx); }
    void operator()(const intent::StartRating& i) { f.onAddition(i, fx); }
    void operator()(const intent::PickRating& i) { f.onAddition(i, fx); }
    void operator()(const intent::SetReopen& i) { f.onAddition(i, fx); }
    void operator()(const intent::ProofChecked& i) { f.onAddition(i, fx); }
    void operator()(const intent::AdditionStored& i) { f.onAddition(i, fx); }
    void operator()(const intent::AdditionFailed& i) { f.onAddition(i, fx); }
    void operator()(const intent::UsbDone& d) {
        s.staff.usbBusy = false;
        s.staff.usbOk = d.ok;
        s.staff.usbMessageKey = d.messageKey;
        s.staff.usbParams = d.params;
    }
};

Flow::Flow(FlowConfig config) : m_config(std::move(config)) {}

std::vector<Effect> Flow::apply(const Intent& intent, std::int64_t nowMs) {
    m_now = nowMs;
    std::vector<Effect> fx;
    const bool byResident = !isResult(intent);
    const bool idleBefore = m_state.idleWarning;
    const ShownMessages before = shownMessages();
    if (byResident) {
        m_state.lastInputMs = nowMs;
        m_state.idleWarning = false;
    }
    std::visit(FlowVisitor{*this, fx}, intent);
    speakChanges(before, byResident, idleBefore, fx);
    return fx;
}

void Flow::go(Screen next, std::vector<Effect>& fx) {
    if (m_state.screen == next) return;
    m_state.screen = next;
    m_state.pickingProblem = false;
    if (m_state.prefs.speech) fx.push_back(effect::SpeakKey{instructionKey(next)});
}

bool Flow::hasSessionData() const {
    return m_state.screen != Screen::Welcome || m_state.form != Form{} ||
           m_state.prefs != Preferences{} || !m_state.bannerKey.empty() || m_state.helpComing;
}

void Flow::resetSession(std::vector<Effect>& fx) {
    const std::string lastCode = m_state.lastReceiptCode;
    const Staff staff = m_state.staff;
    std::vector<HelpCall> calls = std::move(m_state.helpCalls);
    m_state = State{};
    m_state.helpCalls = std::move(calls);  // the staff member is still on the way
    m_state.lastReceiptCode = lastCode;
    m_state.staff.failures = staff.failures;  // a reset must not clear the PIN lock-out
    m_state.staff.lockedUntilMs = staff.lockedUntilMs;
    m_state.staff.assistedNext = staff.assistedNext;
    m_state.lastInputMs = m_now;
    m_returnToReview = false;
    fx.push_back(effect::ResetInputs{});
}

void Flow::submitCode(std::string text, std::vector<Effect>& fx) {
    Tracking& t = m_state.tracking;
    auto parsed = record::parseTrackingCode(text);
    if (!parsed) {
        t.messageKey = std::string(parsed.error().messageKey());
        t.badChar = parsed.error().badChar;
        return;
    }
    t.messageKey.clear();
    t.code = parsed->text();
    t.loading = true;
    t.found = false;
    t.timeline.clear();
    fx.push_back(effect::LookupStatus{t.code});
    go(Screen::TrackResult, fx);
}

std::string Flow::instructionKey(Screen s) {
    switch (s) {
        case Screen::Welcome:
            return "speech.welcome";
        case Screen::Category:
            return "speech.category";
        case Screen::Content:
            return "speech.content";
        case Screen::Contact:
            return "speech.contact";
        case Screen::Review:
            return "speech.review";
        case Screen::Receipt:
            return "speech.receipt";
        case Screen::TrackEntry:
            return "speech.track_entry";
        case Screen::TrackResult:
            return "speech.track_result";
        case Screen::StaffPin:
            return "speech.staff_pin";
        case Screen::StaffPanel:
            return "speech.staff_panel";
        case Screen::AddProof:
            return "speech.add_proof";
        case Screen::AddText:
            return "speech.add_text";
        case Screen::AddReview:
            return "speech.add_review";
        case Screen::AddDone:
            return "speech.add_done";
        case Screen::Rate:
            return "speech.rate";
        case Screen::RateDone:
            return "speech.rate_done";
    }
    return "speech.welcome";
}

}  // namespace kiosk::core
