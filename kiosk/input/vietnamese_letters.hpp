#pragma once
// The table of precomposed Vietnamese letters: a base letter (a e i o u y, d) with a shape
// (â ă ê ô ơ ư đ) and a tone, in both cases. Composing from this table is how the engine
// produces NFC without a Unicode library: every letter it emits is one precomposed code point.
// Pure functions over constant data: safe from any thread.
#include "input/input_types.hpp"

#include <optional>

namespace kiosk::input {

// One letter taken apart. `base` is lower-case ASCII ('a'..'z').
struct LetterParts {
    char32_t base = 0;
    Shape shape = Shape::None;
    Tone tone = Tone::None;
    bool upper = false;
};

// The precomposed code point for `parts`, or nullopt when Vietnamese has no such letter
// (a tone on a consonant, a horn on 'a', ...). ASCII letters without marks come back as is.
std::optional<char32_t> composeLetter(const LetterParts& parts);

// The inverse: ASCII letters and every Vietnamese letter (including đ/Đ) decompose;
// anything else gives nullopt.
std::optional<LetterParts> decomposeLetter(char32_t c);

// True for 'a' 'e' 'i' 'o' 'u' 'y' (the base of a Vietnamese vowel).
constexpr bool isVowelBase(char32_t base) {
    return base == U'a' || base == U'e' || base == U'i' || base == U'o' || base == U'u' ||
           base == U'y';
}

constexpr bool isAsciiLetter(char32_t c) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}
constexpr char32_t asciiLower(char32_t c) {
    return (c >= U'A' && c <= U'Z') ? c + 32 : c;
}
constexpr char32_t asciiUpper(char32_t c) {
    return (c >= U'a' && c <= U'z') ? c - 32 : c;
}

}  // namespace kiosk::input
