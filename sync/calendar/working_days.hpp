#pragma once
// Working days for reply deadlines. A working day is a Monday to Friday that is not a day
// off (the backend config's "holidays" and the weekday half of its "swapped_days", YYYY-MM-DD,
// which the government sets anew every year), or a Saturday or Sunday that the Prime Minister
// made a worked day (the other half of a swap: 2026 moved Friday 2 January off to Saturday
// 10 January worked). Dates are civil dates in Vietnam (UTC+7, no
// daylight saving); times on the wire are RFC 3339.
//
// Used by the kiosk (the tracking screen's deadline, the receipt's reply date) and meant for
// the backend's officers' console, so both count the same days. Pure standard C++: every
// function is thread-safe, a WorkingCalendar is immutable once made.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksync::calendar {

struct Date {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    friend bool operator==(const Date&, const Date&) = default;
    friend auto operator<=>(const Date&, const Date&) = default;
};

// "2026-12-03" -> the date; nullopt unless exactly YYYY-MM-DD and a real calendar date.
std::optional<Date> parseIsoDate(std::string_view text);
std::string formatIsoDate(const Date& date);  // "2026-12-03"
// 0 = Sunday, 1 = Monday, ... 6 = Saturday.
int weekday(const Date& date);
// The date `days` calendar days later (earlier when negative).
Date addDays(const Date& date, int days);

inline constexpr int kVietnamUtcOffsetMinutes = 7 * 60;
// The civil date at a Unix time in milliseconds, in the zone `offsetMinutes` east of UTC.
Date localDateAt(std::int64_t unixMs, int offsetMinutes = kVietnamUtcOffsetMinutes);
// The civil date of an RFC 3339 time ("2026-12-03T19:05:13.123Z", "…+07:00") in that zone;
// nullopt when the text is not such a time.
std::optional<Date> localDateOf(std::string_view rfc3339,
                                int offsetMinutes = kVietnamUtcOffsetMinutes);

class WorkingCalendar {
public:
    WorkingCalendar() = default;  // weekends only
    // `daysOff`: holidays and swapped days off; `workedDays`: Saturdays or Sundays worked
    // (a date in both lists is a day off).
    explicit WorkingCalendar(std::vector<Date> daysOff, std::vector<Date> workedDays = {});
    // From the config's strings; an entry that is not a YYYY-MM-DD date is skipped.
    static WorkingCalendar fromIsoDates(const std::vector<std::string>& daysOff,
                                        const std::vector<std::string>& workedDays = {});

    bool isWorkingDay(const Date& date) const;
    bool isHoliday(const Date& date) const;  // one of the days off
    bool isWorkedWeekendDay(const Date& date) const;
    // The date `days` working days after `from`: `from` itself never counts, whatever it is
    // (a record made on a Saturday with 1 working day is due on Monday). Negative: steps back
    // over that many working days and gives the last one (Monday - 1 is Friday). 0: `from`.
    Date addWorkingDays(const Date& from, int days) const;
    // The working days d with from < d <= to; when to < from, minus the working days d with
    // to < d <= from. So workingDaysBetween(a, addWorkingDays(a, n)) == n for n >= 0, and for
    // n < 0 when a is a working day.
    int workingDaysBetween(const Date& from, const Date& to) const;

private:
    std::vector<Date> m_holidays;  // sorted, without duplicates
    std::vector<Date> m_worked;    // sorted Saturdays and Sundays worked, none of them a day off
};

// Where today stands against a deadline, counted in working days.
struct Standing {
    enum class Kind {
        Ahead,     // `workingDays` (>= 1) working days left after today
        DueToday,  // the deadline is today, or today is the last working day before it
        Overdue,   // `workingDays` working days since the deadline (0: it passed on a day off)
    };
    Kind kind = Kind::DueToday;
    int workingDays = 0;
    friend bool operator==(const Standing&, const Standing&) = default;
};
Standing standing(const WorkingCalendar& calendar, const Date& today, const Date& deadline);

}  // namespace ksync::calendar
