#include "sync_test_support.hpp"

#include "pg_cluster.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <random>

#include "client/sync_client.hpp"
#include "clock/clock.hpp"
#include "proto/payload_codec.hpp"
#include "record/validation.hpp"

namespace synctest {

ksync::client::TransportOptions transportTo(const std::string& url) {
    ksync::client::TransportOptions o;
    o.baseUrl = url;
    return o;
}

// ---- Backend -----------------------------------------------------------------------------------

std::string pgDatabase() {
    static testsupport::PgCluster cluster;  // one per test binary; its destructor removes it
    static int n = 0;
    const std::string name = "sync" + std::to_string(++n);
    cluster.createDatabase(name);
    return cluster.url(name);
}

Backend::Backend(std::int64_t clockSkewMs, const std::string& databaseUrl) : m_skewMs(clockSkewMs) {
    auto url =
        databaseUrl.empty()
            ? ksync::backend::parseDatabaseUrl("sqlite:" + (m_tmp.path() / "backend.db").string())
            : ksync::backend::parseDatabaseUrl(databaseUrl);
    REQUIRE(url);
    auto s = ksync::backend::openStorage(*url);
    INFO((s ? std::string() : s.error().detail));
    REQUIRE(s);
    m_storage = std::move(*s);
    auto key = platform::keys::DeviceKey::loadOrCreate(m_tmp.path() / "backend.key");
    REQUIRE(key);
    ksync::backend::ServiceOptions opts;
    if (clockSkewMs != 0)
        opts.nowMs = [clockSkewMs] {
            return platform::clock::unixMillis(platform::clock::now()) + clockSkewMs;
        };
    opts.log = [this](const std::string& line) {
        std::lock_guard lock(m_logMutex);
        m_log.push_back(line);
    };
    m_service = std::make_unique<ksync::backend::BackendService>(
        *m_storage, *key, ksync::proto::Dictionaries::shipped(), opts);
    m_server = std::make_unique<ksync::backend::HttpServer>(*m_service, 4);
    auto port = m_server->bind("127.0.0.1", 0);
    REQUIRE(port);
    m_port = *port;
    m_thread = std::thread([this] { m_server->run(); });
}

Backend::~Backend() {
    m_server->stop();
    if (m_thread.joinable()) m_thread.join();
}

std::string Backend::token(const std::string& kioskId) {
    auto t = m_storage->issueEnrolToken(
        kioskId, platform::clock::unixMillis(platform::clock::now()) + m_skewMs + 3600000);
    REQUIRE(t);
    return *t;
}

std::vector<std::string> Backend::logLines() {
    std::lock_guard lock(m_logMutex);
    return m_log;
}

// ---- Kiosk -------------------------------------------------------------------------------------

namespace {

ksync::store::Store openStore(const std::filesystem::path& root, const std::string& kioskId,
                              const std::string& url) {
    std::filesystem::create_directories(root);
    ksync::store::DataDir dir;
    dir.root = root;
    ksync::store::KioskSettings s;
    s.kioskId = kioskId;
    s.centre = "Phường Sài Gòn";
    s.backendUrl = url;
    REQUIRE(ksync::store::saveSettings(dir, s));
    REQUIRE(platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir)));
    auto st = ksync::store::Store::open(root / "kiosk.db");
    REQUIRE(st);
    return std::move(*st);
}

}  // namespace

Kiosk::Kiosk(const std::string& backendUrl, const std::string& kioskId)
    : m_store(openStore(m_tmp.path() / "data", kioskId, backendUrl)), m_kioskId(kioskId) {}

void Kiosk::setBackendUrl(const std::string& url) {
    auto s = ksync::store::loadSettings(dir());
    REQUIRE(s);
    s->backendUrl = url;
    REQUIRE(ksync::store::saveSettings(dir(), *s));
}

void Kiosk::enroll(Backend& backend) {
    const auto saved = ksync::store::loadSettings(dir());
    REQUIRE(saved);
    setBackendUrl(backend.url());
    auto c = ksync::client::SyncClient::open(dir());
    REQUIRE(c);
    auto r = c->enroll(backend.token(m_kioskId));
    if (!r) FAIL("enroll failed: " << r.error().detail);
    setBackendUrl(saved->backendUrl);
}

