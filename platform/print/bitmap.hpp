#pragma once
// A 1-bit raster: what a thermal printer prints, one dot per pixel. true = black (ink).
// Plain value type; not synchronised (give each thread its own copy).
#include <cstdint>
#include <vector>

namespace platform::print {

class Bitmap {
public:
    Bitmap() = default;
    // A white image of width x height dots. Negative sizes are clamped to 0.
    Bitmap(int width, int height);

    int width() const { return m_width; }
    int height() const { return m_height; }
    bool empty() const { return m_width == 0 || m_height == 0; }

    // Out-of-range reads return false (white); out-of-range writes are ignored, so drawing
    // code may clip freely.
    bool get(int x, int y) const;
    void set(int x, int y, bool black = true);
    void fillRect(int x, int y, int w, int h, bool black = true);

    // Keeps the top `height` rows (or pads with white rows).
    void resizeHeight(int height);

    // Bytes per row when packed 8 dots per byte, most significant bit first (ESC/POS
    // GS v 0 and PDF 1-bit images both use this layout).
    int bytesPerRow() const { return (m_width + 7) / 8; }
    // Rows [y0, y0 + rows) packed as above (1 bit = black); rows outside the image are white.
    std::vector<std::uint8_t> packRows(int y0, int rows) const;
    // Whole image as 8-bit grey, 0 = black, 255 = white (for PNG).
    std::vector<std::uint8_t> toGrey() const;

    // Number of black dots (used by tests and to detect an empty render).
    long long blackCount() const;

private:
    int m_width = 0;
    int m_height = 0;
    std::vector<std::uint8_t> m_dots;  // one byte per dot, row-major, 1 = black
};

}  // namespace platform::print
