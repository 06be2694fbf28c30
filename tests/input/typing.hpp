#pragma once
// Test helpers: drive an engine with a keystroke string (the ime CLI notation), and turn real
// Vietnamese text into the keystrokes a Telex or VNI typist would use.
#include "input/engine.hpp"

#include <string>
#include <string_view>

namespace testinput {

// Types `keys` (CLI notation: plain characters, <BS>, <sac>, <â>...) into a fresh engine,
// ends the word, and returns the text.
std::string typed(std::string_view keys, kiosk::input::InputMode mode,
                  kiosk::input::ToneStyle style = kiosk::input::ToneStyle::Old);
inline std::string telex(std::string_view keys) {
    return typed(keys, kiosk::input::InputMode::Telex);
}
inline std::string telexNew(std::string_view keys) {
    return typed(keys, kiosk::input::InputMode::Telex, kiosk::input::ToneStyle::New);
}
inline std::string vni(std::string_view keys) {
    return typed(keys, kiosk::input::InputMode::Vni);
}
inline std::string simple(std::string_view keys) {
    return typed(keys, kiosk::input::InputMode::Simple);
}

// Keystrokes for `text`: each letter's shape keys right after it, the tone key at the end of
// the word (free marking); everything that is not a letter is typed as itself.
std::u32string telexKeysFor(std::u32string_view text);
std::u32string vniKeysFor(std::u32string_view text);

// NFC of `utf8` computed by utf8proc (an oracle independent of the engine's tables).
std::string nfc(std::string_view utf8);
bool isNfc(std::string_view utf8);
bool isValidUtf8(std::string_view utf8);

}  // namespace testinput
