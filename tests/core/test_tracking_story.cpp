// The tracking story (core/tracking_story.hpp): the steps a resident reads, what is asked of
// them, the published answer, and the reply deadline in working days.
#include <catch2/catch.hpp>

#include "core/tracking_story.hpp"
#include "flow_helpers.hpp"
#include "record/tracking_code.hpp"

using namespace kiosk::core;
using ksync::calendar::Date;
using Kind = ksync::calendar::Standing::Kind;

namespace {

const std::string kCode = "PAKN-7K3M-000123-X";

DeadlineRules rules() {
    // Weekends, 1 January 2027 and a made-up office holiday on Wednesday 9 December 2026.
    return {ksync::calendar::WorkingCalendar({{2026, 12, 9}, {2027, 1, 1}}),
            {{"PAKN", 10}, {"SKGP", 30}}};
}

StatusEntry at(std::string status, std::string time, std::string note = {}, std::string agency = {},
               std::string officer = {}, std::string expected = {}) {
    return {std::move(status),  std::move(note),     std::move(agency),
            std::move(officer), std::move(expected), std::move(time)};
}

// Made at the kiosk on Tuesday 1 December 2026 at 09:00 in Hà Nội, sent, then handled.
std::vector<StatusEntry> receivedAndForwarded() {
    return {
        at("queued", "2026-12-01T02:00:00.000Z"), at("uploaded", "2026-12-01T02:00:00.000Z"),
        at("received", "2026-12-01T03:10:00.000Z", "", "UBND phường Sài Gòn", "Nguyễn Văn Hùng"),
        at("forwarded", "2026-12-02T01:30:00.000Z", "Chuyển Phòng Quản lý đô thị xử lý",
           "Phòng Quản lý đô thị", "Trần Thị Bích", "2026-12-16")};
}

}  // namespace

TEST_CASE(
    "a forwarded case asked for information, extended and answered tells every step with its "
    "agency, officer and date") {
    auto t = receivedAndForwarded();
    t.push_back(at("needs_info", "2026-12-03T02:00:00.000Z",
                   "Xin bổ sung ảnh chụp miệng cống và số nhà gần nhất.", "Phòng Quản lý đô thị",
                   "Trần Thị Bích"));
    t.push_back(at("needs_info", "2026-12-04T02:00:00.000Z", "", "Phòng Quản lý đô thị",
                   "Trần Thị Bích", "2026-12-23"));
    t.push_back(at("forwarded", "2026-12-07T02:00:00.000Z", "Đã nhận thông tin bổ sung",
                   "Phòng Quản lý đô thị", "Trần Thị Bích"));
    t.push_back(at("answered", "2026-12-18T08:00:00.000Z",
                   "Ngày 15/12/2026 Đội duy tu đã nạo vét toàn tuyến cống.", "Phòng Quản lý đô thị",
                   "Lê Văn Cường"));
    const TrackingStory s = tellStory(kCode, t, rules(), Date{2026, 12, 20});
    // The kiosk's own "uploaded" entry adds nothing once the backend has spoken.
    REQUIRE(s.steps.size() == 7);
    CHECK(s.steps[0].labelKey == "track.step.submitted");
    CHECK(s.steps[1].labelKey == "status.received");
    CHECK(s.steps[1].agency == "UBND phường Sài Gòn");
    CHECK(s.steps[1].officer == "Nguyễn Văn Hùng");
    CHECK(s.steps[1].at == "2026-12-01T03:10:00.000Z");
    CHECK(s.steps[2].labelKey == "status.forwarded");
    CHECK(s.steps[2].officer == "Trần Thị Bích");
    CHECK(s.steps[2].expected == Date{2026, 12, 16});
    // Receipt + 10 working days (skipping the 9th) is also 16 December: no extension yet.
    CHECK_FALSE(s.steps[2].extended);
    CHECK(s.steps[3].labelKey == "status.needs_info");
    CHECK_FALSE(s.steps[3].extended);
    // The same stage again with only a later date is the extension itself.
    CHECK(s.steps[4].labelKey == "track.step.extended");
    CHECK(s.steps[4].extended);
    CHECK(s.steps[4].expected == Date{2026, 12, 23});
    CHECK(s.steps[5].labelKey == "status.forwarded");
    CHECK(s.steps[6].labelKey == "status.answered");
    CHECK(s.status == "answered");
    CHECK_FALSE(s.request);  // nothing is asked of the resident any more
    REQUIRE(s.answer);
    CHECK(*s.answer == 6);
    CHECK(s.steps[*s.answer].note == "Ngày 15/12/2026 Đội duy tu đã nạo vét toàn tuyến cống.");
    // Answered on Friday 18 December, before the extended deadline of Wednesday 23 December.
    REQUIRE(s.deadline);
    CHECK(s.deadline->date == Date{2026, 12, 23});
    CHECK(s.deadline->setByBackend);
    CHECK(s.deadline->answeredOn == Date{2026, 12, 18});
    CHECK(s.deadline->standing == ksync::calendar::Standing{Kind::Ahead, 3});
}

