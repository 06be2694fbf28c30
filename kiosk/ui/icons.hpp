#pragma once
// Pictograms (issue #15) from Fork Awesome 1.2 (Debian 12: fonts-fork-awesome, SIL Open Font
// License 1.1), merged into the Noto fonts of the atlas with only the glyphs listed here: an
// icon is a code point in a label like any letter. Constant data; safe from any thread.
#include <string_view>
#include <vector>

namespace kiosk::ui::icons {

inline constexpr const char* kFontPath =
    "/usr/share/fonts/truetype/fork-awesome/forkawesome-webfont.ttf";

// Welcome choices.
inline constexpr std::string_view kPakn = "\uf0a1";   // bullhorn
inline constexpr std::string_view kSkgp = "\uf0eb";   // lightbulb-o
inline constexpr std::string_view kTrack = "\uf029";  // qrcode
// Toolbar.
inline constexpr std::string_view kBack = "\uf060";       // arrow-left
inline constexpr std::string_view kLanguage = "\uf1ab";   // language
inline constexpr std::string_view kTextSize = "\uf034";   // text-height
inline constexpr std::string_view kContrast = "\uf042";   // adjust
inline constexpr std::string_view kSpeechOn = "\uf028";   // volume-up
inline constexpr std::string_view kSpeechOff = "\uf026";  // volume-off
inline constexpr std::string_view kListen = "\uf025";     // headphones
inline constexpr std::string_view kHelp = "\uf256";       // hand-paper-o
// Common problems: "write it myself".
inline constexpr std::string_view kWrite = "\uf040";  // pencil

// The pictogram of a category (by its code in the config); a neutral one for codes the kiosk
// does not know (a category added on the backend later).
std::string_view forCategory(std::string_view code);

// Every pictogram above and every category's (for the atlas's glyph ranges and the glyph
// check test).
const std::vector<std::string_view>& all();
// Their code points as ImGui glyph ranges (pairs, zero-terminated).
const std::vector<unsigned short>& ranges();

}  // namespace kiosk::ui::icons
