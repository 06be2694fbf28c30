// bench_link — the emulated bad link (link_relay.hpp) as its own process, for trying things by
// hand: 127.0.0.1:<printed port> -> 127.0.0.1:--target. Stops by itself after --max-seconds.
//
// bench_link --target 8470 [--target-host 127.0.0.1] [--rate 256000] [--rtt-ms 300] [--loss
// random|bursty|none]
//            [--loss-rate 0.05] [--cut-at-s 60 --cut-s 60] [--max-seconds 1800]
#include <csignal>
#include <iostream>

#include "bench_common.hpp"
#include "link_relay.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
}

int main(int argc, char** argv) {
    using namespace bench;
    LinkOptions o;
    o.targetPort = std::stoi(arg(argc, argv, "--target", "0"));
    if (o.targetPort <= 0) die("--target PORT is required");
    o.targetHost = arg(argc, argv, "--target-host", "127.0.0.1");
    o.rateBitsPerS = std::stol(arg(argc, argv, "--rate", "256000"));
    o.oneWayDelayMs = std::stoi(arg(argc, argv, "--rtt-ms", "300")) / 2;
    const std::string loss = arg(argc, argv, "--loss", "random");
    const double p = std::stod(arg(argc, argv, "--loss-rate", "0.05"));
    o.loss = loss == "none"     ? GilbertElliott::none()
             : loss == "bursty" ? GilbertElliott::bursty(p)
                                : GilbertElliott::random(p);
    o.maxSeconds = std::stoi(arg(argc, argv, "--max-seconds", "1800"));
    const int cutAt = std::stoi(arg(argc, argv, "--cut-at-s", "-1"));
    const int cutS = std::stoi(arg(argc, argv, "--cut-s", "60"));
    LinkRelay relay(o);
    const int port = relay.start();
    if (port <= 0) die("cannot listen");
    std::cout << "listening on 127.0.0.1:" << port << std::endl;
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    std::signal(SIGINT, [](int) { g_stop = 1; });
    const auto t0 = Clock::now();
    bool cut = false;
    while (!g_stop && msSince(t0) / 1000 < o.maxSeconds) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (!cut && cutAt >= 0 && msSince(t0) / 1000 >= cutAt) {
            relay.cut(std::int64_t(cutS) * 1000);
            cut = true;
            std::cerr << "bench_link: link cut for " << cutS << " s\n";
        }
    }
    relay.stop();
    std::cout << "up " << relay.bytesUp() << " B, down " << relay.bytesDown() << " B, "
              << relay.connections() << " connections, " << relay.lostSegments() << "/"
              << relay.segments() << " segments lost\n";
    return 0;
}
