// kioskctl print-answer end to end: the real backend publishes the answer (kiosk-backend
// update), the kiosk pulls it (kioskctl sync), and the answer comes out as ESC/POS bytes that
// the print tests' independent decoder turns back into an image whose QR zbarimg reads; as an
// A4 PDF over several pages; and on the configured printer.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "backend_process.hpp"
#include "escpos_decoder.hpp"
#include "print/image_writers.hpp"
#include "print/raster_layout.hpp"
#include "print/receipt_renderer.hpp"
#include "run_process.hpp"
#include "test_support.hpp"

using testsupport::ProcessResult;

TEST_CASE(
    "kioskctl print-answer prints the answer the backend published, and its ESC/POS QR reads "
    "back") {
    testsupport::TempDir tmp;
    testsupport::BackendProcess backend({}, tmp.path() / "backend", {}, tmp.path() / "backend.log");
    backend.start(0);
    const std::string kdir = (tmp.path() / "kiosk").string();
    auto kctl = [&](std::vector<std::string> args) {
        args.push_back("--data-dir");
        args.push_back(kdir);
        return testsupport::runProcess(KIOSKCTL_PATH, args);
    };
    REQUIRE(kctl({"init", "--kiosk-id", "7K3M", "--backend", backend.url()}).exitCode == 0);
    auto sub = kctl({"submit", "--category", "MOI_TRUONG", "--body",
                     "Cống thoát nước trước nhà số 12 bị tắc nhiều ngày."});
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, sub.out.find('\n'));
    auto token = backend.cli({"issue-token", "--kiosk-id", "7K3M"});
    REQUIRE(token.exitCode == 0);
    REQUIRE(kctl({"enroll", "--token", token.out.substr(0, token.out.find('\n'))}).exitCode == 0);
    REQUIRE(kctl({"sync", "--once"}).exitCode == 0);

    // Not answered yet: a clear sentence, nothing written.
    const auto bin = tmp.path() / "answer.bin";
    auto early = kctl({"print-answer", code, "--out", bin.string()});
    CHECK(early.exitCode == 1);
    CHECK(early.err.find("chưa có trả lời của hồ sơ " + code) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(bin));

    const std::string answer = testsupport::seedFixtures().at(2).body;  // 4,221 characters
    REQUIRE(backend
                .cli({"update", code, "--status", "forwarded", "--agency",
                      "Phòng Tài nguyên và Môi trường", "--officer", "Trần Thị Bình", "--expected",
                      "2026-12-10"})
                .exitCode == 0);
    REQUIRE(
        backend
            .cli({"update", code, "--status", "answered", "--agency",
                  "Phòng Tài nguyên và Môi trường", "--officer", "Trần Thị Bình", "--note", answer})
            .exitCode == 0);
    REQUIRE(kctl({"sync", "--once"}).exitCode == 0);

    auto printed = kctl({"print-answer", code, "--out", bin.string(), "--json"});
    INFO(printed.err);
    REQUIRE(printed.exitCode == 0);
    std::ifstream in(bin, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    const auto decoded = printtest::decodeEscPos(bytes);
    REQUIRE(decoded.errors.empty());
    CHECK(decoded.cuts == 1);
    CHECK(decoded.image.width() == 576);
    // A 4,221-character answer takes well over a metre of dots... at least 60 lines of text.
    CHECK(decoded.image.height() > 60 * 30);
    const auto png = tmp.path() / "decoded.png";
    REQUIRE(platform::print::writeFileAtomically(png, platform::print::encodePng(decoded.image)));
    auto qr =
        testsupport::runProcess("/usr/bin/zbarimg", {"-q", "--raw", "--nodbus", png.string()});
    CHECK(qr.out == "HTTPS://TRA.CUU.GOV.VN/T/" + code + "\n");

    // The A4 form for a CUPS printer: as many pages as the answer needs.
    const auto pdf = tmp.path() / "answer.pdf";
    REQUIRE(kctl({"print-answer", code, "--out", pdf.string(), "--a4"}).exitCode == 0);
    const auto info = testsupport::runProcess("/usr/bin/pdfinfo", {pdf.string()});
    std::smatch m;
    REQUIRE(std::regex_search(info.out, m, std::regex("Pages:\\s+(\\d+)")));
    CHECK(std::stoi(m[1]) >= 2);

    // And on the kiosk's printer (here a PNG directory).
    const auto dir = tmp.path() / "printer";
    std::filesystem::create_directories(dir);
    auto onPrinter = kctl({"print-answer", code, "--printer", "png://" + dir.string()});
    INFO(onPrinter.err);
    CHECK(onPrinter.exitCode == 0);
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 1);
}

