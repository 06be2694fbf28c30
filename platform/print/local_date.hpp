#pragma once
// Civil (local, time-zone-free) dates for receipts: Vietnamese formatting. Working days are
// counted above the platform (sync/calendar), once for the kiosk and the backend. Pure functions;
// thread-safe.
#include <optional>
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
