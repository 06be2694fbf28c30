// The private PostgreSQL cluster that the storage tests run on (tests/support/pg_cluster.hpp):
// it serves, restarts, survives a kill -9 of its postmaster, fails loudly without binaries,
// and never outlives its test, not even one that dies without unwinding.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "pg_cluster.hpp"

namespace {

// True once `pid` no longer runs (reaped, gone, or a zombie that nobody reaped yet).
bool gone(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return true;
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s;
    if (!std::getline(in, s)) return true;
    const auto close = s.rfind(')');
    return close != std::string::npos && close + 2 < s.size() && s[close + 2] == 'Z';
}

bool eventually(const std::function<bool()>& f, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return f();
}

}  // namespace

TEST_CASE(
    "a private cluster serves a database, keeps its data across a restart and a kill -9, and is "
    "removed") {
    std::filesystem::path dir;
    pid_t firstPid = 0, lastPid = 0;
    {
        testsupport::PgCluster pg;  // fsync on: a kill -9 must not lose committed rows
        dir = pg.dir();
        REQUIRE(pg.running());
        firstPid = pg.postmasterPid();
        CHECK(firstPid > 0);
        CHECK(pg.url("d1").find("host=" + dir.string()) != std::string::npos);
        pg.createDatabase("d1");
        pg.psql("d1", "CREATE TABLE t (v text); INSERT INTO t VALUES ('một')");
        CHECK(pg.psql("d1", "SELECT v FROM t") == "một");
        CHECK(pg.psql("d1", "SHOW listen_addresses").empty());  // the socket only
        CHECK(pg.psql("d1", "SHOW fsync") == "on");

        pg.restart();
        CHECK(pg.running());
        CHECK(gone(firstPid));
        CHECK(pg.psql("d1", "SELECT v FROM t") == "một");

        pg.psql("d1", "INSERT INTO t VALUES ('hai')");
        const pid_t killed = pg.postmasterPid();
        pg.kill9();
        CHECK_FALSE(pg.running());
        CHECK(gone(killed));
        CHECK_THROWS(pg.psql("d1", "SELECT 1"));
        pg.start();  // crash recovery
        CHECK(pg.psql("d1", "SELECT string_agg(v, ',' ORDER BY v) FROM t") == "hai,một");
        lastPid = pg.postmasterPid();
        pg.stop();
        CHECK_FALSE(pg.running());
        pg.start();
        lastPid = pg.postmasterPid();
    }
    CHECK_FALSE(std::filesystem::exists(dir));
    CHECK(gone(lastPid));
}

TEST_CASE("a cluster without the PostgreSQL binaries fails loudly instead of skipping") {
    ::setenv("KIOSK_PG_BINDIR", "/nonexistent/postgresql/bin", 1);
    struct Unset {
        ~Unset() { ::unsetenv("KIOSK_PG_BINDIR"); }
    } unset;
    CHECK_THROWS_WITH(testsupport::PgCluster{},
                      Catch::Contains("not found") && Catch::Contains("do not skip"));
}

TEST_CASE(
    "a test process killed with its cluster running leaves no postmaster and no directory behind") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The child makes a cluster, reports it and dies without unwinding (as a crash would).
        ::close(fds[0]);
        try {
            testsupport::PgCluster pg;
            const std::string report =
                pg.dir().string() + "\n" + std::to_string(pg.postmasterPid()) + "\n";
            if (::write(fds[1], report.data(), report.size()) < 0) ::_exit(2);
        } catch (...) {
            ::_exit(3);
        }
        ::kill(::getpid(), SIGKILL);
        ::_exit(4);
    }
    ::close(fds[1]);
    std::string report;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        report.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    const auto nl = report.find('\n');
    REQUIRE(nl != std::string::npos);
    const std::filesystem::path dir = report.substr(0, nl);
    const pid_t postmaster = static_cast<pid_t>(std::atol(report.c_str() + nl + 1));
    REQUIRE(postmaster > 0);
    CHECK(eventually([&] { return gone(postmaster); }, std::chrono::seconds(30)));
    CHECK(eventually([&] { return !std::filesystem::exists(dir); }, std::chrono::seconds(30)));
}
