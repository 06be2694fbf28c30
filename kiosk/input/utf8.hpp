#pragma once
// UTF-8 <-> UTF-32 and the character policy of the engine's text buffer. Pure functions:
// safe from any thread.
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::input {

std::string toUtf8(std::u32string_view text);
void appendUtf8(std::string& out, char32_t c);

// Strict decoding (no overlongs, no surrogates, nothing above U+10FFFF); nullopt on any error.
std::optional<std::u32string> fromUtf8(std::string_view utf8);

// The characters the buffer accepts: '\n', printable ASCII, Latin-1 Supplement, Latin
// Extended-A/B, Latin Extended Additional (all precomposed Vietnamese letters), General
// Punctuation U+2010-U+205E and the currency signs (₫). None of them is a combining mark or
// composes with a neighbour, so any sequence of them is NFC. Everything else (combining
// marks, emoji, other scripts, control characters) is refused: the kiosk font could not show
// it anyway.
bool isAcceptedChar(char32_t c);

// Text from outside (a prefilled field, a paste): decoded leniently (invalid bytes dropped),
// base letter + combining Vietnamese marks composed into precomposed letters, and whatever
// isAcceptedChar refuses dropped. The result is NFC.
std::u32string sanitizeText(std::string_view utf8);

}  // namespace kiosk::input
