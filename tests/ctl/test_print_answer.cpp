// kioskctl print-answer end to end: the real backend publishes the answer (kiosk-backend
// update), the kiosk pulls it (kioskctl sync), and the answer comes out as ESC/POS bytes that
// the print tests' independent decoder turns back into an image whose QR zbarimg reads; as an
// A4 PDF over several pages; and on the configured printer.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "backend_process.hpp"
#include "escpos_decoder.hpp"
#include "print/image_writers.hpp"
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
