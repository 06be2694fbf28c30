#include "print/font.hpp"

#include <stb_truetype.h>
#include <utf8proc.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace platform::print {

struct Font::Impl {
    std::vector<unsigned char> data;
    stbtt_fontinfo info{};
    int ascent = 0, descent = 0, lineGap = 0;  // font units
};

std::string toNfc(std::string_view utf8) {
    // utf8proc rejects invalid input as a whole, so repair it first.
    std::string clean = encodeUtf8(decodeUtf8(utf8));
    utf8proc_uint8_t* out = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(clean.c_str()));
    if (out == nullptr) return clean;
    std::string result(reinterpret_cast<const char*>(out));
    std::free(out);
    return result;
}

std::u32string decodeUtf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        if (n <= 0) {
            out.push_back(U'\uFFFD');
            ++i;
        } else {
            out.push_back(static_cast<char32_t>(cp));
            i += static_cast<size_t>(n);
        }
    }
    return out;
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        utf8proc_uint8_t buf[4];
        auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
        if (n <= 0) n = utf8proc_encode_char(0xFFFD, buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
    }
    return out;
}

std::expected<Font, FontError> Font::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::unexpected(
            FontError{FontError::Kind::Unreadable, "font: cannot open " + path.string()});
    auto impl = std::make_shared<Impl>();
    impl->data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (impl->data.empty())
        return std::unexpected(
            FontError{FontError::Kind::Unreadable, "font: empty file " + path.string()});
    const int offset = stbtt_GetFontOffsetForIndex(impl->data.data(), 0);
    if (offset < 0 || stbtt_InitFont(&impl->info, impl->data.data(), offset) == 0) {
        return std::unexpected(
            FontError{FontError::Kind::NotAFont, "font: not a TrueType font: " + path.string()});
    }
    stbtt_GetFontVMetrics(&impl->info, &impl->ascent, &impl->descent, &impl->lineGap);
    Font f;
    f.m_impl = std::move(impl);
    return f;
}

bool Font::hasGlyph(char32_t codePoint) const {
    return stbtt_FindGlyphIndex(&m_impl->info, static_cast<int>(codePoint)) != 0;
}

std::vector<char32_t> Font::missingGlyphs(std::string_view utf8) const {
    std::vector<char32_t> missing;
    for (char32_t c : decodeUtf8(toNfc(utf8))) {
        if (c == U' ' || c == U'\n' || c == U'\t') continue;
        if (!hasGlyph(c)) missing.push_back(c);
    }
    return missing;
}

int Font::ascent(float px) const {
    return static_cast<int>(
        std::lround(m_impl->ascent * stbtt_ScaleForPixelHeight(&m_impl->info, px)));
}

int Font::descent(float px) const {
    return static_cast<int>(
        std::lround(-m_impl->descent * stbtt_ScaleForPixelHeight(&m_impl->info, px)));
}

int Font::lineHeight(float px) const {
    const float scale = stbtt_ScaleForPixelHeight(&m_impl->info, px);
    return static_cast<int>(
        std::lround((m_impl->ascent - m_impl->descent + m_impl->lineGap) * scale));
}

int Font::textWidth(std::string_view utf8, float px) const {
    const float scale = stbtt_ScaleForPixelHeight(&m_impl->info, px);
    const std::u32string text = decodeUtf8(toNfc(utf8));
    float x = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        int advance = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(&m_impl->info, static_cast<int>(text[i]), &advance, &lsb);
        x += advance * scale;
        if (i + 1 < text.size()) {
            x += scale * stbtt_GetCodepointKernAdvance(&m_impl->info, static_cast<int>(text[i]),
                                                       static_cast<int>(text[i + 1]));
        }
    }
    return static_cast<int>(std::ceil(x));
}

int Font::draw(Bitmap& target, int x, int baselineY, std::string_view utf8, float px,
               int threshold) const {
    const stbtt_fontinfo* info = &m_impl->info;
    const float scale = stbtt_ScaleForPixelHeight(info, px);
    const std::u32string text = decodeUtf8(toNfc(utf8));
    float pen = static_cast<float>(x);
    std::vector<unsigned char> glyph;
    for (size_t i = 0; i < text.size(); ++i) {
        const int cp = static_cast<int>(text[i]);
        const float shift = pen - std::floor(pen);
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetCodepointBitmapBoxSubpixel(info, cp, scale, scale, shift, 0, &x0, &y0, &x1, &y1);
        const int w = x1 - x0, h = y1 - y0;
        if (w > 0 && h > 0) {
            glyph.assign(static_cast<size_t>(w) * static_cast<size_t>(h), 0);
            stbtt_MakeCodepointBitmapSubpixel(info, glyph.data(), w, h, w, scale, scale, shift, 0,
                                              cp);
            const int ox = static_cast<int>(std::floor(pen)) + x0;
            const int oy = baselineY + y0;
            for (int gy = 0; gy < h; ++gy) {
                for (int gx = 0; gx < w; ++gx) {
                    if (glyph[static_cast<size_t>(gy) * w + gx] >= threshold)
                        target.set(ox + gx, oy + gy);
                }
            }
        }
        int advance = 0, lsb = 0;
        stbtt_GetCodepointHMetrics(info, cp, &advance, &lsb);
        pen += advance * scale;
        if (i + 1 < text.size()) {
            pen += scale * stbtt_GetCodepointKernAdvance(info, cp, static_cast<int>(text[i + 1]));
        }
    }
    return static_cast<int>(std::ceil(pen)) - x;
}

}  // namespace platform::print
