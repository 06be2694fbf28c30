// RasterLayout: see raster_layout.hpp.
#include "print/raster_layout.hpp"

#include <algorithm>
#include <cmath>

#include "qr/qr_code.hpp"

namespace platform::print {

namespace {
constexpr int kQuietZoneModules = 4;
constexpr int kInitialRows = 6000;
}  // namespace

RasterLayout::RasterLayout(const ReceiptRenderer& r, const RenderOptions& o)
    : m_r(r),
      m_o(o),
      m_canvas(o.widthDots, kInitialRows),
      m_y(static_cast<int>(std::lround(12 * o.textScale))) {}

int RasterLayout::gap(float base) const {
    return static_cast<int>(std::lround(base * m_o.textScale));
}

void RasterLayout::reserve(int rows) {
    if (m_y + rows <= m_canvas.height()) return;
    m_canvas.resizeHeight(std::max(m_canvas.height() * 2, m_y + rows));
}

void RasterLayout::centred(const Font& font, float size, std::string_view text) {
    for (const std::string& line : wrapText(font, size, text, contentWidth(), true)) {
        const int w = font.textWidth(line, size);
        const int x = (m_o.widthDots - w) / 2;
        drawLine(font, size, x, line);
    }
}

void RasterLayout::left(const Font& font, float size, std::string_view text, int indent) {
    for (const std::string& line : wrapText(font, size, text, contentWidth() - indent))
        drawLine(font, size, m_o.marginDots + indent, line);
}

void RasterLayout::field(std::string_view label, std::string_view value) {
    const float size = px(23);
    const std::string head = std::string(label) + ": ";
    const int headWidth = m_r.regularFont().textWidth(head, size);
    const int valueWidth = m_r.boldFont().textWidth(value, size);
    if (headWidth + valueWidth <= contentWidth()) {
        reserve(m_r.regularFont().lineHeight(size));
        const int baseline = m_y + m_r.regularFont().ascent(size);
        m_r.regularFont().draw(m_canvas, m_o.marginDots, baseline, head, size);
        m_r.boldFont().draw(m_canvas, m_o.marginDots + headWidth, baseline, value, size);
        m_y += m_r.regularFont().lineHeight(size);
    } else {
        left(m_r.regularFont(), size, std::string(label) + ":");
        left(m_r.boldFont(), size, value, gap(24));
    }
    space(4);
}

void RasterLayout::rule(bool dashed) {
    const int thickness = std::max(2, gap(2));
    reserve(thickness);
    for (int x = m_o.marginDots; x < m_o.widthDots - m_o.marginDots; ++x) {
        if (dashed && (x / gap(8)) % 2 == 1) continue;
        m_canvas.fillRect(x, m_y, 1, thickness);
    }
    m_y += thickness;
}

void RasterLayout::fitted(float maxSize, std::string_view text) {
    float size = px(maxSize);
    while (size > 12 && m_r.boldFont().textWidth(text, size) > contentWidth()) size -= 1;
    centred(m_r.boldFont(), size, text);
}

std::expected<void, RenderError> RasterLayout::qr(std::string_view url) {
    auto code = platform::qr::encode(url, platform::qr::ErrorCorrection::Medium);
    if (!code) {
        return std::unexpected(RenderError{RenderError::Kind::QrUnencodable,
                                           "receipt: tracking URL cannot be encoded as a QR code"});
    }
    const int modules = code->size() + 2 * kQuietZoneModules;
    const int moduleDots = qrModuleDots(code->size(), m_o);
    if (modules * moduleDots > m_o.widthDots) {
        return std::unexpected(RenderError{RenderError::Kind::QrTooWide,
                                           "receipt: QR code does not fit the paper width"});
    }
    reserve(modules * moduleDots);
    auto drawn = drawQr(m_canvas, url, m_y, moduleDots);
    if (!drawn) return std::unexpected(drawn.error());
    m_y += *drawn;
    return {};
}

Bitmap RasterLayout::finish() {
    m_y += gap(16);
    m_canvas.resizeHeight(m_y);
    return std::move(m_canvas);
}

void RasterLayout::drawLine(const Font& font, float size, int x, const std::string& line) {
    reserve(font.lineHeight(size));
    const int baseline = m_y + font.ascent(size);
    font.draw(m_canvas, x, baseline, line, size);
    m_y += font.lineHeight(size);
}

}  // namespace platform::print
