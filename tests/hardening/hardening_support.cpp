#include "hardening_support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace hardening {

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    return std::atoi(v);
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Child Child::spawn(const std::string& program, const std::vector<std::string>& args, const fs::path& outFile,
                   const fs::path& errFile, const std::vector<std::string>& env) {
    Child c;
    c.m_pid = fork();
    REQUIRE(c.m_pid >= 0);
    if (c.m_pid == 0) {
        const int in = open("/dev/null", O_RDONLY);
        const int out = open(outFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        const int err = open(errFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        testsupport::execProgram(program, args, env);
    }
    return c;
}

void Child::kill9() const {
    if (m_pid > 0) ::kill(m_pid, SIGKILL);
}

int Child::wait() {
    if (m_code) return *m_code;
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return *m_code;
}

std::optional<int> Child::poll() {
    if (m_code) return m_code;
    int status = 0;
    if (waitpid(m_pid, &status, WNOHANG) != m_pid) return std::nullopt;
    m_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return m_code;
}

BackendServer::BackendServer(const fs::path& dataDir, const fs::path& logDir) : m_dataDir(dataDir) {
    fs::create_directories(logDir);
    const auto out = logDir / "backend.stdout.log";
    m_child = Child::spawn(KIOSK_BACKEND_PATH, {"serve", "--data-dir", dataDir.string(), "--listen", "127.0.0.1:0"}, out,
                           logDir / "backend.stderr.log");
    // "listening on 127.0.0.1:PORT key …" is its first line.
    for (int i = 0; i < 1000 && m_port == 0; ++i) {
        const std::string s = readFile(out);
        const auto at = s.find("127.0.0.1:");
        if (at != std::string::npos && s.find(' ', at) != std::string::npos) m_port = std::atoi(s.c_str() + at + 10);
        else std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE_FALSE(m_child.poll().has_value());
    }
    REQUIRE(m_port > 0);
}

BackendServer::~BackendServer() {
    ::kill(m_child.pid(), SIGTERM);
    m_child.wait();
}

bool BackendServer::alive() { return !m_child.poll().has_value(); }

testsupport::ProcessResult BackendServer::cmd(std::vector<std::string> args) const {
    args.push_back("--data-dir");
    args.push_back(m_dataDir.string());
    return testsupport::runProcess(KIOSK_BACKEND_PATH, args);
}

testsupport::ProcessResult ctl(std::vector<std::string> args, const fs::path& dataDir, const fs::path& logFile,
                               const std::string& input) {
    args.push_back("--data-dir");
    args.push_back(dataDir.string());
    auto r = testsupport::runProcess(KIOSKCTL_PATH, args, input);
    if (!logFile.empty()) {
        std::ofstream f(logFile, std::ios::app | std::ios::binary);
        f << r.out << r.err;
    }
    return r;
}

void provisionKiosk(const fs::path& dataDir, BackendServer& backend, const std::string& printerUri,
                    const fs::path& logFile) {
    auto init = ctl({"init", "--kiosk-id", "7K3M", "--backend", backend.url(), "--printer", printerUri}, dataDir, logFile);
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    auto token = backend.cmd({"issue-token", "--kiosk-id", "7K3M"});
    REQUIRE(token.exitCode == 0);
    auto enrol = ctl({"enroll", "--token", token.out.substr(0, token.out.find('\n'))}, dataDir, logFile);
    INFO(enrol.err);
    REQUIRE(enrol.exitCode == 0);
}

Xvfb::Xvfb() {
    int fds[2];
    if (pipe(fds) != 0) return;
    m_pid = fork();
    if (m_pid == 0) {
        const int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        close(fds[0]);
        const std::string fd = std::to_string(fds[1]);
        execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1920x24", "-nolisten", "tcp",
               static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string n;
    char ch;
    while (read(fds[0], &ch, 1) == 1 && ch != '\n') n += ch;
    close(fds[0]);
    if (!n.empty()) m_display = ":" + n;
}

Xvfb::~Xvfb() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
}

std::vector<std::string> guiEnv(const std::string& display) {
    const char* asan = std::getenv("ASAN_OPTIONS");
    return {"DISPLAY=" + display, std::string("ASAN_OPTIONS=") + (asan ? asan : "") + ":detect_leaks=0"};
}

TmpfsMount::TmpfsMount(const fs::path& where, int sizeKiB) : m_where(where), m_sizeKiB(sizeKiB) {
    fs::create_directories(where);
    const std::string opts = "size=" + std::to_string(sizeKiB) + "k,mode=0700";
    if (::mount("tmpfs", where.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) == 0) m_mounted = true;
    else m_why = std::string("mount -t tmpfs: ") + std::strerror(errno);
}

TmpfsMount::~TmpfsMount() {
    if (m_mounted) ::umount2(m_where.c_str(), MNT_DETACH);
}

bool TmpfsMount::remount(bool readOnly) {
    const std::string opts = "size=" + std::to_string(m_sizeKiB) + "k,mode=0700";
    const unsigned long flags = MS_REMOUNT | MS_NOSUID | MS_NODEV | (readOnly ? MS_RDONLY : 0);
    return ::mount("tmpfs", m_where.c_str(), "tmpfs", flags, opts.c_str()) == 0;
}

std::string viString(const std::string& key) {
    const auto j = nlohmann::json::parse(readFile(fs::path(KIOSK_SOURCE_DIR) / "assets/strings/vi.json"));
    REQUIRE(j.contains(key));
    return j[key].get<std::string>();
}

}  // namespace hardening
