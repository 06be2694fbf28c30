#include "print/local_date.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace platform::print {
namespace {

constexpr std::array<const char*, 7> kWeekdayNames = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                                      "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};

std::chrono::sys_days toDays(const LocalDate& d) {
    return std::chrono::sys_days{std::chrono::year{d.year} /
                                 std::chrono::month{static_cast<unsigned>(d.month)} /
                                 std::chrono::day{static_cast<unsigned>(d.day)}};
}

std::string twoDigits(int v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

}  // namespace

std::optional<LocalDate> parseIsoDate(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto num = [&](size_t pos, size_t len) -> int {
        int v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (t[i] < '0' || t[i] > '9') return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return LocalDate{y, m, d};
}

std::string formatIsoDate(const LocalDate& d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

int weekday(const LocalDate& date) {
    return static_cast<int>(std::chrono::weekday{toDays(date)}.c_encoding());
}

bool isWeekend(const LocalDate& date) {
    const int w = weekday(date);
    return w == 0 || w == 6;
}

std::string weekdayNameVi(const LocalDate& date) {
    return kWeekdayNames[static_cast<size_t>(weekday(date))];
}

std::string formatDateVi(const LocalDate& d, DateStyle style) {
    if (style == DateStyle::Long) {
        return weekdayNameVi(d) + ", ngày " + twoDigits(d.day) + " tháng " + twoDigits(d.month) +
               " năm " + std::to_string(d.year);
    }
    return twoDigits(d.day) + "/" + twoDigits(d.month) + "/" + std::to_string(d.year);
}

std::string formatDateTimeVi(const LocalDateTime& dt) {
    return twoDigits(dt.hour) + ":" + twoDigits(dt.minute) + " ngày " + formatDateVi(dt.date);
}

}  // namespace platform::print
