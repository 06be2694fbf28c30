// Working days for reply deadlines (sync/calendar): weekends, the config's holidays, a year
// boundary, today, overdue, and the civil date of wire times in Vietnam.
#include <catch2/catch.hpp>

#include <random>

#include "calendar/working_days.hpp"
#include "proto/backend_config.hpp"

using namespace ksync::calendar;
using Kind = Standing::Kind;

namespace {

Date d(std::string_view iso) {
    return parseIsoDate(iso).value();
}

WorkingCalendar configCalendar() {
    return ksync::proto::workingCalendar(
        ksync::proto::parseBackendConfig(ksync::proto::defaultBackendConfigJson()).value());
}

// The obvious count, one day at a time, to check the arithmetic against.
int countByHand(const WorkingCalendar& c, Date from, Date to) {
    int sign = 1;
    if (to < from) {
        std::swap(from, to);
        sign = -1;
    }
    int n = 0;
    for (Date x = addDays(from, 1); x <= to; x = addDays(x, 1))
        if (c.isWorkingDay(x)) ++n;
    return sign * n;
}

}  // namespace

TEST_CASE("dates parse only as real YYYY-MM-DD days and print back the same") {
    CHECK(parseIsoDate("2026-12-03") == Date{2026, 12, 3});
    CHECK(formatIsoDate({2027, 1, 4}) == "2027-01-04");
    CHECK(parseIsoDate("2028-02-29"));
    CHECK_FALSE(parseIsoDate("2026-02-29"));
    CHECK_FALSE(parseIsoDate("2026-13-01"));
    CHECK_FALSE(parseIsoDate("2026-1-01"));
    CHECK_FALSE(parseIsoDate("03/12/2026"));
    CHECK_FALSE(parseIsoDate(""));
    CHECK(weekday({2026, 12, 3}) == 4);  // a Thursday
    CHECK(addDays({2026, 12, 31}, 1) == Date{2027, 1, 1});
    CHECK(addDays({2027, 3, 1}, -1) == Date{2027, 2, 28});
}

TEST_CASE("saturdays and sundays are not working days, and the day counted from never counts") {
    const WorkingCalendar weekendsOnly;
    CHECK(weekendsOnly.isWorkingDay(d("2026-12-04")));        // Friday
    CHECK_FALSE(weekendsOnly.isWorkingDay(d("2026-12-05")));  // Saturday
    CHECK_FALSE(weekendsOnly.isWorkingDay(d("2026-12-06")));  // Sunday
    CHECK(weekendsOnly.addWorkingDays(d("2026-12-04"), 1) ==
          d("2026-12-07"));  // Friday + 1: Monday
    CHECK(weekendsOnly.addWorkingDays(d("2026-12-05"), 1) ==
          d("2026-12-07"));  // made on a Saturday
    CHECK(weekendsOnly.addWorkingDays(d("2026-12-06"), 1) == d("2026-12-07"));  // or a Sunday
    CHECK(weekendsOnly.addWorkingDays(d("2026-12-03"), 10) == d("2026-12-17"));
    CHECK(weekendsOnly.addWorkingDays(d("2026-12-05"), 0) == d("2026-12-05"));
    CHECK(weekendsOnly.addWorkingDays(d("2026-12-07"), -1) ==
          d("2026-12-04"));  // Monday - 1: Friday
    CHECK(weekendsOnly.workingDaysBetween(d("2026-12-04"), d("2026-12-07")) == 1);
    CHECK(weekendsOnly.workingDaysBetween(d("2026-12-05"), d("2026-12-06")) == 0);
    CHECK(weekendsOnly.workingDaysBetween(d("2026-12-07"), d("2026-12-04")) == -1);
}

