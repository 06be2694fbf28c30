#pragma once
// LinkRelay: a loopback TCP relay that stands in for a slow, lossy access link (benchmarks
// only). Clients connect to 127.0.0.1:<port>; each connection is forwarded to the target
// (127.0.0.1 only). Bytes are cut into segments of `mss` bytes and, per direction:
//   * serialised at `rateBitsPerS` on one link shared by all connections (0 = no limit),
//   * delivered `oneWayDelayMs` after they leave the link,
//   * "lost" per a Gilbert–Elliott chain: a lost segment is not dropped (the stream is TCP) but
//     delivered late, as TCP would after recovery — one RTT later when more data follows it
//     (fast retransmit), two RTTs for a tail segment (tail-loss probe), and the retransmission
//     takes link time again and may be lost again (RTO, doubling; a retransmission is lost with the
//     mean loss rate, since an RTO outlasts a bad burst) — and every later segment of
//     the same connection waits behind it (head-of-line blocking),
//   * during a cut (`cut()`), nothing crosses: a segment is delivered at the first TCP
//     retransmission (RTO 1 s doubling from the segment's send time) after the link is back.
// A new connection pays one RTT (the handshake) before its first byte can go.
// What it does not model: the sender's congestion window (no cwnd collapse after a loss, no slow
// start), so CUBIC and BBR behave the same here; TCP/IP header bytes (counted separately by the
// caller if wanted); loss of pure ACKs.
//
// Thread-safety: start()/stop() from one thread; cut(), counters from any thread. The relay
// stops by itself after `maxSeconds`.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace bench {

struct GilbertElliott {
    double pGoodToBad = 0;  // per segment
    double pBadToGood = 1;
    double lossGood = 0;
    double lossBad = 0;
    static GilbertElliott none() { return {}; }
    static GilbertElliott random(double p) { return {0, 1, p, p}; }
    // Bursty with the given mean loss: bad state loses 80%, good 0.1%, mean burst 4 segments.
    static GilbertElliott bursty(double meanLoss);
    double meanLoss() const;
};

struct LinkOptions {
    int targetPort = 0;
    std::string targetHost = "127.0.0.1";  // another address only for the namespace set-up
    long rateBitsPerS = 0;
    int oneWayDelayMs = 0;
    int mss = 1448;
    GilbertElliott loss;
    std::size_t bufferBytes = 64 * 1024;  // per connection and direction before the reader waits
    int maxSeconds = 3600;
    std::uint32_t seed = 20261123;
};

class LinkRelay {
public:
    explicit LinkRelay(LinkOptions options);
    ~LinkRelay();
    LinkRelay(const LinkRelay&) = delete;
    LinkRelay& operator=(const LinkRelay&) = delete;

    int start();  // binds 127.0.0.1:0, returns the port
    void stop();
    // Cuts the link now for `ms` milliseconds.
    void cut(std::int64_t ms);

    std::int64_t bytesUp() const { return m_bytes[0].load(); }    // client -> target
    std::int64_t bytesDown() const { return m_bytes[1].load(); }  // target -> client
    std::int64_t connections() const { return m_connections.load(); }
    std::int64_t segments() const { return m_segments.load(); }
    std::int64_t lostSegments() const { return m_lost.load(); }

    struct Conn;

private:
    void acceptLoop();
    void pump(std::shared_ptr<Conn> c, int dir);
    // Link model: when a segment of `bytes` read at `nowUs` on connection `c` arrives.
    std::int64_t schedule(Conn& c, int dir, std::size_t bytes, std::int64_t nowUs,
                          bool moreFollows);
    bool lost(int dir);

    LinkOptions m_options;
    int m_listen = -1;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptThread;
    std::mutex m_mutex;  // link state below
    std::int64_t m_linkFreeUs[2] = {0, 0};
    bool m_bad[2] = {false, false};
    std::int64_t m_cutFromUs = -1, m_cutToUs = -1;
    std::mt19937_64 m_rng;
    std::vector<std::shared_ptr<Conn>> m_conns;
    std::vector<std::thread> m_threads;
    std::atomic<std::int64_t> m_bytes[2] = {0, 0};
    std::atomic<std::int64_t> m_connections{0}, m_segments{0}, m_lost{0};
    std::int64_t m_startUs = 0;
};

std::int64_t monoUs();

}  // namespace bench
