#include "calendar/working_days.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ksync::calendar {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

sys_days toDays(const Date& d) {
    return sys_days{std::chrono::year{d.year} / std::chrono::month{static_cast<unsigned>(d.month)} /
                    std::chrono::day{static_cast<unsigned>(d.day)}};
}

Date fromDays(sys_days s) {
    const std::chrono::year_month_day ymd{s};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Floor division (C++ rounds towards zero).
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Monday to Friday days d <= x, counted from Monday 1970-01-05 (negative before it), so that
// mondayToFridayUpTo(b) - mondayToFridayUpTo(a) is the number of such days in (a, b].
std::int64_t mondayToFridayUpTo(sys_days x) {
    const std::int64_t sinceMonday = x.time_since_epoch().count() - 4;  // 1970-01-05 is day 4
    const std::int64_t weeks = floorDiv(sinceMonday, 7);
    const std::int64_t rest = sinceMonday - weeks * 7;  // 0 = Monday .. 6 = Sunday
    return weeks * 5 + std::min<std::int64_t>(rest + 1, 5);
}

bool isWeekend(const Date& d) {
    const int w = weekday(d);
    return w == 0 || w == 6;
}

int digits(std::string_view t, std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (i >= t.size() || t[i] < '0' || t[i] > '9') return -1;
        v = v * 10 + (t[i] - '0');
    }
    return v;
}

}  // namespace

std::optional<Date> parseIsoDate(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    const int y = digits(t, 0, 4), m = digits(t, 5, 2), d = digits(t, 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return Date{y, m, d};
}

std::string formatIsoDate(const Date& d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

int weekday(const Date& date) {
    return static_cast<int>(std::chrono::weekday{toDays(date)}.c_encoding());
}

Date addDays(const Date& date, int n) {
    return fromDays(toDays(date) + days{n});
}

Date localDateAt(std::int64_t unixMs, int offsetMinutes) {
    const std::int64_t localMs = unixMs + static_cast<std::int64_t>(offsetMinutes) * 60'000;
    return fromDays(sys_days{days{floorDiv(localMs, 86'400'000)}});
}

std::optional<Date> localDateOf(std::string_view t, int offsetMinutes) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
    if (t.size() < 20 || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || t[13] != ':' ||
        t[16] != ':')
        return std::nullopt;
    const auto date = parseIsoDate(t.substr(0, 10));
    const int hh = digits(t, 11, 2), mm = digits(t, 14, 2), ss = digits(t, 17, 2);
    if (!date || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return std::nullopt;
    std::size_t pos = 19;
    if (t[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }
    int zoneMinutes = 0;
    const std::string_view zone = t.substr(pos);
    if (zone == "Z" || zone == "z") {
        zoneMinutes = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const int zh = digits(zone, 1, 2), zm = digits(zone, 4, 2);
        if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return std::nullopt;
        zoneMinutes = (zone[0] == '-' ? -1 : 1) * (zh * 60 + zm);
    } else {
        return std::nullopt;
    }
    const std::int64_t utcMs =
        (static_cast<std::int64_t>(toDays(*date).time_since_epoch().count()) * 86'400 + hh * 3600 +
         mm * 60 + ss - zoneMinutes * 60) *
        1000;
    return localDateAt(utcMs, offsetMinutes);
}

WorkingCalendar::WorkingCalendar(std::vector<Date> daysOff, std::vector<Date> workedDays)
    : m_holidays(std::move(daysOff)), m_worked(std::move(workedDays)) {
    std::sort(m_holidays.begin(), m_holidays.end());
    m_holidays.erase(std::unique(m_holidays.begin(), m_holidays.end()), m_holidays.end());
    // A worked day counts only on a weekend (a weekday is worked anyway) and not when it is
    // also listed as a day off.
    std::erase_if(m_worked, [this](const Date& d) { return !isWeekend(d) || isHoliday(d); });
    std::sort(m_worked.begin(), m_worked.end());
    m_worked.erase(std::unique(m_worked.begin(), m_worked.end()), m_worked.end());
}

WorkingCalendar WorkingCalendar::fromIsoDates(const std::vector<std::string>& daysOff,
                                              const std::vector<std::string>& workedDays) {
    auto parse = [](const std::vector<std::string>& in) {
        std::vector<Date> dates;
        for (const auto& h : in)
            if (auto d = parseIsoDate(h)) dates.push_back(*d);
        return dates;
    };
    return WorkingCalendar(parse(daysOff), parse(workedDays));
}

bool WorkingCalendar::isHoliday(const Date& date) const {
    return std::binary_search(m_holidays.begin(), m_holidays.end(), date);
}

bool WorkingCalendar::isWorkedWeekendDay(const Date& date) const {
    return std::binary_search(m_worked.begin(), m_worked.end(), date);
}

bool WorkingCalendar::isWorkingDay(const Date& date) const {
    if (isWeekend(date)) return isWorkedWeekendDay(date);
    return !isHoliday(date);
}

Date WorkingCalendar::addWorkingDays(const Date& from, int n) const {
    const int step = n < 0 ? -1 : 1;
    Date d = from;
    for (int left = n < 0 ? -n : n; left > 0;) {
        d = addDays(d, step);
        if (isWorkingDay(d)) --left;
    }
    return d;
}

int WorkingCalendar::workingDaysBetween(const Date& from, const Date& to) const {
    if (to < from) return -workingDaysBetween(to, from);
    const sys_days a = toDays(from), b = toDays(to);
    std::int64_t n = mondayToFridayUpTo(b) - mondayToFridayUpTo(a);
    // Holidays in (from, to] that fall on a weekday (one on a Sunday was no working day anyway).
    for (auto it = std::upper_bound(m_holidays.begin(), m_holidays.end(), from);
         it != m_holidays.end() && *it <= to; ++it)
        if (!isWeekend(*it)) --n;
    // Saturdays and Sundays worked in (from, to] (none of them is a day off).
    for (auto it = std::upper_bound(m_worked.begin(), m_worked.end(), from);
         it != m_worked.end() && *it <= to; ++it)
        ++n;
    return static_cast<int>(n);
}

Standing standing(const WorkingCalendar& calendar, const Date& today, const Date& deadline) {
    if (today == deadline) return {Standing::Kind::DueToday, 0};
    const int n = calendar.workingDaysBetween(today, deadline);
    if (today < deadline)
        return n > 0 ? Standing{Standing::Kind::Ahead, n} : Standing{Standing::Kind::DueToday, 0};
    return {Standing::Kind::Overdue, -n};
}

}  // namespace ksync::calendar