TEST_CASE(
    "while information is asked for, the story holds the latest request and counts the days left "
    "from today") {
    auto t = receivedAndForwarded();
    t.push_back(at("needs_info", "2026-12-03T02:00:00.000Z", "Xin bổ sung ảnh chụp miệng cống.",
                   "Phòng Quản lý đô thị", "Trần Thị Bích"));
    t.push_back(at("needs_info", "2026-12-04T02:00:00.000Z",
                   "Xin bổ sung số nhà gần nhất và ảnh chụp miệng cống.", "Phòng Quản lý đô thị",
                   "Trần Thị Bích"));
    t.push_back(
        at("needs_info", "2026-12-04T03:00:00.000Z", "", "", "", "2026-12-18"));  // date only
    const TrackingStory s = tellStory(kCode, t, rules(), Date{2026, 12, 15});
    CHECK(s.status == "needs_info");
    REQUIRE(s.request);
    CHECK(s.steps[*s.request].note == "Xin bổ sung số nhà gần nhất và ảnh chụp miệng cống.");
    CHECK_FALSE(s.answer);
    REQUIRE(s.deadline);
    CHECK(s.deadline->date == Date{2026, 12, 18});
    CHECK_FALSE(s.deadline->answeredOn);
    // Tuesday 15 December: Wednesday, Thursday, Friday are left ("còn 3 ngày làm việc").
    CHECK(s.deadline->standing == ksync::calendar::Standing{Kind::Ahead, 3});
    CHECK(tellStory(kCode, t, rules(), Date{2026, 12, 18}).deadline->standing.kind ==
          Kind::DueToday);
    CHECK(tellStory(kCode, t, rules(), Date{2026, 12, 22}).deadline->standing ==
          ksync::calendar::Standing{Kind::Overdue, 2});
}

TEST_CASE(
    "without an expected date from the backend the deadline is the receipt day plus the type's "
    "working days") {
    const std::vector<StatusEntry> t{at("queued", "2026-12-01T02:00:00.000Z"),
                                     at("uploaded", "2026-12-01T02:00:00.000Z"),
                                     at("received", "2026-12-01T03:10:00.000Z")};
    const TrackingStory s = tellStory(kCode, t, rules(), Date{2026, 12, 3});
    REQUIRE(s.deadline);
    // Tuesday 1 December + 10 working days, skipping the holiday on the 9th: Wednesday 16 December.
    CHECK(s.deadline->date == Date{2026, 12, 16});
    CHECK_FALSE(s.deadline->setByBackend);
    CHECK(s.deadline->standing == ksync::calendar::Standing{Kind::Ahead, 8});
    CHECK(tellStory(kCode, t, rules(), Date{2026, 12, 18}).deadline->standing ==
          ksync::calendar::Standing{Kind::Overdue, 2});
    // An idea (SKGP) gets 30 working days, across the new year's holiday.
    const TrackingStory idea = tellStory("SKGP-7K3M-000007-4", t, rules(), Date{2026, 12, 3});
    REQUIRE(idea.deadline);
    CHECK(idea.deadline->date == Date{2027, 1, 14});
    // A receipt made at 23:30 in Hà Nội (16:30 UTC) counts from that local day.
    const TrackingStory late =
        tellStory(kCode, {at("queued", "2026-12-04T16:30:00.000Z")}, rules(), Date{2026, 12, 5});
    REQUIRE(late.deadline);
    CHECK(late.deadline->date == rules().calendar.addWorkingDays({2026, 12, 4}, 10));
}

TEST_CASE(
    "a record still on the kiosk is waiting to be sent; sent with nothing back it is at the city "
    "with no time of its own") {
    const TrackingStory waiting =
        tellStory(kCode, {at("queued", "2026-12-01T02:00:00.000Z")}, rules(), Date{2026, 12, 1});
    REQUIRE(waiting.steps.size() == 1);
    CHECK(waiting.steps[0].labelKey == "status.queued");
    CHECK(waiting.status == "queued");
    REQUIRE(waiting.deadline);
    CHECK(waiting.deadline->standing.kind == Kind::Ahead);
    const TrackingStory sent = tellStory(
        kCode,
        {at("queued", "2026-12-01T02:00:00.000Z"), at("uploaded", "2026-12-01T02:00:00.000Z")},
        rules(), Date{2026, 12, 1});
    REQUIRE(sent.steps.size() == 2);
    CHECK(sent.steps[0].labelKey == "track.step.submitted");
    CHECK(sent.steps[1].labelKey == "status.uploaded");
    CHECK(sent.steps[1].at.empty());
}

