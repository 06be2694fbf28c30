#include "input/utf8.hpp"

#include "input/vietnamese_letters.hpp"

namespace kiosk::input {

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string toUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 2);
    for (char32_t c : text) appendUtf8(out, c);
    return out;
}

namespace {

// Decodes one code point at `i`; returns its length, or 0 when the bytes are not valid UTF-8.
std::size_t decodeOne(std::string_view s, std::size_t i, char32_t& out) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        out = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, out = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, out = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, out = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        out = (out << 6) | (b & 0x3F);
    }
    if (out < min || out > 0x10FFFF || (out >= 0xD800 && out <= 0xDFFF)) return 0;
    return len;
}

// Combining marks that Vietnamese text arrives with in decomposed (NFD) form.
struct CombiningMark {
    char32_t mark;
    bool isTone;
    Tone tone;
    Shape shape;
};
constexpr CombiningMark kMarks[] = {
    {0x0301, true, Tone::Sac, Shape::None},    {0x0300, true, Tone::Huyen, Shape::None},
    {0x0309, true, Tone::Hoi, Shape::None},    {0x0303, true, Tone::Nga, Shape::None},
    {0x0323, true, Tone::Nang, Shape::None},   {0x0302, false, Tone::None, Shape::Circumflex},
    {0x0306, false, Tone::None, Shape::Breve}, {0x031B, false, Tone::None, Shape::Horn},
};

}  // namespace

std::optional<std::u32string> fromUtf8(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t c = 0;
        const std::size_t len = decodeOne(utf8, i, c);
        if (len == 0) return std::nullopt;
        out.push_back(c);
        i += len;
    }
    return out;
}

bool isAcceptedChar(char32_t c) {
    return c == U'\n' || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0x24F) ||
           (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x205E) ||
           (c >= 0x20A0 && c <= 0x20C0);
}

std::u32string sanitizeText(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t c = 0;
        const std::size_t len = decodeOne(utf8, i, c);
        if (len == 0) {
            ++i;
            continue;
        }
        i += len;
        if (c == U'\r') continue;
        if (c == U'\t') c = U' ';
        const CombiningMark* mark = nullptr;
        for (const auto& m : kMarks)
            if (m.mark == c) mark = &m;
        if (mark != nullptr) {
            if (out.empty()) continue;
            auto parts = decomposeLetter(out.back());
            if (!parts) continue;
            if (mark->isTone) {
                if (parts->tone != Tone::None) continue;
                parts->tone = mark->tone;
            } else {
                if (parts->shape != Shape::None) continue;
                parts->shape = mark->shape;
            }
            if (auto composed = composeLetter(*parts)) out.back() = *composed;
            continue;
        }
        if (isAcceptedChar(c)) out.push_back(c);
    }
    return out;
}

}  // namespace kiosk::input
