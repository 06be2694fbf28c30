#pragma once
// Retry delays: exponential backoff with full jitter and a cap, Retry-After honoured, no limit
// on the number of attempts (the worker never gives up on a record).
//   delay(n) = max(minDelay, uniform(0, min(cap, base * 2^(n-1))))   for the n-th failure in a row
//   and never less than Retry-After (itself capped at maxRetryAfter).
// Two caps: a server that errs or is busy gets the long one; a link that is down (no route,
// timeout, cut connection, captive portal) the short one — a probe then costs a SYN or a health
// GET and burdens nobody, while every second waited after the link comes back is lost.
// Thread-safety: one Backoff per worker thread (it owns its random generator).
#include <cstdint>
#include <optional>
#include <random>

namespace ksync::client {

struct BackoffPolicy {
    std::int64_t baseMs = 2000;
    std::int64_t capMs = 15 * 60 * 1000;
    std::int64_t minDelayMs = 1000;
    std::int64_t maxRetryAfterMs = 6 * 60 * 60 * 1000;
    std::int64_t linkDownCapMs = 30 * 1000;
};

class Backoff {
public:
    explicit Backoff(BackoffPolicy policy, std::uint64_t seed = std::random_device{}());
    // The delay before the next attempt after `failuresInARow` (>= 1) failures.
    std::int64_t delayMs(int failuresInARow,
                         std::optional<std::int64_t> retryAfterMs = std::nullopt,
                         bool linkDown = false);
    // The upper bound of the jitter window for `failuresInARow` (for tests and the staff panel).
    std::int64_t windowMs(int failuresInARow, bool linkDown = false) const;
    const BackoffPolicy& policy() const { return m_policy; }

private:
    BackoffPolicy m_policy;
    std::mt19937_64 m_rng;
};

// Parses Retry-After (delta seconds, or an HTTP date); nullopt when absent or malformed.
std::optional<std::int64_t> parseRetryAfterMs(const std::string& value, std::int64_t nowUnixMs);

}  // namespace ksync::client