std::vector<std::uint64_t> Kiosk::addRecords(int n) {
    const auto& fixtures = testsupport::seedFixtures();
    std::vector<std::uint64_t> out;
    for (int i = 0; i < n; ++i) {
        ksync::record::Draft d;
        d.type = i % 3 == 0 ? "SKGP" : "PAKN";
        d.category = "MOI_TRUONG";
        if (i < static_cast<int>(fixtures.size())) {
            d.body = fixtures[static_cast<std::size_t>(i)].body;
        } else {
            d.body = "Đề nghị phường xử lý rác thải tập kết sai quy định tại hẻm số " +
                     std::to_string(i) +
                     ", gây mùi hôi và mất vệ sinh cho các hộ dân xung quanh. " +
                     fixtures[static_cast<std::size_t>(i) % fixtures.size()].body.substr(0, 600);
            // keep the cut on a UTF-8 boundary
            while (!d.body.empty() && (static_cast<unsigned char>(d.body.back()) & 0xC0) == 0x80)
                d.body.pop_back();
            if (!d.body.empty() && static_cast<unsigned char>(d.body.back()) >= 0xC0)
                d.body.pop_back();
        }
        if (i % 4 == 1) {
            d.anonymous = false;
            d.name = "Nguyễn Văn An";
            d.phone = "0912345678";
            d.consent = true;
            d.consentVersion = "nd13-2023-v1";
        }
        auto v = ksync::record::validateDraft(d);
        if (!v) FAIL("fixture " << i << " invalid: " << v.error().front().messageKey);
        auto r = m_store.createRecord(*v, m_kioskId,
                                      platform::clock::formatUtc(platform::clock::now()), false);
        REQUIRE(r);
        out.push_back(r->header.sequence);
    }
    return out;
}

// ---- CaptivePortal -----------------------------------------------------------------------------

struct CaptivePortal::Impl {
    httplib::Server server;
};

CaptivePortal::CaptivePortal(bool redirect) : m_impl(std::make_unique<Impl>()) {
    auto handler = [this, redirect](const httplib::Request&, httplib::Response& res) {
        ++m_requests;
        if (redirect) {
            res.status = 302;
            res.set_header("Location", "http://login.hotspot.example/?continue=1");
            res.set_content("<html><body>Redirecting</body></html>", "text/html");
        } else {
            res.status = 200;
            res.set_content(
                "<html><head><title>Đăng nhập Wi-Fi</title></head><body>Vui lòng đăng "
                "nhập</body></html>",
                "text/html; charset=utf-8");
        }
    };
    m_impl->server.Get(".*", handler);
    m_impl->server.Post(".*", handler);
    m_port = m_impl->server.bind_to_any_port("127.0.0.1");
    REQUIRE(m_port > 0);
    m_thread = std::thread([this] { m_impl->server.listen_after_bind(); });
}

CaptivePortal::~CaptivePortal() {
    m_impl->server.stop();
    if (m_thread.joinable()) m_thread.join();
}

// ---- FaultProxy --------------------------------------------------------------------------------

namespace {

bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Reads one HTTP request (headers + Content-Length body). Empty when the peer closed.
std::string readRequest(int fd) {
    std::string buf;
    char tmp[16384];
    std::size_t headerEnd = std::string::npos;
    while (headerEnd == std::string::npos) {
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return {};
        buf.append(tmp, static_cast<std::size_t>(n));
        headerEnd = buf.find("\r\n\r\n");
    }
    std::size_t length = 0;
    std::string lower = buf.substr(0, headerEnd);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto p = lower.find("content-length:"); p != std::string::npos)
        length = std::stoul(lower.substr(p + 15));
    while (buf.size() < headerEnd + 4 + length) {
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return {};
        buf.append(tmp, static_cast<std::size_t>(n));
    }
    return buf;
}

