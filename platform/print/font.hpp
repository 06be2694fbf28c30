#pragma once
// A TrueType font drawn into a 1-bit Bitmap (stb_truetype, no shaping). Vietnamese needs NFC
// text (precomposed letters): every function here normalises its input to NFC first.
// Immutable after load; copies share the font data; safe to use from several threads.
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "print/bitmap.hpp"

namespace platform::print {

// Noto Sans, which has every Vietnamese letter (fonts-noto-core).
inline constexpr const char* kDefaultRegularFont =
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
inline constexpr const char* kDefaultBoldFont = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";

struct FontError {
    enum class Kind {
        Unreadable,  // missing, unreadable or empty file
        NotAFont,    // read, but not a TrueType font
    };
    Kind kind;
    std::string detail;  // English, for logs: names the path
};

class Font {
public:
    // Reads and parses a .ttf file. Fails if the file is missing or is not a TrueType font.
    static std::expected<Font, FontError> load(const std::filesystem::path& path);

    // True if the font has a real glyph (not .notdef) for the code point.
    bool hasGlyph(char32_t codePoint) const;
    // The code points of `utf8` (after NFC) that have no glyph; whitespace is ignored.
    std::vector<char32_t> missingGlyphs(std::string_view utf8) const;

    // Metrics for a font size in pixels (= dots): the em box height.
    int ascent(float px) const;
    int descent(float px) const;  // positive
    int lineHeight(float px) const;
    // Advance width of the text in dots.
    int textWidth(std::string_view utf8, float px) const;

    // Draws text with its baseline at y. Anti-aliased coverage >= `threshold` (0..255)
    // becomes a black dot. Returns the advance in dots.
    int draw(Bitmap& target, int x, int baselineY, std::string_view utf8, float px,
             int threshold = 120) const;

private:
    struct Impl;
    std::shared_ptr<const Impl> m_impl;
};

// UTF-8 helpers shared by the print module.
// NFC form of `utf8`; invalid UTF-8 sequences are replaced by U+FFFD.
std::string toNfc(std::string_view utf8);
// Code points of `utf8` (no normalisation); invalid bytes become U+FFFD.
std::u32string decodeUtf8(std::string_view utf8);
std::string encodeUtf8(std::u32string_view text);

}  // namespace platform::print
