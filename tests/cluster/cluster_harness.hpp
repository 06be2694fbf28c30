#pragma once
// Real parts for the cluster tests (test_cluster.cpp), besides the `kiosk-backend serve`
// processes (testsupport::BackendProcess, tests/support/backend_process.hpp) and background
// programs (testsupport::Child): kiosks driven only through the real
// `kioskctl`, the backend's own command line, a libpq session of the test's own (to count rows,
// hold locks and change the schema version), and signed protocol requests made from a kiosk's
// device key (to send one batch to two processes at once, or to read a 503's Retry-After).
//
// Sections:
//   1. processes: run() to the end
//   2. PgSession (libpq)
//   3. CtlKiosk (kioskctl) and backendCli()
//   4. SignedKiosk: signed requests with a kiosk's key, send()
//
// Thread-safety: run() and send() may be called from any thread at once. A CtlKiosk, a
// PgSession and a SignedKiosk belong to one thread at a time.
// Failures: the helpers throw std::runtime_error (Catch2 reports the message). They never use
// Catch2 macros, so they may run on the tests' worker threads.
// Privacy: nothing here prints record content, names or phone numbers; the records the tests
// make carry no contact details.
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "backend_process.hpp"
#include "child.hpp"
#include "client/http_transport.hpp"
#include "keys/device_key.hpp"

struct pg_conn;

namespace clustertest {

namespace fs = std::filesystem;
using testsupport::BackendProcess;
using testsupport::Child;

// ---- 1. processes
// ----------------------------------------------------------------------------------

struct RunResult {
    int exitCode = -1;  // -1 when killed by a signal (also at the deadline)
    bool timedOut = false;
    std::string out;
    std::string err;
};

// Runs `program` with `args` (no shell) to its end and captures stdout and stderr; stdin is
// /dev/null. The pipes are close-on-exec and the child closes every other descriptor before
// exec, so a child that another thread starts at the same moment never holds this call's pipes
// open (testsupport::runProcess does not, which is fine with one thread only). At the deadline
// the program is SIGKILLed and `timedOut` is set: a hang fails a test instead of stalling CTest.
RunResult run(const std::string& program, const std::vector<std::string>& args,
              int timeoutMs = 120000);

// The lines of `text` without their newlines (a last line without one counts).
std::vector<std::string> lines(const std::string& text);

// ---- 2. libpq
// --------------------------------------------------------------------------------------

// One libpq connection of the test's own. Throws with the server's message when a statement
// fails (or the connection cannot be made).
class PgSession {
public:
    explicit PgSession(const std::string& uri);
    ~PgSession();
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    using Rows = std::vector<std::vector<std::string>>;  // NULL reads as ""
    Rows query(const std::string& sql);
    std::string scalar(const std::string& sql);  // first column of the first row ("" when none)
    std::int64_t count(const std::string& sql) { return std::stoll(scalar(sql)); }
    void exec(const std::string& sql) { query(sql); }
    // count(*) of `table`, 0 while the table does not exist yet (a database being migrated).
    std::int64_t rowsIn(const std::string& table);

private:
    pg_conn* m_conn = nullptr;
};

// ---- 3. kioskctl and the backend's command line
// ---------------------------------------------------

// The kiosk's busy sentence (sync.error.busy in assets/strings/vi.json): what a 429/503 shows.
inline constexpr const char* kBusyWords = "Máy chủ đang bận, sẽ gửi lại sau";

// A kiosk data directory made and driven by the real kioskctl.
class CtlKiosk {
public:
    // kioskctl init --kiosk-id ID --backend URL (also makes device.key).
    CtlKiosk(fs::path dir, std::string kioskId, const std::string& backendUrl);

    RunResult ctl(std::vector<std::string> args,
                  int timeoutMs = 60000) const;  // appends --data-dir
    RunResult enroll(const std::string& token) const { return ctl({"enroll", "--token", token}); }
    // kioskctl submit of an anonymous record with a generated body (no contact details);
    // returns its tracking code; throws with kioskctl's exit code and words when it failed.
    std::string submit(int n) const;
    // kioskctl sync --once --json with a bounded per-request timeout.
    RunResult sync(int batchRecords = 250) const;
    nlohmann::json status() const;                   // kioskctl status --json
    std::vector<std::string> trackingCodes() const;  // kioskctl list --json, every record
    void setBackend(const std::string& url) const;   // rewrites kiosk.toml's backend URL

    const std::string& id() const { return m_id; }
    const fs::path& dir() const { return m_dir; }

private:
    fs::path m_dir;
    std::string m_id;
};

// kiosk-backend --database DB --data-dir DIR ARGS...
RunResult backendCli(const std::string& database, const fs::path& dataDir,
                     std::vector<std::string> args, int timeoutMs = 120000);
// issue-token --kiosk-id ID; throws when it fails.
std::string issueToken(const std::string& database, const fs::path& dataDir,
                       const std::string& kioskId);
// public-key (creates backend.key when there is none); throws when it fails.
std::string backendPublicKey(const fs::path& dataDir);

// Kiosk ids: 4 symbols of 0-9 A-Z without I L O U Z, distinct for i < 961.
std::string kioskId(int i);

// ---- 4. signed requests
// -----------------------------------------------------------------------------

struct Reply {
    int status = 0;                              // 0: no HTTP answer (see `transportError`)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string transportError;
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string{} : it->second;
    }
    std::string errorCode() const;  // "error" of an ErrorReply body, "" otherwise
};

// Sends `request` to `baseUrl` (a fresh libcurl handle; ksync::client::globalInit() must have run).
Reply send(const std::string& baseUrl, const ksync::client::HttpRequest& request,
           std::int64_t timeoutMs = 60000);

// Requests signed with a kiosk's own device key, as its sync client would sign them.
class SignedKiosk {
public:
    explicit SignedKiosk(const fs::path& kioskDir);
    // Fresh nonce, the machine's clock as the timestamp.
    ksync::client::HttpRequest request(const std::string& method, const std::string& path,
                                       const std::string& body) const;
    // The kiosk's whole queue as one POST /api/v1/records body (identity encoding). Claims the
    // records in kiosk.db ("sending"); the next `kioskctl sync` puts them back in the queue.
    std::string claimUploadBody(std::size_t* records = nullptr) const;
    const std::string& kioskId() const { return m_kioskId; }

private:
    fs::path m_dir;
    std::string m_kioskId;
    platform::keys::DeviceKey m_key;
};

std::string nonceOf(const ksync::client::HttpRequest& request);
// True when the reply carries the backend's signature over this request's nonce.
bool signedByBackend(const Reply& reply, const std::string& nonce,
                     const std::string& backendPublicKey);

}  // namespace clustertest
