#pragma once
// The model of one text field: its text (owned by an input engine), which keyboard layout it
// shows, whether Vietnamese input is on, single- or multi-line, and a length limit. The
// on-screen keyboard and the physical keyboard both reach it through KeyIntents, so both type
// through the same engine. No ImGui here.
//
// UI thread only (GLFW callbacks run on the main thread, which is the UI thread).
#include "input/engine.hpp"
#include "input/key_intent.hpp"
#include "input/keyboard_layout.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace kiosk::ui {

struct TextFieldConfig {
    input::LayoutKind layout = input::LayoutKind::Vietnamese;
    bool multiline = false;
    std::size_t maxChars = 0;  // 0 = unlimited
    // The method used when Vietnamese is on (Telex by default: transparent for people who
    // type plain letters, and the tone/shape keys are there for everyone).
    input::InputMode vietnameseMode = input::InputMode::Telex;
    input::ToneStyle toneStyle = input::ToneStyle::Old;
    bool vietnameseOn = true;
    // False for fields that must never transform what is typed (phone, email, codes): the
    // keyboard then shows no "Tiếng Việt / ABC" toggle and Vietnamese cannot be turned on.
    bool allowVietnamese = true;
};

// What applying one intent did.
struct FieldEvent {
    bool changed = false;    // text or cursor changed
    bool submitted = false;  // Enter on a single-line field (or a scanner's Enter)
    bool refused = false;    // nothing happened (e.g. past the length limit, no vowel for a tone)
};

class TextField {
public:
    explicit TextField(const TextFieldConfig& config = {});

    // Factory helpers for the common kinds of field.
    static TextField vietnameseText(bool multiline, std::size_t maxChars);
    static TextField phone();
    static TextField email();
    static TextField code(std::size_t maxChars);  // tracking codes: letters/digits, no IME

    // A tap on the on-screen keyboard.
    FieldEvent apply(const input::KeyIntent& intent);
    // Physical keyboard (and USB barcode scanners, which type like one): call from the GLFW
    // char callback with the code point, and from the key callback for the special keys.
    FieldEvent onChar(char32_t c) { return apply(input::KeyIntent::character(c)); }
    FieldEvent onKey(input::SpecialKey key) { return apply(input::KeyIntent::specialKey(key)); }

    // Ends the word being typed (restores a non-Vietnamese word). Call on focus loss.
    void commit() { m_engine.commit(); }
    void clear() { m_engine.clear(); }
    void setText(std::string_view utf8) { m_engine.setText(utf8); }

    const std::string& text() const { return m_engine.text(); }
    const input::Engine& engine() const { return m_engine; }
    input::LayoutKind layout() const { return m_config.layout; }
    bool multiline() const { return m_config.multiline; }
    // Whether the layout offers Vietnamese input at all (not phone/email/code fields).
    bool inputMethodAvailable() const;
    bool vietnameseOn() const { return m_vietnamese; }
    void setVietnamese(bool on);
    void setVietnameseMode(input::InputMode mode);
    void setToneStyle(input::ToneStyle style) { m_engine.setToneStyle(style); }

private:
    void syncMode();

    TextFieldConfig m_config;
    input::Engine m_engine;
    bool m_vietnamese;
};

}  // namespace kiosk::ui
