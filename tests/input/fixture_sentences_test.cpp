// Ten real sentences from the seed submissions, typed key by key (Telex with the tone at the
// end of each word, and VNI) and compared with the original text.
#include "typing.hpp"

#include "input/engine.hpp"
#include "input/utf8.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace kiosk::input;

namespace {

const char* const kSentences[] = {
    "Kính đề nghị quý cấp triển khai phòng họp không giấy có tích hợp AI (Lịch họp, tài liệu họp "
    "được gửi lên hệ thống, ghi lại cuộc họp, tổng hợp ý kiến cuộc, kết luận cuộc họp....)",
    "KÍNH GỬI: BAN CHỈ ĐẠO XÂY DỰNG CHÍNH SÁCH CHIẾN LƯỢC TRUNG ƯƠNG,",
    "Tuy nhiên, đề nghị Văn phòng Trung ương Đảng chỉ đạo cơ quan chuyên môn nâng cấp thêm tính "
    "năng tự động nhập trích yếu nội dung văn bản vào phần dự thảo văn bản đi",
    "Làm thế nào để xây dựng và triển khai hiệu quả cơ chế phổ cập khoa học, công nghệ, đổi mới "
    "sáng tạo và chuyển đổi số tại các vùng sâu, vùng xa, vùng đặc biệt khó khăn vùng có đồng bào "
    "dân tộc thiểu số ở xã Bình Phú hiện nay ?",
    "Tôi đã phản ánh nhiều lần, mấy quán kinh doanh tòa nhà Bình Đông Xanh 557 Bến Bình Đông chiếm "
    "dụng toàn bộ lề đường 100%, không cho ai đi, sau khi cơ quan làm việc, họ còn thách thức, cho "
    "xe xuống lòng đường luôn.",
    "Luật pháp có còn không? Cán bộ địa phương có làm việc không?",
    "Đề nghị Tỉnh Lâm đồng cần tổ chức các lớp tuận huấn, hướng dẫn cho cán bộ phụ trách về chuyển "
    "đổi số tại địa phương",
    "Sáng kiến đề xuất triển khai hệ thống quản lý kho vận thông minh ứng dụng công nghệ RFID nhằm "
    "tự động hóa quy trình kiểm kê, xuất nhập hàng hóa và truy xuất nguồn gốc sản phẩm trong toàn "
    "bộ chuỗi cung ứng của Casumina.",
    "Mỗi chính sách, nghị quyết, hay quyết định cải cách đều phải đi qua ít nhất một trong ba khâu "
    "này: tổ chức – pháp lý – nguồn lực.",
    "Trong suốt nhiều năm qua, Việt Nam đã kiên trì thực hiện các chương trình cải cách hành "
    "chính, tinh gọn bộ máy, sắp xếp tổ chức, cải thiện năng lực quản lý nhà nước.",
};

std::string typeInto(InputMode mode, std::u32string_view keys) {
    Engine e(mode);
    for (char32_t c : keys) e.typeChar(c);
    e.commit();
    return e.text();
}

}  // namespace

TEST_CASE("ten real sentences typed key by key in telex and vni give the original text",
          "[fixtures]") {
    const auto& fixtures = testsupport::seedFixtures();
    REQUIRE(fixtures.size() == 20);
    for (const char* sentence : kSentences) {
        INFO(sentence);
        bool found = false;
        for (const auto& f : fixtures) found = found || f.body.find(sentence) != std::string::npos;
        CHECK(found);  // a real sentence, not one written for the test
        const auto text = fromUtf8(sentence);
        REQUIRE(text);
        CHECK(typeInto(InputMode::Telex, testinput::telexKeysFor(*text)) == sentence);
        CHECK(typeInto(InputMode::Vni, testinput::vniKeysFor(*text)) == sentence);
    }
}
