#include "hardening_support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace hardening {

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

testsupport::ProcessResult ctl(std::vector<std::string> args, const fs::path& dataDir,
                               const fs::path& logFile, const std::string& input) {
    args.push_back("--data-dir");
    args.push_back(dataDir.string());
    auto r = testsupport::runProcess(KIOSKCTL_PATH, args, input);
    if (!logFile.empty()) {
        std::ofstream f(logFile, std::ios::app | std::ios::binary);
        f << r.out << r.err;
    }
    return r;
}

void provisionKiosk(const fs::path& dataDir, BackendProcess& backend, const std::string& printerUri,
                    const fs::path& logFile) {
    auto init =
        ctl({"init", "--kiosk-id", "7K3M", "--backend", backend.url(), "--printer", printerUri},
            dataDir, logFile);
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    auto token = backend.cli({"issue-token", "--kiosk-id", "7K3M"});
    REQUIRE(token.exitCode == 0);
    auto enrol =
        ctl({"enroll", "--token", token.out.substr(0, token.out.find('\n'))}, dataDir, logFile);
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
        execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1920x24",
               "-nolisten", "tcp", static_cast<char*>(nullptr));
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
    return {"DISPLAY=" + display,
            std::string("ASAN_OPTIONS=") + (asan ? asan : "") + ":detect_leaks=0"};
}

TmpfsMount::TmpfsMount(const fs::path& where, int sizeKiB) : m_where(where), m_sizeKiB(sizeKiB) {
    fs::create_directories(where);
    const std::string opts = "size=" + std::to_string(sizeKiB) + "k,mode=0700";
    if (::mount("tmpfs", where.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) == 0)
        m_mounted = true;
    else
        m_why = std::string("mount -t tmpfs: ") + std::strerror(errno);
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
    const auto j =
        nlohmann::json::parse(readFile(fs::path(KIOSK_SOURCE_DIR) / "assets/strings/vi.json"));
    REQUIRE(j.contains(key));
    return j[key].get<std::string>();
}

}  // namespace hardening
