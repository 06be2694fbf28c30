#include "fake_escpos_printer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdexcept>

namespace printtest {
namespace {

// Reply bytes (form 0xx1xx10) for DLE EOT 1, 2, 4 in each condition.
std::uint8_t reply(FakeEscPosPrinter::Mode mode, std::uint8_t n) {
    using M = FakeEscPosPrinter::Mode;
    switch (mode) {
        case M::Ok:
            return n == 1 ? 0x16 : 0x12;
        case M::PaperNearEnd:
            return n == 1 ? 0x16 : n == 2 ? 0x12 : 0x1E;
        case M::PaperOut:
            return n == 1 ? 0x1E : n == 2 ? 0x32 : 0x72;
        case M::CoverOpen:
            return n == 1 ? 0x1E : n == 2 ? 0x16 : 0x12;
        case M::Garbage:
            return 0xFF;
        default:
            return 0;
    }
}

}  // namespace

FakeEscPosPrinter::FakeEscPosPrinter(Mode mode) : m_mode(mode) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (mode == Mode::StopReading) {
        int small = 4096;  // so the client's writes block soon
        ::setsockopt(m_listen, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listen, 8) != 0) {
        throw std::runtime_error("fake printer: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    if (::pipe2(m_wakePipe, O_CLOEXEC) != 0) throw std::runtime_error("fake printer: pipe");
    m_thread = std::thread([this] { serve(); });
}

FakeEscPosPrinter::~FakeEscPosPrinter() {
    m_stop = true;
    const char c = 'x';
    [[maybe_unused]] auto n = ::write(m_wakePipe[1], &c, 1);
    m_thread.join();
    ::close(m_listen);
    ::close(m_wakePipe[0]);
    ::close(m_wakePipe[1]);
}

std::vector<std::uint8_t> FakeEscPosPrinter::received() const {
    std::lock_guard lock(m_mutex);
    return m_received;
}

void FakeEscPosPrinter::serve() {
    while (!m_stop) {
        pollfd p[2] = {{m_listen, POLLIN, 0}, {m_wakePipe[0], POLLIN, 0}};
        if (::poll(p, 2, -1) <= 0) continue;
        if (p[1].revents) return;
        const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

void FakeEscPosPrinter::handle(int fd) {
    std::vector<std::uint8_t> pending;  // bytes not yet parsed for DLE EOT
    bool dataPhase = false;             // after ESC @, status queries are part of the job
    while (!m_stop) {
        pollfd p[2] = {{fd, static_cast<short>(m_mode == Mode::StopReading ? 0 : POLLIN), 0},
                       {m_wakePipe[0], POLLIN, 0}};
        if (::poll(p, 2, -1) <= 0) continue;
        if (p[1].revents) return;
        if (p[0].revents & (POLLHUP | POLLERR)) return;
        std::uint8_t buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return;
        {
            std::lock_guard lock(m_mutex);
            m_received.insert(m_received.end(), buf, buf + n);
        }
        if (dataPhase) continue;
        pending.insert(pending.end(), buf, buf + n);
        size_t i = 0;
        while (i + 3 <= pending.size() && pending[i] == 0x10 && pending[i + 1] == 0x04) {
            if (m_mode != Mode::Silent) {
                const std::uint8_t r = reply(m_mode, pending[i + 2]);
                [[maybe_unused]] auto w = ::send(fd, &r, 1, MSG_NOSIGNAL);
            }
            i += 3;
        }
        if (i < pending.size() && !(pending[i] == 0x10)) dataPhase = true;
        pending.erase(pending.begin(), pending.begin() + static_cast<long>(i));
    }
}

}  // namespace printtest
