#pragma once
// Helpers shared by the test executables: temporary directories (real files, removed at
// scope exit), the seed fixtures and counts from the environment. The rest of tests/support:
// child.hpp (background processes), run_process.hpp (a program run to its end), skip.hpp,
// pg_cluster.hpp, and in the testsupport_backend library backend_process.hpp (kiosk-backend as
// a process) and sync_test_support.hpp (the backend in-process, kiosks, proxies).
#include <filesystem>
#include <string>
#include <vector>

namespace testsupport {

// A fresh directory under $TMPDIR, removed (recursively) when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

struct Fixture {
    std::string sender;    // may be empty
    std::string sentDate;  // may be empty
    std::string category;  // may be empty
    std::string body;
};

// A count from the environment for soak runs (KIOSK_KILL_RUNS, KIOSK_CRASH_ROUNDS, ...; see
// docs/SYNC.md and docs/HARDENING.md): `fallback` when the variable is unset or empty.
int envInt(const char* name, int fallback);

// The 20 real submissions of tests/fixtures/seed_submissions.jsonl, in file order.
const std::vector<Fixture>& seedFixtures();
std::filesystem::path fixturesDir();

}  // namespace testsupport
