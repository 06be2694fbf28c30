#include "escpos_decoder.hpp"

#include <algorithm>
#include <cstdio>

namespace printtest {

DecodedEscPos decodeEscPos(std::span<const std::uint8_t> b) {
    DecodedEscPos out;
    std::vector<std::vector<bool>> rows;
    int width = -1;
    size_t i = 0;
    auto need = [&](size_t n) {
        if (i + n > b.size()) {
            out.errors.push_back("truncated command at " + std::to_string(i));
            return false;
        }
        return true;
    };
    while (i < b.size()) {
        out.cutIsLastCommand = false;
        if (b[i] == 0x1B && need(2) && b[i + 1] == 0x40) {
            ++out.initialisations;
            i += 2;
        } else if (b[i] == 0x1B && need(3) && b[i + 1] == 0x64) {
            out.feedLines += b[i + 2];
            i += 3;
        } else if (b[i] == 0x10 && need(3) && b[i + 1] == 0x04) {
            out.statusQueries.push_back(b[i + 2]);
            i += 3;
        } else if (b[i] == 0x1D && need(4) && b[i + 1] == 0x56 && b[i + 2] == 66) {
            ++out.cuts;
            i += 4;
            out.cutIsLastCommand = true;
        } else if (b[i] == 0x1D && need(8) && b[i + 1] == 0x76 && b[i + 2] == 0x30) {
            const int bytesPerRow = b[i + 4] | (b[i + 5] << 8);
            const int nRows = b[i + 6] | (b[i + 7] << 8);
            i += 8;
            if (!need(static_cast<size_t>(bytesPerRow) * nRows)) break;
            if (width >= 0 && width != bytesPerRow * 8) out.errors.push_back("band width changed");
            width = bytesPerRow * 8;
            for (int r = 0; r < nRows; ++r) {
                std::vector<bool> row(static_cast<size_t>(width));
                for (int x = 0; x < width; ++x)
                    row[x] = (b[i + r * bytesPerRow + x / 8] >> (7 - x % 8)) & 1;
                rows.push_back(std::move(row));
            }
            i += static_cast<size_t>(bytesPerRow) * nRows;
            ++out.bands;
            out.maxBandRows = std::max(out.maxBandRows, nRows);
        } else {
            char buf[64];
            std::snprintf(buf, sizeof buf, "unknown byte 0x%02X at %zu", b[i], i);
            out.errors.push_back(buf);
            break;
        }
    }
    out.image = platform::print::Bitmap(std::max(width, 0), static_cast<int>(rows.size()));
    for (size_t y = 0; y < rows.size(); ++y)
        for (int x = 0; x < width; ++x)
            if (rows[y][x]) out.image.set(x, static_cast<int>(y));
    return out;
}

}  // namespace printtest
