#include "cluster_harness.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "client/sync_client.hpp"
#include "proto/messages.hpp"
#include "proto/protocol.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"

namespace clustertest {

namespace {

using Clock = std::chrono::steady_clock;

// In the child between fork and exec: stdin from /dev/null, stdout/stderr onto the given
// descriptors, nothing else inherited.
[[noreturn]] void execChild(const std::string& program, const std::vector<std::string>& args,
                            int outFd, int errFd) {
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    ::dup2(outFd >= 0 ? outFd : devnull, 1);
    ::dup2(errFd >= 0 ? errFd : devnull, 2);
    ::close_range(3, ~0U, 0);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
}

int exitCodeOf(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

// ---- 1. processes
// ----------------------------------------------------------------------------------

RunResult run(const std::string& program, const std::vector<std::string>& args, int timeoutMs) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw std::runtime_error("pipe2 failed");
    }
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) execChild(program, args, out[1], err[1]);
    ::close(out[1]);
    ::close(err[1]);
    RunResult r;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    bool outOpen = true, errOpen = true;
    char buf[65536];
    while (outOpen || errOpen) {
        pollfd fds[2];
        int n = 0;
        if (outOpen) fds[n++] = {out[0], POLLIN, 0};
        if (errOpen) fds[n++] = {err[0], POLLIN, 0};
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            ::kill(pid, SIGKILL);
            r.timedOut = true;
            break;
        }
        const int ready =
            ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) break;
        for (int i = 0; i < n; ++i) {
            if (fds[i].revents == 0) continue;
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            const bool isOut = fds[i].fd == out[0];
            if (got <= 0) {
                (isOut ? outOpen : errOpen) = false;
            } else {
                (isOut ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
            }
        }
    }
    ::close(out[0]);
    ::close(err[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exitCode = exitCodeOf(status);
    return r;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// ---- 2. libpq
// --------------------------------------------------------------------------------------

PgSession::PgSession(const std::string& uri) {
    m_conn = PQconnectdb(uri.c_str());
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        const std::string msg = m_conn ? PQerrorMessage(m_conn) : "out of memory";
        PQfinish(m_conn);
        m_conn = nullptr;
        throw std::runtime_error("PgSession: cannot connect: " + msg);
    }
    PQclear(PQexec(m_conn, "SET client_min_messages = warning"));
}

PgSession::~PgSession() {
    PQfinish(m_conn);
}

PgSession::Rows PgSession::query(const std::string& sql) {
    PGresult* r = PQexec(m_conn, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const std::string msg = PQresultErrorMessage(r);
        PQclear(r);
        throw std::runtime_error("PgSession: " + msg + " in: " + sql.substr(0, 200));
    }
    Rows rows;
    for (int i = 0; i < PQntuples(r); ++i) {
        std::vector<std::string> row;
        for (int c = 0; c < PQnfields(r); ++c)
            row.emplace_back(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c)));
        rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
}

std::string PgSession::scalar(const std::string& sql) {
    auto rows = query(sql);
    return rows.empty() || rows[0].empty() ? std::string{} : rows[0][0];
}

std::int64_t PgSession::rowsIn(const std::string& table) {
    if (scalar("SELECT to_regclass('" + table + "') IS NOT NULL") != "t") return 0;
    return count("SELECT count(*) FROM " + table);
}

// ---- 3. kioskctl and the backend's command line
// ---------------------------------------------------

CtlKiosk::CtlKiosk(fs::path dir, std::string kioskId, const std::string& backendUrl)
    : m_dir(std::move(dir)), m_id(std::move(kioskId)) {
    auto r =
        ctl({"init", "--kiosk-id", m_id, "--backend", backendUrl, "--centre", "Phường Bến Thành"});
    if (r.exitCode != 0) throw std::runtime_error("kioskctl init failed: " + r.err);
}

