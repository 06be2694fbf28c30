#pragma once
// KioskUi: every screen of the kiosk, drawn from a snapshot of the flow state. It owns what
// only the UI needs — the text fields (each with its input engine), which one has focus, the
// on-screen keyboard, a few view toggles — and reports what the person did as intents.
// Section index: kiosk_ui.cpp (frame, toolbar, overlays, input routing) and one file per
// screen in screens/.
//
// UI thread only. Never holds a lock; never blocks.
#include <imgui.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/flow_types.hpp"
#include "proto/backend_config.hpp"
#include "text/strings.hpp"
#include "ui/theme.hpp"
#include "ui/widgets/keyboard.hpp"
#include "ui/widgets/text_field.hpp"

namespace kiosk::ui {

// What the staff panel shows (filled by the app shell, no personal data).
struct StaffInfo {
    long long queued = 0;
    long long quarantined = 0;
    std::string oldestAge;    // "3 giờ 5 phút" or ""
    std::string lastContact;  // time or ""
    // The last sync error: a message key (sync.error.*, assets/strings), worded when drawn in
    // the language on screen, with its detail for a {reason}; or, without a key, text that an
    // older version stored in words (shown as it is). All empty: no error.
    std::string lastErrorKey;
    std::string lastErrorDetail;
    std::string lastErrorWordsKey;  // sync.reject.* for a {words} placeholder, or ""
    std::string lastErrorText;
    // The newest refused records: the tracking code and the reason as for the last error
    // (message key, sync.reject.* words key, detail), worded when drawn.
    struct Refused {
        std::string trackingCode;
        std::string key, wordsKey, detail, text;
    };
    std::vector<Refused> refused;
    std::string printerKey;  // printer.state.* or ""
    // The verdict the panel opens with, and why (staff.reason.* keys), worst first.
    enum class Verdict { AllWell, NeedsAttention, Broken };
    Verdict verdict = Verdict::AllWell;
    std::vector<std::string> reasons;
};

// Everything a frame reads besides the flow state.
struct UiData {
    const core::State* state = nullptr;
    const ksync::proto::BackendConfig* config = nullptr;
    std::string centreName;
    StaffInfo staff;
    // From the sync worker's last snapshot: the backend has acknowledged the record on the
    // receipt screen (only then does it say "sent"), and the last pass reached the backend.
    bool receiptSent = false;
    bool online = false;
};

class KioskUi {
public:
    KioskUi(const platform::text::Strings& vi, const platform::text::Strings& en, Theme& theme);

    // Draws one frame into the current ImGui context (inside NewFrame/Render) and returns the
    // intents the person produced in it.
    std::vector<core::Intent> draw(const UiData& data);

    // The flow wiped the session: drop every field's text.
    void resetFields();
    // What physical input produced since the last frame. The app applies these BEFORE draw(),
    // so the fields (already edited) and the core agree when the frame starts.
    std::vector<core::Intent> takePending() { return std::exchange(m_pending, {}); }
    // Physical keyboard / barcode scanner input from GLFW (UI thread).
    void onChar(char32_t c);
    void onKey(input::SpecialKey key);
    void onStaffShortcut();  // Ctrl+Alt+S

    // For the screens (screens/*.cpp).
    struct Frame;
    TextField& field(core::FormField f);
    void focus(core::FormField f);
    bool focused(core::FormField f) const { return m_focus == f && m_hasFocus; }
    void drawField(Frame& fr, core::FormField f, std::string_view id, ImVec2 size);
    void drawKeyboard(Frame& fr, float height);
    float keyboardHeight(float width);
    const platform::text::Strings& strings(const core::State& s) const {
        return s.prefs.language == "en" ? m_en : m_vi;
    }
    bool& consentExpanded() { return m_consentExpanded; }
    bool& wardPickerOpen() { return m_wardPickerOpen; }
    // The tracking story's scroll buttons: a pending scroll by this many pixels (applied in the
    // next frame inside the scrolling region) and how far that region could scroll last frame.
    float& storyScrollBy() { return m_storyScrollBy; }
    float& storyScrollMax() { return m_storyScrollMax; }
    // The height the story's offer (issue #14: "Bổ sung thông tin", the rating) took last frame
    // below the story in portrait, so the story leaves it room.
    float& storyOfferHeight() { return m_storyOfferHeight; }

private:
    void syncFields(const core::State& s);
    void drawToolbar(Frame& fr);
    void drawIdleOverlay(Frame& fr);
    void drawHelpNotice(Frame& fr);
    void drawStepBar(Frame& fr);
    void drawStaffCorner(Frame& fr);
    void applyToFocused(const input::KeyIntent& k, std::vector<core::Intent>& out);
    float keyboardWidth(float avail) const;  // the phone keypad is narrower than the screen
    Keyboard& keyboard(const core::State& s) {
        return s.prefs.language == "en" ? m_keyboardEn : m_keyboardVi;
    }
    bool m_landscape = false;

    const platform::text::Strings& m_vi;
    const platform::text::Strings& m_en;
    Theme& m_theme;
    std::map<core::FormField, TextField> m_fields;
    core::FormField m_focus = core::FormField::Body;
    bool m_hasFocus = false;
    core::Screen m_lastScreen = core::Screen::Welcome;
    core::ContactChoice m_lastContactChoice = core::ContactChoice::Undecided;
    Keyboard m_keyboardVi;
    Keyboard m_keyboardEn;
    bool m_consentExpanded = false;
    bool m_wardPickerOpen = false;
    float m_storyScrollBy = 0.0f;
    float m_storyScrollMax = 0.0f;
    float m_storyOfferHeight = 0.0f;
    std::vector<core::Intent> m_pending;  // from physical input between frames
    std::string m_scanBuffer;             // scanner characters typed outside a field
};

// Per-frame context handed to the screen functions.
struct KioskUi::Frame {
    KioskUi& ui;
    const UiData& data;
    const core::State& s;
    const platform::text::Strings& t;
    Theme& theme;
    std::vector<core::Intent>& out;
    ImVec2 size;  // display size
    bool portrait;
    void emit(core::Intent i) { out.push_back(std::move(i)); }
};

}  // namespace kiosk::ui
