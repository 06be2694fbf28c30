// The tracking story in words (core/tracking_words.hpp), with the kiosk's real string tables:
// the deadline's standing, the exact request, the answer in full, every step with its agency,
// officer and date, and what each *Nghe* button reads.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/tracking_words.hpp"
#include "text/strings.hpp"

using namespace kiosk::core;
using ksync::calendar::Date;

namespace {

const std::string kCode = "PAKN-7K3M-000123-X";

Lookup lookupIn(const platform::text::Strings& s) {
    return [&s](std::string_view key) { return s.get(key); };
}
const platform::text::Strings& vi() {
    static const auto s = platform::text::Strings::load("vi");
    return s;
}
const platform::text::Strings& en() {
    static const auto s = platform::text::Strings::load("en");
    return s;
}

DeadlineRules rules() {
    return {ksync::calendar::WorkingCalendar({{2026, 12, 9}}), {{"PAKN", 10}, {"SKGP", 30}}};
}

StatusEntry at(std::string status, std::string time, std::string note = {}, std::string agency = {},
               std::string officer = {}, std::string expected = {}) {
    return {std::move(status),  std::move(note),     std::move(agency),
            std::move(officer), std::move(expected), std::move(time)};
}

std::vector<StatusEntry> forwarded() {
    return {
        at("queued", "2026-12-01T02:00:00.000Z"), at("uploaded", "2026-12-01T02:00:00.000Z"),
        at("received", "2026-12-01T03:10:00.000Z", "", "UBND phường Sài Gòn", "Nguyễn Văn Hùng"),
        at("forwarded", "2026-12-02T01:30:00.000Z", "Chuyển Phòng Quản lý đô thị xử lý",
           "Phòng Quản lý đô thị", "Trần Thị Bích", "2026-12-16")};
}

StoryWords words(const std::vector<StatusEntry>& t, Date today,
                 const platform::text::Strings& s = vi()) {
    return wordStory(tellStory(kCode, t, rules(), today), lookupIn(s));
}

const StoryPart* part(const StoryWords& w, std::string_view id) {
    auto it = std::find_if(w.summary.begin(), w.summary.end(),
                           [&](const StoryPart& p) { return p.id == id; });
    return it == w.summary.end() ? nullptr : &*it;
}

bool hasLine(const StoryPart& p, std::string_view line) {
    return std::find(p.lines.begin(), p.lines.end(), line) != p.lines.end();
}

}  // namespace

TEST_CASE("the deadline reads as working days left, due today, or working days overdue") {
    // Due Wednesday 16 December 2026 (set by the backend).
    const auto left = words(forwarded(), Date{2026, 12, 11});
    const StoryPart* d = part(left, "deadline");
    REQUIRE(d);
    CHECK(d->heading == "Hạn trả lời: 16/12/2026");
    CHECK(hasLine(*d, "Còn 3 ngày làm việc"));
    CHECK(d->tone == Tone::Good);
    CHECK(d->spoken == "Hạn trả lời: ngày 16 tháng 12 năm 2026. Còn 3 ngày làm việc.");

    CHECK(
        hasLine(*part(words(forwarded(), Date{2026, 12, 15}), "deadline"), "Còn 1 ngày làm việc"));
    const auto today = words(forwarded(), Date{2026, 12, 16});
    CHECK(hasLine(*part(today, "deadline"), "Hạn trả lời hôm nay"));
    CHECK(part(today, "deadline")->tone == Tone::Warning);
    const auto late = words(forwarded(), Date{2026, 12, 18});
    CHECK(hasLine(*part(late, "deadline"), "Quá hạn 2 ngày làm việc"));
    CHECK(part(late, "deadline")->tone == Tone::Danger);
    // A deadline on Saturday 19 December, read on Sunday: overdue, though no working day has
    // passed.
    auto weekend = forwarded();
    weekend.back().expectedDate = "2026-12-19";
    CHECK(hasLine(*part(words(weekend, Date{2026, 12, 20}), "deadline"), "Đã quá hạn"));
    CHECK(hasLine(*part(words(forwarded(), Date{2026, 12, 18}, en()), "deadline"),
                  "2 working days overdue"));
}