TEST_CASE("the config's holidays are skipped: Tết, Reunification Day and Labour Day 2026") {
    const WorkingCalendar c = configCalendar();
    CHECK(c.isHoliday(d("2026-02-17")));
    CHECK_FALSE(c.isWorkingDay(d("2026-02-17")));
    // Thursday before Tết (16–20 February off): 10 working days is Thursday 5 March, not 26
    // February.
    CHECK(c.addWorkingDays(d("2026-02-12"), 10) == d("2026-03-05"));
    CHECK(WorkingCalendar{}.addWorkingDays(d("2026-02-12"), 10) == d("2026-02-26"));
    CHECK(c.workingDaysBetween(d("2026-02-12"), d("2026-03-05")) == 10);
    // Wednesday 29 April + 1: Thursday 30 April and Friday 1 May are off, so Monday 4 May.
    CHECK(c.addWorkingDays(d("2026-04-29"), 1) == d("2026-05-04"));
    CHECK(c.addWorkingDays(d("2026-05-04"), -1) == d("2026-04-29"));
    // A holiday given twice, or out of order, counts once.
    const WorkingCalendar twice({d("2026-12-08"), d("2026-12-08"), d("2026-12-01")});
    CHECK(twice.workingDaysBetween(d("2026-11-30"), d("2026-12-08")) == 4);
}

TEST_CASE("working days carry across the new year and its holiday") {
    const WorkingCalendar c = configCalendar();
    // Thursday 31 December 2026 + 1: Friday 1 January 2027 is New Year's Day, so Monday 4 January.
    CHECK(c.addWorkingDays(d("2026-12-31"), 1) == d("2027-01-04"));
    CHECK(c.addWorkingDays(d("2026-12-24"), 10) == d("2027-01-08"));
    CHECK(c.workingDaysBetween(d("2026-12-24"), d("2027-01-08")) == 10);
    CHECK(c.addWorkingDays(d("2027-01-04"), -2) == d("2026-12-30"));
    // A holiday list for 2027 is the backend's to publish; without it only weekends count.
    CHECK(c.addWorkingDays(d("2027-02-05"), 5) == d("2027-02-12"));
}

TEST_CASE("counting working days between two dates agrees with counting them one by one") {
    const WorkingCalendar c = configCalendar();
    std::mt19937 rng(14);
    std::uniform_int_distribution<int> offset(-800, 800), span(-60, 400);
    for (int i = 0; i < 2000; ++i) {
        const Date a = addDays(d("2026-06-15"), offset(rng));
        const Date b = addDays(a, span(rng));
        INFO(formatIsoDate(a) << " .. " << formatIsoDate(b));
        REQUIRE(c.workingDaysBetween(a, b) == countByHand(c, a, b));
        const int n = span(rng) / 10;
        const Date e = c.addWorkingDays(a, n);
        if (n != 0) REQUIRE(c.isWorkingDay(e));
        // Backwards the day landed on is itself excluded from (e, a], so the count comes back
        // only when a is a working day.
        if (n >= 0 || c.isWorkingDay(a)) REQUIRE(c.workingDaysBetween(a, e) == n);
    }
    // Before 1970 too (the arithmetic divides negative day numbers).
    CHECK(c.workingDaysBetween(d("1969-12-26"), d("1970-01-05")) ==
          countByHand(c, d("1969-12-26"), d("1970-01-05")));
}

TEST_CASE("a deadline ahead, today, or passed, in working days") {
    const WorkingCalendar c = configCalendar();
    const Date thursday = d("2026-12-03");
    // Deadline Tuesday 8 December: Friday, Monday, Tuesday are left.
    CHECK(standing(c, thursday, d("2026-12-08")) == Standing{Kind::Ahead, 3});
    CHECK(standing(c, thursday, d("2026-12-04")) == Standing{Kind::Ahead, 1});
    CHECK(standing(c, thursday, thursday) == Standing{Kind::DueToday, 0});
    // Deadline Monday 30 November: Tuesday, Wednesday, Thursday since.
    CHECK(standing(c, thursday, d("2026-11-30")) == Standing{Kind::Overdue, 3});
    CHECK(standing(c, thursday, d("2026-12-01")) == Standing{Kind::Overdue, 2});
    // A deadline on Saturday, seen on Friday: today is the last working day before it.
    CHECK(standing(c, d("2026-12-04"), d("2026-12-05")) == Standing{Kind::DueToday, 0});
    // The deadline was Friday; on Saturday it has passed, on Monday by one working day.
    CHECK(standing(c, d("2026-12-05"), d("2026-12-04")) == Standing{Kind::Overdue, 0});
    CHECK(standing(c, d("2026-12-07"), d("2026-12-04")) == Standing{Kind::Overdue, 1});
    // Over the new year: seen on 30 December, due Monday 4 January (1 January is off).
    CHECK(standing(c, d("2026-12-30"), d("2027-01-04")) == Standing{Kind::Ahead, 2});
    CHECK(standing(c, d("2027-01-05"), d("2026-12-30")) == Standing{Kind::Overdue, 3});
}

