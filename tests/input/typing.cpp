#include "typing.hpp"

#include "input/ime_cli.hpp"
#include "input/utf8.hpp"
#include "input/vietnamese_letters.hpp"

#include <utf8proc.h>
#include <cstdlib>
#include <sstream>

using namespace kiosk::input;

namespace testinput {

std::string typed(std::string_view keys, InputMode mode, ToneStyle style) {
    const char* modeName = mode == InputMode::Telex    ? "telex"
                           : mode == InputMode::Vni    ? "vni"
                           : mode == InputMode::Simple ? "simple"
                                                       : "off";
    std::istringstream in{std::string(keys)};
    std::ostringstream out;
    std::ostringstream err;
    runImeCli(modeName, style == ToneStyle::New, in, out, err);
    std::string s = out.str();
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

namespace {

std::u32string keysFor(std::u32string_view text, bool vniStyle) {
    static const char32_t kTelexTones[] = {0, U's', U'f', U'r', U'x', U'j'};
    static const char32_t kVniTones[] = {0, U'1', U'2', U'3', U'4', U'5'};
    std::u32string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!decomposeLetter(text[i])) {
            out.push_back(text[i++]);
            continue;
        }
        Tone tone = Tone::None;
        bool upperWord = true;
        std::u32string word;
        std::u32string vniMarks;
        for (; i < text.size(); ++i) {
            const auto p = decomposeLetter(text[i]);
            if (!p) break;
            if (p->tone != Tone::None) tone = p->tone;
            upperWord = upperWord && p->upper;
            const char32_t base = p->upper ? asciiUpper(p->base) : p->base;
            word.push_back(base);
            if (vniStyle) {
                if (p->shape == Shape::Circumflex) word.push_back(U'6');
                if (p->shape == Shape::Horn) word.push_back(U'7');
                if (p->shape == Shape::Breve) word.push_back(U'8');
                if (p->shape == Shape::Stroke) word.push_back(U'9');
            } else {
                if (p->shape == Shape::Circumflex) word.push_back(base);
                if (p->shape == Shape::Horn || p->shape == Shape::Breve)
                    word.push_back(p->upper ? U'W' : U'w');
                if (p->shape == Shape::Stroke) word.push_back(base);
            }
        }
        out += word;
        if (tone != Tone::None) {
            const char32_t k = (vniStyle ? kVniTones : kTelexTones)[static_cast<int>(tone)];
            out.push_back(upperWord && !vniStyle ? asciiUpper(k) : k);
        }
    }
    return out;
}

}  // namespace

std::u32string telexKeysFor(std::u32string_view text) {
    return keysFor(text, false);
}
std::u32string vniKeysFor(std::u32string_view text) {
    return keysFor(text, true);
}

std::string nfc(std::string_view utf8) {
    utf8proc_uint8_t* out =
        utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(std::string(utf8).c_str()));
    if (out == nullptr) return "<invalid>";
    std::string s(reinterpret_cast<char*>(out));
    std::free(out);
    return s;
}

bool isValidUtf8(std::string_view utf8) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(utf8.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0) return false;
        p += n;
        left -= n;
    }
    return true;
}

bool isNfc(std::string_view utf8) {
    return utf8.find('\0') == std::string_view::npos && nfc(utf8) == utf8;
}

}  // namespace testinput
