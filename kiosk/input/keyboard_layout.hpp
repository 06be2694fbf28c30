#pragma once
// The on-screen keyboard layouts as data (no drawing): which keys, in which rows, how wide,
// and what each one does. The ImGui widget in kiosk/ui draws them. Constant data: safe from
// any thread.
#include "input/input_types.hpp"
#include "input/key_intent.hpp"

#include <span>
#include <string_view>

namespace kiosk::input {

enum class LayoutKind : std::uint8_t {
    Vietnamese,  // QWERTY + a row of tone and shape keys, the "Tiếng Việt / ABC" toggle
    Symbols,     // digits and punctuation (reached from Vietnamese with the "123" key)
    Phone,       // a keypad: digits only, no input method
    Email,       // letters, digits, @ . - _ ; no input method
    Code,  // a tracking code's 31 symbols (digits, upper case without I L O U Z); no input method
};

enum class KeyRole : std::uint8_t {
    Char,     // types `ch` (letters follow shift/caps); ch == 0 types the whole `cap` (".vn")
    Tone,     // tone button `tone`
    Mark,     // shape button `mark`
    Special,  // `special` (Backspace, Enter, Left, Right)
    Space,
    Shift,   // one tap: next letter upper-case; second tap: caps lock; third: off
    Layer,   // shows layout `layer`
    Toggle,  // "Tiếng Việt / ABC"
    Clear,   // clear the field, after a confirmation
};

struct KeySpec {
    std::string_view id;  // stable, unique in the layout; the ImGui id is "###kb_<id>"
    KeyRole role = KeyRole::Char;
    std::string_view cap;       // text on the key (UTF-8 NFC); empty: use `labelKey`
    std::string_view labelKey;  // strings key ("keyboard.*") for a word on the key, may be empty
    float width = 1.0f;         // in key units
    char32_t ch = 0;
    Tone tone = Tone::None;
    LetterMark mark = LetterMark::ACircumflex;
    SpecialKey special = SpecialKey::Enter;
    LayoutKind layer = LayoutKind::Vietnamese;
};

struct KeyboardLayout {
    LayoutKind kind;
    std::span<const std::span<const KeySpec>> rows;
    bool inputMethod;   // false: the field types plain characters on this layout
    float unitsPerRow;  // the widest row, in key units
};

const KeyboardLayout& keyboardLayout(LayoutKind kind);

}  // namespace kiosk::input
