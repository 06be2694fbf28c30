#pragma once
// Helpers of the city-backend benchmarks (bench_backend, bench_seed): `kiosk-backend serve`
// processes (one, or several sharing a port with --reuse-port), their memory and CPU from /proc,
// a keep-alive HTTP client that signs requests the way a kiosk does, and a little libpq.
// Benchmark-only code: nothing here is linked into the product.
//
// Thread-safety: free functions may be called from any thread; an HttpClient belongs to the one
// thread that uses it (one libcurl easy handle, one keep-alive connection).
// Errors: setup failures end the program (die); request failures are values (Reply::ok).
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "keys/device_key.hpp"

namespace bench {

// The standard output of `cmd` (through sh), without the trailing newline. Dies when the command
// fails, with its output.
std::string runOut(const std::string& cmd);

// From /proc/PID: CPU seconds (user + system), VmHWM and VmRSS in KiB. Zeros when the process is
// gone.
struct ProcStats {
    double cpuS = 0;
    long hwmKb = 0;
    long rssKb = 0;
};
ProcStats procStats(pid_t pid);

// A PostgreSQL server's CPU seconds: the postmaster, its live children (one per connection,
// plus the checkpointer, WAL writer...) and the children it has reaped.
double pgServerCpu(pid_t postmaster);
// The postmaster of a data directory (first line of postmaster.pid); 0 when there is none.
pid_t postmasterPid(const std::filesystem::path& dataDir);

// `processes` × `kiosk-backend serve` on 127.0.0.1. One process listens on a free port; several
// share one port with --reuse-port (the kernel spreads connections over them). Standard output
// and the one-line-per-request log go to logDir/backend-N.{out,log}.
struct BackendSpec {
    std::string bin;
    std::filesystem::path dataDir;  // backend.key; the same for every process
    std::string database;           // sqlite:PATH or postgresql://...
    int processes = 1;
    int threads = 8;
    int pool = 0;  // 0: as many PostgreSQL connections as threads
    std::filesystem::path logDir;
};
struct BackendGroup {
    std::vector<pid_t> pids;
    int port = 0;
    std::string url;  // http://127.0.0.1:PORT
};
BackendGroup startBackends(const BackendSpec& spec);
void stopBackends(BackendGroup& group);  // SIGTERM, then waits

// `uri` (a libpq URI such as postgresql:///postgres?host=/dir&user=kiosk) naming database `db`.
std::string withDatabase(const std::string& uri, const std::string& db);
// Runs SQL (several statements allowed when there are no rows to return); dies on failure.
void pgExec(const std::string& uri, const std::string& sql);
// Rows of one query as text (NULL as ""); dies on failure.
std::vector<std::vector<std::string>> pgQuery(const std::string& uri, const std::string& sql);

class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    struct Reply {
        bool ok = false;  // a complete HTTP exchange (any status)
        long status = 0;
        std::string body;
        std::string backendSignature;  // X-Backend-Signature, when there is one
        double ms = 0;                 // wall time of the exchange alone (signing is outside)
        std::string error;             // libcurl's, when !ok
    };
    Reply get(const std::string& url);
    // POST signed as kiosk `kioskId` with `key` (fresh nonce and timestamp); the nonce is put in
    // *nonce for verifying the reply. `zstd`: the body is already compressed (Content-Encoding).
    Reply signedPost(const std::string& baseUrl, std::string_view path, const std::string& kioskId,
                     const platform::keys::DeviceKey& key, const std::string& body, bool zstd,
                     std::string* nonce = nullptr);

private:
    Reply perform(const std::string& url, void* headers, const std::string* body);
    void* m_curl;
};

// "1.2 GiB", "345 MiB": sizes for people.
std::string humanBytes(double bytes);

}  // namespace bench
