#pragma once
// A program started in the background (no shell) that a test can poll, wait for or SIGKILL:
// the one process handle of the tests (the sync, hardening and cluster tests all use it).
//
//   auto c = testsupport::Child::spawn(KIOSKCTL_PATH, {"sync", "--once", ...}, out, err);
//   c.kill9();                       // SIGKILL and reap
//   if (c.wait() == -1) ...          // killed: -1; otherwise the exit code
//
// stdin is /dev/null; stdout and stderr are appended to files, or go to /dev/null. The child
// inherits no other descriptor of the test (they are closed before exec), so a child started
// while another thread holds a pipe open never keeps that pipe open.
//
// Move-only. The destructor SIGKILLs and reaps a child still running, so a failed REQUIRE never
// leaves one behind.
// Failures (fork, a log file that cannot be opened) throw std::runtime_error; no Catch2 macros,
// so a Child may live on a test's worker thread. Thread-safety: one thread per Child at a time.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace testsupport {

class Child {
public:
    Child() = default;
    // `outFile` / `errFile`: appended (created 0600); empty: /dev/null; the same file twice is
    // opened once. `env`: "NAME=value" added to the test's environment.
    static Child spawn(const std::string& program, const std::vector<std::string>& args,
                       const std::filesystem::path& outFile = {},
                       const std::filesystem::path& errFile = {},
                       const std::vector<std::string>& env = {});
    Child(Child&& o) noexcept;
    Child& operator=(Child&& o) noexcept;  // kills and reaps the child this one held
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child();

    // Non-blocking: the exit code once it has ended (-1: a signal ended it); it is reaped then.
    std::optional<int> poll();
    bool running() { return m_pid > 0 && !poll().has_value(); }
    void kill9();                        // SIGKILL, then reap; nothing when it has already ended
    int wait();                          // blocks; the exit code, -1 when a signal ended it
    pid_t pid() const { return m_pid; }  // -1 once reaped

private:
    pid_t m_pid = -1;
    int m_status = 0;
    bool m_reaped = false;
};

}  // namespace testsupport
