#pragma once
// Wall-clock helpers. Safe from any thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace platform::clock {

using TimePoint = std::chrono::system_clock::time_point;

TimePoint now();
std::int64_t unixMillis(TimePoint t);
TimePoint fromUnixMillis(std::int64_t ms);

// "2026-11-23T04:05:06.789Z"
std::string formatUtc(TimePoint t);
// Parses what formatUtc writes (milliseconds optional); nullopt otherwise.
std::optional<TimePoint> parseUtc(std::string_view s);
// Local civil time for people, e.g. "11:05 23/11/2026" (Vietnam: UTC+7, no DST) — `offsetMinutes`
// lets a deployment elsewhere or a test choose.
std::string formatLocalVi(TimePoint t, int offsetMinutes = 7 * 60);

// True when the kernel says the system clock is synchronised (NTP/chrony set it and it is
// being disciplined). A kiosk that has never been online usually answers false.
bool isSystemClockSynchronised();

}  // namespace platform::clock