RunResult CtlKiosk::ctl(std::vector<std::string> args, int timeoutMs) const {
    args.push_back("--data-dir");
    args.push_back(m_dir.string());
    return run(KIOSKCTL_PATH, args, timeoutMs);
}

std::string CtlKiosk::submit(int n) const {
    // Anonymous, no contact details: nothing personal can reach a log.
    const std::string body = "Đề nghị sửa đèn chiếu sáng hẻm số " + std::to_string(n) +
                             " khu phố " + m_id +
                             ", buổi tối rất tối và nguy hiểm cho người đi đường.";
    auto r = ctl({"submit", "--category", "MOI_TRUONG", "--anonymous", "--body", body});
    // The body is generated and anonymous: kioskctl's words are safe to show in full.
    if (r.exitCode != 0)
        throw std::runtime_error("kioskctl submit failed on " + m_id + " (exit " +
                                 std::to_string(r.exitCode) + (r.timedOut ? ", timed out" : "") +
                                 "): " + r.err);
    auto code = r.out.substr(0, r.out.find('\n'));
    return code;
}

RunResult CtlKiosk::sync(int batchRecords) const {
    // A request that hangs ends at 20 s; the process is killed at 90 s in any case.
    return ctl({"sync", "--once", "--json", "--batch-records", std::to_string(batchRecords),
                "--timeout-ms", "20000"},
               90000);
}

nlohmann::json CtlKiosk::status() const {
    auto r = ctl({"status", "--json"});
    if (r.exitCode != 0) throw std::runtime_error("kioskctl status failed: " + r.err);
    return nlohmann::json::parse(r.out);
}

std::vector<std::string> CtlKiosk::trackingCodes() const {
    auto r = ctl({"list", "--json", "--limit", "1000000"});
    if (r.exitCode != 0) throw std::runtime_error("kioskctl list failed: " + r.err);
    std::vector<std::string> out;
    for (const auto& row : nlohmann::json::parse(r.out))
        out.push_back(row["tracking_code"].get<std::string>());
    return out;
}

void CtlKiosk::setBackend(const std::string& url) const {
    ksync::store::DataDir d;
    d.root = m_dir;
    auto s = ksync::store::loadSettings(d);
    if (!s) throw std::runtime_error("kiosk.toml: " + s.error());
    s->backendUrl = url;
    if (auto w = ksync::store::saveSettings(d, *s); !w)
        throw std::runtime_error("kiosk.toml: " + w.error());
}

RunResult backendCli(const std::string& database, const fs::path& dataDir,
                     std::vector<std::string> args, int timeoutMs) {
    std::vector<std::string> all = {"--database", database, "--data-dir", dataDir.string()};
    all.insert(all.end(), args.begin(), args.end());
    return run(KIOSK_BACKEND_PATH, all, timeoutMs);
}

std::string issueToken(const std::string& database, const fs::path& dataDir,
                       const std::string& kioskId) {
    auto r = backendCli(database, dataDir, {"issue-token", "--kiosk-id", kioskId});
    if (r.exitCode != 0) throw std::runtime_error("issue-token failed: " + r.err);
    return r.out.substr(0, r.out.find('\n'));
}

std::string backendPublicKey(const fs::path& dataDir) {
    auto r = run(KIOSK_BACKEND_PATH, {"--data-dir", dataDir.string(), "public-key"});
    if (r.exitCode != 0) throw std::runtime_error("public-key failed: " + r.err);
    return r.out.substr(0, r.out.find('\n'));
}

std::string kioskId(int i) {
    static constexpr std::string_view kSymbols = "0123456789ABCDEFGHJKMNPQRSTVWXY";  // no I L O U Z
    const auto n = kSymbols.size();
    const auto u = static_cast<std::size_t>(i);
    return std::string("7K") + kSymbols[(u / n) % n] + kSymbols[u % n];
}

// ---- 4. signed requests
// -----------------------------------------------------------------------------

