// Receipt model, masking, dates, font coverage and rendering.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <utf8proc.h>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <set>

#include "print/contact_mask.hpp"
#include "print/image_writers.hpp"
#include "print/local_date.hpp"
#include "print/receipt.hpp"
#include "print/receipt_renderer.hpp"
#include "print_test_tools.hpp"
#include "text/assets.hpp"

using namespace platform::print;

namespace {

// The 67 lower-case Vietnamese letters with diacritics (đ, ă â ê ô ơ ư, and 12 vowels x 5
// tones), then their 67 capitals.
const std::string kVietnameseLetters =
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ";

}  // namespace

TEST_CASE("a name is masked to the family name and the initials of the other words") {
    CHECK(maskName("Nguyễn Văn An") == "Nguyễn V. A.");
    CHECK(maskName("  Trần   Thị  Ánh Tuyết ") == "Trần T. Á. T.");
    CHECK(maskName("Hứa Sĩ Liêm") == "Hứa S. L.");
    CHECK(maskName("Trần Bình") == "Trần B.");
    CHECK(maskName("Lan") == "L.");
    CHECK(maskName("Đặng") == "Đ.");
    CHECK(maskName("") == "");
    CHECK(maskName("   ") == "");
    // Decomposed input (NFD "Ánh") comes out precomposed.
    CHECK(maskName("Lê A\xCC\x81nh") == "Lê Á.");
}

TEST_CASE("a phone number is masked to its first two and last three digits") {
    CHECK(maskPhone("0912345123") == "09xx xxx 123");
    CHECK(maskPhone("0912 345 123") == "09xx xxx 123");
    CHECK(maskPhone("+84 912 345 123") == "09xx xxx 123");
    CHECK(maskPhone("84912345123") == "09xx xxx 123");
    CHECK(maskPhone("02838123456") == "02 xxx xxx 456");
    CHECK(maskPhone("123456") == "12x 456");
    CHECK(maskPhone("12345") == "xxxxx");
    CHECK(maskPhone("") == "");
    for (const char* phone : {"0912345123", "+84 912 345 123", "0987654321"}) {
        const std::string masked = maskPhone(phone);
        CHECK(masked.find("345") == std::string::npos);
        CHECK(masked.find("654") == std::string::npos);
    }
}

TEST_CASE("dates are parsed strictly and formatted the Vietnamese way") {
    CHECK(parseIsoDate("2026-02-29") == std::nullopt);
    CHECK(parseIsoDate("2028-02-29") == LocalDate{2028, 2, 29});
    CHECK(parseIsoDate("2026-1-01") == std::nullopt);
    CHECK(parseIsoDate("") == std::nullopt);
    CHECK(formatDateVi({2026, 1, 5}) == "05/01/2026");
    CHECK(formatDateVi({2026, 1, 5}, DateStyle::Long) == "Thứ Hai, ngày 05 tháng 01 năm 2026");
    CHECK(formatDateVi({2026, 3, 8}, DateStyle::Long) == "Chủ nhật, ngày 08 tháng 03 năm 2026");
    CHECK(formatDateTimeVi({{2025, 11, 14}, 8, 5, 0}) == "08:05 ngày 14/11/2025");
    CHECK(formatIsoDate({2026, 9, 2}) == "2026-09-02");
}

TEST_CASE("a receipt keeps only the masked contact and prints the reply date it is given") {
    ReceiptInput in = printtest::fixtureReceiptInput(testsupport::seedFixtures().at(1), 0);
    in.anonymous = false;
    in.contactName = "Nguyễn Văn An";
    in.contactPhone = "0912345123";
    in.createdAt.date = {2026, 2, 12};
    in.replyBy = LocalDate{2026, 3, 5};
    const Receipt r = makeReceipt(in);
    CHECK(r.maskedName == "Nguyễn V. A.");
    CHECK(r.maskedPhone == "09xx xxx 123");
    CHECK_FALSE(r.anonymous);
    CHECK(r.replyBy == LocalDate{2026, 3, 5});

    in.replyBy = LocalDate{2026, 6, 1};
    CHECK(makeReceipt(in).replyBy == LocalDate{2026, 6, 1});

    in.anonymous = true;
    const Receipt anon = makeReceipt(in);
    CHECK(anon.anonymous);
    CHECK(anon.maskedName.empty());
    CHECK(anon.maskedPhone.empty());

    in.anonymous = false;
    in.contactName = " ";
    in.contactPhone = "";
    CHECK(makeReceipt(in).anonymous);
}

