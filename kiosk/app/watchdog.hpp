#pragma once
// The systemd service manager's notify protocol, for kiosk.service (Type=notify, WatchdogSec):
// READY=1 after the first frame, WATCHDOG=1 from the frame loop. A frame loop that stops (hung,
// SIGSTOPped) stops the pings, and systemd kills and restarts the kiosk.
//
// Speaks the protocol itself (a datagram to $NOTIFY_SOCKET; '@' = abstract socket) instead of
// linking libsystemd. Under cage the kiosk is not the service's main process, so
// $WATCHDOG_PID (cage's) is not checked: the unit says NotifyAccess=all.
// Without $NOTIFY_SOCKET every call does nothing. One thread (the frame loop's).
#include <cstdint>
#include <string>

namespace kiosk::app {

class Watchdog {
public:
    static Watchdog fromEnvironment();
    bool enabled() const { return !m_socket.empty(); }
    // After the first frame is shown.
    void ready();
    // From every frame loop iteration; sends at most once per half watchdog interval.
    void ping(std::int64_t nowMs);
    std::int64_t intervalMs() const { return m_intervalMs; }
    // The frame loop's wait, shortened to a quarter of the interval so an idle loop still pings.
    double boundWait(double seconds) const {
        const double quarter = static_cast<double>(m_intervalMs) / 4000.0;
        return m_intervalMs > 0 && enabled() && quarter < seconds ? quarter : seconds;
    }

private:
    bool send(const std::string& message) const;
    std::string m_socket;
    std::int64_t m_intervalMs = 0;  // WATCHDOG_USEC / 1000; 0: no watchdog, READY only
    std::int64_t m_lastPingMs = -1;
    bool m_ready = false;
};

}  // namespace kiosk::app
