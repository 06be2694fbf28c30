#include "pg_cluster.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace testsupport {

namespace {

constexpr const char* kPort = "5432";  // per socket directory, so clusters never collide
constexpr const char* kEnv = "/usr/bin/env";

fs::path binDir() {
    if (const char* env = std::getenv("KIOSK_PG_BINDIR"); env && *env) return env;
    return "/usr/lib/postgresql/15/bin";
}

std::string runuserPath() {
    for (const char* p : {"/usr/sbin/runuser", "/sbin/runuser"})
        if (::access(p, X_OK) == 0) return p;
    throw std::runtime_error(
        "PgCluster: runuser not found (util-linux): needed to run PostgreSQL as non-root");
}

std::string describe(const ProcessResult& r) {
    std::string s = "exit " + std::to_string(r.exitCode);
    if (!r.out.empty()) s += "\n--- stdout ---\n" + r.out;
    if (!r.err.empty()) s += "\n--- stderr ---\n" + r.err;
    return s;
}

// The unprivileged user that runs the server when we are root.
std::string systemUser() {
    if (::getpwnam("postgres")) return "postgres";
    if (::getpwnam("kiosk-pgtest")) return "kiosk-pgtest";
    const auto r = runProcess("/usr/sbin/useradd",
                              {"--system", "--no-create-home", "--home-dir", "/nonexistent",
                               "--shell", "/usr/sbin/nologin", "kiosk-pgtest"});
    // Another test process may have created it at the same moment: look again either way.
    if (::getpwnam("kiosk-pgtest")) return "kiosk-pgtest";
    throw std::runtime_error(
        "PgCluster: running as root, no 'postgres' user, and useradd kiosk-pgtest failed: " +
        describe(r));
}

bool isZombie(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s;
    if (!std::getline(in, s)) return false;
    const auto close = s.rfind(')');
    return close != std::string::npos && close + 2 < s.size() && s[close + 2] == 'Z';
}

// True once `pid` has exited (reaped by us when it is our child, which the subreaper makes
// the postmaster and its orphans); false when `timeout` passed first.
bool waitGone(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return true;
        if (r < 0 && errno == ECHILD) {
            if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
            if (isZombie(pid)) return true;  // someone else's zombie: it no longer runs
        }
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(e.path() / "stat");
        std::string s;
        if (!std::getline(in, s)) continue;
        const auto close = s.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(s.substr(close + 2));
        char state = 0;
        long ppid = 0;
        if (rest >> state >> ppid && ppid == parent)
            out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
}

// postmaster.pid: line 1 the pid, line 7 "<shm key> <shm id>".
struct PidFile {
    pid_t pid = 0;
    long shmId = -1;
};

std::optional<PidFile> readPidFile(const fs::path& dataDir) {
    std::ifstream in(dataDir / "postmaster.pid");
    if (!in) return std::nullopt;
    PidFile p;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (n == 1) p.pid = static_cast<pid_t>(std::atol(line.c_str()));
        if (n == 7) {
            std::istringstream s(line);
            long key = 0, id = -1;
            if (s >> key >> id) p.shmId = id;
        }
    }
    if (p.pid <= 0) return std::nullopt;
    return p;
}

bool isPostgres(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
    std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return cmd.find("postgres") != std::string::npos;
}

// The SysV segment of a postmaster that was killed stays until someone removes it.
void removeShm(const PidFile& p) {
    if (p.shmId < 0) return;
    shmid_ds ds{};
    if (::shmctl(static_cast<int>(p.shmId), IPC_STAT, &ds) == 0 && ds.shm_nattch == 0)
        ::shmctl(static_cast<int>(p.shmId), IPC_RMID, nullptr);
}

