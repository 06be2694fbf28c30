#include "print/bitmap.hpp"

#include <algorithm>

namespace platform::print {

Bitmap::Bitmap(int width, int height)
    : m_width(std::max(0, width)),
      m_height(std::max(0, height)),
      m_dots(static_cast<size_t>(m_width) * static_cast<size_t>(m_height), 0) {}

bool Bitmap::get(int x, int y) const {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return false;
    return m_dots[static_cast<size_t>(y) * m_width + x] != 0;
}

void Bitmap::set(int x, int y, bool black) {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return;
    m_dots[static_cast<size_t>(y) * m_width + x] = black ? 1 : 0;
}

void Bitmap::fillRect(int x, int y, int w, int h, bool black) {
    const int x0 = std::max(0, x), y0 = std::max(0, y);
    const int x1 = std::min(m_width, x + w), y1 = std::min(m_height, y + h);
    for (int yy = y0; yy < y1; ++yy) {
        std::fill(m_dots.begin() + static_cast<long>(yy) * m_width + x0,
                  m_dots.begin() + static_cast<long>(yy) * m_width + x1, black ? 1 : 0);
    }
}

void Bitmap::resizeHeight(int height) {
    m_height = std::max(0, height);
    m_dots.resize(static_cast<size_t>(m_width) * static_cast<size_t>(m_height), 0);
}

std::vector<std::uint8_t> Bitmap::packRows(int y0, int rows) const {
    const int bpr = bytesPerRow();
    std::vector<std::uint8_t> out(static_cast<size_t>(bpr) * static_cast<size_t>(std::max(0, rows)),
                                  0);
    for (int r = 0; r < rows; ++r) {
        const int y = y0 + r;
        if (y < 0 || y >= m_height) continue;
        const std::uint8_t* src = &m_dots[static_cast<size_t>(y) * m_width];
        std::uint8_t* dst = &out[static_cast<size_t>(r) * bpr];
        for (int x = 0; x < m_width; ++x) {
            if (src[x]) dst[x / 8] |= static_cast<std::uint8_t>(0x80u >> (x % 8));
        }
    }
    return out;
}

std::vector<std::uint8_t> Bitmap::toGrey() const {
    std::vector<std::uint8_t> out(m_dots.size());
    std::transform(m_dots.begin(), m_dots.end(), out.begin(),
                   [](std::uint8_t d) { return d ? std::uint8_t{0} : std::uint8_t{255}; });
    return out;
}

long long Bitmap::blackCount() const {
    return std::count(m_dots.begin(), m_dots.end(), std::uint8_t{1});
}

}  // namespace platform::print
