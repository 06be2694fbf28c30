#pragma once
// Draws a Receipt as a 1-bit raster at a printer's width: Noto Sans (every Vietnamese letter),
// lines wrapped at word boundaries, the tracking URL as a QR code (ECC M, whole dots per
// module, 4-module quiet zone). Labels come from assets/strings (keys "receipt.*").
// A ReceiptRenderer is immutable after create(): render() may be called from any thread,
// concurrently.
#include <expected>
#include <filesystem>
#include <string>

#include "print/bitmap.hpp"
#include "print/font.hpp"
#include "print/receipt.hpp"
#include "text/strings.hpp"

namespace platform::print {

struct RenderOptions {
    int widthDots = 576;        // the printer's dots per line
    int minModuleDots = 6;      // QR: at least this many dots per module
    float textScale = 1.0f;     // multiplies every font size
    int marginDots = 8;         // left and right blank margin (printers add their own too)
    float qrWidthShare = 0.6f;  // the QR (with quiet zone) grows up to this share of the width

    static RenderOptions roll80mm() { return {576, 6, 1.0f, 8, 0.6f}; }
    static RenderOptions roll58mm() { return {384, 5, 0.86f, 4, 0.6f}; }
    // The content of an A4 form (170 mm wide at 8 dots/mm) for PdfLayout::A4Form.
    static RenderOptions a4Form() { return {1360, 10, 1.7f, 0, 0.35f}; }
};

struct RenderError {
    enum class Kind {
        QrUnencodable,  // the text cannot be put in a QR code (too long)
        QrTooWide,      // the QR code does not fit the paper width
    };
    Kind kind;
    std::string detail;  // English, for logs; never the receipt's content
};

class ReceiptRenderer {
public:
    // Loads both fonts. Fails with the first font that cannot be loaded.
    static std::expected<ReceiptRenderer, FontError> create(
        platform::text::Strings strings,
        const std::filesystem::path& regularFont = kDefaultRegularFont,
        const std::filesystem::path& boldFont = kDefaultBoldFont);

    // The receipt at options.widthDots wide, as tall as it needs. Fails only if the tracking
    // URL cannot be put in a QR code that fits the width.
    std::expected<Bitmap, RenderError> render(const Receipt& receipt,
                                              const RenderOptions& options) const;

    const Font& regularFont() const { return m_regular; }
    const Font& boldFont() const { return m_bold; }
    const platform::text::Strings& strings() const { return m_strings; }

private:
    ReceiptRenderer(platform::text::Strings strings, Font regular, Font bold)
        : m_strings(std::move(strings)), m_regular(std::move(regular)), m_bold(std::move(bold)) {}

    platform::text::Strings m_strings;
    Font m_regular;
    Font m_bold;
};

// Splits text into lines no wider than maxWidth dots at word boundaries ('\n' forces a
// break). A word wider than the line is split between letters. `balanced` keeps the number
// of lines of the greedy wrap but evens out their widths (for centred titles).
std::vector<std::string> wrapText(const Font& font, float px, std::string_view text, int maxWidth,
                                  bool balanced = false);

// Dots per QR module for a symbol of `symbolModules` (without quiet zone) under `options`:
// the largest whole number that keeps the QR within options.qrWidthShare of the width, but
// never below options.minModuleDots.
int qrModuleDots(int symbolModules, const RenderOptions& options);

// Draws `qr text` centred horizontally at `top`: `moduleDots` dots per module with a
// 4-module quiet zone. Returns the height drawn (including the quiet zone), or
// RenderError::Kind::QrUnencodable.
std::expected<int, RenderError> drawQr(Bitmap& target, std::string_view text, int top,
                                       int moduleDots);

}  // namespace platform::print
