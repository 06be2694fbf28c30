#include "client/backoff.hpp"

#include <algorithm>
#include <ctime>
#include <string>

namespace ksync::client {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : m_policy(policy), m_rng(seed) {}

std::int64_t Backoff::windowMs(int failuresInARow, bool linkDown) const {
    const int n = std::clamp(failuresInARow, 1, 40);
    const std::int64_t cap =
        linkDown ? std::min(m_policy.linkDownCapMs, m_policy.capMs) : m_policy.capMs;
    std::int64_t w = m_policy.baseMs;
    for (int i = 1; i < n && w < cap; ++i) w *= 2;
    return std::min(w, cap);
}

std::int64_t Backoff::delayMs(int failuresInARow, std::optional<std::int64_t> retryAfterMs,
                              bool linkDown) {
    std::uniform_int_distribution<std::int64_t> dist(0, windowMs(failuresInARow, linkDown));
    std::int64_t d = std::max(m_policy.minDelayMs, dist(m_rng));
    if (retryAfterMs) d = std::max(d, std::min(*retryAfterMs, m_policy.maxRetryAfterMs));
    return d;
}

std::optional<std::int64_t> parseRetryAfterMs(const std::string& value, std::int64_t nowUnixMs) {
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        if (value.size() > 9) return std::nullopt;
        return std::stoll(value) * 1000;
    }
    std::tm tm{};
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"
    if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
    const std::int64_t at = static_cast<std::int64_t>(timegm(&tm)) * 1000;
    return std::max<std::int64_t>(0, at - nowUnixMs);
}

}  // namespace ksync::client
