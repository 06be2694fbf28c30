#pragma once
// `kiosk-backend serve` as a process of its own, for the tests that need the real program (the
// sync, hardening and cluster tests): started on a free or a given loopback port, SIGKILLed
// (a crash) or stopped, and started again on the same port with its logs appended.
//
//   testsupport::BackendProcess b({}, tmp / "backend", {}, tmp / "backend.log");
//   b.start(0);                        // any free port; waits for "listening on ..."
//   kioskctl init --backend b.url() ...; b.cli({"issue-token", "--kiosk-id", "7K3M"});
//
// The command: kiosk-backend [--database DB] --data-dir DIR serve --listen 127.0.0.1:PORT ARGS...
// Without a database URL the backend uses its own SQLite file in DIR. stderr (one line per
// request, "storage error: ..." for every 503 from storage) is appended to `logFile`, stdout
// (the "listening on 127.0.0.1:PORT key FINGERPRINT" line, nothing else) to `stdoutFile`
// (default: `logFile` + ".stdout"): every byte the backend writes stays in a file a test can
// search.
//
// Thread-safety: start()/launch()/awaitListening()/kill9()/stop() from one thread at a time (a
// killer thread, or the test's); port(), url() and pid() from any thread. log() reads the file.
// Failures throw std::runtime_error (Catch2 reports the message); no Catch2 macros, so this may
// run on a test's worker threads.
#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "child.hpp"
#include "run_process.hpp"

namespace testsupport {

class BackendProcess {
public:
    BackendProcess(std::string database, std::filesystem::path dataDir,
                   std::vector<std::string> serveArgs, std::filesystem::path logFile,
                   std::filesystem::path stdoutFile = {});
    ~BackendProcess();  // stop()
    BackendProcess(const BackendProcess&) = delete;
    BackendProcess& operator=(const BackendProcess&) = delete;

    // Starts the process and waits (30 s at most) for its "listening on HOST:PORT key FP" line.
    // `port` < 0: the port of the previous start (0, any free port, the first time).
    void start(int port = -1);
    // The two halves of start(), for starting several processes at the same moment.
    void launch(int port = -1);
    void awaitListening();
    void kill9();  // SIGKILL and reap (a crash)
    void stop();   // SIGTERM and reap (a clean stop); SIGKILL after 10 s
    bool running();

    int port() const { return m_port.load(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
    pid_t pid() const { return m_pid.load(); }
    int starts() const { return m_starts.load(); }
    const std::string& fingerprint() const {
        return m_fingerprint;
    }  // the key it said it serves with
    const std::filesystem::path& dataDir() const { return m_dataDir; }
    std::string log() const;  // the whole stderr log so far
    const std::filesystem::path& logFile() const { return m_logFile; }
    const std::filesystem::path& stdoutFile() const { return m_stdoutFile; }

    // kiosk-backend [--database DB] --data-dir DIR ARGS... run to its end (issue-token, update,
    // audit, config ...), with testsupport::runProcess (one thread only).
    ProcessResult cli(std::vector<std::string> args) const;

private:
    std::vector<std::string> globalArgs() const;

    std::string m_database;
    std::filesystem::path m_dataDir;
    std::vector<std::string> m_serveArgs;
    std::filesystem::path m_logFile;
    std::filesystem::path m_stdoutFile;
    Child m_child;
    std::uintmax_t m_stdoutFrom = 0;  // where this start's stdout begins in m_stdoutFile
    bool m_launched = false;          // between launch() and awaitListening()
    std::atomic<int> m_port{0};
    std::atomic<pid_t> m_pid{-1};
    std::atomic<int> m_starts{0};
    std::string m_fingerprint;
};

}  // namespace testsupport
