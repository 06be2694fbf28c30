// The tracking story on the real screens: a record made by tapping, statuses in the kiosk's
// real status cache (as the sync worker stores them), then the resident looks the code up and
// reads the timeline, the deadline in working days, the request, the answer in full; *Nghe*
// beside each part speaks through the real espeak-ng path. Portrait and landscape, large text
// and high contrast.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "kiosk_fixture.hpp"
#include "record/validation.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;

namespace {

// The fixture's clock starts at 2027-01-15T08:00Z, a Friday; the default config's calendar
// has 1 January 2027 off. The record is made at this kiosk on Monday 11 January (its own
// deadline: 10 working days, Monday 25 January), everything else is dated around it.
std::string addRecord(KioskFixture& k) {
    ksync::record::Draft d;
    d.type = "PAKN";
    d.category = "GIAO_THONG";
    d.body = "Ổ gà lớn trước số nhà 25 đường Lê Lợi, xe máy đi qua rất nguy hiểm.";
    auto v = ksync::record::validateDraft(d);
    REQUIRE(v);
    auto r = k.store().createRecord(*v, "7K3M", "2027-01-11T02:00:00.000Z", true);
    REQUIRE(r);
    return r->header.trackingCode;
}

void status(KioskFixture& k, const std::string& code, std::string s, std::string at,
            std::string note = {}, std::string agency = {}, std::string officer = {},
            std::string expected = {}) {
    REQUIRE(k.store().applyStatus({code, std::move(s), std::move(note), std::move(agency),
                                   std::move(officer), std::move(expected), std::move(at)}));
}

void lookUp(KioskFixture& k, const std::string& code) {
    k.tap("welcome_track");
    k.waitFor(Screen::TrackEntry);
    for (char c : code) k.app().ui().onChar(static_cast<char32_t>(c));
    k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
    k.frame();
    k.waitFor(Screen::TrackResult);
    for (int i = 0; i < 100 && k.state().tracking.loading; ++i) k.frame();
    REQUIRE(k.state().tracking.found);
    k.frame();
    k.frame();
}

bool spoke(KioskFixture& k) {
    const auto wav = k.dir() / "speech.wav";
    for (int i = 0; i < 300; ++i) {
        k.frame();
        std::error_code ec;
        if (std::filesystem::exists(wav) && std::filesystem::file_size(wav, ec) > 1000) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

const std::string kRequest = "Xin bổ sung ảnh chụp ổ gà và số nhà gần nhất.";

struct Layout {
    const char* name;
    ImVec2 display;
    bool large, contrast;
};

}  // namespace

TEST_CASE(
    "the tracking screen tells the story: steps with agency, officer and date, the deadline in "
    "working days, the exact request, each part spoken") {
    for (const Layout& l : {Layout{"portrait", {1080, 1920}, false, false},
                            Layout{"landscape", {1920, 1080}, false, false},
                            Layout{"portrait large contrast", {1080, 1920}, true, true},
                            Layout{"landscape large contrast", {1920, 1080}, true, true}}) {
        INFO(l.name);
        KioskFixture k(l.display);
        if (l.large) k.tap("tb_text_size");
        if (l.contrast) k.tap("tb_contrast");
        const std::string code = addRecord(k);
        status(k, code, "received", "2027-01-12T02:00:00.000Z", "", "UBND phường Sài Gòn",
               "Nguyễn Văn Hùng");
        status(k, code, "forwarded", "2027-01-13T03:00:00.000Z", "Chuyển xử lý",
               "Phòng Quản lý đô thị", "Trần Thị Bích", "2027-01-20");
        status(k, code, "needs_info", "2027-01-14T03:00:00.000Z", kRequest, "Phòng Quản lý đô thị",
               "Trần Thị Bích");
        lookUp(k, code);
        const std::string text = k.text();
        INFO(text);
        CHECK(text.find("Tình trạng hiện nay: Cần bổ sung thông tin") != std::string::npos);
        // Friday 15 January; due Wednesday 20: Monday, Tuesday, Wednesday.
        CHECK(text.find("Hạn trả lời: 20/01/2027") != std::string::npos);
        CHECK(text.find("Còn 3 ngày làm việc") != std::string::npos);
        CHECK(text.find("Cơ quan xử lý cần bạn bổ sung thông tin") != std::string::npos);
        CHECK(text.find(kRequest) != std::string::npos);
        CHECK(text.find("Ngày yêu cầu: 14/01/2027") != std::string::npos);
        CHECK(text.find("Các bước xử lý") != std::string::npos);
        CHECK(text.find("Đã tiếp nhận") != std::string::npos);
        CHECK(text.find("Cơ quan xử lý: UBND phường Sài Gòn") != std::string::npos);
        CHECK(text.find("Người phụ trách: Nguyễn Văn Hùng") != std::string::npos);
        CHECK(text.find("Hẹn trả lời trước ngày 20/01/2027") != std::string::npos);
        CHECK(text.find("Ngày 13/01/2027") != std::string::npos);
        CHECK(text.find("Đã gửi tại ki-ốt") != std::string::npos);
        CHECK(text.find("Ngày 11/01/2027") != std::string::npos);
        for (const char* id : {"track_listen_now", "track_listen_deadline", "track_listen_request",
                               "track_listen_step0", "track_listen_step1", "track_listen_step2",
                               "track_listen_step3", "track_done"})
            CHECK(k.visible(id));
        CHECK_FALSE(k.visible("track_listen_answer"));
        CHECK_FALSE(k.visible("track_print_answer"));
        k.tap("track_listen_request");
        CHECK(spoke(k));
        k.tap("track_done");
        k.waitFor(Screen::Welcome);
    }
}

TEST_CASE("a long published answer is shown in full and the story scrolls with its buttons") {
    const auto& fixtures = testsupport::seedFixtures();
    const std::string& answer = fixtures.at(2).body;  // 4,221 characters
    REQUIRE(answer.size() > 4000);
    for (const Layout& l : {Layout{"portrait", {1080, 1920}, false, false},
                            Layout{"landscape large contrast", {1920, 1080}, true, true}}) {
        INFO(l.name);
        KioskFixture k(l.display);
        if (l.large) k.tap("tb_text_size");
        if (l.contrast) k.tap("tb_contrast");
        const std::string code = addRecord(k);
        status(k, code, "forwarded", "2027-01-04T03:00:00.000Z", "", "Phòng Quản lý đô thị",
               "Trần Thị Bích", "2027-01-13");
        status(k, code, "answered", "2027-01-14T03:00:00.000Z", answer, "Phòng Quản lý đô thị",
               "Lê Văn Cường");
        lookUp(k, code);
        const std::string text = k.text();
        CHECK(text.find("Tình trạng hiện nay: Đã có trả lời") != std::string::npos);
        CHECK(text.find("Trả lời của cơ quan xử lý") != std::string::npos);
        CHECK(text.find(answer) != std::string::npos);
        CHECK(text.find("Ngày trả lời: 14/01/2027") != std::string::npos);
        CHECK(text.find("Người phụ trách: Lê Văn Cường") != std::string::npos);
        // Due Wednesday 13, answered Thursday 14.
        CHECK(text.find("Trả lời chậm 1 ngày làm việc") != std::string::npos);
        CHECK(text.find("Nội dung trả lời ở phần trên.") != std::string::npos);
        CHECK(k.visible("track_listen_answer"));

        // The story is longer than the screen: the buttons move it by most of a page, and back.
        REQUIRE(k.visible("track_scroll_down"));
        CHECK(k.app().ui().storyScrollMax() > 0.0f);
        const float top = k.rect("track_listen_now")->min.y;
        k.tap("track_scroll_down");
        k.frame();
        const float down = k.rect("track_listen_now")->min.y;
        CHECK(down < top - 300.0f);
        k.tap("track_scroll_up");
        k.frame();
        CHECK(k.rect("track_listen_now")->min.y == Approx(top));
        k.tap("track_listen_answer");
        CHECK(spoke(k));
        // In kết quả: the answer slip reaches the kiosk's printer (a PNG directory here).
        const auto printed = [&] {
            int n = 0;
            for (const auto& e : std::filesystem::directory_iterator(k.dir() / "data" / "receipts"))
                n += e.is_regular_file();
            return n;
        };
        const int before = printed();
        REQUIRE(k.visible("track_print_answer"));
        k.tap("track_print_answer");
        for (int i = 0; i < 300 && k.state().print != kiosk::core::PrintState::Printed; ++i) {
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CHECK(k.state().print == kiosk::core::PrintState::Printed);
        CHECK(printed() == before + 1);
    }
}
