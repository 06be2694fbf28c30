#include "print/image_writers.hpp"

#include <stb_image_write.h>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace platform::print {
namespace {

constexpr double kA4WidthPt = 595.276;
constexpr double kA4HeightPt = 841.89;
constexpr double kPtPerMm = 72.0 / 25.4;

void appendString(std::vector<std::uint8_t>& out, const std::string& s) {
    out.insert(out.end(), s.begin(), s.end());
}

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

}  // namespace

std::vector<std::uint8_t> encodePng(const Bitmap& image) {
    std::vector<std::uint8_t> out;
    if (image.empty()) return out;
    const std::vector<std::uint8_t> grey = image.toGrey();
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
            auto* v = static_cast<std::vector<std::uint8_t>*>(ctx);
            auto* bytes = static_cast<const std::uint8_t*>(data);
            v->insert(v->end(), bytes, bytes + size);
        },
        &out, image.width(), image.height(), 1, grey.data(), image.width());
    return out;
}

std::vector<std::uint8_t> encodePdf(const Bitmap& image, PdfLayout layout, double dotsPerMm) {
    return encodePdfPages({image}, layout, dotsPerMm);
}

std::vector<Bitmap> splitIntoPages(const Bitmap& image, int pageRows) {
    std::vector<Bitmap> pages;
    if (pageRows <= 0 || image.height() <= pageRows) {
        pages.push_back(image);
        return pages;
    }
    auto blankRow = [&](int y) {
        for (int x = 0; x < image.width(); ++x)
            if (image.get(x, y)) return false;
        return true;
    };
    int top = 0;
    while (top < image.height()) {
        int cut = std::min(image.height(), top + pageRows);
        if (cut < image.height()) {
            // Between two lines of text: the lowest blank row in the page's last quarter.
            int y = cut;
            while (y > top + pageRows * 3 / 4 && !blankRow(y)) --y;
            if (y > top + pageRows * 3 / 4) cut = y;
        }
        Bitmap page(image.width(), cut - top);
        for (int y = top; y < cut; ++y)
            for (int x = 0; x < image.width(); ++x)
                if (image.get(x, y)) page.set(x, y - top);
        pages.push_back(std::move(page));
        top = cut;
    }
    return pages;
}

std::vector<std::uint8_t> encodePdfPages(const std::vector<Bitmap>& pages, PdfLayout layout,
                                         double dotsPerMm) {
    std::vector<std::uint8_t> pdf;
    std::vector<size_t> offsets;
    auto object = [&](const std::string& body) {
        offsets.push_back(pdf.size());
        appendString(pdf, std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n");
    };
    appendString(pdf, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    object("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (size_t p = 0; p < pages.size(); ++p)
        kids += (p ? " " : "") + std::to_string(3 + 3 * p) + " 0 R";
    object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    for (size_t p = 0; p < pages.size(); ++p) {
        const Bitmap& image = pages[p];
        const size_t first = 3 + 3 * p;  // page, image, content
        // Placement in points.
        double w = image.width() / dotsPerMm * kPtPerMm;
        double h = image.height() / dotsPerMm * kPtPerMm;
        const double margin = (layout == PdfLayout::A4Form ? 20.0 : 15.0) * kPtPerMm;
        if (layout == PdfLayout::A4Form && w > 0) {
            const double scale = (kA4WidthPt - 2 * margin) / w;
            w *= scale;
            h *= scale;
        }
        if (h > kA4HeightPt - 2 * margin && h > 0) {
            const double scale = (kA4HeightPt - 2 * margin) / h;
            w *= scale;
            h *= scale;
        }
        const double x = (kA4WidthPt - w) / 2;
        const double y = kA4HeightPt - margin - h;
        const std::vector<std::uint8_t> bits = image.packRows(0, image.height());
        const std::string content =
            "q " + fmt(w) + " 0 0 " + fmt(h) + " " + fmt(x) + " " + fmt(y) + " cm /Im0 Do Q\n";
        object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + fmt(kA4WidthPt) + " " +
               fmt(kA4HeightPt) + "] /Resources << /XObject << /Im0 " + std::to_string(first + 1) +
               " 0 R >> >> /Contents " + std::to_string(first + 2) + " 0 R >>");
        // The image: 1 bit per dot, 1 = black, hence /Decode [1 0] on DeviceGray.
        offsets.push_back(pdf.size());
        appendString(
            pdf, std::to_string(first + 1) + " 0 obj\n<< /Type /XObject /Subtype /Image /Width " +
                     std::to_string(image.width()) + " /Height " + std::to_string(image.height()) +
                     " /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Interpolate "
                     "false /Length " +
                     std::to_string(bits.size()) + " >>\nstream\n");
        pdf.insert(pdf.end(), bits.begin(), bits.end());
        appendString(pdf, "\nendstream\nendobj\n");
        object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
               "endstream");
    }

    const size_t xref = pdf.size();
    std::string table = "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t off : offsets) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
        table += line;
    }
    table += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
             " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    appendString(pdf, table);
    return pdf;
}

namespace {

// `what` and the text of `err`, classified by `err`.
std::unexpected<FileError> fileError(int err, const std::string& what) {
    const FileError::Kind kind = err == ENOSPC || err == EDQUOT ? FileError::Kind::DiskFull
                                 : err == EROFS || err == EACCES || err == EPERM
                                     ? FileError::Kind::ReadOnly
                                     : FileError::Kind::Io;
    return std::unexpected(FileError{kind, err, what + ": " + std::strerror(err)});
}

}  // namespace

std::expected<void, FileError> writeFileAtomically(const std::filesystem::path& path,
                                                   const std::vector<std::uint8_t>& bytes) {
    const std::filesystem::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fileError(errno, "cannot create " + tmp.string());
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return fileError(err, "cannot write " + tmp.string());
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return fileError(err, "cannot write " + tmp.string());
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return fileError(err, "cannot rename to " + path.string());
    }
    return {};
}

}  // namespace platform::print
