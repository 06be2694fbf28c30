// Crash consistency: kioskctl submit and kioskctl sync (often both at once) and the kiosk
// program under Xvfb (its --demo submission, receipts as PNG) are killed with SIGKILL at random
// points, round after round, against a real kiosk-backend. Afterwards:
//   - every record the kiosk acknowledged (a code printed by submit, a demo's code) is in the
//     kiosk database, and every receipt PNG belongs to a committed record;
//   - one last unkilled sync, then every kiosk record is on the backend exactly once (same
//     header, no duplicate id or sequence) and the kiosk's outbox is empty;
//   - kioskctl verify and kiosk-backend audit pass.
// Counts: KIOSK_CRASH_ROUNDS (default 60), KIOSK_CRASH_KIOSK_RUNS (default 3),
// KIOSK_CRASH_SEED. scripts/soak.sh runs the documented long counts.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "hardening_support.hpp"
#include "skip.hpp"
#include "storage/sqlite_storage.hpp"
#include "store/store.hpp"

using namespace hardening;

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t micros(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// Codes (PAKN-…) on complete lines of a child's stdout.
std::vector<std::string> codesIn(const std::string& out) {
    std::vector<std::string> codes;
    std::size_t at = 0;
    while (true) {
        const auto nl = out.find('\n', at);
        if (nl == std::string::npos) break;
        const std::string line = out.substr(at, nl - at);
        const auto p = line.find("PAKN-");
        if (p != std::string::npos && line.size() >= p + 18) codes.push_back(line.substr(p, 18));
        at = nl + 1;
    }
    return codes;
}

// Sleeps `us` microseconds or until the child has ended.
void waitUpTo(Child& c, std::int64_t us) {
    const auto end = Clock::now() + std::chrono::microseconds(us);
    while (Clock::now() < end && !c.poll())
        std::this_thread::sleep_for(std::chrono::microseconds(200));
}

}  // namespace