TEST_CASE("the receipt fonts have every Vietnamese letter") {
    const std::u32string letters = decodeUtf8(kVietnameseLetters);
    REQUIRE(letters.size() == 134);
    REQUIRE(std::set<char32_t>(letters.begin(), letters.end()).size() == 134);
    for (const Font* font :
         {&printtest::renderer().regularFont(), &printtest::renderer().boldFont()}) {
        CHECK(font->missingGlyphs(kVietnameseLetters).empty());
        // The whole line renders, and each letter draws something different from its base
        // letter (the diacritics are really there).
        Bitmap line(font->textWidth(kVietnameseLetters, 28) + 8, 48);
        font->draw(line, 4, 36, kVietnameseLetters, 28);
        CHECK(line.blackCount() > 134 * 20);
        for (char32_t c : letters) {
            const std::string letter = encodeUtf8(std::u32string(1, c));
            Bitmap withMarks(48, 48), plain(48, 48);
            font->draw(withMarks, 8, 36, letter, 28);
            CHECK(withMarks.blackCount() > 0);
            // The base letter (first code point of the NFD form; đ has no decomposition).
            char32_t b = c == U'đ' ? U'd' : c == U'Đ' ? U'D' : 0;
            if (b == 0) {
                utf8proc_uint8_t* nfd =
                    utf8proc_NFD(reinterpret_cast<const utf8proc_uint8_t*>(letter.c_str()));
                REQUIRE(nfd != nullptr);
                b = decodeUtf8(reinterpret_cast<const char*>(nfd)).at(0);
                std::free(nfd);
            }
            REQUIRE(b != c);
            font->draw(plain, 8, 36, encodeUtf8(std::u32string(1, b)), 28);
            CHECK(withMarks.blackCount() != plain.blackCount());
        }
    }
    // Every string the receipt and the printer messages use is covered too.
    for (const auto& [key, value] : printtest::renderer().strings().all()) {
        if (key.rfind("receipt.", 0) != 0 && key.rfind("printer.", 0) != 0) continue;
        INFO(key);
        CHECK(printtest::renderer().regularFont().missingGlyphs(value).empty());
        CHECK(printtest::renderer().boldFont().missingGlyphs(value).empty());
    }
}

TEST_CASE("text wraps at word boundaries within the line width") {
    const Font& font = printtest::renderer().regularFont();
    const std::string text = printtest::renderer().strings().get("receipt.privacy") + " " +
                             testsupport::seedFixtures().at(1).body;
    for (int width : {200, 368, 560}) {
        const auto lines = wrapText(font, 23, text, width);
        REQUIRE(lines.size() > 1);
        std::string joined;
        for (const auto& line : lines) {
            CHECK(font.textWidth(line, 23) <= width);
            CHECK(line.front() != ' ');
            CHECK(line.back() != ' ');
            joined += (joined.empty() ? "" : " ") + line;
        }
        // Nothing lost or split inside a word (the text has single spaces only).
        CHECK(joined == toNfc(text));
    }
    // A word longer than the line is split between letters rather than overflowing.
    const auto parts = wrapText(font, 23, "HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X", 150);
    CHECK(parts.size() > 1);
    for (const auto& p : parts) CHECK(font.textWidth(p, 23) <= 150);
}

