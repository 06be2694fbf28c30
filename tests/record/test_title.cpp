#include <catch2/catch.hpp>

#include "record/text.hpp"
#include "record/validation.hpp"
#include "test_support.hpp"

using namespace ksync::record;

TEST_CASE("the suggested title is the first sentence") {
    CHECK(suggestTitle("Đèn đường hẻm 12 bị hỏng đã hai tuần. Buổi tối rất tối và nguy hiểm.") ==
          "Đèn đường hẻm 12 bị hỏng đã hai tuần");
    CHECK(suggestTitle("Vì sao chưa sửa cống?  Đã báo nhiều lần.") == "Vì sao chưa sửa cống?");
}

TEST_CASE("the suggested title skips salutation lines and list markers") {
    CHECK(suggestTitle("KÍNH GỬI: UBND PHƯỜNG\nĐề nghị lắp đèn tín hiệu ở ngã tư. Xin cảm ơn.") ==
          "Đề nghị lắp đèn tín hiệu ở ngã tư");
    CHECK(suggestTitle("1. Cơ sở thực tiễn sâu sắc\nÁp lực lịch sử") == "Cơ sở thực tiễn sâu sắc");
    CHECK(suggestTitle("- Mục đích: Số hóa 100% biểu mẫu") == "Mục đích: Số hóa 100% biểu mẫu");
}

TEST_CASE("a long first sentence is cut at a word boundary within 120 characters") {
    std::string body;
    for (int i = 0; i < 40; ++i) body += "nâng cấp ";
    body += "hệ thống.";
    const std::string t = suggestTitle(body);
    CHECK(countCodepoints(t) <= 120);
    CHECK(t.ends_with("…"));
    const std::string withoutEllipsis = t.substr(0, t.size() - std::string("…").size());
    CHECK((withoutEllipsis.ends_with("nâng") || withoutEllipsis.ends_with("cấp")));
}

TEST_CASE("every fixture gives a non-empty title of at most 120 characters in valid NFC") {
    for (const auto& f : testsupport::seedFixtures()) {
        const std::string t = suggestTitle(f.body);
        INFO(t);
        CHECK_FALSE(t.empty());
        CHECK(countCodepoints(t) <= kSuggestedTitleChars);
        CHECK(isValidUtf8(t));
        CHECK(toNfc(t) == t);
        CHECK(t.find('\n') == std::string::npos);
    }
}
