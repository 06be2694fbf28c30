#include "backend_bench.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "bench_common.hpp"
#include "proto/protocol.hpp"

namespace bench {

std::string runOut(const std::string& cmd) {
    std::string out;
    FILE* f = popen((cmd + " 2>&1").c_str(), "r");
    if (!f) die("popen: " + cmd);
    char buf[512];
    while (fgets(buf, sizeof buf, f)) out += buf;
    const int rc = pclose(f);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    if (rc != 0) die("command failed (" + std::to_string(rc) + "): " + cmd + "\n" + out);
    return out;
}

namespace {

// Fields 14..17 of /proc/PID/stat (utime, stime, cutime, cstime) in clock ticks.
std::vector<double> statTimes(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), {});
    const auto p = s.rfind(')');
    if (p == std::string::npos) return {0, 0, 0, 0, 0};
    std::istringstream rest(s.substr(p + 2));
    std::string tok;
    std::vector<double> v(5, 0);  // utime stime cutime cstime ppid
    for (int field = 3; rest >> tok && field <= 17; ++field) {
        if (field == 4) v[4] = std::stod(tok);
        if (field >= 14) v[std::size_t(field - 14)] = std::stod(tok);
    }
    return v;
}

long statusKb(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with(key + ":")) return std::stol(line.substr(key.size() + 1));
    return 0;
}

}  // namespace

ProcStats procStats(pid_t pid) {
    const auto t = statTimes(pid);
    const double hz = double(sysconf(_SC_CLK_TCK));
    return {(t[0] + t[1]) / hz, statusKb(pid, "VmHWM"), statusKb(pid, "VmRSS")};
}

double pgServerCpu(pid_t postmaster) {
    if (postmaster <= 0) return 0;
    const double hz = double(sysconf(_SC_CLK_TCK));
    const auto pm = statTimes(postmaster);
    double ticks = pm[0] + pm[1] + pm[2] + pm[3];
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto t = statTimes(std::stoi(name));
        if (pid_t(t[4]) == postmaster) ticks += t[0] + t[1];
    }
    return ticks / hz;
}

pid_t postmasterPid(const std::filesystem::path& dataDir) {
    std::ifstream in(dataDir / "postmaster.pid");
    long pid = 0;
    if (!(in >> pid)) return 0;
    return pid_t(pid);
}

namespace {

int freePort() {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        die("no free port");
    close(s);
    return ntohs(a.sin_port);
}

}  // namespace

BackendGroup startBackends(const BackendSpec& spec) {
    std::filesystem::create_directories(spec.logDir);
    BackendGroup g;
    const bool shared = spec.processes > 1;
    const int wanted = shared ? freePort() : 0;
    for (int i = 0; i < spec.processes; ++i) {
        const auto out = spec.logDir / ("backend-" + std::to_string(i) + ".out");
        const auto log = spec.logDir / ("backend-" + std::to_string(i) + ".log");
        std::filesystem::remove(out);
        std::vector<std::string> args{spec.bin,
                                      "--data-dir",
                                      spec.dataDir.string(),
                                      "--database",
                                      spec.database,
                                      "serve",
                                      "--listen",
                                      "127.0.0.1:" + std::to_string(wanted),
                                      "--threads",
                                      std::to_string(spec.threads)};
        if (spec.pool > 0) args.insert(args.end(), {"--pool", std::to_string(spec.pool)});
        if (shared) args.push_back("--reuse-port");
        const pid_t pid = fork();
        if (pid == 0) {
            const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            const int l = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(o, 1);
            dup2(l, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(spec.bin.c_str(), argv.data());
            _exit(127);
        }
        g.pids.push_back(pid);
        // "listening on 127.0.0.1:PORT key ..." once it is bound.
        std::string line;
        for (int tries = 0; tries < 300 && line.find("listening") == std::string::npos; ++tries) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::ifstream in(out);
            std::getline(in, line);
            if (waitpid(pid, nullptr, WNOHANG) == pid) break;
        }
        const auto colon = line.find(':', line.find("127.0.0.1"));
        if (line.find("listening") == std::string::npos || colon == std::string::npos) {
            std::ifstream in(log);
            std::string err((std::istreambuf_iterator<char>(in)), {});
            stopBackends(g);
            die("backend did not start: " + line + " " + err.substr(0, 400));
        }
        const int port = std::stoi(line.substr(colon + 1));
        if (shared && port != wanted) die("backend bound another port");
        g.port = port;
    }
    g.url = "http://127.0.0.1:" + std::to_string(g.port);
    return g;
}

