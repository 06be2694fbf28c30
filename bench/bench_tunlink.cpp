// bench_tunlink — the emulated bad link between two network namespaces, for real TCP (so the
// kernel's congestion control, CUBIC or BBR, does its job). Each namespace gets a TUN device
// (kiosk side 10.77.0.1, backend side 10.77.0.2, /30); this process moves IP packets between
// them and, per direction:
//   * serialises them at --rate (bits/s of IP bytes) behind a drop-tail queue of --queue-bytes,
//   * delivers them --rtt-ms/2 after they leave the link,
//   * drops them per a Gilbert–Elliott chain (random or bursty, --loss-rate mean),
//   * drops everything for --outage-s after SIGUSR1 (the link is cut; packets in flight die).
// Counts IP bytes actually delivered (retransmissions and headers included). Exits after
// --max-seconds or on SIGTERM/SIGINT, printing one JSON line of counters. Linux, root.
//
// bench_tunlink --ns-kiosk kb-k --ns-backend kb-b [--rate 256000] [--rtt-ms 300]
//               [--loss random|bursty|none] [--loss-rate 0.05] [--outage-s 60] [--queue-bytes
//               32768]
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <deque>
#include <iostream>

#include "bench_common.hpp"
#include "link_relay.hpp"

namespace {

using namespace bench;

volatile std::sig_atomic_t g_cut = 0, g_stop = 0;

int openTunIn(const std::string& ns, const char* name) {
    const int self = ::open("/proc/self/ns/net", O_RDONLY);
    const int target = ::open(("/var/run/netns/" + ns).c_str(), O_RDONLY);
    if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0)
        die("cannot enter namespace " + ns);
    const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    ifreq ifr{};
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    std::strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) != 0)
        die(std::string("cannot create ") + name + ": " + std::strerror(errno));
    if (setns(self, CLONE_NEWNET) != 0) die("cannot return to the original namespace");
    ::close(self);
    ::close(target);
    return fd;
}

struct Packet {
    std::int64_t dueUs;
    std::string bytes;
};

}  // namespace

int main(int argc, char** argv) {
    const std::string nsK = arg(argc, argv, "--ns-kiosk", "kb-k"),
                      nsB = arg(argc, argv, "--ns-backend", "kb-b");
    const long rate = std::stol(arg(argc, argv, "--rate", "256000"));
    const std::int64_t delayUs = std::stoll(arg(argc, argv, "--rtt-ms", "300")) * 500;
    const std::string lossName = arg(argc, argv, "--loss", "random");
    const double p = std::stod(arg(argc, argv, "--loss-rate", "0.05"));
    const GilbertElliott ge = lossName == "none"     ? GilbertElliott::none()
                              : lossName == "bursty" ? GilbertElliott::bursty(p)
                                                     : GilbertElliott::random(p);
    const std::int64_t outageUs = std::stoll(arg(argc, argv, "--outage-s", "60")) * 1000000;
    const std::size_t queueBytes = std::stoul(arg(argc, argv, "--queue-bytes", "32768"));
    const std::int64_t maxUs = std::stoll(arg(argc, argv, "--max-seconds", "3600")) * 1000000;

    std::signal(SIGUSR1, [](int) { g_cut = 1; });
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    std::signal(SIGINT, [](int) { g_stop = 1; });

    int fd[2] = {openTunIn(nsK, "ktun0"), openTunIn(nsB, "btun0")};
    const std::string cfg = "ip -n " + nsK + " link set lo up && ip -n " + nsK +
                            " addr add 10.77.0.1/30 dev ktun0 && ip -n " + nsK +
                            " link set ktun0 up && ip -n " + nsB + " link set lo up && ip -n " +
                            nsB + " addr add 10.77.0.2/30 dev btun0 && ip -n " + nsB +
                            " link set btun0 up";
    if (std::system(cfg.c_str()) != 0) die("ip configuration failed");
    std::cout << "ready" << std::endl;

    std::mt19937_64 rng(20261123);
    std::uniform_real_distribution<double> u(0, 1);
    bool bad[2] = {false, false};
    std::deque<Packet> q[2];
    std::size_t queued[2] = {0, 0};
    std::int64_t linkFree[2] = {0, 0}, cutFrom = -1, cutTo = -1;
    std::int64_t delivered[2] = {0, 0}, packets[2] = {0, 0}, lost[2] = {0, 0},
                 tailDrops[2] = {0, 0}, cutDrops[2] = {0, 0};
    const std::int64_t start = monoUs();
    std::string buf(65536, '\0');
    auto inCut = [&](std::int64_t t) { return cutFrom >= 0 && t >= cutFrom && t < cutTo; };

    while (!g_stop && monoUs() - start < maxUs) {
        if (g_cut) {
            g_cut = 0;
            cutFrom = monoUs();
            cutTo = cutFrom + outageUs;
            std::cerr << "bench_tunlink: link cut for " << outageUs / 1000000 << " s\n";
        }
        std::int64_t now = monoUs();
        int timeoutMs = 100;
        for (int d = 0; d < 2; ++d)
            if (!q[d].empty())
                timeoutMs = std::min<int>(
                    timeoutMs, int(std::max<std::int64_t>(0, q[d].front().dueUs - now) / 1000));
        pollfd pf[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}};
        ::poll(pf, 2, timeoutMs);
        now = monoUs();
        for (int d = 0; d < 2; ++d) {
            if (!(pf[d].revents & POLLIN)) continue;
            for (ssize_t n; (n = ::read(fd[d], buf.data(), buf.size())) > 0;) {
                const auto len = std::size_t(n);
                ++packets[d];
                if (inCut(now)) {
                    ++cutDrops[d];
                    continue;
                }
                if (queued[d] + len > queueBytes) {
                    ++tailDrops[d];
                    continue;
                }
                if (bad[d] ? u(rng) < ge.pBadToGood : u(rng) < ge.pGoodToBad) bad[d] = !bad[d];
                const std::int64_t begin = std::max(now, linkFree[d]);
                linkFree[d] = begin + std::int64_t(len) * 8 * 1000000 / rate;
                if (u(rng) < (bad[d] ? ge.lossBad : ge.lossGood)) {
                    ++lost[d];  // it used the link, then vanished
                    continue;
                }
                q[d].push_back({linkFree[d] + delayUs, buf.substr(0, len)});
                queued[d] += len;
            }
        }
        for (int d = 0; d < 2; ++d) {
            while (!q[d].empty() && q[d].front().dueUs <= now) {
                Packet pk = std::move(q[d].front());
                q[d].pop_front();
                queued[d] -= pk.bytes.size();
                if (inCut(pk.dueUs)) {
                    ++cutDrops[d];
                    continue;
                }
                if (::write(fd[1 - d], pk.bytes.data(), pk.bytes.size()) > 0)
                    delivered[d] += std::int64_t(pk.bytes.size());
            }
        }
    }
    // Only the backlog counts as "queued" for the link; sizes are IP bytes.
    std::cout << "{\"ip_bytes_up\":" << delivered[0] << ",\"ip_bytes_down\":" << delivered[1]
              << ",\"packets_up\":" << packets[0] << ",\"packets_down\":" << packets[1]
              << ",\"lost_up\":" << lost[0] << ",\"lost_down\":" << lost[1]
              << ",\"tail_drops_up\":" << tailDrops[0] << ",\"tail_drops_down\":" << tailDrops[1]
              << ",\"cut_drops_up\":" << cutDrops[0] << ",\"cut_drops_down\":" << cutDrops[1]
              << ",\"mean_loss\":" << ge.meanLoss() << "}" << std::endl;
    return 0;
}