// Stops whatever postmaster still runs in `dir` without pg_ctl (its owner may be gone) and
// removes the directory. Best effort: used for leftovers and as the last resort.
void killAndRemove(const fs::path& dir) {
    if (auto p = readPidFile(dir / "data")) {
        if (::kill(p->pid, 0) == 0 && isPostgres(p->pid)) {
            const auto children = childrenOf(p->pid);
            ::kill(p->pid,
                   SIGQUIT);  // immediate shutdown: it stops its children and its shared memory
            if (!waitGone(p->pid, std::chrono::seconds(5))) {
                ::kill(p->pid, SIGKILL);
                waitGone(p->pid, std::chrono::seconds(5));
            }
            for (pid_t c : children)
                if (!waitGone(c, std::chrono::seconds(5))) ::kill(c, SIGKILL);
        }
        removeShm(*p);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

bool pidAlive(pid_t pid) {
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

// Clusters of test processes that died without their watchdog (both killed at once).
void sweepStale(const fs::path& parent) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(parent, ec)) {
        const std::string name = e.path().filename().string();
        const auto dash = name.find('-');
        if (dash == std::string::npos || dash == 0) continue;
        const std::string pidText = name.substr(0, dash);
        if (pidText.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto pid = static_cast<pid_t>(std::stol(pidText));
        if (pid == ::getpid() || pidAlive(pid)) continue;
        killAndRemove(e.path());
    }
}

fs::path parentDir() {
    const fs::path parent = "/tmp/kiosk-pgtest";
    std::error_code ec;
    fs::create_directories(parent, ec);
    struct stat st {};
    if (::stat(parent.c_str(), &st) != 0)
        throw std::runtime_error("PgCluster: cannot create " + parent.string() + ": " +
                                 std::strerror(errno));
    // Shared by root and non-root runs, like /tmp itself; the postgres user must traverse it.
    if (st.st_uid == ::geteuid()) ::chmod(parent.c_str(), 01777);
    return parent;
}

}  // namespace

PgCluster::PgCluster(PgClusterOptions options) : m_options(options), m_bin(binDir()) {
    for (const char* tool : {"initdb", "pg_ctl", "postgres", "psql", "createdb"})
        if (::access((m_bin / tool).c_str(), X_OK) != 0)
            throw std::runtime_error(
                "PgCluster: PostgreSQL binary " + (m_bin / tool).string() +
                " not found: install postgresql-15 (scripts/bootstrap.sh) or set KIOSK_PG_BINDIR. "
                "The PostgreSQL tests do not skip.");
    // The postmaster daemonises (pg_ctl exits); as our child it can be reaped after kill9().
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);

    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (uid == 0) {
        m_user = systemUser();
        const passwd* pw = ::getpwnam(m_user.c_str());
        if (!pw) throw std::runtime_error("PgCluster: user " + m_user + " vanished");
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }

    const fs::path parent = parentDir();
    sweepStale(parent);
    static std::atomic<int> s_counter{0};
    m_dir = parent / (std::to_string(::getpid()) + "-" + std::to_string(++s_counter));
    if (fs::exists(m_dir)) killAndRemove(m_dir);  // a dead process that had our pid
    if (::mkdir(m_dir.c_str(), 0700) != 0)
        throw std::runtime_error("PgCluster: mkdir " + m_dir.string() + ": " +
                                 std::strerror(errno));
    try {
        if (::chown(m_dir.c_str(), uid, gid) != 0)
            throw std::runtime_error("PgCluster: chown " + m_dir.string() + " to " + m_user + ": " +
                                     std::strerror(errno));
        startWatchdog();
        initdb();
        start();
    } catch (...) {
        cleanup();
        throw;
    }
}

PgCluster::~PgCluster() {
    cleanup();
}

namespace {

// Runs a server-side tool inside the cluster directory, as the cluster's user.
ProcessResult runAs(const std::string& user, const fs::path& dir,
                    const std::vector<std::string>& cmd) {
    // env -C: the tool's working directory must be one the postgres user can enter (the test's
    // own working directory may be under /root).
    std::vector<std::string> args;
    std::string program;
    if (user.empty()) {
        program = kEnv;
    } else {
        program = runuserPath();
        args = {"-u", user, "--", kEnv};
    }
    args.insert(args.end(), {"-C", dir.string()});
    args.insert(args.end(), cmd.begin(), cmd.end());
    return runProcess(program, args);
}

}  // namespace

void PgCluster::startWatchdog() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("PgCluster: pipe2 failed");
    // Everything the child needs is built before fork: the test process may have threads.
    std::vector<std::string> args = {
        "/bin/sh", "-c",
        "read -r _x; d=$1; shift; [ -d \"$d\" ] || exit 0; \"$@\" >/dev/null 2>&1; rm -rf \"$d\"",
        "kiosk-pgtest-watchdog", m_dir.string()};
    if (!m_user.empty()) args.insert(args.end(), {runuserPath(), "-u", m_user, "--"});
    args.insert(args.end(), {kEnv, "-C", "/", (m_bin / "pg_ctl").string(), "-D", dataDir().string(),
                             "-m", "immediate", "-w", "-t", "30", "stop"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw std::runtime_error("PgCluster: fork failed");
    }
    if (pid == 0) {
        // Its own session: a CTest timeout that kills the test's process group spares it.
        ::setsid();
        ::dup2(fds[0], 0);
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 1);
        ::dup2(null, 2);
        // No inherited descriptor may keep a pipe of the test (or CTest's output) open.
        ::close_range(3, ~0U, 0);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[0]);
    m_watchdogFd = fds[1];
    m_watchdogPid = pid;
}

