#include "clock/clock.hpp"

#include <sys/timex.h>

#include <cstdio>
#include <ctime>

namespace platform::clock {

TimePoint now() {
    return std::chrono::system_clock::now();
}

std::int64_t unixMillis(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint fromUnixMillis(std::int64_t ms) {
    return TimePoint(std::chrono::milliseconds(ms));
}

std::string formatUtc(TimePoint t) {
    const std::int64_t ms = unixMillis(t);
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    int frac = static_cast<int>(ms % 1000);
    if (frac < 0) {
        frac += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    return buf;
}

std::optional<TimePoint> parseUtc(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
    const std::string str(s);
    int consumed = 0;
    if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
                    &consumed) != 6)
        return std::nullopt;
    std::string_view rest = s.substr(static_cast<size_t>(consumed));
    if (rest.starts_with('.')) {
        if (rest.size() < 5 || std::sscanf(std::string(rest.substr(1, 3)).c_str(), "%3d", &ms) != 1)
            return std::nullopt;
        rest.remove_prefix(4);
    }
    if (rest != "Z") return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(h) +
           std::chrono::minutes(mi) + std::chrono::seconds(sec) + std::chrono::milliseconds(ms);
}

std::string formatLocalVi(TimePoint t, int offsetMinutes) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t) + offsetMinutes * 60;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday,
                  tm.tm_mon + 1, tm.tm_year + 1900);
    return buf;
}

bool isSystemClockSynchronised() {
    struct timex tx {};
    const int state = adjtimex(&tx);
    return state != -1 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

}  // namespace platform::clock
