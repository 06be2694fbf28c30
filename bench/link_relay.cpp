#include "link_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>

namespace bench {

std::int64_t monoUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

GilbertElliott GilbertElliott::bursty(double meanLoss) {
    GilbertElliott g;
    g.lossBad = 0.8;
    g.lossGood = 0.001;
    g.pBadToGood = 0.25;  // mean stay in the bad state: 4 segments
    const double piBad = (meanLoss - g.lossGood) / (g.lossBad - g.lossGood);
    g.pGoodToBad = piBad * g.pBadToGood / (1 - piBad);
    return g;
}

double GilbertElliott::meanLoss() const {
    const double piBad = pGoodToBad + pBadToGood > 0 ? pGoodToBad / (pGoodToBad + pBadToGood) : 0;
    return piBad * lossBad + (1 - piBad) * lossGood;
}

struct Segment {
    std::int64_t deliverUs = 0;
    std::string bytes;  // empty: end of stream
};

struct LinkRelay::Conn {
    int fd[2] = {-1, -1};      // 0: client side, 1: target side
    std::int64_t readyUs = 0;  // after the emulated handshake
    struct Dir {
        std::mutex m;
        std::condition_variable cv;
        std::deque<Segment> q;
        std::size_t queued = 0;
        std::int64_t lastDeliverUs = 0;
    } dir[2];
    std::atomic<bool> dead{false};
    void kill() {
        if (dead.exchange(true)) return;
        ::shutdown(fd[0], SHUT_RDWR);
        ::shutdown(fd[1], SHUT_RDWR);
        for (auto& d : dir) {
            std::lock_guard lock(d.m);
            d.cv.notify_all();
        }
    }
    ~Conn() {
        for (int f : fd)
            if (f >= 0) ::close(f);
    }
};

LinkRelay::LinkRelay(LinkOptions options) : m_options(options), m_rng(options.seed) {}

LinkRelay::~LinkRelay() {
    stop();
}

int LinkRelay::start() {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(m_listen, 64) != 0)
        return -1;
    socklen_t len = sizeof a;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
    m_startUs = monoUs();
    m_acceptThread = std::thread([this] { acceptLoop(); });
    return ntohs(a.sin_port);
}

void LinkRelay::stop() {
    if (m_stopping.exchange(true) && !m_acceptThread.joinable()) return;
    if (m_acceptThread.joinable()) m_acceptThread.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        for (auto& c : m_conns) c->kill();
        threads.swap(m_threads);
    }
    for (auto& t : threads) t.join();
    if (m_listen >= 0) ::close(m_listen);
    m_listen = -1;
    std::lock_guard lock(m_mutex);
    m_conns.clear();
}

void LinkRelay::cut(std::int64_t ms) {
    std::lock_guard lock(m_mutex);
    m_cutFromUs = monoUs();
    m_cutToUs = m_cutFromUs + ms * 1000;
}

void LinkRelay::acceptLoop() {
    const std::int64_t deadline = m_startUs + std::int64_t(m_options.maxSeconds) * 1000000;
    while (!m_stopping && monoUs() < deadline) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        int cfd = ::accept(m_listen, nullptr, nullptr);
        if (cfd < 0) continue;
        int sfd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        ::inet_pton(AF_INET, m_options.targetHost.c_str(), &a.sin_addr);
        a.sin_port = htons(static_cast<std::uint16_t>(m_options.targetPort));
        if (::connect(sfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(cfd);
            ::close(sfd);
            continue;
        }
        int one = 1;
        ::setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_shared<Conn>();
        c->fd[0] = cfd;
        c->fd[1] = sfd;
        c->readyUs = monoUs() + 2 * std::int64_t(m_options.oneWayDelayMs) * 1000;  // SYN, SYN-ACK
        ++m_connections;
        std::lock_guard lock(m_mutex);
        m_conns.push_back(c);
        for (int dir = 0; dir < 2; ++dir) {
            m_threads.emplace_back([this, c, dir] { pump(c, dir); });
            // The writer half of the same direction.
            m_threads.emplace_back([this, c, dir] {
                auto& d = c->dir[dir];
                const int dst = c->fd[1 - dir];
                std::unique_lock qlock(d.m);
                while (!c->dead) {
                    if (d.q.empty()) {
                        d.cv.wait(qlock);
                        continue;
                    }
                    std::int64_t due = d.q.front().deliverUs;
                    {
                        // Delivery would fall in a cut: TCP retransmits on RTO (1 s, doubling)
                        // from the original time until one attempt lands after the link is back.
                        std::lock_guard link(m_mutex);
                        if (m_cutFromUs >= 0 && due >= m_cutFromUs && due < m_cutToUs) {
                            std::int64_t rto = 1000000, t = due;
                            while (t < m_cutToUs) t += rto, rto *= 2;
                            d.q.front().deliverUs = due = t;
                        }
                    }
                    const std::int64_t now = monoUs();
                    if (due > now) {
                        d.cv.wait_for(qlock, std::chrono::microseconds(due - now));
                        continue;
                    }
                    Segment s = std::move(d.q.front());
                    d.q.pop_front();
                    d.queued -= s.bytes.size();
                    d.cv.notify_all();
                    qlock.unlock();
                    if (s.bytes.empty()) {
                        ::shutdown(dst, SHUT_WR);
                        return;
                    }
                    std::size_t off = 0;
                    while (off < s.bytes.size()) {
                        ssize_t n =
                            ::send(dst, s.bytes.data() + off, s.bytes.size() - off, MSG_NOSIGNAL);
                        if (n <= 0) {
                            c->kill();
                            return;
                        }
                        off += static_cast<std::size_t>(n);
                    }
                    m_bytes[dir] += static_cast<std::int64_t>(s.bytes.size());
                    qlock.lock();
                }
            });
        }
    }
    // Bound in time: past the deadline every connection is cut and the relay stops accepting.
    std::lock_guard lock(m_mutex);
    for (auto& c : m_conns) c->kill();
}

