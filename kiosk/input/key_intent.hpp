#pragma once
// What a key tap means, independent of how it was drawn: the on-screen keyboard emits these
// and a text field applies them; physical keys map onto the same values. Plain data.
#include "input/input_types.hpp"

#include <cstdint>

namespace kiosk::input {

// Keys that do not produce a character.
enum class SpecialKey : std::uint8_t { Backspace, Delete, Enter, Left, Right, Home, End };

struct KeyIntent {
    enum class Kind : std::uint8_t {
        Char,              // `ch` typed (already upper-case when shift/caps was on)
        Tone,              // a tone button: `tone` (Tone::None = remove the tone)
        Mark,              // a shape button: `mark`, `upper` for an inserted letter
        Special,           // `special`
        ClearAll,          // the user confirmed "clear the whole field"
        ToggleVietnamese,  // the "Tiếng Việt / ABC" key
    };
    Kind kind = Kind::Char;
    char32_t ch = 0;
    Tone tone = Tone::None;
    LetterMark mark = LetterMark::ACircumflex;
    bool upper = false;
    SpecialKey special = SpecialKey::Enter;

    static KeyIntent character(char32_t c) { return KeyIntent{Kind::Char, c}; }
    static KeyIntent toneKey(Tone t) { return KeyIntent{Kind::Tone, 0, t}; }
    static KeyIntent markKey(LetterMark m, bool up) {
        return KeyIntent{Kind::Mark, 0, Tone::None, m, up};
    }
    static KeyIntent specialKey(SpecialKey k) {
        KeyIntent i{Kind::Special};
        i.special = k;
        return i;
    }
    static KeyIntent of(Kind k) { return KeyIntent{k}; }
};

}  // namespace kiosk::input
