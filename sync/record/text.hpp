#pragma once
// Text rules every stored string goes through: valid UTF-8, NFC, no control characters.
// Pure functions; safe from any thread.
#include <cstddef>
#include <string>
#include <string_view>

namespace ksync::record {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool isValidUtf8(std::string_view s);

// NFC form of valid UTF-8 `s`. Precondition: isValidUtf8(s).
std::string toNfc(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s` (what users call "characters").
std::size_t countCodepoints(std::string_view s);

enum class Lines { Single, Multi };

// Normalises user text: CRLF/CR -> LF, tabs -> space, other C0/C1 controls, BOM and
// non-characters removed; in Single mode newlines become spaces; leading/trailing white space
// trimmed; result in NFC. Precondition: isValidUtf8(s).
std::string cleanText(std::string_view s, Lines lines);

// The longest prefix of valid UTF-8 `s` holding at most `maxCodepoints` code points.
std::string_view prefixCodepoints(std::string_view s, std::size_t maxCodepoints);

// Lower-case hex of bytes.
std::string toHex(std::string_view bytes);

}  // namespace ksync::record
