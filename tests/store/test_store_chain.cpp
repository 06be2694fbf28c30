#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "store_helpers.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace storetest;

namespace {

void rawExec(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA foreign_keys = OFF", nullptr, nullptr, nullptr);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    INFO(sql << " -> " << (err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

constexpr int kRecords = 6;

void fill(const std::filesystem::path& file) {
    auto s = openStore(file);
    for (int i = 1; i <= kRecords; ++i)
        create(s, validDraft("Hồ sơ số " + std::to_string(i) + " về vệ sinh môi trường."));
}

store::VerifyReport verify(const std::filesystem::path& file) {
    auto s = openStore(file);
    auto rep = s.verify();
    REQUIRE(rep);
    return *rep;
}

}  // namespace

TEST_CASE("an untouched chain verifies") {
    testsupport::TempDir dir;
    fill(dir / "k.db");
    auto rep = verify(dir / "k.db");
    CHECK(rep.ok());
    CHECK(rep.records == kRecords);
}

TEST_CASE("altering any header field of any record fails verify at that sequence") {
    for (int seq = 1; seq <= kRecords; ++seq) {
        for (const char* change :
             {"category = 'DAT_DAI'", "created_at = '2020-01-01T00:00:00.000Z'", "type = 'SKGP'",
              "staff_assisted = 1", "content_digest = 'ab'"}) {
            testsupport::TempDir dir;
            fill(dir / "k.db");
            rawExec(dir / "k.db", "UPDATE records SET " + std::string(change) +
                                      " WHERE seq = " + std::to_string(seq));
            auto rep = verify(dir / "k.db");
            INFO("seq " << seq << ": " << change);
            REQUIRE_FALSE(rep.ok());
            CHECK(rep.problems.front().seq == static_cast<std::uint64_t>(seq));
        }
    }
}

TEST_CASE("altering the content of any record fails verify at that sequence") {
    for (int seq = 1; seq <= kRecords; ++seq) {
        testsupport::TempDir dir;
        fill(dir / "k.db");
        // Flip one byte inside the body (still valid UTF-8: 's' -> 't').
        rawExec(
            dir / "k.db",
            "UPDATE records SET content = CAST(replace(CAST(content AS TEXT), 'số', 'sô') AS BLOB) "
            "WHERE seq = " +
                std::to_string(seq));
        auto rep = verify(dir / "k.db");
        REQUIRE_FALSE(rep.ok());
        CHECK(rep.problems.front().seq == static_cast<std::uint64_t>(seq));
        CHECK(rep.problems.front().reason.find("content") != std::string::npos);
    }
}

TEST_CASE("rewriting a record's hash breaks the link of the next one") {
    testsupport::TempDir dir;
    fill(dir / "k.db");
    rawExec(dir / "k.db", "UPDATE records SET category = 'DAT_DAI' WHERE seq = 3");
    // Recompute record 3's hash as a careful attacker would.
    auto s = openStore(dir / "k.db");
    auto r = s.findBySeq(3);
    REQUIRE(r);
    REQUIRE(*r);
    const std::string newHash = record::headerHash((*r)->header);
    rawExec(dir / "k.db", "UPDATE records SET hash = '" + newHash + "' WHERE seq = 3");
    auto rep = verify(dir / "k.db");
    REQUIRE_FALSE(rep.ok());
    CHECK(rep.problems.front().seq == 4);
}

TEST_CASE("deleting any record fails verify and names its sequence") {
    for (int seq = 1; seq <= kRecords; ++seq) {
        testsupport::TempDir dir;
        fill(dir / "k.db");
        rawExec(dir / "k.db", "DELETE FROM outbox WHERE seq = " + std::to_string(seq) +
                                  "; DELETE FROM records WHERE seq = " + std::to_string(seq));
        auto rep = verify(dir / "k.db");
        INFO("deleted " << seq);
        REQUIRE_FALSE(rep.ok());
        CHECK(rep.problems.front().seq == static_cast<std::uint64_t>(seq));
        CHECK(rep.problems.front().reason.find("missing") != std::string::npos);
    }
}

TEST_CASE("a deleted newest record is not silently reused by the next submission") {
    testsupport::TempDir dir;
    fill(dir / "k.db");
    rawExec(dir / "k.db", "DELETE FROM outbox WHERE seq = 6; DELETE FROM records WHERE seq = 6");
    auto s = openStore(dir / "k.db");
    auto next = create(s, validDraft("Hồ sơ sau khi bị xóa."));
    CHECK(next.header.sequence == 7);
    auto rep = s.verify();
    REQUIRE(rep);
    REQUIRE_FALSE(rep->ok());
    CHECK(rep->problems.front().seq == 6);
}

TEST_CASE("deleting a record's outbox row is flagged") {
    testsupport::TempDir dir;
    fill(dir / "k.db");
    rawExec(dir / "k.db", "DELETE FROM outbox WHERE seq = 2");
    auto rep = verify(dir / "k.db");
    REQUIRE_FALSE(rep.ok());
    CHECK(rep.problems.front().seq == 2);
}

TEST_CASE(
    "a damaged sequence counter makes a submission fail with an error, not an exception, and "
    "writes nothing") {
    testsupport::TempDir dir;
    fill(dir / "k.db");
    // std::stoull threw on each of these (or, for "-1", wrapped round to the largest number).
    for (const std::string garbage : {"abc", "", " 7", "7x", "-1", "99999999999999999999999"}) {
        INFO("last_seq = '" << garbage << "'");
        rawExec(dir / "k.db", "UPDATE meta SET value = '" + garbage + "' WHERE key = 'last_seq'");
        auto s = openStore(dir / "k.db");
        std::optional<store::Result<record::Record>> made;
        REQUIRE_NOTHROW(made.emplace(
            s.createRecord(validDraft("Hồ sơ sau khi bộ đếm hỏng."), "7K3M",
                           platform::clock::formatUtc(platform::clock::now()), false)));
        REQUIRE_FALSE(*made);
        CHECK(made->error().kind == store::ErrorKind::Corrupt);
        CHECK(made->error().messageKey() == "store.corrupt");
        CHECK(s.recordCount().value() == kRecords);
        CHECK(s.outboxStats().value().queued == kRecords);
    }
}

TEST_CASE("verify names a damaged sequence counter instead of throwing") {
    testsupport::TempDir dir;
    fill(dir / "k.db");
    rawExec(dir / "k.db", "UPDATE meta SET value = 'not a number' WHERE key = 'last_seq'");
    auto s = openStore(dir / "k.db");
    std::optional<store::Result<store::VerifyReport>> rep;
    REQUIRE_NOTHROW(rep.emplace(s.verify()));
    REQUIRE(*rep);
    REQUIRE_FALSE((*rep)->ok());
    CHECK((*rep)->problems.front().seq == kRecords + 1);
    CHECK((*rep)->problems.front().reason.find("last_seq") != std::string::npos);
}