std::string forward(int upstreamPort, const std::string& request) {
    // Same request with "Connection: close", so the response ends at EOF.
    const auto headerEnd = request.find("\r\n\r\n");
    std::string head = request.substr(0, headerEnd);
    std::string rewritten;
    std::size_t start = 0;
    while (start <= head.size()) {
        auto end = head.find("\r\n", start);
        if (end == std::string::npos) end = head.size();
        std::string line = head.substr(start, end - start);
        std::string l = line;
        for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!l.starts_with("connection:")) rewritten += line + "\r\n";
        start = end + 2;
    }
    rewritten += "Connection: close\r\n\r\n" + request.substr(headerEnd + 4);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(upstreamPort));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        writeAll(fd, rewritten)) {
        char tmp[16384];
        ssize_t n;
        while ((n = ::recv(fd, tmp, sizeof tmp, 0)) > 0)
            response.append(tmp, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return response;
}

void resetAndClose(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

}  // namespace

FaultProxy::FaultProxy(int upstreamPort, std::vector<Fault> script, int stallMs)
    : m_upstream(upstreamPort), m_script(std::move(script)), m_stallMs(stallMs) {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(m_listen, 16) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
    if (m_acceptor.joinable()) m_acceptor.join();
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
}

void FaultProxy::acceptLoop() {
    while (!m_stop) {
        const int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0) {
            if (m_stop) return;
            continue;
        }
        std::lock_guard lock(m_mutex);
        m_workers.emplace_back([this, fd] { serve(fd); });
    }
}

void FaultProxy::serve(int fd) {
    while (true) {
        const std::string request = readRequest(fd);
        if (request.empty()) break;
        const auto sp1 = request.find(' ');
        const auto sp2 = request.find(' ', sp1 + 1);
        const std::string path = request.substr(sp1 + 1, sp2 - sp1 - 1);
        Fault fault = Fault::None;
        {
            std::lock_guard lock(m_mutex);
            if (m_next < m_script.size()) fault = m_script[m_next++];
            ++m_requests[path];
            if (fault != Fault::None) ++m_faults[path];
        }
        switch (fault) {
            case Fault::Reset:
                resetAndClose(fd);
                return;
            case Fault::Stall:
                std::this_thread::sleep_for(std::chrono::milliseconds(m_stallMs));
                ::close(fd);
                return;
            case Fault::Status500:
                writeAll(fd,
                         "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: "
                         "close\r\n\r\n");
                ::close(fd);
                return;
            case Fault::Status429:
                writeAll(fd,
                         "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: "
                         "0\r\nConnection: close\r\n\r\n");
                ::close(fd);
                return;
            case Fault::Garbage: {
                // Bytes with a NUL in them: the length is the array's (it was a miscounted 40,
                // read past the end: found by ASan).
                static constexpr char kGarbage[] =
                    "\x17\x03\x03\x00\x1a garbage \xff\xfe not http at all\r\n\r\n";
                writeAll(fd, std::string(kGarbage, sizeof kGarbage - 1));
                ::close(fd);
                return;
            }
            case Fault::Portal: {
                const std::string body =
                    "<html><body>Đăng nhập để dùng Wi-Fi miễn phí</body></html>";
                writeAll(fd,
                         "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
                         "charset=utf-8\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                ::close(fd);
                return;
            }
            case Fault::PortalRedirect: {
                const std::string body = "<html><body>Redirecting</body></html>";
                writeAll(
                    fd,
                    "HTTP/1.1 302 Found\r\nLocation: http://login.hotspot.example/?continue=1\r\n"
                    "Content-Type: text/html\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                ::close(fd);
                return;
            }
            case Fault::Truncate: {
                const std::string response = forward(m_upstream, request);
                writeAll(fd, response.substr(0, response.size() * 2 / 3));
                resetAndClose(fd);
                return;
            }
            case Fault::LoseResponse:
                forward(m_upstream,
                        request);  // the backend stores the batch; the kiosk never hears
                resetAndClose(fd);
                return;
            case Fault::None: {
                writeAll(fd, forward(m_upstream, request));
                ::close(fd);
                return;
            }
        }
    }
    ::close(fd);
}

void FaultProxy::append(const std::vector<Fault>& more) {
    std::lock_guard lock(m_mutex);
    m_script.insert(m_script.end(), more.begin(), more.end());
}

int FaultProxy::requests(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto it = m_requests.find(path);
    return it == m_requests.end() ? 0 : it->second;
}

int FaultProxy::totalRequests() const {
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const auto& [k, v] : m_requests) n += v;
    return n;
}

int FaultProxy::faultsOn(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto it = m_faults.find(path);
    return it == m_faults.end() ? 0 : it->second;
}

}  // namespace synctest
