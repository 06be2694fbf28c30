#include "print/transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace platform::print {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

TransportError ioError(const char* what) {
    return {TransportError::Kind::Io, std::string(what) + ": " + std::strerror(errno)};
}

class FdTransport final : public Transport {
public:
    explicit FdTransport(int fd) : m_fd(fd) {}
    ~FdTransport() override { ::close(m_fd); }
    FdTransport(const FdTransport&) = delete;
    FdTransport& operator=(const FdTransport&) = delete;

    std::expected<void, TransportError> write(std::span<const std::uint8_t> bytes,
                                              std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == ENOTSOCK) return writePlain(bytes.subspan(done), deadline);
            if (n > 0) {
                done += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                return std::unexpected(ioError("write"));
            if (auto w = waitFor(POLLOUT, deadline); !w) return std::unexpected(w.error());
        }
        return {};
    }

    std::expected<size_t, TransportError> read(std::span<std::uint8_t> out,
                                               std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        while (true) {
            const ssize_t n = ::read(m_fd, out.data(), out.size());
            if (n > 0) return static_cast<size_t>(n);
            if (n == 0)
                return std::unexpected(
                    TransportError{TransportError::Kind::Io, "read: connection closed"});
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return std::unexpected(ioError("read"));
            if (remainingMs(deadline) == 0) return size_t{0};
            auto w = waitFor(POLLIN, deadline);
            if (!w) {
                if (w.error().kind == TransportError::Kind::Timeout) return size_t{0};
                return std::unexpected(w.error());
            }
        }
    }

    void discardInput() override {
        std::uint8_t buf[256];
        for (int i = 0; i < 64; ++i) {
            const ssize_t n = ::read(m_fd, buf, sizeof buf);
            if (n <= 0) return;
        }
    }

private:
    std::expected<void, TransportError> writePlain(std::span<const std::uint8_t> bytes,
                                                   Clock::time_point deadline) {
        size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
            if (n > 0) {
                done += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                return std::unexpected(ioError("write"));
            if (auto w = waitFor(POLLOUT, deadline); !w) return std::unexpected(w.error());
        }
        return {};
    }

    std::expected<void, TransportError> waitFor(short events, Clock::time_point deadline) {
        while (true) {
            const int ms = remainingMs(deadline);
            if (ms == 0)
                return std::unexpected(TransportError{TransportError::Kind::Timeout, "timed out"});
            pollfd p{m_fd, events, 0};
            const int r = ::poll(&p, 1, ms);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return std::unexpected(ioError("poll"));
            if (r == 0)
                return std::unexpected(TransportError{TransportError::Kind::Timeout, "timed out"});
            if (p.revents & (events | POLLHUP | POLLERR)) return {};
        }
    }

    int m_fd;
};

speed_t toSpeed(int baud) {
    switch (baud) {
        case 9600:
            return B9600;
        case 19200:
            return B19200;
        case 38400:
            return B38400;
        case 57600:
            return B57600;
        case 115200:
            return B115200;
        default:
            return B0;
    }
}

}  // namespace

std::expected<std::unique_ptr<Transport>, TransportError> openCharDevice(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(
            TransportError{TransportError::Kind::Unreachable, path + ": " + std::strerror(errno)});
    return std::unique_ptr<Transport>(std::make_unique<FdTransport>(fd));
}

std::expected<std::unique_ptr<Transport>, TransportError> openSerial(const std::string& path,
                                                                     int baud, bool rtsCts) {
    const speed_t speed = toSpeed(baud);
    if (speed == B0) {
        return std::unexpected(TransportError{TransportError::Kind::Unreachable,
                                              "unsupported baud rate " + std::to_string(baud)});
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(
            TransportError{TransportError::Kind::Unreachable, path + ": " + std::strerror(errno)});
    termios tio{};
    if (::tcgetattr(fd, &tio) != 0) {
        auto err = TransportError{TransportError::Kind::Unreachable,
                                  path + ": not a serial port: " + std::strerror(errno)};
        ::close(fd);
        return std::unexpected(err);
    }
    ::cfmakeraw(&tio);
    ::cfsetispeed(&tio, speed);
    ::cfsetospeed(&tio, speed);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB);
    if (rtsCts)
        tio.c_cflag |= CRTSCTS;
    else
        tio.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
    tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
        auto err =
            TransportError{TransportError::Kind::Unreachable, path + ": " + std::strerror(errno)};
        ::close(fd);
        return std::unexpected(err);
    }
    return std::unique_ptr<Transport>(std::make_unique<FdTransport>(fd));
}

std::expected<std::unique_ptr<Transport>, TransportError> connectTcp(
    const std::string& host, int port, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    const std::string service = std::to_string(port);
    // getaddrinfo is not bounded by our timeout; printers are configured by IP address or
    // through /etc/hosts, both of which answer at once.
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0) {
        return std::unexpected(TransportError{TransportError::Kind::Unreachable,
                                              "resolve " + host + ": " + ::gai_strerror(rc)});
    }
    std::string lastError = "no address";
    TransportError::Kind lastKind = TransportError::Kind::Unreachable;
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                ai->ai_protocol);
        if (fd < 0) continue;
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            int r = 0;
            do {
                r = ::poll(&p, 1, remainingMs(deadline));
            } while (r < 0 && errno == EINTR);
            if (r == 0) {
                ::close(fd);
                lastKind = TransportError::Kind::Timeout;
                lastError = "connect to " + host + ":" + service + " timed out";
                break;
            }
            int soError = 0;
            socklen_t len = sizeof soError;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len);
            rc = soError == 0 ? 0 : -1;
            errno = soError;
        }
        if (rc == 0) {
            ::freeaddrinfo(list);
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return std::unique_ptr<Transport>(std::make_unique<FdTransport>(fd));
        }
        lastKind = TransportError::Kind::Unreachable;
        lastError = "connect to " + host + ":" + service + ": " + std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(list);
    return std::unexpected(TransportError{lastKind, lastError});
}

}  // namespace platform::print
