#pragma once
// Helpers shared by the test executables: temporary directories (real files, removed at
// scope exit) and the seed fixtures.
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

// The 20 real submissions of tests/fixtures/seed_submissions.jsonl, in file order.
const std::vector<Fixture>& seedFixtures();
std::filesystem::path fixturesDir();

}  // namespace testsupport