std::string Reply::errorCode() const {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("error") || !j["error"].is_string()) return {};
    return j["error"].get<std::string>();
}

Reply send(const std::string& baseUrl, const ksync::client::HttpRequest& request,
           std::int64_t timeoutMs) {
    ksync::client::TransportOptions o;
    o.baseUrl = baseUrl;
    o.connectTimeoutMs = std::min<std::int64_t>(timeoutMs, 15000);
    o.totalTimeoutMs = timeoutMs;
    Reply out;
    auto t = ksync::client::HttpTransport::create(o);
    if (!t) {
        out.transportError = t.error().detail;
        return out;
    }
    auto r = t->send(request);
    if (!r) {
        out.transportError = r.error().detail.empty() ? "transport error" : r.error().detail;
        return out;
    }
    out.status = r->status;
    out.headers = r->headers;
    out.body = r->body;
    return out;
}

namespace {

platform::keys::DeviceKey loadDeviceKey(const fs::path& kioskDir) {
    ksync::store::DataDir d;
    d.root = kioskDir;
    auto k = platform::keys::DeviceKey::load(ksync::client::deviceKeyFile(d));
    if (!k) throw std::runtime_error("device key: " + k.error());
    return *k;
}

std::string kioskIdOf(const fs::path& kioskDir) {
    ksync::store::DataDir d;
    d.root = kioskDir;
    auto s = ksync::store::loadSettings(d);
    if (!s) throw std::runtime_error("kiosk.toml: " + s.error());
    return s->kioskId;
}

}  // namespace

SignedKiosk::SignedKiosk(const fs::path& kioskDir)
    : m_dir(kioskDir), m_kioskId(kioskIdOf(kioskDir)), m_key(loadDeviceKey(kioskDir)) {}

ksync::client::HttpRequest SignedKiosk::request(const std::string& method, const std::string& path,
                                                const std::string& body) const {
    const std::string nonce = ksync::proto::newNonce();
    const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    ksync::client::HttpRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"},
                 {std::string(ksync::proto::kHeaderKiosk), m_kioskId},
                 {std::string(ksync::proto::kHeaderTimestamp), ts},
                 {std::string(ksync::proto::kHeaderNonce), nonce},
                 {std::string(ksync::proto::kHeaderSignature),
                  m_key.signBase64(ksync::proto::requestSigningString(method, path, m_kioskId, ts,
                                                                      nonce, body))}};
    return r;
}

std::string SignedKiosk::claimUploadBody(std::size_t* records) const {
    ksync::store::DataDir d;
    d.root = m_dir;
    auto store = ksync::store::Store::open(d.database(), ksync::store::Store::Open::ExistingOnly);
    if (!store) throw std::runtime_error("kiosk.db: cannot open");
    auto batch =
        store->claimBatch(ksync::proto::kMaxBatchRecords, std::numeric_limits<std::size_t>::max(),
                          std::numeric_limits<std::int64_t>::max());
    if (!batch) throw std::runtime_error("kiosk.db: claimBatch failed");
    ksync::proto::RecordsUploadRequest request{m_kioskId, {}};
    for (const auto& item : *batch)
        request.records.push_back({item.header, item.contentFormat, item.content});
    if (records) *records = request.records.size();
    return ksync::proto::dumpMessage(request);
}

std::string nonceOf(const ksync::client::HttpRequest& request) {
    for (const auto& [k, v] : request.headers)
        if (k == ksync::proto::kHeaderNonce) return v;
    return {};
}

bool signedByBackend(const Reply& reply, const std::string& nonce,
                     const std::string& backendPublicKey) {
    const std::string sig = reply.header("x-backend-signature");
    return !sig.empty() &&
           platform::keys::DeviceKey::verifyBase64(
               backendPublicKey,
               ksync::proto::responseSigningString(nonce, reply.status, reply.body), sig);
}

}  // namespace clustertest
