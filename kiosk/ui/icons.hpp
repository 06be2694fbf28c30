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
// Issue #14: "Bổ sung thông tin" and the rating's three faces (the faces also in the huge
// font, where they are drawn large).
inline constexpr std::string_view kSupplement = "\uf044";   // pencil-square-o
inline constexpr std::string_view kSatisfied = "\uf118";    // smile-o
inline constexpr std::string_view kAcceptable = "\uf11a";   // meh-o
inline constexpr std::string_view kUnsatisfied = "\uf119";  // frown-o

// The pictogram of a category (by its code in the config); a neutral one for codes the kiosk
// does not know (a category added on the backend later).
std::string_view forCategory(std::string_view code);

// Every pictogram above and every category's (for the atlas's glyph ranges and the glyph
// check test).
const std::vector<std::string_view>& all();
// Their code points as ImGui glyph ranges (pairs, zero-terminated).
const std::vector<unsigned short>& ranges();
// The faces' code points alone, for the huge font (pairs, zero-terminated).
const std::vector<unsigned short>& faceRanges();
// The face of a rating code (record.hpp kRating*); empty for anything else.
std::string_view forRating(std::string_view rating);

}  // namespace kiosk::ui::icons
