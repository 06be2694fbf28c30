// The real programs: kioskctl killed with SIGKILL in the middle of syncs, and the operator's
// path end to end (kiosk-backend serve/issue-token/update/config/audit, kioskctl
// init/submit/enroll/sync/show/categories/status).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <sqlite3.h>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "backend_process.hpp"
#include "client/http_transport.hpp"
#include "client/sync_client.hpp"
#include "run_process.hpp"
#include "sync_test_support.hpp"

using namespace synctest;
using testsupport::runProcess;

namespace {

testsupport::ProcessResult ctl(std::vector<std::string> args, const std::string& dir) {
    args.push_back("--data-dir");
    args.push_back(dir);
    return runProcess(KIOSKCTL_PATH, args);
}

testsupport::ProcessResult backendCmd(std::vector<std::string> args,
                                      const std::filesystem::path& dir) {
    args.push_back("--data-dir");
    args.push_back(dir.string());
    return runProcess(KIOSK_BACKEND_PATH, args);
}

}  // namespace

TEST_CASE(
    "kioskctl sync killed with SIGKILL at random points still delivers every record exactly once") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    const int n = envInt("KIOSK_KILL_RECORDS", 300);
    const int runs = envInt("KIOSK_KILL_RUNS", 50);
    kiosk.addRecords(n);
    std::mt19937 rng(static_cast<unsigned>(envInt("KIOSK_KILL_SEED", 20261123)));
    std::uniform_int_distribution<int> delayUs(0, 120000);
    const std::string dir = kiosk.dir().root.string();
    int killedMidway = 0;
    for (int i = 0; i < runs; ++i) {
        auto child = Child::spawn(KIOSKCTL_PATH,
                                  {"sync", "--once", "--batch-records", "3", "--data-dir", dir});
        usleep(static_cast<useconds_t>(delayUs(rng)));
        child.kill9();
        if (child.wait() == -1) ++killedMidway;
    }
    // Then one run to the end.
    auto last = runProcess(KIOSKCTL_PATH, {"sync", "--once", "--data-dir", dir});
    INFO(last.err);
    REQUIRE(last.exitCode == 0);
    CHECK(killedMidway >= runs / 4);  // the kills did land while syncing
    auto stored = backend.storage().kioskRecords("7K3M");
    REQUIRE(stored);
    std::set<std::string> ids;
    for (const auto& s : *stored) {
        ids.insert(s.header.id);
        auto local = kiosk.store().findBySeq(s.header.sequence).value().value();
        CHECK(s.header == local.header);
        CHECK(local.sealed);
        CHECK(ksync::record::sha256Hex(s.content) == local.header.contentDigest);
    }
    CHECK(stored->size() == static_cast<std::size_t>(n));
    CHECK(ids.size() == static_cast<std::size_t>(n));
    auto stats = kiosk.store().outboxStats().value();
    CHECK(stats.uploaded == n);
    CHECK(stats.queued == 0);
}

