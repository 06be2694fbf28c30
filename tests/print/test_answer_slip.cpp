// The published answer on paper (*In kết quả*): ESC/POS bytes decoded back independently and
// their QR read by zbarimg; long answers from the fixtures wrap over the roll without losing a
// word; the A4 form spreads over as many PDF pages as it needs (pdftoppm + zbarimg, pdfinfo).
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "escpos_decoder.hpp"
#include "print/answer_slip.hpp"
#include "print/escpos.hpp"
#include "print/image_writers.hpp"
#include "print_test_tools.hpp"

using namespace platform::print;
namespace fs = std::filesystem;

namespace {

AnswerSlip slipWith(const std::string& text, int index) {
    AnswerSlip a;
    a.centreName = "Trung tâm Phục vụ hành chính công phường Sài Gòn";
    a.typeCode = "PAKN";
    a.trackingCode = "PAKN-7K3M-" + std::to_string(100000 + index) + "-X";
    a.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/" + a.trackingCode;
    a.shortUrl = "tra.cuu.gov.vn";
    a.agency = "Phòng Quản lý đô thị";
    a.officer = "Lê Văn Cường";
    a.answeredOn = LocalDate{2026, 12, 18};
    a.text = text;
    a.printedAt = {{2026, 12, 21}, 9, 5, 0};
    return a;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(toNfc(text));
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// Runs of rows with ink, separated by blank rows, between rows y0 and y1: one per text line.
int inkBands(const Bitmap& image, int y0, int y1) {
    int bands = 0;
    bool inBand = false;
    for (int y = y0; y < y1; ++y) {
        bool ink = false;
        for (int x = 0; x < image.width() && !ink; ++x) ink = image.get(x, y);
        if (ink && !inBand) ++bands;
        inBand = ink;
    }
    return bands;
}

}  // namespace

TEST_CASE(
    "the answer slip printed as ESC/POS decodes back to the same raster and its QR reads as the "
    "tracking URL") {
    testsupport::TempDir dir;
    const auto& fixtures = testsupport::seedFixtures();
    for (const auto& [paper, options] : {std::pair{"80mm", RenderOptions::roll80mm()},
                                         std::pair{"58mm", RenderOptions::roll58mm()}}) {
        for (int i : {0, 5, 10}) {
            const AnswerSlip slip = slipWith(fixtures.at(static_cast<size_t>(i)).body, i);
            INFO(paper << " fixture " << i);
            auto raster = renderAnswerSlip(printtest::renderer(), slip, options);
            REQUIRE(raster);
            const auto decoded = printtest::decodeEscPos(encodeEscPos(*raster));
            REQUIRE(decoded.errors.empty());
            CHECK(decoded.cuts == 1);
            REQUIRE(decoded.image.width() == raster->width());
            REQUIRE(decoded.image.height() == raster->height());
            CHECK(decoded.image.blackCount() == raster->blackCount());
            CHECK(printtest::zbarDecode(decoded.image, dir.path(),
                                        slip.trackingCode + "-" + paper) == slip.trackingUrl);
        }
    }
}

TEST_CASE(
    "a long answer from the fixtures wraps over as much roll as it needs without losing a word") {
    testsupport::TempDir dir;
    const auto& fixtures = testsupport::seedFixtures();
    const auto& r = printtest::renderer();
    for (size_t i : {size_t{2}, size_t{4}, size_t{8}}) {  // 4,221, 11,288 and 26,250 characters
        const std::string& text = fixtures.at(i).body;
        REQUIRE(text.size() > 4000);
        INFO("fixture " << i);
        const RenderOptions o = RenderOptions::roll80mm();
        const AnswerSlip slip = slipWith(text, static_cast<int>(i));
        auto raster = renderAnswerSlip(r, slip, o);
        REQUIRE(raster);
        // The body's lines as the slip wraps them hold every word, in order.
        const float px = 23.0f * o.textScale;
        const auto lines = wrapText(r.regularFont(), px, text, o.widthDots - 2 * o.marginDots);
        std::string joined;
        for (const auto& l : lines) joined += l + "\n";
        CHECK(words(joined) == words(text));
        for (const auto& l : lines)
            CHECK(r.regularFont().textWidth(l, px) <= o.widthDots - 2 * o.marginDots);
        // ... and each was printed: the roll is as long as they are, with a band of ink per line.
        const int lineHeight = r.regularFont().lineHeight(px);
        CHECK(raster->height() > static_cast<int>(lines.size()) * lineHeight);
        CHECK(inkBands(*raster, 0, raster->height()) >= static_cast<int>(lines.size()));
        if (i == 8) CHECK(raster->height() > 10000);  // the canvas grew past its first 6,000 rows
        // The printer gets all of it, and the QR at the very end still reads.
        const auto decoded = printtest::decodeEscPos(encodeEscPos(*raster));
        REQUIRE(decoded.errors.empty());
        REQUIRE(decoded.image.height() == raster->height());
        CHECK(decoded.image.blackCount() == raster->blackCount());
        CHECK(printtest::zbarDecode(decoded.image, dir.path(), "long-" + std::to_string(i)) ==
              slip.trackingUrl);
    }
}

TEST_CASE(
    "a long answer as an A4 form fills several PDF pages, cut between lines, and the last one's QR "
    "reads") {
    testsupport::TempDir dir;
    const AnswerSlip slip = slipWith(testsupport::seedFixtures().at(4).body, 4);
    auto raster = renderAnswerSlip(printtest::renderer(), slip, RenderOptions::a4Form());
    REQUIRE(raster);
    const int pageRows = a4FormPageRows(raster->width());
    const auto pages = splitIntoPages(*raster, pageRows);
    REQUIRE(pages.size() >= 3);
    int rows = 0;
    long long ink = 0;
    for (const auto& p : pages) {
        CHECK(p.height() <= pageRows);
        if (&p != &pages.back()) CHECK(p.height() >= pageRows * 3 / 4);
        rows += p.height();
        ink += p.blackCount();
    }
    CHECK(rows == raster->height());
    CHECK(ink == raster->blackCount());
    const fs::path pdf = dir / "answer.pdf";
    REQUIRE(writeFileAtomically(pdf, encodePdfPages(pages, PdfLayout::A4Form)));
    const auto info = printtest::run("pdfinfo " + printtest::shellQuote(pdf.string()));
    CHECK(std::regex_search(info.output,
                            std::regex("Pages:\\s+" + std::to_string(pages.size()) + "\n")));
    const std::string last = std::to_string(pages.size());
    const auto r = printtest::run("pdftoppm -r 150 -gray -png -f " + last + " -l " + last +
                                  " -singlefile " + printtest::shellQuote(pdf.string()) + " " +
                                  printtest::shellQuote((dir / "last").string()));
    REQUIRE(r.exitCode == 0);
    CHECK(printtest::zbarDecode(dir / "last.png") == slip.trackingUrl);
}
