// Storage faults with the real kioskctl: a full disk (a small tmpfs filled to the last byte),
// a read-only data directory (the tmpfs remounted read-only) and a locked database (another
// connection holding an exclusive transaction). Each time: submit fails with exit code 4 and
// the Vietnamese message of assets/strings, `kioskctl verify` passes, and submitting works
// again once the cause is gone. Without the right to mount (not root), the first two report
// SKIPPED and do not run (tests/support/skip.hpp); CI runs as root.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "hardening_support.hpp"
#include "skip.hpp"

using namespace hardening;

namespace {

std::string longBody(int i) {
    std::string b = "Phản ánh số " + std::to_string(i) + ": ";
    while (b.size() < 40000)
        b += "Cống thoát nước khu phố bị tắc, nước tràn lên mặt đường mỗi khi mưa. ";
    return b;
}

testsupport::ProcessResult submit(const fs::path& dir, const std::string& body) {
    return ctl({"submit", "--category", "MOI_TRUONG", "--body", body}, dir);
}

std::size_t recordCount(const fs::path& dir) {
    auto r = ctl({"list", "--json", "--limit", "100000"}, dir);
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out).size();
}

// Writes a filler file until the file system refuses even one more byte.
std::uintmax_t fillDisk(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    std::uintmax_t total = 0;
    std::string block(64 * 1024, 'x');
    for (std::size_t chunk = block.size(); chunk >= 1; chunk /= 2) {
        ssize_t n;
        while ((n = ::write(fd, block.data(), chunk)) > 0) total += static_cast<std::uintmax_t>(n);
    }
    ::close(fd);
    return total;
}

}  // namespace

TEST_CASE(
    "on a full disk submit fails with the Vietnamese disk-full message, the database stays intact, "
    "and submitting works again once space is freed") {
    testsupport::TempDir tmp;
    TmpfsMount disk(tmp / "disk", 3 * 1024);
    if (!disk.ok()) {
        testsupport::skipTest(disk.why() + " (needs root; CI runs as root)");
        return;
    }
    const fs::path dir = tmp / "disk" / "kiosk";
    REQUIRE(ctl({"init", "--kiosk-id", "7K3M"}, dir).exitCode == 0);
    for (int i = 0; i < 3; ++i)
        REQUIRE(submit(dir, "Đèn đường hỏng " + std::to_string(i)).exitCode == 0);
    const auto filled = fillDisk(tmp / "disk" / "filler");
    // Give back 160 KiB: enough to open the database (its WAL index) and store a few long
    // submissions, so the disk fills up in the middle of a write transaction.
    fs::resize_file(tmp / "disk" / "filler", filled - 160 * 1024);

    // The WAL may still have room in pages it already owns: keep submitting until the disk is
    // really full. Every submit that succeeded before that was committed.
    int accepted = 0, attempts = 0;
    testsupport::ProcessResult refused;
    for (; attempts < 60; ++attempts) {
        auto r = submit(dir, longBody(attempts));
        if (r.exitCode == 0) {
            ++accepted;
            continue;
        }
        refused = r;
        break;
    }
    INFO(refused.err);
    REQUIRE(refused.exitCode == 4);
    CHECK(refused.err.find(viString("store.disk_full")) != std::string::npos);
    auto verifyFull = ctl({"verify"}, dir);
    INFO(verifyFull.err);
    CHECK(verifyFull.exitCode == 0);

    fs::remove(tmp / "disk" / "filler");
    CHECK(ctl({"verify"}, dir).exitCode == 0);
    CHECK(recordCount(dir) == static_cast<std::size_t>(3 + accepted));
    auto again = submit(dir, longBody(99));
    INFO(again.err);
    CHECK(again.exitCode == 0);
    CHECK(ctl({"verify"}, dir).exitCode == 0);
    CHECK(recordCount(dir) == static_cast<std::size_t>(4 + accepted));
    std::cout << "full disk: 3 MiB tmpfs, filler " << filled << " bytes, " << accepted
              << " submit(s) still fit, then refused with exit 4 and store.disk_full (verify on "
                 "the full disk: exit "
              << verifyFull.exitCode
              << "); after freeing: verify ok, submit ok; 0 lost, 0 duplicated\n";
}

TEST_CASE(
    "on a read-only data directory submit fails with the Vietnamese read-only message and works "
    "again once writable") {
    testsupport::TempDir tmp;
    TmpfsMount disk(tmp / "disk", 4 * 1024);
    if (!disk.ok()) {
        testsupport::skipTest(disk.why() + " (needs root; CI runs as root)");
        return;
    }
    const fs::path dir = tmp / "disk" / "kiosk";
    REQUIRE(ctl({"init", "--kiosk-id", "7K3M"}, dir).exitCode == 0);
    REQUIRE(submit(dir, "Vỉa hè bị lấn chiếm").exitCode == 0);
    REQUIRE(disk.remount(true));
    auto r = submit(dir, "Cây xanh đổ chắn lối đi");
    INFO(r.err);
    CHECK(r.exitCode == 4);
    CHECK(r.err.find(viString("store.read_only")) != std::string::npos);
    // Reading needs SQLite's WAL index too: on a read-only medium verify says so, clearly.
    auto verifyRo = ctl({"verify"}, dir);
    INFO(verifyRo.err);
    CHECK((verifyRo.exitCode == 0 ||
           verifyRo.err.find(viString("store.read_only")) != std::string::npos));
    REQUIRE(disk.remount(false));
    CHECK(ctl({"verify"}, dir).exitCode == 0);
    CHECK(submit(dir, "Cây xanh đổ chắn lối đi").exitCode == 0);
    CHECK(recordCount(dir) == 2);
    std::cout
        << "read-only: submit refused with exit 4 and store.read_only (verify read-only: exit "
        << verifyRo.exitCode
        << "); verify ok once writable; "
           "submit ok once writable; 0 lost, 0 duplicated\n";
}

TEST_CASE(
    "on a locked database submit fails with the Vietnamese busy message and works again once the "
    "lock is released") {
    testsupport::TempDir tmp;
    const fs::path dir = tmp / "kiosk";
    REQUIRE(ctl({"init", "--kiosk-id", "7K3M"}, dir).exitCode == 0);
    REQUIRE(submit(dir, "Rác thải tập kết sai quy định").exitCode == 0);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "kiosk.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
    auto r =
        submit(dir, "Đèn tín hiệu giao thông không hoạt động");  // waits out the 5 s busy timeout
    REQUIRE(sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    INFO(r.err);
    CHECK(r.exitCode == 4);
    CHECK(r.err.find(viString("store.busy")) != std::string::npos);
    CHECK(ctl({"verify"}, dir).exitCode == 0);
    CHECK(submit(dir, "Đèn tín hiệu giao thông không hoạt động").exitCode == 0);
    CHECK(recordCount(dir) == 2);
    std::cout << "locked: submit refused with exit 4 and store.busy while another connection held "
                 "an exclusive "
                 "lock; verify ok; submit ok after release; 0 lost, 0 duplicated\n";
}
