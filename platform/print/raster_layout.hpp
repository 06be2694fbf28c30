#pragma once
// RasterLayout: lays text, rules and a QR code top to bottom on a 1-bit canvas at a printer's
// width — the receipt's and the answer slip's common drawing. The canvas grows as needed (an
// answer can need metres of roll) and is cropped by finish().
//
// Not thread-safe (one layout per render); the renderer it reads fonts from must outlive it.
#include <expected>
#include <string>
#include <string_view>

#include "print/bitmap.hpp"
#include "print/font.hpp"
#include "print/receipt_renderer.hpp"

namespace platform::print {

class RasterLayout {
public:
    RasterLayout(const ReceiptRenderer& r, const RenderOptions& o);

    float px(float base) const { return base * m_o.textScale; }
    int contentWidth() const { return m_o.widthDots - 2 * m_o.marginDots; }
    int gap(float base) const;
    void space(float base) { m_y += gap(base); }
    int y() const { return m_y; }

    // Wrapped and balanced, each line centred.
    void centred(const Font& font, float size, std::string_view text);
    // Wrapped at word boundaries from the left margin (plus `indent` dots); '\n' breaks lines.
    void left(const Font& font, float size, std::string_view text, int indent = 0);
    // "Label: value" on one line when it fits; otherwise the label, then the value indented.
    void field(std::string_view label, std::string_view value);
    void rule(bool dashed);
    // The largest bold size (<= maxSize) at which `text` fits on one line.
    void fitted(float maxSize, std::string_view text);
    // `url` as a QR code (ECC M) centred; QrUnencodable / QrTooWide when it cannot be.
    std::expected<void, RenderError> qr(std::string_view url);
    Bitmap finish();

private:
    void drawLine(const Font& font, float size, int x, const std::string& line);
    void reserve(int rows);  // grows the canvas so that rows below m_y exist

    const ReceiptRenderer& m_r;
    const RenderOptions& m_o;
    Bitmap m_canvas;
    int m_y;
};

}  // namespace platform::print
