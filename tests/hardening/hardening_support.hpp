#pragma once
// Real processes for the hardening tests, besides kiosk-backend serve
// (testsupport::BackendProcess) and children that can be SIGKILLed (testsupport::Child), both
// in tests/support: kioskctl runs, an Xvfb display, small tmpfs mounts. Every child's stdout and
// stderr go to files under a log folder, so the privacy test can search them all.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "backend_process.hpp"
#include "child.hpp"
#include "run_process.hpp"
#include "test_support.hpp"

namespace hardening {

namespace fs = std::filesystem;
using testsupport::BackendProcess;
using testsupport::Child;
using testsupport::envInt;

// Runs kioskctl with --data-dir; appends its stdout and stderr to `logFile` when given.
testsupport::ProcessResult ctl(std::vector<std::string> args, const fs::path& dataDir,
                               const fs::path& logFile = {}, const std::string& input = {});

// kioskctl init + a token from `backend` + kioskctl enroll. REQUIREs success.
void provisionKiosk(const fs::path& dataDir, testsupport::BackendProcess& backend,
                    const std::string& printerUri, const fs::path& logFile = {});

// An Xvfb server on a free display (-displayfd), or none when Xvfb cannot start.
class Xvfb {
public:
    Xvfb();
    ~Xvfb();
    Xvfb(const Xvfb&) = delete;
    Xvfb& operator=(const Xvfb&) = delete;
    bool ok() const { return !m_display.empty(); }
    std::string display() const { return m_display; }

private:
    pid_t m_pid = -1;
    std::string m_display;
};

// The environment for the kiosk program on `display`. In the sanitizer build, leak checking is
// off for this one process: Mesa's driver is dlclose()d at exit, so its allocations can only be
// reported as "<unknown module>", which no suppression can name. ASan and UBSan stay on.
std::vector<std::string> guiEnv(const std::string& display);

// A tmpfs of `sizeKiB` mounted on `where` (needs CAP_SYS_ADMIN: root in CI). ok() is false,
// with why(), when mounting is not permitted; the tests then say they did not run.
class TmpfsMount {
public:
    TmpfsMount(const fs::path& where, int sizeKiB);
    ~TmpfsMount();
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
    bool ok() const { return m_mounted; }
    const std::string& why() const { return m_why; }
    bool remount(bool readOnly);

private:
    fs::path m_where;
    int m_sizeKiB;
    bool m_mounted = false;
    std::string m_why;
};

// A Vietnamese string from assets/strings/vi.json (the kioskctl messages the tests expect).
std::string viString(const std::string& key);

std::string readFile(const fs::path& p);

}  // namespace hardening