TEST_CASE("wire times become the civil date in Vietnam, seven hours ahead of UTC") {
    CHECK(localDateOf("2026-12-03T16:59:59.999Z") == Date{2026, 12, 3});
    CHECK(localDateOf("2026-12-03T17:00:00.000Z") == Date{2026, 12, 4});
    CHECK(localDateOf("2026-12-31T17:00:00Z") == Date{2027, 1, 1});
    CHECK(localDateOf("2026-12-04T00:30:00+07:00") == Date{2026, 12, 4});
    CHECK(localDateOf("2026-12-03T20:00:00-05:00") == Date{2026, 12, 4});
    CHECK(localDateOf("2026-12-03T10:00:00Z", 0) == Date{2026, 12, 3});
    CHECK_FALSE(localDateOf("2026-12-03"));
    CHECK_FALSE(localDateOf("2026-12-03T10:00:00"));
    CHECK_FALSE(localDateOf("2026-12-03T25:00:00Z"));
    CHECK_FALSE(localDateOf("yesterday at noon, roughly"));
    CHECK(localDateAt(1'800'000'000'000) == Date{2027, 1, 15});  // 08:00 UTC, 15:00 in Hà Nội
    CHECK(localDateAt(0) == Date{1970, 1, 1});
    CHECK(localDateAt(-25'200'001) == Date{1969, 12, 31});  // 1 ms before local midnight
}

TEST_CASE(
    "a swapped day off and a worked Saturday move deadlines (2026: 2 Jan off, 10 Jan worked)") {
    const WorkingCalendar c = configCalendar();
    CHECK_FALSE(c.isWorkingDay(d("2026-01-01")));  // New Year, Thursday
    CHECK_FALSE(c.isWorkingDay(d("2026-01-02")));  // Friday given off
    CHECK(c.isWorkingDay(d("2026-01-10")));        // Saturday worked instead
    CHECK_FALSE(c.isWorkingDay(d("2026-01-17")));  // an ordinary Saturday
    CHECK(c.isWorkedWeekendDay(d("2026-01-10")));
    // Year boundary: Wednesday 31 December 2025 + 1 skips New Year and the swapped Friday.
    CHECK(c.addWorkingDays(d("2025-12-31"), 1) == d("2026-01-05"));
    // Friday 9 January + 1 is the worked Saturday, + 2 the Monday after.
    CHECK(c.addWorkingDays(d("2026-01-09"), 1) == d("2026-01-10"));
    CHECK(c.addWorkingDays(d("2026-01-09"), 2) == d("2026-01-12"));
    // 10 working days from 31 December 2025: 5..9, 10 (Sat), 12..15 January.
    CHECK(c.addWorkingDays(d("2025-12-31"), 10) == d("2026-01-15"));
    CHECK(c.workingDaysBetween(d("2025-12-31"), d("2026-01-15")) == 10);
    CHECK(c.addWorkingDays(d("2026-01-12"), -1) == d("2026-01-10"));
    CHECK(c.addWorkingDays(d("2026-01-05"), -1) == d("2025-12-31"));
    // Without the swap, Friday 2 January counts: 5 working days end a day earlier; over the
    // whole swap (10 days) the count evens out.
    const WorkingCalendar plain = WorkingCalendar::fromIsoDates({"2026-01-01"});
    CHECK(plain.addWorkingDays(d("2025-12-31"), 1) == d("2026-01-02"));
    CHECK(plain.addWorkingDays(d("2025-12-31"), 5) == d("2026-01-08"));
    CHECK(c.addWorkingDays(d("2025-12-31"), 5) == d("2026-01-09"));
    CHECK(plain.addWorkingDays(d("2025-12-31"), 10) == d("2026-01-15"));
    // Tết 2026 (16-20 February) from Thursday 12 February: 10 working days is Thursday 5 March.
    CHECK(c.addWorkingDays(d("2026-02-12"), 10) == d("2026-03-05"));
    CHECK(c.workingDaysBetween(d("2026-02-12"), d("2026-03-05")) == 10);
    // A day in both lists is off; a "worked" weekday changes nothing.
    const WorkingCalendar odd =
        WorkingCalendar::fromIsoDates({"2026-01-10"}, {"2026-01-10", "2026-01-08"});
    CHECK_FALSE(odd.isWorkingDay(d("2026-01-10")));
    CHECK(odd.isWorkingDay(d("2026-01-08")));
    // The fast count agrees with counting day by day across the swaps and a year end.
    for (Date a = d("2025-12-20"); a <= d("2026-01-20"); a = addDays(a, 1))
        for (Date b = d("2025-12-25"); b <= d("2026-03-10"); b = addDays(b, 3))
            REQUIRE(c.workingDaysBetween(a, b) == countByHand(c, a, b));
}