TEST_CASE("a deadline the backend has not set says it is counted by the legal time limit") {
    // Sent Tuesday 1 December; 10 working days skipping Wednesday 9 December: Wednesday 16.
    const auto w = words({at("queued", "2026-12-01T02:00:00.000Z")}, Date{2026, 12, 2});
    const StoryPart* d = part(w, "deadline");
    REQUIRE(d);
    CHECK(d->heading == "Hạn trả lời: 16/12/2026");
    CHECK(hasLine(*d, "Hạn tính theo thời hạn quy định, kể từ ngày bạn gửi."));
    CHECK(w.headline == "Tình trạng hiện nay: Đang chờ gửi");
}

TEST_CASE("an open request says exactly what is needed, who asked and when") {
    auto t = forwarded();
    t.push_back(at("needs_info", "2026-12-03T02:00:00.000Z",
                   "Xin bổ sung ảnh chụp miệng cống và số nhà gần nhất.", "Phòng Quản lý đô thị",
                   "Trần Thị Bích"));
    const auto w = words(t, Date{2026, 12, 4});
    CHECK(w.headline == "Tình trạng hiện nay: Cần bổ sung thông tin");
    const StoryPart* r = part(w, "request");
    REQUIRE(r);
    CHECK(r->tone == Tone::Warning);
    CHECK(r->body == "Xin bổ sung ảnh chụp miệng cống và số nhà gần nhất.");
    CHECK(hasLine(*r, "Ngày yêu cầu: 03/12/2026"));
    CHECK(hasLine(*r, "Cơ quan xử lý: Phòng Quản lý đô thị"));
    CHECK(hasLine(*r, "Người phụ trách: Trần Thị Bích"));
    CHECK(r->spoken ==
          "Cơ quan xử lý cần bạn bổ sung thông tin. Ngày yêu cầu: ngày 3 tháng 12 năm 2026. Cơ "
          "quan xử "
          "lý: Phòng Quản lý đô thị. Người phụ trách: Trần Thị Bích. Xin bổ sung ảnh chụp miệng "
          "cống và "
          "số nhà gần nhất.");
    // The step points to the request instead of repeating it.
    CHECK(w.steps.back().body.empty());
    CHECK(hasLine(w.steps.back(), "Nội dung cần bổ sung ở phần trên."));
    CHECK_FALSE(part(w, "answer"));
    CHECK_FALSE(w.answered);

    // A request without words still tells the resident what to do.
    auto bare = forwarded();
    bare.push_back(at("needs_info", "2026-12-03T02:00:00.000Z", "", "Phòng Quản lý đô thị"));
    CHECK(part(words(bare, Date{2026, 12, 4}), "request")
              ->body.starts_with("Cơ quan xử lý chưa ghi rõ"));
}