TEST_CASE(
    "operator path: enroll, sync, a staff status update reaches kioskctl show and a config change "
    "reaches the categories") {
    testsupport::TempDir tmp;
    const auto bdir = tmp.path() / "backend";
    const std::string kdir = (tmp.path() / "kiosk").string();
    testsupport::BackendProcess backend({}, bdir, {}, tmp.path() / "backend.log");
    backend.start(0);
    REQUIRE(ctl({"init", "--kiosk-id", "7K3M", "--backend", backend.url()}, kdir).exitCode == 0);
    CHECK((std::filesystem::status(std::filesystem::path(kdir) / "device.key").permissions() &
           (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
          std::filesystem::perms::none);
    auto submitted = ctl({"submit", "--category", "MOI_TRUONG", "--body",
                          "Cống thoát nước trước nhà số 12 bị tắc nhiều ngày."},
                         kdir);
    REQUIRE(submitted.exitCode == 0);
    const std::string code = submitted.out.substr(0, submitted.out.find('\n'));

    // Not enrolled yet: sync says so in words and sends nothing.
    auto early = ctl({"sync", "--once"}, kdir);
    CHECK(early.exitCode == 1);
    CHECK(early.err.find("chưa được đăng ký") != std::string::npos);

    auto token = backendCmd({"issue-token", "--kiosk-id", "7K3M"}, bdir);
    REQUIRE(token.exitCode == 0);
    const std::string t = token.out.substr(0, token.out.find('\n'));
    auto enrolled = ctl({"enroll", "--token", t}, kdir);
    INFO(enrolled.err);
    REQUIRE(enrolled.exitCode == 0);
    // The same kiosk with the same key may use its token again (a retry after a lost reply).
    CHECK(ctl({"enroll", "--token", t}, kdir).exitCode == 0);

    REQUIRE(ctl({"sync", "--once"}, kdir).exitCode == 0);
    auto status = nlohmann::json::parse(ctl({"status", "--json"}, kdir).out);
    CHECK(status["queued"] == 0);
    CHECK(status["uploaded"] == 1);
    CHECK_FALSE(status["last_contact"].is_null());

    // Staff: forwarded to an agency, with an officer and a date; the code in lower case works.
    std::string lower = code;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto upd = backendCmd(
        {"update", lower, "--status", "forwarded", "--agency", "Phòng Tài nguyên và Môi trường",
         "--officer", "Trần Thị Bình", "--expected", "2026-12-10", "--note", "Đã chuyển xử lý"},
        bdir);
    INFO(upd.err);
    REQUIRE(upd.exitCode == 0);
    // Config: a new category.
    auto doc = nlohmann::json::parse(backendCmd({"config", "show"}, bdir).out);
    doc["version"] = "hcm-2026.2";
    doc["categories"].push_back(
        {{"code", "CAY_XANH"}, {"name_vi", "Cây xanh, công viên"}, {"name_en", "Trees and parks"}});
    {
        std::ofstream f(tmp.path() / "config.json");
        f << doc.dump();
    }
    REQUIRE(backendCmd({"config", "set", (tmp.path() / "config.json").string()}, bdir).exitCode ==
            0);

    auto second = ctl({"sync", "--once"}, kdir);
    INFO(second.err);
    REQUIRE(second.exitCode == 0);
    auto show = nlohmann::json::parse(ctl({"show", code, "--json"}, kdir).out);
    CHECK(show["status"] == "forwarded");
    REQUIRE(show["history"].size() == 1);
    CHECK(show["history"][0]["agency"] == "Phòng Tài nguyên và Môi trường");
    CHECK(show["history"][0]["expected_date"] == "2026-12-10");
    auto cats = nlohmann::json::parse(ctl({"categories", "--json"}, kdir).out);
    CHECK(cats["version"] == "hcm-2026.2");
    bool found = false;
    for (const auto& c : cats["categories"]) found = found || c["code"] == "CAY_XANH";
    CHECK(found);

    // The public page from the receipt's upper-case QR URL, and Open311.
    auto http = ksync::client::HttpTransport::create(transportTo(backend.url()));
    REQUIRE(http);
    auto page = http->send({"GET", "/T/" + code, {}, {}});
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("Đã chuyển cơ quan xử lý") != std::string::npos);
    CHECK(page->body.find("Phòng Tài nguyên và Môi trường") != std::string::npos);
    CHECK(page->body.find("Cống thoát nước") ==
          std::string::npos);  // no content on the public page
    auto o311 = http->send({"GET", "/open311/v2/requests/" + code + ".json", {}, {}});
    REQUIRE(o311);
    auto oj = nlohmann::json::parse(o311->body);
    CHECK(oj[0]["status"] == "open");
    CHECK(oj[0]["agency_responsible"] == "Phòng Tài nguyên và Môi trường");
    CHECK(oj[0]["expected_datetime"] == "2026-12-10T17:00:00+07:00");
    CHECK(backendCmd({"audit"}, bdir).exitCode == 0);
}

TEST_CASE(
    "a record deleted and another edited in the kiosk database before upload are flagged by the "
    "backend audit") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    kiosk.addRecords(8);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(kiosk.dir().database().c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    REQUIRE(sqlite3_exec(db,
                         "PRAGMA foreign_keys = OFF;"
                         "DELETE FROM outbox WHERE seq = 3; DELETE FROM records WHERE seq = 3;"
                         "UPDATE records SET category = 'KHAC' WHERE seq = 6;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    auto c = ksync::client::SyncClient::open(kiosk.dir());
    REQUIRE(c);
    REQUIRE(c->runPass().ok());
    auto audit = backendCmd({"audit", "--json"}, backend.dataDir());
    CHECK(audit.exitCode == 1);
    auto j = nlohmann::json::parse(audit.out);
    REQUIRE(j.size() == 1);
    std::set<std::pair<int, std::string>> problems;
    for (const auto& p : j[0]["problems"])
        problems.insert({p["sequence"].get<int>(), p["kind"].get<std::string>()});
    CHECK(problems.count({3, "gap"}) == 1);
    CHECK(problems.count({6, "altered"}) == 1);
    CHECK(problems.size() == 2);
}