TEST_CASE("the receipt shows the title, code and masked contact but never the content") {
    ReceiptInput in = printtest::fixtureReceiptInput(testsupport::seedFixtures().at(1), 0);
    in.anonymous = false;
    in.contactName = "Nguyễn Văn An";
    in.contactPhone = "0912345123";
    in.createdAt = {{2026, 2, 12}, 8, 35, 0};
    in.trackingCode = "PAKN-7K3M-000123-X";
    in.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X";
    in.category = "Môi trường, vệ sinh";
    in.replyBy = {2026, 3, 5};
    const Receipt r = makeReceipt(in);
    for (const auto& [name, options] : {std::pair{"80mm", RenderOptions::roll80mm()},
                                        {"58mm", RenderOptions::roll58mm()},
                                        {"a4", RenderOptions::a4Form()}}) {
        auto image = printtest::renderer().render(r, options);
        REQUIRE(image);
        CHECK(image->width() == options.widthDots);
        CHECK(image->height() > 400);
        // Kept next to the build for people to look at.
        auto w =
            writeFileAtomically(std::string("receipt-sample-") + name + ".png", encodePng(*image));
        CHECK(w);
    }
    // The content of the submission is not in the model the renderer sees.
    const std::string all =
        r.centreName + r.category + r.maskedName + r.maskedPhone + r.shortUrl + r.hotline;
    CHECK(all.find("Văn An") == std::string::npos);
    CHECK(all.find("345") == std::string::npos);
}

TEST_CASE(
    "a supplement's slip has its own title instead of the receipt's, and no category, sender or "
    "reply date (issue #14)") {
    ReceiptInput in = printtest::fixtureReceiptInput(testsupport::seedFixtures().at(1), 0);
    in.trackingCode = "PAKN-7K3M-000123-X";
    in.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X";
    in.secretText.clear();
    const Receipt receipt = makeReceipt(in);
    in.slipTitle = "Đã bổ sung thông tin cho PAKN-7K3M-000123-X";
    const Receipt slip = makeReceipt(in);
    CHECK(slip.slipTitle == in.slipTitle);
    CHECK(receipt.slipTitle.empty());
    const auto options = RenderOptions::roll80mm();
    auto a = printtest::renderer().render(receipt, options);
    auto b = printtest::renderer().render(slip, options);
    REQUIRE(a);
    REQUIRE(b);
    // The category, sender and reply date lines are gone; the QR still reads the case's page.
    CHECK(b->height() < a->height() - 60);
    testsupport::TempDir dir;
    CHECK(printtest::zbarDecode(*b, dir.path(), "slip") == in.trackingUrl);
    // The title is a different line of ink: the rows below the centre's name differ.
    bool differs = false;
    for (int y = 40; y < 160 && !differs; ++y)
        for (int x = 0; x < a->width() && !differs; ++x) differs = a->get(x, y) != b->get(x, y);
    CHECK(differs);
    auto w = writeFileAtomically("supplement-slip-sample-80mm.png", encodePng(*b));
    CHECK(w);
}

TEST_CASE("fonts, receipts and files fail with their own kind of error") {
    testsupport::TempDir dir;
    auto missing = Font::load(dir / "none.ttf");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == FontError::Kind::Unreadable);
    CHECK(missing.error().detail.find("none.ttf") != std::string::npos);
    {
        std::ofstream out(dir / "not-a-font.ttf");
        out << "not a font at all";
    }
    auto notAFont = Font::load(dir / "not-a-font.ttf");
    REQUIRE_FALSE(notAFont);
    CHECK(notAFont.error().kind == FontError::Kind::NotAFont);
    auto noRenderer =
        ReceiptRenderer::create(platform::text::Strings::load("vi"), dir / "none.ttf");
    REQUIRE_FALSE(noRenderer);
    CHECK(noRenderer.error().kind == FontError::Kind::Unreadable);

    ReceiptInput in = printtest::fixtureReceiptInput(testsupport::seedFixtures().at(0), 0);
    in.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/" + std::string(8000, 'X');
    auto tooLong = printtest::renderer().render(makeReceipt(in), RenderOptions::roll80mm());
    REQUIRE_FALSE(tooLong);
    CHECK(tooLong.error().kind == RenderError::Kind::QrUnencodable);
    in.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/" + std::string(1500, 'X');
    auto tooWide = printtest::renderer().render(makeReceipt(in), RenderOptions::roll58mm());
    REQUIRE_FALSE(tooWide);
    CHECK(tooWide.error().kind == RenderError::Kind::QrTooWide);

    auto noDir = writeFileAtomically(dir / "no-such-dir" / "x.png", {1, 2, 3});
    REQUIRE_FALSE(noDir);
    CHECK(noDir.error().kind == FileError::Kind::Io);
    CHECK(noDir.error().sysErrno == ENOENT);
    CHECK(noDir.error().detail.find("no-such-dir") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "no-such-dir"));
}
