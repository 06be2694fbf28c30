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
    // Issue #14: what a resident adds to a case later (flow_addition.cpp).
    AddProof,   // the receipt's secret: typed, or the receipt's QR scanned
    AddText,    // what was requested, and the supplement typed
    AddReview,  // the supplement once more before it is committed
    AddDone,    // "Đã bổ sung thông tin cho PAKN-…"
    Rate,       // the faces, an optional comment, a request to reopen with its reason
    RateDone,   // the rating is recorded
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
    Pin,
    Secret,        // issue #14: the receipt secret on the AddProof screen
    Supplement,    // the information added
    Comment,       // a rating's optional comment
    ReopenReason,  // why the case should be reopened
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
    // A scanned receipt QR carried the secret too (issue #14): kept for this code only, so
    // adding information or rating does not ask for it again. Wiped with the session.
    std::string scannedSecret;
    std::string scannedSecretCode;
};

// ---- issue #14: information added later and ratings -------------------------------------
enum class AdditionKind { Supplement, Rating };

// What this kiosk could say about a receipt secret (the store's ProofCheck, plus Busy when the
// background worker was full and nothing was checked).
enum class ProofResult { Match, Mismatch, OldReceipt, NotHere, Busy };

// What the confirmation screens show once the addition is committed; filled by the app shell.
struct AdditionReceiptInfo {
    AdditionKind kind = AdditionKind::Supplement;
    std::string parentCode;  // the case's code
    std::string ownCode;     // the addition's own record code (for staff)
    std::string createdAtLocal;
    std::int64_t sequence = 0;  // in the kiosk's store: the sync snapshot says whether it is sent
    bool proofCheckedHere = false;  // false: the backend checks the secret when it arrives
    std::string rating;             // kRating* for a rating
    bool reopen = false;
};

struct Addition {
    AdditionKind kind = AdditionKind::Supplement;
    std::string code;               // the case's canonical code
    std::string secretTyped;        // as typed on the AddProof screen
    std::string secret;             // compact, once the check let it through
    bool checking = false;          // a CheckProof is in flight
    bool proofChecked = false;      // Match or NotHere: the next screens are open
    bool proofCheckedHere = false;  // Match: this kiosk's verifier said yes
    std::string requestNote;        // what the agency asked for ("" when nothing is asked)
    std::string requestAgency;
    std::string body;  // the supplement
    std::string rating;
    std::string comment;
    bool reopen = false;
    std::string reopenReason;
    std::map<record::Field, FieldMessage> errors;
    std::string messageKey;  // proof.* / kiosk.busy / store.*; {code} {left} from the state
    int attemptsLeft = 0;    // shown with proof.mismatch
    bool storing = false;
    std::optional<AdditionReceiptInfo> done;
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
    // Issue #15, voice (flow_voice.cpp): the first touch of a visit says aloud that the screen
    // can be read out, once; wiped with the session.
    bool voiceOffered = false;
    Screen staffReturn = Screen::Welcome;  // where the staff panel returns to
    bool helpComing = false;               // this session called for help: every screen says so
    std::vector<HelpCall> helpCalls;       // not yet answered; survive the session reset
    // ---- common problems (issue #15, flow_problems.cpp) ----
    // On the category screen, after a tile: its common problems are offered (one tap fills
    // the body), with "Tôi tự viết" beside them. Back returns to the tiles.
    bool pickingProblem = false;
    // Issue #14 (flow_addition.cpp); all of it goes with the session.
    Addition addition;
    std::map<std::string, int> proofFailures;  // wrong secrets per case code this session
    // Cases whose add/rate path is closed this session, with why: proof.too_many or
    // proof.old_receipt. Looking them up stays possible.
    std::map<std::string, std::string> proofClosed;
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
// Issue #14: the tracking story's "Bổ sung thông tin" and rating faces, the rating screen.
struct StartSupplement {};
struct StartRating {
    std::string rating;  // kRating*, the face tapped on the story ("" to choose on the screen)
};
struct PickRating {
    std::string rating;
};
struct SetReopen {
    bool value;
};
// results of effects
struct ProofChecked {
    std::string code;
    ProofResult result;
};
struct AdditionStored {
    AdditionReceiptInfo receipt;
};
struct AdditionFailed {
    std::string messageKey;                 // store.* when the store failed
    std::optional<ProofResult> proof = {};  // Mismatch / OldReceipt when the check refused it
};
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
    intent::StaffHelpAnswered, intent::PickProblem, intent::StartSupplement, intent::StartRating,
    intent::PickRating, intent::SetReopen, intent::ProofChecked, intent::AdditionStored,
    intent::AdditionFailed>;

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
    std::map<std::string, std::string> params = {};  // {count} {max} {code} {left} {char}
};  // a string key to resolve (with its parameters) and read
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
// Issue #14. The secret against this kiosk's verifier; answer ProofChecked.
struct CheckProof {
    std::string code;
    std::string secret;  // compact
};
// Check again and commit (validated once, at Confirm; off the UI thread); answer
// AdditionStored / AdditionFailed.
struct StoreAddition {
    record::ValidDraft draft;
};
// The small slip "Đã bổ sung thông tin cho PAKN-…"; answer Printed / PrintFailed.
struct PrintAddition {
    AdditionReceiptInfo receipt;
};
}  // namespace effect

using Effect =
    std::variant<effect::StoreRecord, effect::PrintReceipt, effect::PrintAnswer, effect::Speak,
                 effect::SpeakKey, effect::SpeakCode, effect::LookupStatus, effect::CheckPin,
                 effect::CallStaff, effect::ExitApp, effect::ResetInputs, effect::UsbExport,
                 effect::UsbImport, effect::PrintTest, effect::CheckProof, effect::StoreAddition,
                 effect::PrintAddition>;

}  // namespace kiosk::core
