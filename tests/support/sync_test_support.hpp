#pragma once
// Real parts for the sync tests (client, app, cluster): the backend in this process (the real
// service and HTTP server on a loopback port, its storage at hand for checks), kiosk data
// directories with real SQLite files, a captive portal and a fault-injecting TCP proxy.
// The backend as a program of its own is backend_process.hpp; child processes are child.hpp.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "child.hpp"
#include "client/http_transport.hpp"
#include "http/http_server.hpp"
#include "keys/device_key.hpp"
#include "service/backend_service.hpp"
#include "storage/open_storage.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

namespace synctest {

// The shared helpers, for the sync tests that say `using namespace synctest`.
using testsupport::Child;
using testsupport::envInt;

class Backend {
public:
    // `clockSkewMs`: the backend's clock runs this far ahead of the machine's. `databaseUrl`:
    // "" for SQLite in the backend's temp dir, or a postgresql:// URI (see pgDatabase()).
    explicit Backend(std::int64_t clockSkewMs = 0, const std::string& databaseUrl = {});
    ~Backend();
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int port() const { return m_port; }
    ksync::backend::BackendStorage& storage() { return *m_storage; }
    const std::filesystem::path& dataDir() const { return m_tmp.path(); }
    std::string token(const std::string& kioskId = {});
    std::vector<std::string> logLines();

private:
    testsupport::TempDir m_tmp;
    std::unique_ptr<ksync::backend::BackendStorage> m_storage;
    std::unique_ptr<ksync::backend::BackendService> m_service;
    std::unique_ptr<ksync::backend::HttpServer> m_server;
    std::thread m_thread;
    int m_port = 0;
    std::int64_t m_skewMs = 0;
    std::mutex m_logMutex;
    std::vector<std::string> m_log;
};

// A fresh database on this test binary's private PostgreSQL cluster (started on first use,
// stopped and removed at exit), for running a sync test against PostgreSQL.
std::string pgDatabase();

class Kiosk {
public:
    explicit Kiosk(const std::string& backendUrl, const std::string& kioskId = "7K3M");
    ksync::store::DataDir dir() const {
        ksync::store::DataDir d;
        d.root = m_tmp.path() / "data";
        return d;
    }
    ksync::store::Store& store() { return m_store; }
    void setBackendUrl(const std::string& url);
    // Enrols against `backend` (its real /enroll endpoint), then points at `useUrl` if given.
    void enroll(Backend& backend);
    // `n` records: the 20 fixtures first, then generated ones; returns their sequences.
    std::vector<std::uint64_t> addRecords(int n);

private:
    testsupport::TempDir m_tmp;
    ksync::store::Store m_store;
    std::string m_kioskId;
};

// Answers every request like a hotel Wi-Fi login: 200 text/html, or 302 to a login page.
class CaptivePortal {
public:
    explicit CaptivePortal(bool redirect);
    ~CaptivePortal();
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int requests() const { return m_requests.load(); }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::thread m_thread;
    int m_port = 0;
    std::atomic<int> m_requests{0};
};

// Portal: 200 text/html login page; PortalRedirect: 302 to a login page. Neither reaches the
// backend.
enum class Fault {
    None,
    Reset,
    Stall,
    Status500,
    Status429,
    Truncate,
    Garbage,
    Portal,
    PortalRedirect,
    LoseResponse
};

// A TCP proxy in front of the backend that applies a scripted fault to each request in turn
// (then passes everything through), and counts requests by path.
class FaultProxy {
public:
    FaultProxy(int upstreamPort, std::vector<Fault> script, int stallMs);
    ~FaultProxy();
    // Appends to the script: once the requests before have had their turn, the next requests
    // get these (a script already used up applies them to the very next requests).
    void append(const std::vector<Fault>& more);
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int requests(const std::string& path) const;
    int totalRequests() const;
    int faultsOn(const std::string& path) const;

private:
    void acceptLoop();
    void serve(int fd);
    int m_upstream;
    std::vector<Fault> m_script;
    int m_stallMs;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::size_t m_next = 0;
    std::map<std::string, int> m_requests, m_faults;
    std::thread m_acceptor;
    std::vector<std::thread> m_workers;
};

ksync::client::TransportOptions transportTo(const std::string& url);

}  // namespace synctest