TEST_CASE("reply days come from the category, then the type, then the legal 10") {
    const auto cfg = ksync::proto::parseBackendConfig(R"({
        "version": "t1",
        "categories": [
            {"code": "MOI_TRUONG", "name_vi": "Môi trường", "reply_days": {"PAKN": 5},
             "common_problems": [{"vi": "Rác thải", "en": "Rubbish"}, {"vi": "Ngập nước"}]},
            {"code": "KHAC", "name_vi": "Khác", "reply_days": {"PAKN": -3, "SKGP": "x"}}
        ],
        "reply_days": {"PAKN": 10, "SKGP": 30},
        "holidays": ["2026-01-01", "bad"],
        "swapped_days": [{"off": "2026-01-02", "worked": "2026-01-10"}, {"off": "nope"}, 3]
    })");
    REQUIRE(cfg);
    CHECK(cfg->replyDaysFor("PAKN", "MOI_TRUONG") == 5);
    CHECK(cfg->replyDaysFor("SKGP", "MOI_TRUONG") == 30);
    CHECK(cfg->replyDaysFor("PAKN", "KHAC") == 10);  // bad overrides are ignored
    CHECK(cfg->replyDaysFor("XYZ", "NONE") == ksync::proto::kDefaultReplyDays);
    REQUIRE(cfg->categories[0].commonProblems.size() == 2);
    CHECK(cfg->categories[0].commonProblems[0] ==
          ksync::proto::CommonProblem{"Rác thải", "Rubbish"});
    CHECK(cfg->categories[0].commonProblems[1].en == "Ngập nước");
    CHECK(cfg->holidays == std::vector<std::string>{"2026-01-01"});
    REQUIRE(cfg->swappedDays.size() == 1);
    CHECK(cfg->daysOff() == std::vector<std::string>{"2026-01-01", "2026-01-02"});
    CHECK(cfg->workedDays() == std::vector<std::string>{"2026-01-10"});
    // An old document without swapped days or category deadlines still reads.
    const auto old = ksync::proto::parseBackendConfig(
        R"({"version": "old", "categories": [{"code": "A", "name_vi": "A"}],
            "reply_days": {"PAKN": 10}, "holidays": ["2026-01-01"]})");
    REQUIRE(old);
    CHECK(old->swappedDays.empty());
    CHECK(ksync::proto::workingCalendar(*old).isWorkingDay(d("2026-01-02")));
    CHECK(old->replyDaysFor("PAKN", "A") == 10);
}
