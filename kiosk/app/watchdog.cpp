#include "app/watchdog.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace kiosk::app {

Watchdog Watchdog::fromEnvironment() {
    Watchdog w;
    if (const char* s = std::getenv("NOTIFY_SOCKET"); s != nullptr && *s != '\0') w.m_socket = s;
    if (const char* u = std::getenv("WATCHDOG_USEC"); u != nullptr && *u != '\0')
        w.m_intervalMs = std::strtoll(u, nullptr, 10) / 1000;
    return w;
}

bool Watchdog::send(const std::string& message) const {
    if (m_socket.empty() || m_socket.size() >= sizeof(sockaddr_un{}.sun_path)) return false;
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, m_socket.data(), m_socket.size());
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + m_socket.size());
    const bool ok = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&addr),
                             len) == static_cast<ssize_t>(message.size());
    ::close(fd);
    return ok;
}

void Watchdog::ready() {
    if (m_ready || !enabled()) return;
    m_ready = send("READY=1\nSTATUS=kiosk showing its screens");
}

void Watchdog::ping(std::int64_t nowMs) {
    if (!enabled() || m_intervalMs <= 0) return;
    if (m_lastPingMs >= 0 && nowMs - m_lastPingMs < m_intervalMs / 2) return;
    if (send("WATCHDOG=1")) m_lastPingMs = nowMs;
}

}  // namespace kiosk::app