TEST_CASE(
    "kioskctl submit, kioskctl sync and the kiosk killed with SIGKILL at random points lose "
    "nothing, duplicate nothing and print no receipt for an uncommitted record") {
    const int rounds = envInt("KIOSK_CRASH_ROUNDS", 60);
    const int kioskRuns = envInt("KIOSK_CRASH_KIOSK_RUNS", 3);
    std::mt19937 rng(static_cast<unsigned>(envInt("KIOSK_CRASH_SEED", 20261124)));
    testsupport::TempDir tmp;
    const fs::path logs = tmp / "logs";
    BackendProcess backend({}, tmp / "backend", {}, logs / "backend.stderr.log",
                           logs / "backend.stdout.log");
    backend.start(0);
    const fs::path dir = tmp / "kiosk";
    const fs::path receipts = dir / "receipts";
    provisionKiosk(dir, backend, "png://" + receipts.string());
    fs::create_directories(receipts);
    const auto& fixtures = testsupport::seedFixtures();

    std::set<std::string> confirmed;  // codes shown to a resident or an operator
    int killedSubmit = 0, killedSync = 0, killedKiosk = 0, submitsDone = 0, syncsDone = 0;

    // How long one submit takes here: the kill points spread over 2.5 times that (the runs
    // below compete with a sync, so about half of them get to commit).
    const auto t0 = Clock::now();
    auto first = ctl({"submit", "--category", "KHAC", "--body", fixtures[0].body}, dir);
    REQUIRE(first.exitCode == 0);
    const std::int64_t submitUs = std::max<std::int64_t>(2000, micros(Clock::now() - t0));
    for (const auto& c : codesIn(first.out)) confirmed.insert(c);

    for (int round = 0; round < rounds; ++round) {
        const fs::path out = logs / ("submit-" + std::to_string(round) + ".out");
        const auto& f = fixtures[static_cast<std::size_t>(round) % fixtures.size()];
        auto submit =
            Child::spawn(KIOSKCTL_PATH,
                         {"submit", "--category", "KHAC", "--body", f.body, "--name", "Lê Văn Tám",
                          "--phone", "0912345678", "--consent", "--data-dir", dir.string()},
                         out, logs / "submit.err");
        const bool withSync = round % 3 != 2;
        std::optional<Child> sync;
        if (withSync)
            sync =
                Child::spawn(KIOSKCTL_PATH,
                             {"sync", "--once", "--batch-records", "2", "--data-dir", dir.string()},
                             logs / "sync.out", logs / "sync.err");
        waitUpTo(submit, std::uniform_int_distribution<std::int64_t>(0, submitUs * 5 / 2)(rng));
        submit.kill9();
        const int submitCode = submit.wait();
        if (submitCode == -1)
            ++killedSubmit;
        else
            ++submitsDone;
        INFO(readFile(logs / "submit.err"));
        CHECK((submitCode == -1 || submitCode == 0));  // finished submits succeeded
        for (const auto& c : codesIn(readFile(out))) confirmed.insert(c);
        if (sync) {
            waitUpTo(*sync, std::uniform_int_distribution<std::int64_t>(0, submitUs)(rng));
            sync->kill9();
            if (sync->wait() == -1)
                ++killedSync;
            else
                ++syncsDone;
        }
    }

    // The kiosk program: one full demo run (how long it takes), then runs killed within it.
    int kioskDone = 0;
    Xvfb x;
    if (x.ok() && kioskRuns > 0) {
        const std::vector<std::string> env = guiEnv(x.display());
        const std::vector<std::string> args = {"--demo", "--data-dir", dir.string(), "--printer",
                                               "png://" + receipts.string()};
        const auto k0 = Clock::now();
        auto full =
            Child::spawn(KIOSK_APP_PATH, args, logs / "kiosk-0.out", logs / "kiosk.err", env);
        REQUIRE(full.wait() == 0);
        ++kioskDone;
        const std::int64_t demoUs = micros(Clock::now() - k0);
        for (const auto& c : codesIn(readFile(logs / "kiosk-0.out"))) confirmed.insert(c);
        for (int k = 1; k <= kioskRuns; ++k) {
            const fs::path out = logs / ("kiosk-" + std::to_string(k) + ".out");
            auto run = Child::spawn(KIOSK_APP_PATH, args, out, logs / "kiosk.err", env);
            // Mostly late in the run, where the record is stored and the receipt printed.
            waitUpTo(run, std::uniform_int_distribution<std::int64_t>(demoUs / 2,
                                                                      demoUs * 11 / 10)(rng));
            run.kill9();
            if (run.wait() == -1)
                ++killedKiosk;
            else
                ++kioskDone;
            for (const auto& c : codesIn(readFile(out))) confirmed.insert(c);
        }
    } else if (kioskRuns > 0) {
        // The rest still runs and is checked; the case is reported as skipped.
        testsupport::skipTest("Xvfb did not start: the kiosk program was not killed in this run");
    }

    // Local checks before the final sync.
    auto verify = ctl({"verify"}, dir);
    INFO(verify.out << verify.err);
    REQUIRE(verify.exitCode == 0);
    auto store =
        ksync::store::Store::open(dir / "kiosk.db", ksync::store::Store::Open::ExistingOnly);
    REQUIRE(store);
    auto local = store->listRecords(1000000);
    REQUIRE(local);
    std::set<std::string> localCodes;
    for (const auto& r : *local) localCodes.insert(r.trackingCode);
    int lost = 0;
    for (const auto& c : confirmed)
        if (!localCodes.count(c)) {
            ++lost;
            FAIL_CHECK("confirmed but not in the kiosk database: " << c);
        }
    int receiptFiles = 0, strayReceipts = 0;
    if (fs::exists(receipts))
        for (const auto& e : fs::directory_iterator(receipts)) {
            if (e.path().extension() != ".png") continue;
            ++receiptFiles;
            if (!localCodes.count(e.path().stem().string())) {
                ++strayReceipts;
                FAIL_CHECK(
                    "a receipt for a record that was not committed: " << e.path().filename());
            }
        }

    // Everything goes through once nothing is killed any more.
    auto last = ctl({"sync", "--once"}, dir);
    INFO(last.err);
    REQUIRE(last.exitCode == 0);
    auto stats = store->outboxStats();
    REQUIRE(stats);
    CHECK(stats->queued == 0);
    CHECK(stats->quarantined == 0);
    CHECK(stats->uploaded == static_cast<std::int64_t>(local->size()));

    auto backendDb = ksync::backend::SqliteStorage::open(backend.dataDir() / "backend.db", true);
    REQUIRE(backendDb);
    auto stored = (*backendDb)->kioskRecords("7K3M");
    REQUIRE(stored);
    std::map<std::uint64_t, int> seqs;
    std::set<std::string> ids;
    int mismatched = 0;
    for (const auto& s : *stored) {
        ++seqs[s.header.sequence];
        ids.insert(s.header.id);
        auto mine = store->findBySeq(s.header.sequence);
        if (!mine || !*mine || !((*mine)->header == s.header)) ++mismatched;
    }
    int duplicated = static_cast<int>(stored->size() - ids.size());
    for (const auto& [seq, n] : seqs) duplicated += n > 1 ? n - 1 : 0;
    int missing = 0;
    for (const auto& r : *local)
        if (!seqs.count(r.seq)) ++missing;
    CHECK(duplicated == 0);
    CHECK(missing == 0);
    CHECK(mismatched == 0);
    CHECK(stored->size() == local->size());
    auto audit = backend.cli({"audit"});
    INFO(audit.out);
    CHECK(audit.exitCode == 0);
    CHECK(killedSubmit + killedSync > rounds / 4);  // the kills did land mid-run

    std::cout << "crash consistency: " << rounds << " rounds; SIGKILL landed on " << killedSubmit
              << " submit(s) (" << submitsDone << " finished), " << killedSync << " sync(s) ("
              << syncsDone << " finished), " << killedKiosk << " kiosk run(s) (" << kioskDone
              << " finished); " << local->size() << " records committed, " << confirmed.size()
              << " confirmed, " << receiptFiles << " receipts (stray: " << strayReceipts
              << "); backend holds " << stored->size() << "; " << (lost + missing) << " lost, "
              << duplicated << " duplicated\n";
}
