#pragma once
// Small value types shared by the input engine, its keyboard layouts and the UI.
#include <cstdint>

namespace kiosk::input {

// How letter keys are interpreted.
enum class InputMode : std::uint8_t {
    Off,     // "ABC": every key is inserted as typed (phone, email, code fields).
    Telex,   // aa â, aw ă, ee ê, oo ô, ow ơ, uw/w ư, dd đ; tones s f r x j; z removes.
    Vni,     // 1-5 tones, 0 removes, 6 circumflex, 7 horn, 8 breve, 9 đ.
    Simple,  // plain letters; tones and shapes only from the tone/shape buttons.
};

// Where the tone goes in open "oa", "oe", "uy": Old = hòa, hòe, thủy (Unikey's default);
// New = hoà, hoè, thuỷ (the 2018 school rule). Every other rhyme is the same in both.
enum class ToneStyle : std::uint8_t { Old, New };

// The six Vietnamese tones; None is "ngang" (no mark). The order is that of the letter table.
enum class Tone : std::uint8_t { None, Sac, Huyen, Hoi, Nga, Nang };

// The diacritic that changes a letter (not a tone): â ê ô (Circumflex), ă (Breve),
// ơ ư (Horn), đ (Stroke).
enum class Shape : std::uint8_t { None, Circumflex, Breve, Horn, Stroke };

// The shape buttons of the on-screen keyboard (and of `<â>`... in the ime CLI).
enum class LetterMark : std::uint8_t {
    ACircumflex,
    ECircumflex,
    OCircumflex,
    ABreve,
    OHorn,
    UHorn,
    DStroke
};

}  // namespace kiosk::input
