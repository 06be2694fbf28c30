#pragma once
// Encoders for a receipt raster: PNG (for the png:// printer, previews and tests) and PDF
// (for A4 printers through CUPS). Pure functions, thread-safe; writeFileAtomically writes
// atomically (temporary file + rename) and returns a FileError on failure.
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "print/bitmap.hpp"

namespace platform::print {

// 8-bit greyscale PNG, black on white, one pixel per dot.
std::vector<std::uint8_t> encodePng(const Bitmap& image);

enum class PdfLayout {
    // The slip at its real size (8 dots/mm), centred at the top of an A4 page; shrunk only if
    // it is longer than the page.
    CentredSlip,
    // The raster scaled to the A4 width less 20 mm margins, at the top of the page (render it
    // with RenderOptions::a4Form()).
    A4Form,
};

// A one-page A4 PDF holding the raster as a 1-bit image XObject (uncompressed, no fonts).
std::vector<std::uint8_t> encodePdf(const Bitmap& image, PdfLayout layout, double dotsPerMm = 8.0);
// One A4 page per image, each placed as encodePdf places its one (a long answer slip: see
// splitIntoPages).
std::vector<std::uint8_t> encodePdfPages(const std::vector<Bitmap>& pages, PdfLayout layout,
                                         double dotsPerMm = 8.0);
// Cuts a tall raster into pieces of at most `pageRows` rows, each cut on a blank row in the
// last quarter of the page where there is one (between lines of text), else at `pageRows`.
std::vector<Bitmap> splitIntoPages(const Bitmap& image, int pageRows);
// The rows of an A4Form page for a raster `widthDots` wide (170 mm by 257 mm of content).
inline int a4FormPageRows(int widthDots) {
    return widthDots * 257 / 170;
}

struct FileError {
    enum class Kind {
        DiskFull,  // ENOSPC, EDQUOT
        ReadOnly,  // EROFS, EACCES, EPERM
        Io,        // anything else
    };
    Kind kind;
    int sysErrno = 0;
    std::string detail;  // English, for logs: the path and the OS error
};

// Writes bytes to `path` atomically (temporary file, fsync, rename); on failure the
// temporary file is removed and `path` is as it was.
std::expected<void, FileError> writeFileAtomically(const std::filesystem::path& path,
                                                   const std::vector<std::uint8_t>& bytes);

}  // namespace platform::print