TEST_CASE("another kiosk's code, looked up on the backend, starts when the city stored it") {
    const std::vector<StatusEntry> t{at("uploaded", "2026-12-01T02:05:00.000Z"),
                                     at("forwarded", "2026-12-02T01:30:00.000Z", "",
                                        "Phòng Tài nguyên và Môi trường", "Phạm Minh")};
    const TrackingStory s = tellStory(kCode, t, rules(), Date{2026, 12, 2});
    REQUIRE(s.steps.size() == 2);
    CHECK(s.steps[0].labelKey == "status.uploaded");
    CHECK(s.steps[0].at == "2026-12-01T02:05:00.000Z");
    REQUIRE(s.deadline);
    CHECK(s.deadline->date == Date{2026, 12, 16});
}

TEST_CASE(
    "rejected and duplicate cases, and cases closed without an answer, owe no deadline; closed "
    "after an answer keeps it") {
    auto rejected = receivedAndForwarded();
    rejected.push_back(
        at("rejected", "2026-12-03T02:00:00.000Z", "Không thuộc thẩm quyền của phường."));
    CHECK_FALSE(tellStory(kCode, rejected, rules(), Date{2026, 12, 4}).deadline);
    auto duplicate = receivedAndForwarded();
    duplicate.push_back(
        at("duplicate", "2026-12-03T02:00:00.000Z", "Trùng với PAKN-7K3M-000120-5."));
    CHECK_FALSE(tellStory(kCode, duplicate, rules(), Date{2026, 12, 4}).deadline);
    auto closed = receivedAndForwarded();
    closed.push_back(at("closed", "2026-12-03T02:00:00.000Z"));
    CHECK_FALSE(tellStory(kCode, closed, rules(), Date{2026, 12, 4}).deadline);
    CHECK_FALSE(tellStory(kCode, closed, rules(), Date{2026, 12, 4}).answer);

    auto answered = receivedAndForwarded();
    answered.push_back(at("answered", "2026-12-21T02:00:00.000Z", "Đã sửa xong.",
                          "Phòng Quản lý đô thị", "Lê Văn Cường"));
    answered.push_back(at("closed", "2026-12-22T02:00:00.000Z"));
    const TrackingStory s = tellStory(kCode, answered, rules(), Date{2026, 12, 28});
    REQUIRE(s.answer);
    CHECK(s.steps[*s.answer].note == "Đã sửa xong.");
    REQUIRE(s.deadline);
    // Due Wednesday 16 December, answered Monday 21 December: 3 working days late.
    CHECK(s.deadline->answeredOn == Date{2026, 12, 21});
    CHECK(s.deadline->standing == ksync::calendar::Standing{Kind::Overdue, 3});
}

TEST_CASE("nghe beside a part of the tracking screen reads exactly that text aloud") {
    flowtest::Driver d;
    d(intent::CodeScanned{
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 123)});
    REQUIRE(d.s().tracking.loading);
    d(intent::StatusLoaded{true, receivedAndForwarded()});
    CHECK(d.s().tracking.loadedAtMs == d.now);
    d(intent::SpeakText{"Hạn trả lời ngày 16 tháng 12 năm 2026, còn 3 ngày làm việc."});
    REQUIRE(d.effect<effect::Speak>());
    CHECK(d.effect<effect::Speak>()->text ==
          "Hạn trả lời ngày 16 tháng 12 năm 2026, còn 3 ngày làm việc.");
    d(intent::SpeakText{""});
    CHECK(d.last.empty());
}

TEST_CASE("in ket qua asks for the answer of the case on screen once, and only for a found case") {
    flowtest::Driver d;
    d(intent::PrintAnswer{});
    CHECK(d.last.empty());  // not on the tracking screen
    d(intent::CodeScanned{
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 123)});
    d(intent::PrintAnswer{});
    CHECK(d.last.empty());  // still loading
    auto t = receivedAndForwarded();
    t.push_back(at("answered", "2026-12-18T08:00:00.000Z", "Đã sửa xong.", "Phòng Quản lý đô thị",
                   "Lê Văn Cường"));
    d(intent::StatusLoaded{true, t});
    d(intent::PrintAnswer{});
    REQUIRE(d.effect<effect::PrintAnswer>());
    CHECK(d.effect<effect::PrintAnswer>()->trackingCode == d.s().tracking.code);
    CHECK(d.effect<effect::PrintAnswer>()->timeline.size() == t.size());
    CHECK(d.s().print == PrintState::Printing);
    d(intent::PrintAnswer{});
    CHECK(d.last.empty());  // one at a time
    d(intent::Printed{});
    CHECK(d.s().print == PrintState::Printed);
}