namespace {

// Whether the inked rows of `strip` (as wide as `image`) appear in `image` exactly, at some
// height: a line of text drawn by the same renderer at the same width.
bool containsStrip(const platform::print::Bitmap& image, const platform::print::Bitmap& strip) {
    auto blank = [&](int y) {
        for (int x = 0; x < strip.width(); ++x)
            if (strip.get(x, y)) return false;
        return true;
    };
    int top = 0, bottom = strip.height() - 1;
    while (top <= bottom && blank(top)) ++top;
    while (bottom >= top && blank(bottom)) --bottom;
    if (top > bottom || strip.width() != image.width()) return false;
    for (int at = 0; at + (bottom - top) < image.height(); ++at) {
        bool same = true;
        for (int y = top; same && y <= bottom; ++y)
            for (int x = 0; x < strip.width(); ++x)
                if (strip.get(x, y) != image.get(x, at + (y - top))) {
                    same = false;
                    break;
                }
        if (same) return true;
    }
    return false;
}

platform::print::Bitmap textStrip(const std::string& key, bool bold, float size) {
    static const auto renderer =
        platform::print::ReceiptRenderer::create(platform::text::Strings::load("vi"));
    REQUIRE(renderer);
    const auto options = platform::print::RenderOptions::roll80mm();
    platform::print::RasterLayout l(*renderer, options);
    l.centred(bold ? renderer->boldFont() : renderer->regularFont(), l.px(size),
              renderer->strings().get(key));
    return l.finish();
}

}  // namespace

TEST_CASE(
    "a reprint (kioskctl receipt, kioskctl print) says on the slip that the secret is only on the "
    "first receipt") {
    testsupport::TempDir tmp;
    const std::string kdir = (tmp.path() / "kiosk").string();
    auto kctl = [&](std::vector<std::string> args) {
        args.push_back("--data-dir");
        args.push_back(kdir);
        return testsupport::runProcess(KIOSKCTL_PATH, args);
    };
    const auto printerDir = tmp.path() / "printer";
    std::filesystem::create_directories(printerDir);
    REQUIRE(kctl({"init", "--kiosk-id", "7K3M", "--printer", "png://" + printerDir.string()})
                .exitCode == 0);
    auto sub = kctl({"submit", "--category", "MOI_TRUONG", "--body",
                     "Cống thoát nước trước nhà số 12 bị tắc nhiều ngày."});
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, sub.out.find('\n'));
    const std::string secretLine = sub.out.substr(sub.out.find('\n') + 1);

    const auto bin = tmp.path() / "reprint.bin";
    auto r = kctl({"receipt", code, "--out", bin.string(), "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(nlohmann::json::parse(r.out).at("reprint_without_secret") == true);
    std::ifstream in(bin, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    const auto decoded = printtest::decodeEscPos(bytes);
    REQUIRE(decoded.errors.empty());
    // The note is on the slip; the secret's label is not.
    CHECK(containsStrip(decoded.image, textStrip("receipt.reprint_no_secret", true, 20)));
    CHECK_FALSE(containsStrip(decoded.image, textStrip("receipt.secret_label", false, 22)));
    CHECK_FALSE(containsStrip(decoded.image, textStrip("receipt.code_label", false, 23)));
    CHECK(containsStrip(decoded.image, textStrip("receipt.code_label", false, 22)));  // sanity

    // The reprint on the kiosk's printer, and the same words for the staff member.
    auto p = kctl({"print", code});
    INFO(p.err);
    REQUIRE(p.exitCode == 0);
    CHECK(p.out.find("Phiếu in lại không có mã bí mật") != std::string::npos);
    CHECK(secretLine.find("Mã bí mật") != std::string::npos);  // shown once, at submit
}