TEST_CASE(
    "the published answer is given in full with its agency, officer and date, and the timeline "
    "tells each step") {
    auto t = forwarded();
    t.push_back(at("forwarded", "2026-12-14T02:00:00.000Z", "", "Phòng Quản lý đô thị",
                   "Trần Thị Bích", "2026-12-23"));
    std::string answer =
        "Ngày 15/12/2026 Đội duy tu đã nạo vét toàn tuyến cống.\nKết quả kiểm tra: đạt.";
    for (int i = 0; i < 100; ++i) answer += " Đoạn " + std::to_string(i) + " của câu trả lời.";
    t.push_back(
        at("answered", "2026-12-18T08:00:00.000Z", answer, "Phòng Quản lý đô thị", "Lê Văn Cường"));
    const auto w = words(t, Date{2026, 12, 28});
    CHECK(w.headline == "Tình trạng hiện nay: Đã có trả lời");
    CHECK(w.answered);
    const StoryPart* a = part(w, "answer");
    REQUIRE(a);
    CHECK(a->body == answer);
    CHECK(hasLine(*a, "Ngày trả lời: 18/12/2026"));
    CHECK(hasLine(*a, "Người phụ trách: Lê Văn Cường"));
    CHECK(a->spoken.ends_with(" Đoạn 99 của câu trả lời."));
    CHECK(hasLine(*part(w, "deadline"), "Đã trả lời đúng hạn"));

    // queued+uploaded → submitted, received, forwarded, extended, answered.
    REQUIRE(w.steps.size() == 5);
    CHECK(w.steps[0].heading == "Đã gửi tại ki-ốt");
    CHECK(hasLine(w.steps[0], "Ngày 01/12/2026"));
    CHECK(w.steps[1].heading == "Đã tiếp nhận");
    CHECK(hasLine(w.steps[1], "Cơ quan xử lý: UBND phường Sài Gòn"));
    CHECK(hasLine(w.steps[1], "Người phụ trách: Nguyễn Văn Hùng"));
    CHECK(w.steps[2].heading == "Đã chuyển cơ quan xử lý");
    CHECK(hasLine(w.steps[2], "Hẹn trả lời trước ngày 16/12/2026"));
    CHECK(w.steps[2].body == "Chuyển Phòng Quản lý đô thị xử lý");
    CHECK(w.steps[3].heading == "Gia hạn thời gian trả lời");
    CHECK(hasLine(w.steps[3], "Gia hạn trả lời đến ngày 23/12/2026"));
    CHECK(w.steps[3].spoken.find("ngày 23 tháng 12 năm 2026") != std::string::npos);
    CHECK(w.steps[4].heading == "Đã có trả lời");
    CHECK(w.steps[4].current);
    CHECK_FALSE(w.steps[3].current);
    CHECK(w.steps[4].body.empty());  // the answer stands in full above
    CHECK(w.steps[4].tone == Tone::Good);
    for (const auto& s : w.steps) CHECK(s.id == "step" + std::to_string(&s - w.steps.data()));
}

TEST_CASE("an answer after the deadline says how many working days late it came") {
    auto t = forwarded();
    t.push_back(at("answered", "2026-12-21T02:00:00.000Z", "Đã sửa xong.", "Phòng Quản lý đô thị",
                   "Lê Văn Cường"));
    const auto w = words(t, Date{2026, 12, 28});
    CHECK(hasLine(*part(w, "deadline"), "Trả lời chậm 3 ngày làm việc"));
    CHECK(part(w, "deadline")->tone == Tone::Warning);
    CHECK(hasLine(*part(words(t, Date{2026, 12, 28}, en()), "deadline"),
                  "Answered 3 working days late"));
}

TEST_CASE("a rejected case has no deadline and no answer, and words fill every placeholder") {
    auto t = forwarded();
    t.push_back(at("rejected", "2026-12-03T02:00:00.000Z", "Nội dung không thuộc thẩm quyền.",
                   "UBND phường Sài Gòn"));
    const auto w = words(t, Date{2026, 12, 4});
    CHECK_FALSE(part(w, "deadline"));
    CHECK(w.steps.back().tone == Tone::Danger);
    CHECK(w.steps.back().body == "Nội dung không thuộc thẩm quyền.");
    CHECK(words({}, Date{2026, 12, 4}).steps.empty());
    CHECK(fillWords(lookupIn(vi()), "track.now", {{"status", "X"}}) == "Tình trạng hiện nay: X");
    for (const auto* s : {&vi(), &en()})
        for (const auto& p : words(t, Date{2026, 12, 4}, *s).steps) {
            CHECK(p.heading.find('{') == std::string::npos);
            for (const auto& l : p.lines) CHECK(l.find('{') == std::string::npos);
        }
}
