#pragma once
// The flow's vocabulary: screens, the form, what screens may ask for (intents) and what the
// core asks the app shell to do (effects). Plain data; no behaviour.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "record/validation.hpp"

namespace kiosk::core {

namespace record = ksync::record;

enum class Screen {
    Welcome,      // two big choices, tracking, language, text size, contrast, speech, call staff
    Category,     // category tiles
    Content,      // body (+ suggested title), optional location
    Contact,      // contact details with consent, or anonymous
    Review,       // everything on one screen
    Receipt,      // tracking code, QR, expected date, print / listen / done
    TrackEntry,   // type or scan a code
    TrackResult,  // status timeline
    StaffPin,     // PIN pad
    StaffPanel,   // queue, printer, reprint, assisted mode, exit
};

enum class TextSize { Normal, Large, ExtraLarge };

struct Preferences {
    std::string language = "vi";
    TextSize textSize = TextSize::Normal;
    bool highContrast = false;
    bool speech = false;
    bool operator==(const Preferences&) const = default;
};

enum class ContactChoice { Undecided, WithContact, Anonymous };

// Field ids the screens use; text fields hold what the person typed (NFC from the input engine).
enum class FormField {
    Title,
    Body,
    Ward,
    LocationAddress,
    Name,
    Phone,
    Email,
    ContactAddress,
    TrackCode,
    Pin
};

struct Form {
    std::string type;      // "PAKN" or "SKGP"
    std::string category;  // code
    std::string title;
    bool titleEdited = false;  // once edited by the person, the suggestion no longer overwrites it
    std::string body;
    std::string wardCode;
    std::string locationAddress;
    ContactChoice contact = ContactChoice::Undecided;
    std::string name, phone, email, contactAddress;
    bool consent = false;
    // The common problem last put into the body (issue #15): while the body is still exactly
    // it, another pick replaces it; once the person has typed, a pick never overwrites.
    std::string pickedProblem;
    bool operator==(const Form&) const = default;
};

struct FieldMessage {
    std::string key;  // validation.* in assets/strings
    std::size_t count = 0;
    std::size_t max = 0;
};

// What the receipt screen shows; filled by the app shell once the record is stored.
struct ReceiptInfo {
    std::string trackingCode;
    std::string trackingUrl;  // the QR payload: URL, and "#SECRET" on a new receipt
    std::string type;         // "PAKN" / "SKGP"
    std::string createdAtLocal;
    std::string categoryName;
    std::string expectedReplyDate;  // dd/mm/yyyy
    std::string maskedContact;      // empty when anonymous
    std::int64_t sequence =
        0;  // the record's sequence in the kiosk's store (sent or not: the sync snapshot says)
    std::string secretText = {};  // "K3M7-X9QA-RT5PW" on a new receipt (issue #14), else ""
};

enum class PrintState { Idle, Printing, Printed, Failed };

struct StatusEntry {
    std::string status;  // queued, uploaded, received, forwarded, needs_info, answered, closed,
                         // rejected, duplicate
    std::string note, agency, officer, expectedDate, at;
};

struct Tracking {
    std::string typed;
    std::string messageKey;  // code.* parse error, or track.not_found
    std::string badChar;
    std::string code;  // canonical, once parsed
    bool loading = false;
    bool found = false;
    std::vector<StatusEntry> timeline;  // oldest first
    std::int64_t loadedAtMs = 0;  // when the timeline came: its day is "today" for the deadline
};

struct Staff {
    std::string pin;
    int failures = 0;
    std::int64_t lockedUntilMs = 0;
    bool assistedNext = false;  // the next submission is marked staff-assisted
    bool checking = false;
    std::string messageKey;     // staff.pin_wrong / staff.pin_locked
    bool usbBusy = false;       // a USB export or import is running
    bool usbOk = false;         // the last one went through
    std::string usbMessageKey;  // bundle.* words of its outcome ("" before any)
    std::vector<std::pair<std::string, std::string>> usbParams;  // for the words' {placeholders}
    bool exitAsked = false;  // "Thoát chế độ ki-ốt" tapped once: the panel asks to confirm
};

// A resident pressed "Cần giúp đỡ?": shown on the staff panel until a staff member answers it.
struct HelpCall {
    std::int64_t atMs = 0;
    Screen screen = Screen::Welcome;  // where the resident was
};

struct State {
    Screen screen = Screen::Welcome;
    Preferences prefs;
    Form form;
    std::map<record::Field, FieldMessage> errors;  // per field, on the current form
    std::optional<ReceiptInfo> receipt;
    std::string lastReceiptCode;  // survives the session reset, for staff reprints
    PrintState print = PrintState::Idle;
    std::string printMessageKey;
    std::string bannerKey;  // a problem the person must read (e.g. store.disk_full)
    bool storing = false;   // a confirm is in flight: ignore a second tap
    Tracking tracking;
    Staff staff;
    std::int64_t lastInputMs = 0;
    bool idleWarning = false;  // the countdown overlay is up
    int idleSecondsLeft = 0;
    Screen staffReturn = Screen::Welcome;  // where the staff panel returns to
    bool helpComing = false;               // this session called for help: every screen says so
    std::vector<HelpCall> helpCalls;       // not yet answered; survive the session reset
    // ---- common problems (issue #15, flow_problems.cpp) ----
    // On the category screen, after a tile: its common problems are offered (one tap fills
    // the body), with "Tôi tự viết" beside them. Back returns to the tiles.
    bool pickingProblem = false;
};

// ---- intents (from screens, the app shell, and results of effects) -----------------------
namespace intent {
struct Start {
    std::string type;
};  // PAKN / SKGP from the welcome screen
struct OpenTracking {};
struct Back {};
struct Next {};
struct PickCategory {
    std::string code;
};
struct SetText {
    FormField field;
    std::string text;
};
struct PickWard {
    std::string code;
};
struct ChooseContact {
    ContactChoice choice;
};
struct SetConsent {
    bool value;
};
struct EditSection {
    Screen screen;
};  // from the review screen
struct Confirm {};
struct Done {};  // leave the receipt screen
struct Reprint {};
struct PrintAnswer {};  // tracking: "In kết quả"
struct SpeakScreen {};  // "Nghe hướng dẫn"
struct SpeakCode {};    // "Nghe mã số"
struct SpeakText {
    std::string text;
};  // "Nghe" beside a part of the screen, already worded
struct SetLanguage {
    std::string language;
};
struct SetTextSize {
    TextSize size;
};
struct ToggleContrast {};
struct ToggleSpeech {};
struct CallStaff {};
struct SubmitCode {};  // tracking: look up what was typed
struct CodeScanned {
    std::string text;
};                    // a scanner finished a line
struct Touch {};      // any touch: keeps the session alive
struct Tick {};       // time passes (the app calls it ~1/s)
struct OpenStaff {};  // long-press corner / key combination
struct SubmitPin {};
struct StaffToggleAssisted {};
struct StaffExit {};
struct StaffClose {};
struct StaffUsbExport {};
struct StaffUsbImport {};
struct StaffTestPrint {};
struct StaffExitConfirm {};  // "Có, thoát" after StaffExit asked
struct StaffExitCancel {};
struct StaffHelpAnswered {};  // the staff member has come: the calls are cleared
// A common problem of the chosen category (its index in the config's list), or -1: "Tôi tự
// viết" (the content screen, with the body as it is).
struct PickProblem {
    int index = -1;
};
// results of effects
struct Stored {
    ReceiptInfo receipt;
};
struct StoreFailed {
    std::string messageKey;
};
struct Printed {};
struct PrintFailed {
    std::string messageKey;
};
struct StatusLoaded {
    bool found;
    std::vector<StatusEntry> timeline;
    bool busy = false;  // not looked up: the kiosk's background worker was full (try again)
};
struct PinChecked {
    bool ok;
    bool busy = false;  // not checked (background worker full): not counted as a wrong PIN
};
struct UsbDone {
    bool ok;
    std::string messageKey;
    std::vector<std::pair<std::string, std::string>> params;
    bool configTaken = false;  // the return bundle brought a newer config: the app reloads it
};
}  // namespace intent

using Intent = std::variant<
    intent::Start, intent::OpenTracking, intent::Back, intent::Next, intent::PickCategory,
    intent::SetText, intent::PickWard, intent::ChooseContact, intent::SetConsent,
    intent::EditSection, intent::Confirm, intent::Done, intent::Reprint, intent::PrintAnswer,
    intent::SpeakScreen, intent::SpeakCode, intent::SpeakText, intent::SetLanguage,
    intent::SetTextSize, intent::ToggleContrast, intent::ToggleSpeech, intent::CallStaff,
    intent::SubmitCode, intent::CodeScanned, intent::Touch, intent::Tick, intent::OpenStaff,
    intent::SubmitPin, intent::StaffToggleAssisted, intent::StaffExit, intent::StaffClose,
    intent::Stored, intent::StoreFailed, intent::Printed, intent::PrintFailed, intent::StatusLoaded,
    intent::PinChecked, intent::StaffUsbExport, intent::StaffUsbImport, intent::UsbDone,
    intent::StaffTestPrint, intent::StaffExitConfirm, intent::StaffExitCancel,
    intent::StaffHelpAnswered, intent::PickProblem>;

// ---- effects (for the app shell) ---------------------------------------------------------
namespace effect {
struct StoreRecord {
    record::ValidDraft draft;
};  // validated once, at Confirm; store durably, then Stored / StoreFailed
struct PrintReceipt {
    std::string trackingCode;
};  // answer Printed / PrintFailed
// The published answer of the case on screen; answer Printed / PrintFailed.
struct PrintAnswer {
    std::string trackingCode;
    std::vector<StatusEntry> timeline;
};
struct Speak {
    std::string text;
};  // text to read aloud (already resolved)
struct SpeakKey {
    std::string key;
};  // a string key to resolve and read
struct SpeakCode {
    std::string trackingCode;
};  // spelled out character by character
struct LookupStatus {
    std::string trackingCode;
};  // answer StatusLoaded
struct CheckPin {
    std::string pin;
};                    // answer PinChecked
struct CallStaff {};  // ring / notify staff
struct ExitApp {};
struct ResetInputs {};  // the UI drops its text-field buffers
struct UsbExport {};    // write a USB bundle; answer UsbDone
struct UsbImport {};    // apply the stick's return bundle; answer UsbDone
struct PrintTest {};    // a sample slip; answer Printed / PrintFailed
}  // namespace effect

using Effect =
    std::variant<effect::StoreRecord, effect::PrintReceipt, effect::PrintAnswer, effect::Speak,
                 effect::SpeakKey, effect::SpeakCode, effect::LookupStatus, effect::CheckPin,
                 effect::CallStaff, effect::ExitApp, effect::ResetInputs, effect::UsbExport,
                 effect::UsbImport, effect::PrintTest>;

}  // namespace kiosk::core
