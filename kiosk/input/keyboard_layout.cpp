#include "input/keyboard_layout.hpp"

namespace kiosk::input {
namespace {

constexpr KeySpec ch(std::string_view id, std::string_view cap, char32_t c, float width = 1.0f) {
    KeySpec k{id, KeyRole::Char, cap, {}, width};
    k.ch = c;
    return k;
}
constexpr KeySpec tone(std::string_view id, std::string_view cap, std::string_view label, Tone t) {
    KeySpec k{id, KeyRole::Tone, cap, label};
    k.tone = t;
    return k;
}
constexpr KeySpec mark(std::string_view id, std::string_view cap, LetterMark m) {
    KeySpec k{id, KeyRole::Mark, cap, {}};
    k.mark = m;
    return k;
}
constexpr KeySpec special(std::string_view id, std::string_view cap, std::string_view label,
                          SpecialKey s, float width) {
    KeySpec k{id, KeyRole::Special, cap, label, width};
    k.special = s;
    return k;
}
constexpr KeySpec role(std::string_view id, KeyRole r, std::string_view label, float width) {
    return KeySpec{id, r, {}, label, width};
}
constexpr KeySpec layer(std::string_view id, std::string_view label, LayoutKind to, float width) {
    KeySpec k{id, KeyRole::Layer, {}, label, width};
    k.layer = to;
    return k;
}

constexpr KeySpec kBackspace =
    special("backspace", {}, "keyboard.backspace", SpecialKey::Backspace, 1.5f);
constexpr KeySpec kEnter = special("enter", {}, "keyboard.enter", SpecialKey::Enter, 1.5f);
constexpr KeySpec kLeft = special("left", "\u2039", {}, SpecialKey::Left, 1.0f);
constexpr KeySpec kRight = special("right", "\u203A", {}, SpecialKey::Right, 1.0f);
constexpr KeySpec kClear = role("clear", KeyRole::Clear, "keyboard.clear", 1.5f);
constexpr KeySpec kShift = role("shift", KeyRole::Shift, "keyboard.shift", 1.5f);
constexpr KeySpec kSpace = role("space", KeyRole::Space, "keyboard.space", 5.0f);
constexpr KeySpec kToggle = role("toggle", KeyRole::Toggle, "keyboard.toggle_vi", 2.5f);

// ---- Vietnamese ---------------------------------------------------------------------------
constexpr KeySpec kViTones[] = {
    tone("tone_sac", "\u00E1", "keyboard.tone.sac", Tone::Sac),
    tone("tone_huyen", "\u00E0", "keyboard.tone.huyen", Tone::Huyen),
    tone("tone_hoi", "\u1EA3", "keyboard.tone.hoi", Tone::Hoi),
    tone("tone_nga", "\u00E3", "keyboard.tone.nga", Tone::Nga),
    tone("tone_nang", "\u1EA1", "keyboard.tone.nang", Tone::Nang),
    tone("tone_xoa", "a", "keyboard.tone.xoa", Tone::None),
    mark("mark_aa", "\u00E2", LetterMark::ACircumflex),
    mark("mark_ee", "\u00EA", LetterMark::ECircumflex),
    mark("mark_oo", "\u00F4", LetterMark::OCircumflex),
    mark("mark_aw", "\u0103", LetterMark::ABreve),
    mark("mark_ow", "\u01A1", LetterMark::OHorn),
    mark("mark_uw", "\u01B0", LetterMark::UHorn),
    mark("mark_dd", "\u0111", LetterMark::DStroke),
};
constexpr KeySpec kViRow1[] = {ch("q", "q", U'q'), ch("w", "w", U'w'), ch("e", "e", U'e'),
                               ch("r", "r", U'r'), ch("t", "t", U't'), ch("y", "y", U'y'),
                               ch("u", "u", U'u'), ch("i", "i", U'i'), ch("o", "o", U'o'),
                               ch("p", "p", U'p'), kBackspace};
constexpr KeySpec kViRow2[] = {ch("a", "a", U'a'), ch("s", "s", U's'),
                               ch("d", "d", U'd'), ch("f", "f", U'f'),
                               ch("g", "g", U'g'), ch("h", "h", U'h'),
                               ch("j", "j", U'j'), ch("k", "k", U'k'),
                               ch("l", "l", U'l'), kEnter};
constexpr KeySpec kViRow3[] = {kShift,
                               ch("z", "z", U'z'),
                               ch("x", "x", U'x'),
                               ch("c", "c", U'c'),
                               ch("v", "v", U'v'),
                               ch("b", "b", U'b'),
                               ch("n", "n", U'n'),
                               ch("m", "m", U'm'),
                               ch("comma", ",", U','),
                               ch("period", ".", U'.'),
                               ch("question", "?", U'?')};
constexpr KeySpec kViRow4[] = {
    layer("layer_symbols", "keyboard.layer_symbols", LayoutKind::Symbols, 1.5f),
    kToggle,
    kSpace,
    kLeft,
    kRight,
    kClear};
constexpr std::span<const KeySpec> kViRows[] = {kViTones, kViRow1, kViRow2, kViRow3, kViRow4};

// ---- Symbols ------------------------------------------------------------------------------
constexpr KeySpec kSymRow1[] = {ch("1", "1", U'1'), ch("2", "2", U'2'), ch("3", "3", U'3'),
                                ch("4", "4", U'4'), ch("5", "5", U'5'), ch("6", "6", U'6'),
                                ch("7", "7", U'7'), ch("8", "8", U'8'), ch("9", "9", U'9'),
                                ch("0", "0", U'0'), kBackspace};
constexpr KeySpec kSymRow2[] = {ch("minus", "-", U'-'),
                                ch("slash", "/", U'/'),
                                ch("colon", ":", U':'),
                                ch("semicolon", ";", U';'),
                                ch("lparen", "(", U'('),
                                ch("rparen", ")", U')'),
                                ch("dong", "\u20AB", U'\u20AB'),
                                ch("amp", "&", U'&'),
                                ch("at", "@", U'@'),
                                ch("quote", "\"", U'"'),
                                kEnter};
constexpr KeySpec kSymRow3[] = {
    ch("period", ".", U'.'),  ch("comma", ",", U','),          ch("question", "?", U'?'),
    ch("exclaim", "!", U'!'), ch("apostrophe", "'", U'\''),    ch("percent", "%", U'%'),
    ch("plus", "+", U'+'),    ch("equals", "=", U'='),         ch("hash", "#", U'#'),
    ch("star", "*", U'*'),    ch("ndash", "\u2013", U'\u2013')};
constexpr KeySpec kSymRow4[] = {
    layer("layer_letters", "keyboard.layer_letters", LayoutKind::Vietnamese, 1.5f),
    kToggle,
    kSpace,
    kLeft,
    kRight,
    kClear};
constexpr std::span<const KeySpec> kSymRows[] = {kSymRow1, kSymRow2, kSymRow3, kSymRow4};

// ---- Phone --------------------------------------------------------------------------------
constexpr KeySpec kPhRow1[] = {ch("1", "1", U'1'), ch("2", "2", U'2'), ch("3", "3", U'3')};
constexpr KeySpec kPhRow2[] = {ch("4", "4", U'4'), ch("5", "5", U'5'), ch("6", "6", U'6')};
constexpr KeySpec kPhRow3[] = {ch("7", "7", U'7'), ch("8", "8", U'8'), ch("9", "9", U'9')};
constexpr KeySpec kPhRow4[] = {
    role("clear", KeyRole::Clear, "keyboard.clear", 1.0f), ch("0", "0", U'0'),
    special("backspace", {}, "keyboard.backspace", SpecialKey::Backspace, 1.0f)};
constexpr KeySpec kPhRow5[] = {ch("plus", "+", U'+'),
                               special("enter", {}, "keyboard.done", SpecialKey::Enter, 2.0f)};
constexpr std::span<const KeySpec> kPhRows[] = {kPhRow1, kPhRow2, kPhRow3, kPhRow4, kPhRow5};

// ---- Email --------------------------------------------------------------------------------
constexpr KeySpec kEmRow0[] = {ch("1", "1", U'1'), ch("2", "2", U'2'), ch("3", "3", U'3'),
                               ch("4", "4", U'4'), ch("5", "5", U'5'), ch("6", "6", U'6'),
                               ch("7", "7", U'7'), ch("8", "8", U'8'), ch("9", "9", U'9'),
                               ch("0", "0", U'0'), kBackspace};
constexpr KeySpec kEmRow3[] = {kShift,
                               ch("z", "z", U'z'),
                               ch("x", "x", U'x'),
                               ch("c", "c", U'c'),
                               ch("v", "v", U'v'),
                               ch("b", "b", U'b'),
                               ch("n", "n", U'n'),
                               ch("m", "m", U'm'),
                               ch("minus", "-", U'-'),
                               ch("underscore", "_", U'_')};
constexpr KeySpec kEmRow4[] = {ch("at", "@", U'@', 1.5f),
                               ch("period", ".", U'.', 1.5f),
                               ch("dotvn", ".vn", 0, 1.5f),
                               ch("dotcom", ".com", 0, 1.5f),
                               kLeft,
                               kRight,
                               kClear};
constexpr KeySpec kEmRow1[] = {ch("q", "q", U'q'), ch("w", "w", U'w'), ch("e", "e", U'e'),
                               ch("r", "r", U'r'), ch("t", "t", U't'), ch("y", "y", U'y'),
                               ch("u", "u", U'u'), ch("i", "i", U'i'), ch("o", "o", U'o'),
                               ch("p", "p", U'p')};
constexpr KeySpec kEmRow2[] = {ch("a", "a", U'a'), ch("s", "s", U's'),
                               ch("d", "d", U'd'), ch("f", "f", U'f'),
                               ch("g", "g", U'g'), ch("h", "h", U'h'),
                               ch("j", "j", U'j'), ch("k", "k", U'k'),
                               ch("l", "l", U'l'), kEnter};
constexpr std::span<const KeySpec> kEmRows[] = {kEmRow0, kEmRow1, kEmRow2, kEmRow3, kEmRow4};

// ---- Code ---------------------------------------------------------------------------------
// Only what a tracking code holds (record/tracking_code.hpp); the dashes are placed by the
// field (kiosk_ui.cpp), so there is no dash key.
constexpr KeySpec kCoRow1[] = {ch("1", "1", U'1'), ch("2", "2", U'2'), ch("3", "3", U'3'),
                               ch("4", "4", U'4'), ch("5", "5", U'5'), ch("6", "6", U'6'),
                               ch("7", "7", U'7'), ch("8", "8", U'8'), ch("9", "9", U'9'),
                               ch("0", "0", U'0')};
constexpr KeySpec kCoRow2[] = {ch("A", "A", U'A'), ch("B", "B", U'B'), ch("C", "C", U'C'),
                               ch("D", "D", U'D'), ch("E", "E", U'E'), ch("F", "F", U'F'),
                               ch("G", "G", U'G'), ch("H", "H", U'H'), ch("J", "J", U'J'),
                               ch("K", "K", U'K')};
constexpr KeySpec kCoRow3[] = {ch("M", "M", U'M'), ch("N", "N", U'N'), ch("P", "P", U'P'),
                               ch("Q", "Q", U'Q'), ch("R", "R", U'R'), ch("S", "S", U'S'),
                               ch("T", "T", U'T'), ch("V", "V", U'V'), ch("W", "W", U'W'),
                               ch("X", "X", U'X')};
constexpr KeySpec kCoRow4[] = {
    ch("Y", "Y", U'Y'), role("clear", KeyRole::Clear, "keyboard.clear", 2.0f),
    special("backspace", {}, "keyboard.backspace", SpecialKey::Backspace, 2.0f),
    special("enter", {}, "keyboard.look_up", SpecialKey::Enter, 5.0f)};
constexpr std::span<const KeySpec> kCoRows[] = {kCoRow1, kCoRow2, kCoRow3, kCoRow4};

constexpr KeyboardLayout kVietnamese{LayoutKind::Vietnamese, kViRows, true, 13.0f};
constexpr KeyboardLayout kSymbols{LayoutKind::Symbols, kSymRows, true, 13.0f};
constexpr KeyboardLayout kPhone{LayoutKind::Phone, kPhRows, false, 3.0f};
constexpr KeyboardLayout kEmail{LayoutKind::Email, kEmRows, false, 11.5f};
constexpr KeyboardLayout kCode{LayoutKind::Code, kCoRows, false, 10.0f};

}  // namespace

const KeyboardLayout& keyboardLayout(LayoutKind kind) {
    switch (kind) {
        case LayoutKind::Vietnamese:
            return kVietnamese;
        case LayoutKind::Symbols:
            return kSymbols;
        case LayoutKind::Phone:
            return kPhone;
        case LayoutKind::Email:
            return kEmail;
        case LayoutKind::Code:
            return kCode;
    }
    return kVietnamese;
}

}  // namespace kiosk::input
