#pragma once
// A private PostgreSQL 15 cluster for one test binary: initdb into a fresh directory, a
// postmaster that listens only on a Unix socket inside that directory, removed at the end.
//
//   testsupport::PgCluster pg;                 // initdb + start (about 1 s)
//   pg.createDatabase("contract_1");
//   openStorage(parseDatabaseUrl(pg.url("contract_1")).value());
//
// Where: /tmp/kiosk-pgtest/<pid>-<n>/ (data/, log, the socket). /tmp, not $TMPDIR: a Unix
// socket path must stay under 108 bytes and the postgres user must be able to reach it.
//
// Root: PostgreSQL refuses to run as root (CI runs as root), so initdb and pg_ctl then run as
// the system user `postgres` (the Debian package's) through runuser; without that user a
// system user `kiosk-pgtest` is created. Not root: everything runs as the current user.
// Binaries: /usr/lib/postgresql/15/bin, or $KIOSK_PG_BINDIR. Missing binaries throw: these
// tests never skip silently.
//
// Cleanup: the destructor stops the postmaster and removes the directory, also when the test
// failed (Catch2 unwinds on REQUIRE) and when start() threw. A test binary that dies without
// unwinding (a crash, SIGKILL, a CTest timeout) is covered by a watchdog process per cluster
// that waits on a pipe from the test and, when it closes without the cluster having been
// removed, stops the postmaster (-m immediate) and removes the directory. Leftovers of dead
// test processes (the watchdog itself killed) are also swept when the next cluster is made.
// The test process makes itself a child subreaper (prctl) so that the daemonised postmaster
// becomes its child and kill9() can reap it: otherwise a zombie postmaster keeps its pid
// "alive" and the next start refuses the stale postmaster.pid.
//
// Failures throw std::runtime_error with the command's output and the server log's tail
// (Catch2 reports the message and fails the test).
// Thread-safety: one thread controls a cluster; url() and dir() may be called from any thread.
#include <filesystem>
#include <string>

namespace testsupport {

struct PgClusterOptions {
    bool fsync = true;  // false: faster, for tests that do not restart or crash the server
};

class PgCluster {
public:
    explicit PgCluster(PgClusterOptions options = {});  // initdb + start; throws on failure
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    // A libpq URI: postgresql:///DBNAME?host=DIR&port=5432&user=kiosk
    std::string url(const std::string& dbname = "postgres") const;
    // CREATE DATABASE (createdb); throws when it fails (e.g. the name exists).
    void createDatabase(const std::string& name);
    // Runs SQL through psql (-X, ON_ERROR_STOP) and returns its unaligned tuples-only output
    // without the trailing newline; throws with psql's message when a statement fails.
    std::string psql(const std::string& dbname, const std::string& sql);

    void start();    // pg_ctl start -w; no-op when running
    void stop();     // pg_ctl stop -m fast -w; no-op when stopped
    void restart();  // stop + start
    // SIGKILL to the postmaster only (a crash); waits until its children have exited (they
    // notice on their own; SIGKILL after 10 s) so that start() can run crash recovery.
    void kill9();

    bool running() const { return m_running; }
    int postmasterPid() const { return m_pid; }
    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path dataDir() const { return m_dir / "data"; }
    // The last `lines` lines of the server log (for failure messages).
    std::string logTail(std::size_t lines = 40) const;

private:
    void initdb();
    void cleanup() noexcept;
    void startWatchdog();

    PgClusterOptions m_options;
    std::filesystem::path m_bin;
    std::filesystem::path m_dir;
    std::string m_user;  // run initdb/pg_ctl as this user through runuser; empty: as ourselves
    bool m_running = false;
    int m_pid = 0;  // the postmaster, while running
    int m_watchdogPid = 0;
    int m_watchdogFd = -1;  // write end; the watchdog acts when it closes
};

}  // namespace testsupport
