// ESC/POS bytes: decoded back into an image whose QR zbarimg must read; the status parser.
#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include "escpos_decoder.hpp"
#include "print/escpos.hpp"
#include "print_test_tools.hpp"
#include "qr/qr_code.hpp"

using namespace platform::print;

TEST_CASE("ESC/POS output initialises, sends the raster in bands, feeds and cuts") {
    Bitmap image(576, 300);
    image.fillRect(10, 10, 100, 280);
    image.set(575, 299);
    const auto bytes = encodeEscPos(image, EscPosOptions{128, 4, 2});
    REQUIRE(bytes.size() > 4);
    CHECK(bytes[0] == 0x1B);
    CHECK(bytes[1] == 0x40);
    const auto decoded = printtest::decodeEscPos(bytes);
    CHECK(decoded.errors.empty());
    CHECK(decoded.initialisations == 1);
    CHECK(decoded.bands == 3);
    CHECK(decoded.maxBandRows == 128);
    CHECK(decoded.feedLines == 4);
    CHECK(decoded.cuts == 1);
    CHECK(decoded.cutIsLastCommand);
    CHECK(bytes[bytes.size() - 2] == 66);  // GS V 66 n: feed to the cutter, then cut
    REQUIRE(decoded.image.width() == 576);
    REQUIRE(decoded.image.height() == 300);
    for (int y = 0; y < 300; y += 7)
        for (int x = 0; x < 576; x += 5) REQUIRE(decoded.image.get(x, y) == image.get(x, y));
    CHECK(decoded.image.get(575, 299));
}

TEST_CASE(
    "the QR on every fixture receipt printed as ESC/POS reads back as exactly the tracking URL") {
    testsupport::TempDir dir;
    const auto& fixtures = testsupport::seedFixtures();
    REQUIRE(fixtures.size() == 20);
    for (const auto& [paper, options, minModule] :
         {std::tuple{"80mm", RenderOptions::roll80mm(), 6},
          {"58mm", RenderOptions::roll58mm(), 5}}) {
        for (size_t i = 0; i < fixtures.size(); ++i) {
            const Receipt receipt =
                makeReceipt(printtest::fixtureReceiptInput(fixtures[i], static_cast<int>(i)));
            INFO(paper << " fixture " << i << " " << receipt.trackingCode);
            auto raster = printtest::renderer().render(receipt, options);
            REQUIRE(raster);
            const auto decoded = printtest::decodeEscPos(encodeEscPos(*raster));
            REQUIRE(decoded.errors.empty());
            REQUIRE(decoded.image.width() == options.widthDots);
            CHECK(printtest::zbarDecode(decoded.image, dir.path(),
                                        receipt.trackingCode + "-" + paper) == receipt.trackingUrl);
            // Measured in the printed image: whole dots per module, at least the minimum.
            CHECK(printtest::measureQrModuleDots(decoded.image) >= minModule);
        }
    }
}

TEST_CASE("an upper-case tracking URL is encoded as a small QR at ECC M") {
    auto code = platform::qr::encode("HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X");
    REQUIRE(code);
    // 43 alphanumeric characters fit version 3 at ECC M; in byte mode they would need 4.
    CHECK(code->version() == 3);
    CHECK(code->size() == 29);
    auto lower = platform::qr::encode("https://tra.cuu.gov.vn/t/pakn-7k3m-000123-x");
    REQUIRE(lower);
    CHECK(lower->version() > code->version());
    CHECK_FALSE(platform::qr::encode(""));
    CHECK(platform::qr::encode(std::string(5000, 'A')).error() == platform::qr::QrError::TooLong);
}

TEST_CASE("status replies are classified into distinct printer states") {
    auto parse = [](std::optional<std::uint8_t> a, std::optional<std::uint8_t> b,
                    std::optional<std::uint8_t> c) {
        return parseStatusReplies(StatusReplies{a, b, c});
    };
    CHECK(parse(0x16, 0x12, 0x12).state == PrinterState::Ready);
    CHECK(parse(0x16, 0x12, 0x1E).state == PrinterState::PaperNearEnd);
    CHECK(parse(0x1E, 0x32, 0x72).state == PrinterState::PaperOut);
    CHECK(parse(0x16, 0x12, 0x72).state == PrinterState::PaperOut);  // sensor alone is enough
    CHECK(parse(0x1E, 0x16, 0x12).state == PrinterState::CoverOpen);
    CHECK(parse(0x1E, 0x52, 0x12).state == PrinterState::Offline);  // error bit
    CHECK(parse(0x1E, 0x12, 0x12).state == PrinterState::Offline);
    CHECK(parse(std::nullopt, std::nullopt, std::nullopt).state == PrinterState::NoAnswer);
    CHECK(parse(0x16, 0x12, std::nullopt).state == PrinterState::NoAnswer);  // paper unknown
    CHECK(parse(0xFF, 0x12, 0x12).state == PrinterState::InvalidReply);
    CHECK(parse(0x16, 0x00, 0x12).state == PrinterState::InvalidReply);
    const auto both = parse(0x1E, 0x36, 0x7E);
    CHECK(both.state == PrinterState::CoverOpen);
    CHECK(both.paperOut);
    CHECK(both.paperNearEnd);
    // Every state has its own message in both languages.
    const auto vi = platform::text::Strings::load("vi");
    const auto en = platform::text::Strings::load("en");
    std::set<std::string> messages;
    for (auto s : {PrinterState::Ready, PrinterState::PaperNearEnd, PrinterState::PaperOut,
                   PrinterState::CoverOpen, PrinterState::Offline, PrinterState::NoAnswer,
                   PrinterState::InvalidReply, PrinterState::Unchecked, PrinterState::Unreachable,
                   PrinterState::NotConfigured}) {
        INFO(messageKey(s));
        CHECK(vi.has(messageKey(s)));
        CHECK(en.has(messageKey(s)));
        CHECK(vi.get(messageKey(s)) != en.get(messageKey(s)));
        messages.insert(vi.get(messageKey(s)));
    }
    CHECK(messages.size() == 10);
}

TEST_CASE("the status parser accepts every possible reply without failing") {
    // Exhaustive over single bytes (what the fuzz target will do at random).
    for (int a = -1; a < 256; ++a) {
        for (int c : {-1, 0x12, 0x72, 0xFF}) {
            const auto opt = [](int v) {
                return v < 0 ? std::nullopt : std::optional<std::uint8_t>(v);
            };
            const PrinterStatus s = parseStatusReplies(StatusReplies{opt(a), opt(0x12), opt(c)});
            if (a >= 0 && (a & 0x93) != 0x12) CHECK(s.state == PrinterState::InvalidReply);
            CHECK_FALSE(s.detail.empty());
        }
    }
}