bool LinkRelay::lost(int dir) {
    std::uniform_real_distribution<double> u(0, 1);
    const auto& g = m_options.loss;
    if (m_bad[dir]) {
        if (u(m_rng) < g.pBadToGood) m_bad[dir] = false;
    } else if (u(m_rng) < g.pGoodToBad) {
        m_bad[dir] = true;
    }
    return u(m_rng) < (m_bad[dir] ? g.lossBad : g.lossGood);
}

std::int64_t LinkRelay::schedule(Conn& c, int dir, std::size_t bytes, std::int64_t nowUs,
                                 bool moreFollows) {
    std::lock_guard lock(m_mutex);
    const std::int64_t delay = std::int64_t(m_options.oneWayDelayMs) * 1000, rtt = 2 * delay;
    const std::int64_t tx =
        m_options.rateBitsPerS > 0 ? std::int64_t(bytes) * 8 * 1000000 / m_options.rateBitsPerS : 0;
    std::int64_t start = std::max({nowUs, m_linkFreeUs[dir], c.readyUs});
    std::int64_t end = start + tx;
    m_linkFreeUs[dir] = end;
    ++m_segments;
    // Recovery time after a loss: fast retransmit (~1 RTT) when later segments make duplicate
    // ACKs, a tail-loss probe (~2 RTT) otherwise; a lost retransmission waits an RTO (1 s,
    // doubling). A retransmission leaves an RTO or more later, long after a bad burst (4 segments,
    // ~180 ms at 256 kbit/s) has usually ended: it is lost with the mean rate, not the chain's
    // state.
    std::int64_t penalty = moreFollows ? rtt : 2 * rtt, rto = 1000000;
    std::uniform_real_distribution<double> u(0, 1);
    for (bool first = true; first ? lost(dir) : u(m_rng) < m_options.loss.meanLoss();
         first = false) {
        ++m_lost;
        const std::int64_t retx = std::max(end + penalty, m_linkFreeUs[dir]);
        end = retx + tx;
        m_linkFreeUs[dir] = end;
        penalty = rto;
        rto *= 2;
    }
    auto& d = c.dir[dir];
    const std::int64_t deliver = std::max(end + delay, d.lastDeliverUs);
    d.lastDeliverUs = deliver;
    return deliver;
}

void LinkRelay::pump(std::shared_ptr<Conn> c, int dir) {
    auto& d = c->dir[dir];
    const int src = c->fd[dir];
    std::string buf(64 * 1024, '\0');
    while (!c->dead) {
        {
            std::unique_lock lock(d.m);
            d.cv.wait(lock, [&] { return c->dead || d.queued < m_options.bufferBytes; });
        }
        if (c->dead) return;
        ssize_t n = ::recv(src, buf.data(), buf.size(), 0);
        if (n <= 0) {
            if (n < 0) {
                c->kill();
                return;
            }
            std::lock_guard lock(d.m);
            d.q.push_back({d.lastDeliverUs, {}});  // end of stream, after the data
            d.cv.notify_all();
            return;
        }
        const std::int64_t now = monoUs();
        const std::size_t mss = static_cast<std::size_t>(m_options.mss);
        for (std::size_t off = 0; off < static_cast<std::size_t>(n); off += mss) {
            const std::size_t len = std::min(mss, static_cast<std::size_t>(n) - off);
            const bool more = off + len + 3 * mss <= static_cast<std::size_t>(n);
            const std::int64_t at = schedule(*c, dir, len, now, more);
            std::lock_guard lock(d.m);
            d.q.push_back({at, buf.substr(off, len)});
            d.queued += len;
            d.cv.notify_all();
        }
    }
}

}  // namespace bench
