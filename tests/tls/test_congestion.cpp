// The sync connection's TCP congestion control, read back with getsockopt(TCP_CONGESTION) from
// the socket of a real loopback connection (HttpTransport to a real kiosk-backend serve).
#include <catch2/catch.hpp>

#include <fstream>

#include "backend_process.hpp"
#include "client/http_transport.hpp"
#include "proto/protocol.hpp"
#include "test_support.hpp"

namespace client = ksync::client;

namespace {

std::string kernelDefault() {
    std::ifstream in("/proc/sys/net/ipv4/tcp_congestion_control");
    std::string name;
    in >> name;
    return name;
}

// One GET /api/v1/health over a fresh transport; the congestion control of its socket.
std::string congestionOf(const std::string& url, const std::string& want,
                         const std::string& allowedFile) {
    client::TransportOptions o;
    o.baseUrl = url;
    o.congestion = want;
    if (!allowedFile.empty()) o.allowedCongestionFile = allowedFile;
    auto t = client::HttpTransport::create(o);
    REQUIRE(t);
    client::HttpRequest req;
    req.path = std::string(ksync::proto::kPathHealth);
    auto r = t->send(req);
    INFO((r ? std::string{} : r.error().detail));
    REQUIRE(r);
    CHECK(r->status == 200);
    return t->lastCongestion();
}

}  // namespace

TEST_CASE(
    "the sync connection asks for BBR when the kernel allows it, and keeps the default quietly "
    "otherwise") {
    client::globalInit();
    testsupport::TempDir tmp;
    testsupport::BackendProcess backend({}, tmp.path() / "backend", {}, tmp.path() / "backend.log");
    backend.start(0);
    const std::string dflt = kernelDefault();
    REQUIRE_FALSE(dflt.empty());

    // The real kernel list decides.
    const std::string real = "/proc/sys/net/ipv4/tcp_allowed_congestion_control";
    if (client::congestionAllowed(real, "bbr")) {
        CHECK(congestionOf(backend.url(), "bbr", {}) == "bbr");
    } else {
        WARN("bbr is not in " << real << ": the fallback path is the one this kernel takes");
        CHECK(congestionOf(backend.url(), "bbr", {}) == dflt);
    }
    // The option really is set on the socket: reno is built into every kernel and always allowed,
    // so asking for it shows on the socket even where the default is something else.
    REQUIRE(client::congestionAllowed(real, "reno"));
    CHECK(congestionOf(backend.url(), "reno", {}) == "reno");

    // Not in the allowed list: not asked for, the connection keeps the kernel's default.
    const auto notAllowed = tmp.path() / "allowed-without";
    std::ofstream(notAllowed) << "cubic\n";
    CHECK(congestionOf(backend.url(), "reno", notAllowed.string()) == dflt);
    // Listed but unknown to the kernel: setsockopt fails, quietly; the request still goes through.
    const auto bogus = tmp.path() / "allowed-bogus";
    std::ofstream(bogus) << "reno nosuchcc\n";
    CHECK(congestionOf(backend.url(), "nosuchcc", bogus.string()) == dflt);
    // Not asked at all.
    CHECK(congestionOf(backend.url(), "", {}) == dflt);
}
