#pragma once
// Civil (local, time-zone-free) dates for receipts: working-day arithmetic and Vietnamese
// formatting. Pure functions; thread-safe.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace platform::print {

struct LocalDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    friend bool operator==(const LocalDate&, const LocalDate&) = default;
    friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

struct LocalDateTime {
    LocalDate date;
    int hour = 0;
    int minute = 0;
    int second = 0;
    friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

// "2026-01-01" -> the date; nullopt unless exactly YYYY-MM-DD and a real calendar date.
std::optional<LocalDate> parseIsoDate(std::string_view text);
// "2026-01-01" (for logs and JSON).
std::string formatIsoDate(const LocalDate& date);

// 0 = Sunday, 1 = Monday, ... 6 = Saturday.
int weekday(const LocalDate& date);
bool isWeekend(const LocalDate& date);

// The date `days` working days after `from`: each step moves to the next day that is not a
// Saturday, Sunday or one of `holidays`. `from` itself does not count, whatever it is (a
// record made on Saturday with 1 working day is due Monday). days <= 0 returns `from`.
LocalDate addWorkingDays(const LocalDate& from, int days, std::span<const LocalDate> holidays);

// Vietnamese date formats:
//   Numeric: "05/01/2026"
//   Long:    "Thứ Hai, ngày 05 tháng 01 năm 2026"
enum class DateStyle { Numeric, Long };
std::string formatDateVi(const LocalDate& date, DateStyle style = DateStyle::Numeric);
// "08:05 ngày 05/01/2026"
std::string formatDateTimeVi(const LocalDateTime& dateTime);
// "Chủ nhật", "Thứ Hai", ... "Thứ Bảy".
std::string weekdayNameVi(const LocalDate& date);

}  // namespace platform::print