void stopBackends(BackendGroup& g) {
    for (pid_t p : g.pids) kill(p, SIGTERM);
    for (pid_t p : g.pids) waitpid(p, nullptr, 0);
    g.pids.clear();
}

std::string withDatabase(const std::string& uri, const std::string& db) {
    const auto scheme = uri.find("://");
    if (scheme == std::string::npos) die("not a URI: " + uri);
    const auto slash = uri.find('/', scheme + 3);
    const auto query = uri.find('?', scheme + 3);
    const std::string authority = uri.substr(0, std::min(slash, query));
    return authority + "/" + db + (query == std::string::npos ? std::string{} : uri.substr(query));
}

namespace {

PGconn* pgConnect(const std::string& uri) {
    PGconn* c = PQconnectdb(uri.c_str());
    if (PQstatus(c) != CONNECTION_OK) die("PostgreSQL: " + std::string(PQerrorMessage(c)));
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
    return c;
}

}  // namespace

void pgExec(const std::string& uri, const std::string& sql) {
    PGconn* c = pgConnect(uri);
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        die("PostgreSQL: " + std::string(PQerrorMessage(c)) + " in " + sql);
    PQclear(r);
    PQfinish(c);
}

std::vector<std::vector<std::string>> pgQuery(const std::string& uri, const std::string& sql) {
    PGconn* c = pgConnect(uri);
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        die("PostgreSQL: " + std::string(PQerrorMessage(c)) + " in " + sql);
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
        std::vector<std::string> row;
        for (int j = 0; j < PQnfields(r); ++j)
            row.emplace_back(PQgetvalue(r, i, j), std::size_t(PQgetlength(r, i, j)));
        rows.push_back(std::move(row));
    }
    PQclear(r);
    PQfinish(c);
    return rows;
}

namespace {

size_t collectBody(char* p, size_t size, size_t n, void* s) {
    static_cast<std::string*>(s)->append(p, size * n);
    return size * n;
}

size_t collectHeader(char* p, size_t size, size_t n, void* s) {
    std::string_view line(p, size * n);
    constexpr std::string_view kName = "x-backend-signature:";
    if (line.size() > kName.size()) {
        bool match = true;
        for (std::size_t i = 0; i < kName.size() && match; ++i)
            match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
        if (match) {
            auto v = line.substr(kName.size());
            while (!v.empty() && (v.front() == ' ')) v.remove_prefix(1);
            while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
                v.remove_suffix(1);
            *static_cast<std::string*>(s) = std::string(v);
        }
    }
    return size * n;
}

}  // namespace

HttpClient::HttpClient() : m_curl(curl_easy_init()) {
    if (!m_curl) die("curl_easy_init");
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

HttpClient::Reply HttpClient::perform(const std::string& url, void* headers,
                                      const std::string* body) {
    CURL* h = static_cast<CURL*>(m_curl);
    Reply r;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(headers));
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, long(body->size()));
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collectHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.backendSignature);
    const auto t0 = Clock::now();
    const CURLcode rc = curl_easy_perform(h);
    r.ms = msSince(t0);
    r.ok = rc == CURLE_OK;
    if (!r.ok) r.error = curl_easy_strerror(rc);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
}

HttpClient::Reply HttpClient::get(const std::string& url) {
    return perform(url, nullptr, nullptr);
}

HttpClient::Reply HttpClient::signedPost(const std::string& baseUrl, std::string_view path,
                                         const std::string& kioskId,
                                         const platform::keys::DeviceKey& key,
                                         const std::string& body, bool zstd,
                                         std::string* nonceOut) {
    const std::string nonce = ksync::proto::newNonce(), ts = std::to_string(wallMs());
    const std::string sig =
        key.signBase64(ksync::proto::requestSigningString("POST", path, kioskId, ts, nonce, body));
    curl_slist* hdrs = nullptr;
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    if (zstd) hdrs = curl_slist_append(hdrs, "Content-Encoding: zstd");
    hdrs = curl_slist_append(hdrs, ("X-Kiosk-Id: " + kioskId).c_str());
    hdrs = curl_slist_append(hdrs, ("X-Kiosk-Timestamp: " + ts).c_str());
    hdrs = curl_slist_append(hdrs, ("X-Kiosk-Nonce: " + nonce).c_str());
    hdrs = curl_slist_append(hdrs, ("X-Kiosk-Signature: " + sig).c_str());
    Reply r = perform(baseUrl + std::string(path), hdrs, &body);
    curl_slist_free_all(hdrs);
    if (nonceOut) *nonceOut = nonce;
    return r;
}

std::string humanBytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) bytes /= 1024, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, u >= 3 ? "%.2f %s" : "%.0f %s", bytes, units[u]);
    return buf;
}

}  // namespace bench