void PgCluster::initdb() {
    const auto r = runAs(m_user, m_dir,
                         {(m_bin / "initdb").string(), "-D", dataDir().string(), "-A", "trust",
                          "-U", "kiosk", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"});
    if (r.exitCode != 0) throw std::runtime_error("PgCluster: initdb failed: " + describe(r));
}

void PgCluster::start() {
    if (m_running) return;
    std::string serverOptions = "-k '" + m_dir.string() + "' -c listen_addresses='' -p " + kPort;
    if (!m_options.fsync) serverOptions += " -c fsync=off";
    const auto r =
        runAs(m_user, m_dir,
              {(m_bin / "pg_ctl").string(), "-D", dataDir().string(), "-l",
               (m_dir / "log").string(), "-o", serverOptions, "-w", "-t", "60", "start"});
    if (r.exitCode != 0)
        throw std::runtime_error("PgCluster: pg_ctl start failed: " + describe(r) +
                                 "\n--- server log ---\n" + logTail());
    const auto pidFile = readPidFile(dataDir());
    if (!pidFile)
        throw std::runtime_error("PgCluster: started but no postmaster.pid\n--- server log ---\n" +
                                 logTail());
    m_pid = pidFile->pid;
    m_running = true;
}

void PgCluster::stop() {
    if (!m_running) return;
    const auto r = runAs(m_user, m_dir,
                         {(m_bin / "pg_ctl").string(), "-D", dataDir().string(), "-m", "fast", "-w",
                          "-t", "60", "stop"});
    if (r.exitCode != 0)
        throw std::runtime_error("PgCluster: pg_ctl stop failed: " + describe(r) +
                                 "\n--- server log ---\n" + logTail());
    waitGone(m_pid, std::chrono::seconds(10));  // reap it: it is our child (subreaper)
    m_running = false;
    m_pid = 0;
}

void PgCluster::restart() {
    stop();
    start();
}

void PgCluster::kill9() {
    if (!m_running) throw std::runtime_error("PgCluster: kill9() but the cluster is not running");
    const auto children = childrenOf(m_pid);
    ::kill(m_pid, SIGKILL);
    const bool gone = waitGone(m_pid, std::chrono::seconds(10));
    m_running = false;
    m_pid = 0;
    if (!gone) throw std::runtime_error("PgCluster: the postmaster did not die after SIGKILL");
    // Backends and auxiliary processes exit when they notice the postmaster is gone; until they
    // have, the old shared memory is attached and a new postmaster refuses to start.
    for (pid_t c : children)
        if (!waitGone(c, std::chrono::seconds(10))) {
            ::kill(c, SIGKILL);
            waitGone(c, std::chrono::seconds(5));
        }
}

std::string PgCluster::url(const std::string& dbname) const {
    return "postgresql:///" + dbname + "?host=" + m_dir.string() + "&port=" + kPort + "&user=kiosk";
}

void PgCluster::createDatabase(const std::string& name) {
    const auto r = runProcess((m_bin / "createdb").string(),
                              {"-h", m_dir.string(), "-p", kPort, "-U", "kiosk", "--", name});
    if (r.exitCode != 0)
        throw std::runtime_error("PgCluster: createdb failed: " + describe(r) +
                                 "\n--- server log ---\n" + logTail());
}

std::string PgCluster::psql(const std::string& dbname, const std::string& sql) {
    auto r = runProcess((m_bin / "psql").string(),
                        {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", m_dir.string(), "-p",
                         kPort, "-U", "kiosk", "-d", dbname, "-c", sql});
    if (r.exitCode != 0) throw std::runtime_error("PgCluster: psql failed: " + describe(r));
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
}

std::string PgCluster::logTail(std::size_t lines) const {
    std::ifstream in(m_dir / "log");
    if (!in) return "(no server log)";
    std::deque<std::string> tail;
    std::string line;
    while (std::getline(in, line)) {
        tail.push_back(line);
        if (tail.size() > lines) tail.pop_front();
    }
    std::string out;
    for (const auto& l : tail) out += l + '\n';
    return out;
}

void PgCluster::cleanup() noexcept {
    try {
        if (m_running) {
            try {
                stop();
            } catch (const std::exception&) {
                // Falls through to the kill below.
            }
        }
        m_running = false;
        m_pid = 0;
        if (!m_dir.empty())
            killAndRemove(m_dir);  // anything still running (a failed start), then the files
    } catch (...) {
        // A destructor must not throw; the watchdog and the next sweep finish the job.
    }
    if (m_watchdogFd >= 0) {
        ::close(m_watchdogFd);  // the watchdog wakes, finds the directory gone and exits
        m_watchdogFd = -1;
    }
    if (m_watchdogPid > 0) {
        waitGone(m_watchdogPid, std::chrono::seconds(60));
        m_watchdogPid = 0;
    }
}

}  // namespace testsupport
