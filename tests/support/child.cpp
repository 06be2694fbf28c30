#include "child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "run_process.hpp"

namespace testsupport {

namespace {

int exitCodeOf(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int openLog(const std::filesystem::path& file) {
    if (file.empty()) return -1;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + file.string());
    return fd;
}

}  // namespace

Child Child::spawn(const std::string& program, const std::vector<std::string>& args,
                   const std::filesystem::path& outFile, const std::filesystem::path& errFile,
                   const std::vector<std::string>& env) {
    const int outFd = openLog(outFile);
    int errFd = -1;
    try {
        errFd = errFile == outFile ? outFd : openLog(errFile);
    } catch (...) {
        if (outFd >= 0) ::close(outFd);
        throw;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Between fork and exec: only async-signal-safe calls.
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(outFd >= 0 ? outFd : devnull, 1);
        ::dup2(errFd >= 0 ? errFd : devnull, 2);
        ::close_range(3, ~0U, 0);
        execProgram(program, args, env);
    }
    if (outFd >= 0) ::close(outFd);
    if (errFd >= 0 && errFd != outFd) ::close(errFd);
    if (pid < 0) throw std::runtime_error("fork failed");
    Child c;
    c.m_pid = pid;
    return c;
}

Child::Child(Child&& o) noexcept : m_pid(o.m_pid), m_status(o.m_status), m_reaped(o.m_reaped) {
    o.m_pid = -1;
}

Child& Child::operator=(Child&& o) noexcept {
    if (this != &o) {
        kill9();
        m_pid = o.m_pid;
        m_status = o.m_status;
        m_reaped = o.m_reaped;
        o.m_pid = -1;
    }
    return *this;
}

Child::~Child() {
    kill9();
}

std::optional<int> Child::poll() {
    if (m_pid > 0) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) != m_pid) return std::nullopt;
        m_status = status;
        m_reaped = true;
        m_pid = -1;
    }
    if (!m_reaped) return std::nullopt;  // never started
    return exitCodeOf(m_status);
}

void Child::kill9() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    wait();
}

int Child::wait() {
    if (m_pid > 0) {
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_status = status;
        m_reaped = true;
        m_pid = -1;
    }
    return exitCodeOf(m_status);
}

}  // namespace testsupport
