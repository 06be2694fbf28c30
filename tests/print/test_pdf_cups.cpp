// PDF output, read back with pdftoppm + zbarimg; CUPS through a private cupsd + cups-pdf.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "print/image_writers.hpp"
#include "print/printer.hpp"
#include "print_test_tools.hpp"
#include "private_cups.hpp"

using namespace platform::print;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Rasterises page 1 of a PDF at 150 dpi and reads its QR code.
std::string decodePdf(const fs::path& pdf, const fs::path& dir, const std::string& name) {
    const auto r = printtest::run("pdftoppm -r 150 -gray -png -f 1 -l 1 -singlefile " +
                                  printtest::shellQuote(pdf.string()) + " " +
                                  printtest::shellQuote((dir / name).string()));
    if (r.exitCode != 0) return "pdftoppm failed";
    return printtest::zbarDecode(dir / (name + ".png"));
}

Receipt receiptNumber(int index) {
    return makeReceipt(printtest::fixtureReceiptInput(
        testsupport::seedFixtures().at(static_cast<size_t>(index)), index));
}

}  // namespace

TEST_CASE("a receipt written as a PDF slip or A4 form reads back as the tracking URL") {
    testsupport::TempDir dir;
    const Receipt receipt = receiptNumber(9);
    for (const auto& [name, layout, options] :
         {std::tuple{"slip", PdfLayout::CentredSlip, RenderOptions::roll80mm()},
          {"form", PdfLayout::A4Form, RenderOptions::a4Form()}}) {
        auto raster = printtest::renderer().render(receipt, options);
        REQUIRE(raster);
        const auto pdf = encodePdf(*raster, layout);
        const std::string head(pdf.begin(), pdf.begin() + 8);
        CHECK(head == "%PDF-1.4");
        const fs::path path = dir / (std::string(name) + ".pdf");
        REQUIRE(writeFileAtomically(path, pdf));
        CHECK(decodePdf(path, dir.path(), name) == receipt.trackingUrl);
        // pdfinfo agrees it is one A4 page.
        const auto info = printtest::run("pdfinfo " + printtest::shellQuote(path.string()));
        CHECK(std::regex_search(info.output, std::regex("Pages:\\s+1\n")));
        CHECK(info.output.find("595.276 x 841.89 pts (A4)") != std::string::npos);
    }
}

TEST_CASE("a receipt printed to a cups-pdf queue comes out as a PDF whose QR reads back") {
    printtest::PrivateCups cups;
    INFO(cups.logTail());
    REQUIRE(cups.error().empty());

    auto printer = makePrinter("cups://" + cups.queue());
    REQUIRE(printer);
    const PrinterStatus status = (*printer)->status(5s);
    INFO(status.detail);
    CHECK(status.state == PrinterState::Unchecked);

    auto missing = makePrinter("cups://no_such_queue");
    REQUIRE(missing);
    CHECK((*missing)->status(5s).state == PrinterState::Unreachable);

    // A unique job title: cups-pdf names its output after it.
    Receipt receipt = receiptNumber(11);
    const std::string token =
        "T" + std::to_string(::getpid()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
    receipt.trackingCode = "PAKN-7K3M-" + token + "-X";
    receipt.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/" + receipt.trackingCode;
    auto raster = printtest::renderer().render(receipt, (*printer)->renderOptions());
    REQUIRE(raster);
    auto result = (*printer)->print(PrintJob{receipt.trackingCode, std::move(*raster)}, 20s);
    REQUIRE(result);
    CHECK(result->output.rfind(cups.queue() + "-", 0) == 0);

    // cups-pdf converts in the background; wait (bounded) for its output.
    const fs::path outDir = cups.outputDir();
    fs::path found;
    for (int i = 0; i < 600 && found.empty(); ++i) {
        std::error_code ec;
        if (fs::is_directory(outDir, ec)) {
            for (const auto& entry : fs::directory_iterator(outDir, ec)) {
                const std::string file = entry.path().filename().string();
                if (file.find(token) != std::string::npos && entry.path().extension() == ".pdf") {
                    // Complete once its size stops changing.
                    const auto size = fs::file_size(entry.path(), ec);
                    std::this_thread::sleep_for(200ms);
                    if (!ec && size > 0 && size == fs::file_size(entry.path(), ec))
                        found = entry.path();
                }
            }
        }
        if (found.empty()) std::this_thread::sleep_for(100ms);
    }
    INFO("cups-pdf output directory: " << outDir);
    REQUIRE_FALSE(found.empty());
    testsupport::TempDir dir;
    CHECK(decodePdf(found, dir.path(), "cups") == receipt.trackingUrl);
    fs::remove(found);
}
