// Several `kiosk-backend serve` processes on one private PostgreSQL, driven by the real kioskctl,
// with faults: processes SIGKILLed and restarted, PostgreSQL stopped and killed, replies lost on
// the way, a ward's SQLite backend copied across while the copy is killed, a locked table, an
// exhausted pool, and databases that cannot be used at all.
//
// Sections:
//   1. shared parts: City (cluster + database + backend data dir), checks, waiting
//   2. many processes, many kiosks, a killer                  (KIOSK_CLUSTER_KIOSKS, _RECORDS,
//   _SEED)
//   3. PostgreSQL stopped, started and killed under load      (KIOSK_CLUSTER_OUTAGE_KIOSKS,
//   _RECORDS)
//   4. one batch at two processes; a lost reply retried elsewhere
//   5. enrolment whose reply was lost
//   6. copy from a ward's SQLite backend                      (KIOSK_CLUSTER_COPY_RECORDS)
//   7. databases that cannot be used: one line, non-zero exit
//   8. locks and the pool: 503 with Retry-After, never a hang
//   9. processes started at once                              (KIOSK_CLUSTER_KEY_ROUNDS)
//
// Nothing here asserts on time. Every wait is a bounded loop whose bound only keeps a broken
// build from hanging CTest; the assertions are on what happened.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <expected>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "client/http_transport.hpp"
#include "cluster_harness.hpp"
#include "keys/device_key.hpp"
#include "pg_cluster.hpp"
#include "proto/messages.hpp"
#include "storage/pg_storage.hpp"
#include "sync_test_support.hpp"
#include "test_support.hpp"

using namespace clustertest;
using testsupport::envInt;

namespace {

using namespace std::chrono_literals;

// ---- 1. shared parts
// ------------------------------------------------------------------------------

// A city's database: a private PostgreSQL cluster, one migrated database and the backend data
// directory that every process shares (backend.key made once, before any process starts: see
// section 9 for what happens otherwise).
struct City {
    testsupport::PgCluster pg;
    testsupport::TempDir tmp;
    std::string db;
    fs::path dataDir;
    std::string backendKey;

    explicit City(testsupport::PgClusterOptions options = {}) : pg(options) {
        pg.createDatabase("city");
        db = pg.url("city");
        dataDir = tmp / "backend";
        backendKey = backendPublicKey(dataDir);
        auto m = backendCli(db, dataDir, {"migrate"});
        if (m.exitCode != 0) throw std::runtime_error("migrate failed: " + m.err);
    }
    std::unique_ptr<BackendProcess> backend(const std::string& name,
                                            std::vector<std::string> serveArgs) {
        return std::make_unique<BackendProcess>(db, dataDir, std::move(serveArgs),
                                                tmp / (name + ".log"));
    }
};

// Failures seen on worker threads (Catch2's macros belong to the test's thread).
class Errors {
public:
    void add(std::string e) {
        std::lock_guard lock(m_mutex);
        m_errors.push_back(std::move(e));
    }
    std::vector<std::string> all() {
        std::lock_guard lock(m_mutex);
        return m_errors;
    }

private:
    std::mutex m_mutex;
    std::vector<std::string> m_errors;
};

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

// Polls `done` every `step` until it holds; false when `bound` passed first.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds bound = 60s,
                std::chrono::milliseconds step = 50ms) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
    return true;
}

using Kiosks = std::vector<std::unique_ptr<CtlKiosk>>;

// One more pass per kiosk with every process up: it must go through. Bounded retries only cover
// a pass that started while a restarted process was still settling.
void finalSync(const Kiosks& kiosks) {
    for (const auto& k : kiosks) {
        RunResult r;
        for (int attempt = 0; attempt < 5; ++attempt) {
            r = k->sync();
            if (r.exitCode == 0) break;
            std::this_thread::sleep_for(200ms);
        }
        INFO("kiosk " << k->id() << ": " << r.out << r.err);
        REQUIRE(r.exitCode == 0);
    }
}

// Every record of every kiosk is in the city's database exactly once, the audit is clean and
// every kiosk's queue is empty.
void checkEveryRecordOnce(const std::string& db, const fs::path& dataDir, const Kiosks& kiosks,
                          int perKiosk) {
    PgSession s(db);
    for (const auto& k : kiosks) {
        INFO("kiosk " << k->id());
        const auto st = k->status();
        CHECK(st["records"] == perKiosk);
        CHECK(st["queued"] == 0);
        CHECK(st["uploaded"] == perKiosk);
        CHECK(st["quarantined"] == 0);
        const auto codes = k->trackingCodes();
        const std::set<std::string> local(codes.begin(), codes.end());
        const auto rows =
            s.query("SELECT tracking_code, id FROM records WHERE kiosk_id = '" + k->id() + "'");
        std::set<std::string> stored, ids;
        for (const auto& r : rows) {
            stored.insert(r[0]);
            ids.insert(r[1]);
        }
        CHECK(rows.size() == static_cast<std::size_t>(perKiosk));
        CHECK(ids.size() == static_cast<std::size_t>(perKiosk));
        CHECK(stored == local);
    }
    CHECK(s.count("SELECT count(*) FROM records") ==
          static_cast<std::int64_t>(kiosks.size()) * perKiosk);
    CHECK(s.count("SELECT count(*) FROM conflicts") == 0);
    const auto audit = backendCli(db, dataDir, {"audit", "--json"});
    INFO(audit.err);
    CHECK(audit.exitCode == 0);
    const auto j = nlohmann::json::parse(audit.out);
    CHECK(j.size() == kiosks.size());
    for (const auto& e : j) {
        INFO(e.dump());
        CHECK(e["records"] == perKiosk);
        CHECK(e["max_sequence"] == perKiosk);
        CHECK(e["problems"].empty());
    }
}

// Backend processes of this database waiting for a lock on `table` (they name themselves
// kiosk-backend to the server).
std::int64_t backendsWaitingOn(PgSession& s, const std::string& table) {
    return s.count(
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.relation = '" +
        table + "'::regclass AND NOT l.granted AND a.application_name = 'kiosk-backend'");
}

std::expected<ksync::proto::RecordsUploadReply, std::string> uploadReply(const Reply& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded()) return std::unexpected("not json: " + r.body.substr(0, 200));
    return ksync::proto::RecordsUploadReply::fromJson(j);
}

std::string describe(const Reply& r) {
    return "status " + std::to_string(r.status) + " retry-after '" + r.header("retry-after") +
           "' body " + r.body.substr(0, 300) +
           (r.transportError.empty() ? "" : " transport: " + r.transportError);
}

}  // namespace

// ---- 2. many processes, many kiosks, a killer
// -----------------------------------------------------

namespace {

// Three processes on one database (one shared port with SO_REUSEPORT, or three ports with the
// kiosks moving between them from pass to pass); kiosks enrol, submit and sync while a killer
// thread SIGKILLs a random process now and then and starts it again on its port.
void killerScenario(bool sharedPort) {
    const int nKiosks = envInt("KIOSK_CLUSTER_KIOSKS", 8);
    const int perKiosk = envInt("KIOSK_CLUSTER_RECORDS", 40);
    const auto seed = static_cast<unsigned>(envInt("KIOSK_CLUSTER_SEED", 20261203));
    City city;
    std::vector<std::unique_ptr<BackendProcess>> backends;
    for (int i = 0; i < 3; ++i) {
        std::vector<std::string> args = {"--threads", "4"};
        if (sharedPort) args.push_back("--reuse-port");
        backends.push_back(city.backend("backend-" + std::to_string(i), args));
        backends.back()->start(sharedPort && i > 0 ? backends[0]->port() : 0);
    }
    for (const auto& b : backends) REQUIRE(b->fingerprint() == backends[0]->fingerprint());
    // Kiosk `k` in round `r`: one URL for all, or the processes in turn.
    auto urlFor = [&](int k, int r) {
        return backends[sharedPort ? 0 : static_cast<std::size_t>(k + r) % 3]->url();
    };

    Kiosks kiosks;
    std::vector<std::string> tokens;
    for (int i = 0; i < nKiosks; ++i) {
        kiosks.push_back(std::make_unique<CtlKiosk>(city.tmp / ("kiosk-" + std::to_string(i)),
                                                    kioskId(i), urlFor(i, 0)));
        tokens.push_back(issueToken(city.db, city.dataDir, kioskId(i)));
    }

    Errors errors;
    std::atomic<bool> stopKiller{false};
    std::atomic<int> kills{0};
    std::atomic<int> failedPasses{0};  // passes the killer cut short (for the record, not asserted)
    std::thread killer([&] {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> pauseMs(50, 400), downMs(0, 100), which(0, 2);
        while (!stopKiller) {
            const auto until =
                std::chrono::steady_clock::now() + std::chrono::milliseconds(pauseMs(rng));
            while (!stopKiller && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(10ms);
            if (stopKiller) break;
            BackendProcess& b = *backends[static_cast<std::size_t>(which(rng))];
            b.kill9();
            ++kills;
            std::this_thread::sleep_for(std::chrono::milliseconds(downMs(rng)));
            std::string why;
            for (int attempt = 0; attempt < 5 && !b.running(); ++attempt) {
                try {
                    b.start();
                } catch (const std::exception& e) {
                    why = e.what();
                    std::this_thread::sleep_for(200ms);
                }
            }
            if (!b.running()) {
                errors.add("a killed backend did not start again: " + why);
                return;
            }
        }
    });

    // Each kiosk as in the field: records keep being made (kioskctl submit) while its sync
    // worker runs pass after pass (kioskctl sync --once, over and over).
    std::vector<std::atomic<bool>> allMade(static_cast<std::size_t>(nKiosks));
    std::vector<std::thread> workers;
    for (int i = 0; i < nKiosks; ++i) {
        workers.emplace_back([&, i] {
            try {
                const CtlKiosk& k = *kiosks[static_cast<std::size_t>(i)];
                std::mt19937 rng(seed + static_cast<unsigned>(i));
                std::uniform_int_distribution<int> thinkMs(0, 40);
                for (int n = 1; n <= perKiosk; ++n) {
                    if (k.submit(n).empty())
                        return errors.add("kioskctl submit failed on " + k.id());
                    std::this_thread::sleep_for(std::chrono::milliseconds(thinkMs(rng)));
                }
            } catch (const std::exception& e) {
                errors.add(e.what());
            }
            allMade[static_cast<std::size_t>(i)] = true;
        });
        workers.emplace_back([&, i] {
            try {
                const CtlKiosk& k = *kiosks[static_cast<std::size_t>(i)];
                int round = 0;
                // The enrolment may land on a process that is killed before it answers: the
                // same token with the same key again.
                bool enrolled = false;
                for (int attempt = 0; attempt < 100 && !enrolled; ++attempt) {
                    if (!sharedPort) k.setBackend(urlFor(i, ++round));
                    enrolled = k.enroll(tokens[static_cast<std::size_t>(i)]).exitCode == 0;
                    if (!enrolled) std::this_thread::sleep_for(100ms);
                }
                if (!enrolled) return errors.add("kiosk " + k.id() + " could not enrol");
                // Passes while the killer is at work, until one after the last record got
                // everything through (bounded: the final pass below covers the rest).
                for (int pass = 0; pass < 2000; ++pass) {
                    const bool done = allMade[static_cast<std::size_t>(i)].load();
                    if (!sharedPort) k.setBackend(urlFor(i, ++round));
                    if (k.sync(3).exitCode != 0)
                        ++failedPasses;
                    else if (done && k.status()["queued"] == 0)
                        return;
                    std::this_thread::sleep_for(20ms);
                }
            } catch (const std::exception& e) {
                errors.add(e.what());
            }
        });
    }
    for (auto& w : workers) w.join();
    stopKiller = true;
    killer.join();
    INFO(joined(errors.all()));
    REQUIRE(errors.all().empty());
    for (auto& b : backends)
        if (!b->running()) b->start();
    finalSync(kiosks);

    INFO("kills: " << kills.load() << ", passes cut short: " << failedPasses.load());
    CHECK(kills > 0);
    checkEveryRecordOnce(city.db, city.dataDir, kiosks, perKiosk);
    // Every process took part (connections are spread over the processes sharing the port).
    for (const auto& b : backends)
        CHECK(b->log().find("POST /api/v1/records 200") != std::string::npos);
}

}  // namespace

TEST_CASE(
    "three backend processes sharing one port on one PostgreSQL database, killed and restarted at "
    "random while eight kiosks sync, store every record exactly once") {
    killerScenario(true);
}

TEST_CASE(
    "three backend processes on separate ports, killed and restarted at random while kiosks move "
    "between them, store every record exactly once") {
    killerScenario(false);
}

// ---- 3. PostgreSQL stopped, started and killed under load
// ---------------------------------------------

TEST_CASE(
    "backend processes answer 503 while PostgreSQL is stopped or killed, reconnect by themselves "
    "when it is back, and lose or duplicate nothing") {
    ksync::client::globalInit();
    const int nKiosks = envInt("KIOSK_CLUSTER_OUTAGE_KIOSKS", 4);
    const int perKiosk = envInt("KIOSK_CLUSTER_OUTAGE_RECORDS", 30);
    City city;
    std::vector<std::unique_ptr<BackendProcess>> backends;
    for (int i = 0; i < 2; ++i) {
        backends.push_back(city.backend("backend-" + std::to_string(i), {"--threads", "4"}));
        backends.back()->start(0);
    }
    Kiosks kiosks;
    for (int i = 0; i < nKiosks; ++i) {
        const auto& b = *backends[static_cast<std::size_t>(i % 2)];
        kiosks.push_back(std::make_unique<CtlKiosk>(city.tmp / ("kiosk-" + std::to_string(i)),
                                                    kioskId(i), b.url()));
        auto e = kiosks.back()->enroll(issueToken(city.db, city.dataDir, kioskId(i)));
        INFO(e.err);
        REQUIRE(e.exitCode == 0);
    }
    const SignedKiosk probe(kiosks[0]->dir());

    // Records keep arriving in every phase (before, during and after each outage).
    constexpr int kPhases = 3;
    std::atomic<int> phase{0};
    std::atomic<bool> stop{false};
    std::vector<std::atomic<int>> passes(static_cast<std::size_t>(nKiosks));
    std::atomic<int> busy{0};
    Errors others;  // sync failures other than "busy": the backend should never give those here
    Errors errors;
    std::vector<std::thread> workers;
    for (int i = 0; i < nKiosks; ++i) {
        workers.emplace_back([&, i] {
            try {
                const CtlKiosk& k = *kiosks[static_cast<std::size_t>(i)];
                int made = 0;
                for (;;) {
                    const bool last = stop.load();
                    const int due = perKiosk * std::min(kPhases, phase.load() + 1) / kPhases;
                    if (made < due) {
                        if (k.submit(made + 1).empty())
                            return errors.add("kioskctl submit failed on " + k.id());
                        ++made;
                    }
                    const auto r = k.sync(2);
                    const auto j = nlohmann::json::parse(r.out, nullptr, false);
                    if (r.exitCode == 0) {
                        ++passes[static_cast<std::size_t>(i)];
                    } else if (j.is_object() && j.value("error", "") == kBusyWords) {
                        ++busy;
                    } else {
                        others.add(k.id() + ": exit " + std::to_string(r.exitCode) + " " + r.err);
                    }
                    if (last && made >= perKiosk) return;
                    std::this_thread::sleep_for(20ms);
                }
            } catch (const std::exception& e) {
                errors.add(e.what());
            }
        });
    }
    auto everyKioskPassedSince = [&](const std::vector<int>& before) {
        for (std::size_t i = 0; i < before.size(); ++i)
            if (passes[i].load() <= before[i]) return false;
        return true;
    };
    auto snapshot = [&] {
        std::vector<int> v;
        for (const auto& p : passes) v.push_back(p.load());
        return v;
    };

    CHECK(eventually([&] {
        return everyKioskPassedSince(std::vector<int>(static_cast<std::size_t>(nKiosks), 0));
    }));
    for (const bool crash : {false, true}) {
        INFO((crash ? "PostgreSQL killed with SIGKILL" : "PostgreSQL stopped"));
        const int busyBefore = busy.load();
        if (crash)
            city.pg.kill9();
        else
            city.pg.stop();
        // Each process answers a signed request with a signed 503, "busy", Retry-After.
        for (const auto& b : backends) {
            const auto req = probe.request("POST", "/api/v1/status", R"({"since":"0"})");
            const Reply r = send(b->url(), req);
            INFO(describe(r));
            CHECK(r.status == 503);
            CHECK(r.errorCode() == "busy");
            CHECK(r.header("retry-after") == "2");
            CHECK(signedByBackend(r, nonceOf(req), city.backendKey));
        }
        // The kiosks saw it too, in their own words.
        CHECK(eventually([&] { return busy.load() > busyBefore; }));
        const auto before = snapshot();
        ++phase;
        city.pg.start();
        // Every kiosk gets through again, through the same processes: nothing was restarted.
        CHECK(eventually([&] { return everyKioskPassedSince(before); }));
    }
    stop = true;
    for (auto& w : workers) w.join();
    INFO(joined(errors.all()));
    REQUIRE(errors.all().empty());
    INFO("other sync failures:\n" << joined(others.all()));
    CHECK(others.all().empty());
    for (const auto& b : backends) {
        CHECK(b->running());
        CHECK(b->starts() == 1);
        CHECK(b->log().find("storage error: ") != std::string::npos);
    }
    finalSync(kiosks);
    checkEveryRecordOnce(city.db, city.dataDir, kiosks, perKiosk);
}

// ---- 4. one batch at two processes; a lost reply retried elsewhere
// -----------------------------------

TEST_CASE(
    "the same batch reaching two backend processes at once is stored once and both replies "
    "acknowledge every record") {
    ksync::client::globalInit();
    City city;
    // Lock waits (below) must not run into the statement timeout.
    auto a = city.backend("a", {"--threads", "4", "--statement-timeout-ms", "60000"});
    auto b = city.backend("b", {"--threads", "4", "--statement-timeout-ms", "60000"});
    a->start(0);
    b->start(0);
    CtlKiosk kiosk(city.tmp / "kiosk", "7K3M", a->url());
    REQUIRE(kiosk.enroll(issueToken(city.db, city.dataDir, "7K3M")).exitCode == 0);
    constexpr int kRecords = 12;
    for (int i = 1; i <= kRecords; ++i) REQUIRE_FALSE(kiosk.submit(i).empty());
    const SignedKiosk signer(kiosk.dir());
    std::size_t inBody = 0;
    const std::string body = signer.claimUploadBody(&inBody);
    REQUIRE(inBody == kRecords);

    PgSession locker(city.db);
    PgSession watch(city.db);

    SECTION(
        "a retry (same records, its own nonce) at the other process while the first is in flight") {
        const auto reqA = signer.request("POST", "/api/v1/records", body);
        const auto reqB = signer.request("POST", "/api/v1/records", body);
        // Both requests get as far as the insert and wait there, at the same moment.
        locker.exec("BEGIN");
        locker.exec("LOCK TABLE records IN EXCLUSIVE MODE");
        auto fa = std::async(std::launch::async, [&] { return send(a->url(), reqA); });
        auto fb = std::async(std::launch::async, [&] { return send(b->url(), reqB); });
        const bool bothWaiting =
            eventually([&] { return backendsWaitingOn(watch, "records") == 2; });
        locker.exec("COMMIT");
        CHECK(bothWaiting);
        const Reply ra = fa.get(), rb = fb.get();
        std::uint64_t created = 0;
        for (const auto& [r, req] : {std::pair{&ra, &reqA}, std::pair{&rb, &reqB}}) {
            INFO(describe(*r));
            REQUIRE(r->status == 200);
            CHECK(signedByBackend(*r, nonceOf(*req), city.backendKey));
            const auto reply = uploadReply(*r);
            REQUIRE(reply);
            CHECK(reply->counts.created + reply->counts.duplicate == kRecords);
            CHECK(reply->counts.conflict == 0);
            CHECK(reply->counts.rejected == 0);
            CHECK(reply->exceptions.empty());
            CHECK(reply->storedThrough == kRecords);
            created += reply->counts.created;
        }
        CHECK(created == kRecords);  // each record created by exactly one of the two
    }

    SECTION(
        "the very same request bytes at both processes: one stores, the other is refused as a "
        "replay") {
        // A replayed nonce is refused by design (docs/PROTOCOL.md); a kiosk's retry always
        // carries a fresh one, as in the section above.
        const auto req = signer.request("POST", "/api/v1/records", body);
        locker.exec("BEGIN");
        locker.exec("LOCK TABLE records IN EXCLUSIVE MODE");
        auto fa = std::async(std::launch::async, [&] { return send(a->url(), req); });
        auto fb = std::async(std::launch::async, [&] { return send(b->url(), req); });
        const bool oneWaitsOneAnswered = eventually([&] {
            const bool answered = fa.wait_for(0s) == std::future_status::ready ||
                                  fb.wait_for(0s) == std::future_status::ready;
            return answered && backendsWaitingOn(watch, "records") == 1;
        });
        locker.exec("COMMIT");
        CHECK(oneWaitsOneAnswered);
        const Reply ra = fa.get(), rb = fb.get();
        INFO(describe(ra) << "\n" << describe(rb));
        const Reply& stored = ra.status == 200 ? ra : rb;
        const Reply& refused = ra.status == 200 ? rb : ra;
        REQUIRE(stored.status == 200);
        CHECK(refused.status == 401);
        CHECK(refused.errorCode() == "replayed_request");
        CHECK(signedByBackend(stored, nonceOf(req), city.backendKey));
        CHECK(signedByBackend(refused, nonceOf(req), city.backendKey));
        const auto reply = uploadReply(stored);
        REQUIRE(reply);
        CHECK(reply->counts.created == kRecords);
    }

    // The kiosk itself then sends its queue again (the records were claimed above): duplicates.
    auto r = kiosk.sync();
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["duplicates"] == kRecords);
    Kiosks one;
    one.push_back(std::make_unique<CtlKiosk>(std::move(kiosk)));
    checkEveryRecordOnce(city.db, city.dataDir, one, kRecords);
}

TEST_CASE(
    "a batch whose reply a proxy lost is retried by the kiosk at another backend process and "
    "stored once") {
    City city;
    auto a = city.backend("a", {"--threads", "4"});
    auto b = city.backend("b", {"--threads", "4"});
    a->start(0);
    b->start(0);
    CtlKiosk kiosk(city.tmp / "kiosk", "7K3M", a->url());
    REQUIRE(kiosk.enroll(issueToken(city.db, city.dataDir, "7K3M")).exitCode == 0);
    constexpr int kRecords = 10;
    for (int i = 1; i <= kRecords; ++i) REQUIRE_FALSE(kiosk.submit(i).empty());
    {
        // A fresh kioskctl asks for health, then the config, then uploads: those two pass; the
        // upload reaches process A, which stores it; its reply is lost.
        synctest::FaultProxy proxy(
            a->port(),
            {synctest::Fault::None, synctest::Fault::None, synctest::Fault::LoseResponse}, 0);
        kiosk.setBackend(proxy.url());
        auto lost = kiosk.sync(50);
        INFO(lost.out << lost.err);
        CHECK(lost.exitCode == 1);
        CHECK(proxy.faultsOn("/api/v1/records") == 1);
    }
    PgSession s(city.db);
    CHECK(s.count("SELECT count(*) FROM records") == kRecords);  // A stored the batch
    CHECK(kiosk.status()["queued"] == kRecords);                 // the kiosk never heard
    kiosk.setBackend(b->url());
    auto retry = kiosk.sync(50);
    INFO(retry.out << retry.err);
    REQUIRE(retry.exitCode == 0);
    const auto j = nlohmann::json::parse(retry.out);
    CHECK(j["uploaded"] == kRecords);
    CHECK(j["duplicates"] == kRecords);
    CHECK(b->log().find("created=0 duplicate=" + std::to_string(kRecords)) != std::string::npos);
    Kiosks one;
    one.push_back(std::make_unique<CtlKiosk>(std::move(kiosk)));
    checkEveryRecordOnce(city.db, city.dataDir, one, kRecords);
}

// ---- 5. enrolment whose reply was lost
// ---------------------------------------------------------------

TEST_CASE(
    "an enrolment whose reply was lost succeeds when the kiosk retries with the same token and "
    "key, and another key with that token is refused") {
    City city;
    auto a = city.backend("a", {"--threads", "4"});
    auto b = city.backend("b", {"--threads", "4"});
    a->start(0);
    b->start(0);
    const std::string token = issueToken(city.db, city.dataDir, "7K3M");
    CtlKiosk kiosk(city.tmp / "kiosk", "7K3M", a->url());
    PgSession s(city.db);
    {
        synctest::FaultProxy proxy(a->port(),
                                   {synctest::Fault::None, synctest::Fault::LoseResponse}, 0);
        kiosk.setBackend(proxy.url());
        auto lost = kiosk.enroll(token);
        INFO(lost.out << lost.err);
        CHECK(lost.exitCode == 1);
        CHECK(proxy.faultsOn("/api/v1/enroll") == 1);
    }
    // The backend enrolled the kiosk and spent the token; the kiosk does not know.
    const std::string storedKey = s.scalar("SELECT public_key FROM kiosks WHERE kiosk_id = '7K3M'");
    CHECK_FALSE(storedKey.empty());
    CHECK(s.scalar("SELECT used_by FROM enrol_tokens") == "7K3M");
    CHECK(kiosk.status()["sealing"] == false);

    // The retry, with the same token and key, at the other process.
    kiosk.setBackend(b->url());
    auto retry = kiosk.enroll(token);
    INFO(retry.out << retry.err);
    REQUIRE(retry.exitCode == 0);
    CHECK(kiosk.status()["sealing"] == true);
    // And once more at the first: still the same answer.
    kiosk.setBackend(a->url());
    CHECK(kiosk.enroll(token).exitCode == 0);
    for (int i = 1; i <= 3; ++i) REQUIRE_FALSE(kiosk.submit(i).empty());
    auto synced = kiosk.sync();
    INFO(synced.out << synced.err);
    REQUIRE(synced.exitCode == 0);

    // Another device with the same kiosk id and the same token: refused, the enrolled key stays.
    CtlKiosk impostor(city.tmp / "impostor", "7K3M", b->url());
    auto refused = impostor.enroll(token);
    INFO(refused.err);
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.find("enrolled_with_another_key") != std::string::npos);
    // Another kiosk id with that token: refused too (the token is for 7K3M, and spent).
    CtlKiosk other(city.tmp / "other", "8A2B", b->url());
    auto wrongId = other.enroll(token);
    INFO(wrongId.err);
    CHECK(wrongId.exitCode == 1);
    CHECK(wrongId.err.find("bad_token") != std::string::npos);
    CHECK(s.scalar("SELECT public_key FROM kiosks WHERE kiosk_id = '7K3M'") == storedKey);
    CHECK(s.count("SELECT count(*) FROM kiosks") == 1);

    // The real kiosk goes on.
    REQUIRE_FALSE(kiosk.submit(4).empty());
    CHECK(kiosk.sync().exitCode == 0);
    Kiosks one;
    one.push_back(std::make_unique<CtlKiosk>(std::move(kiosk)));
    checkEveryRecordOnce(city.db, city.dataDir, one, 4);
}

// ---- 6. copy from a ward's SQLite backend
// --------------------------------------------------------------

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows sqliteRows(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + file.string());
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        const std::string msg = sqlite3_errmsg(db);
        sqlite3_close(db);
        throw std::runtime_error("sqlite: " + msg);
    }
    Rows rows;
    while (sqlite3_step(st) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            const auto* t = sqlite3_column_text(st, c);
            row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

Rows sorted(Rows rows) {
    std::sort(rows.begin(), rows.end());
    return rows;
}

// The record columns both schemas share, the content as lower-case hex.
std::string recordColumns(const char* hexContent) {
    return std::string(
               "id, kiosk_id, sequence, tracking_code, type, category, channel, staff_assisted, "
               "language, "
               "created_at, clock_synced, content_digest, prev_hash, hash, payload_format, ") +
           hexContent + ", intact, received_at, status, status_updated";
}

constexpr const char* kEventColumns =
    "event_uid, tracking_code, kiosk_id, status, note, agency, officer, expected_date, updated_at";

// Starts `kiosk-backend copy ARGS` and SIGKILLs it once the target's `table` holds at least
// `atLeast` and fewer than `total` rows. False when the copy ended before that.
bool killCopyPartway(const std::vector<std::string>& args, const std::string& target,
                     const std::string& table, std::int64_t atLeast, std::int64_t total,
                     const fs::path& log, std::int64_t& seen) {
    Child copy = Child::spawn(KIOSK_BACKEND_PATH, args, log, log);
    PgSession watch(target);
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = watch.rowsIn(table);
        if (seen >= atLeast && seen < total) {
            copy.kill9();
            return true;
        }
        if (!copy.running()) return false;
    }
    copy.kill9();
    throw std::runtime_error("kiosk-backend copy made no progress");
}

}  // namespace

TEST_CASE(
    "a ward's SQLite backend copied into PostgreSQL with the copy killed partway and run again "
    "holds every record and status event once, and its kiosks sync on without re-enrolling") {
    ksync::client::globalInit();
    const int nKiosks = 4;
    const int perKiosk = envInt("KIOSK_CLUSTER_COPY_RECORDS", 60);
    testsupport::PgCluster pg;
    testsupport::TempDir tmp;
    const fs::path wardDir = tmp / "ward";
    const fs::path wardFile = wardDir / "backend.db";
    const std::string ward = "sqlite:" + wardFile.string();

    // The ward: its own SQLite backend, kiosks that sync into it, officers' status updates.
    auto wardProc = std::make_unique<BackendProcess>(
        ward, wardDir, std::vector<std::string>{"--threads", "4"}, tmp / "ward.log");
    wardProc->start(0);
    Kiosks kiosks;
    std::vector<std::string> tokens;
    for (int i = 0; i < nKiosks; ++i) {
        kiosks.push_back(std::make_unique<CtlKiosk>(tmp / ("kiosk-" + std::to_string(i)),
                                                    kioskId(i), wardProc->url()));
        tokens.push_back(issueToken(ward, wardDir, kioskId(i)));
    }
    Errors errors;
    {
        std::vector<std::thread> workers;
        for (int i = 0; i < nKiosks; ++i) {
            workers.emplace_back([&, i] {
                try {
                    const CtlKiosk& k = *kiosks[static_cast<std::size_t>(i)];
                    if (k.enroll(tokens[static_cast<std::size_t>(i)]).exitCode != 0)
                        return errors.add("enrol " + k.id());
                    for (int n = 1; n <= perKiosk; ++n)
                        if (k.submit(n).empty()) return errors.add("submit " + k.id());
                    if (k.sync().exitCode != 0) return errors.add("sync " + k.id());
                    // Every third record forwarded, every sixth also answered (oldest first).
                    auto codes = k.trackingCodes();
                    std::reverse(codes.begin(), codes.end());
                    for (std::size_t n = 0; n < codes.size(); ++n) {
                        if (n % 3 != 0) continue;
                        auto u =
                            backendCli(ward, wardDir,
                                       {"update", codes[n], "--status", "forwarded", "--agency",
                                        "Phòng Quản lý đô thị", "--officer", "Cán bộ tiếp nhận",
                                        "--expected", "2026-12-20", "--note", "Đã chuyển xử lý"});
                        if (u.exitCode != 0) return errors.add("update: " + u.err);
                        if (n % 6 != 0) continue;
                        u = backendCli(
                            ward, wardDir,
                            {"update", codes[n], "--status", "answered", "--note", "Đã sửa xong"});
                        if (u.exitCode != 0) return errors.add("update: " + u.err);
                    }
                    if (k.sync().exitCode != 0) return errors.add("status pull " + k.id());
                } catch (const std::exception& e) {
                    errors.add(e.what());
                }
            });
        }
        for (auto& w : workers) w.join();
    }
    INFO(joined(errors.all()));
    REQUIRE(errors.all().empty());
    wardProc->stop();

    const auto nRecords =
        static_cast<std::int64_t>(sqliteRows(wardFile, "SELECT id FROM records").size());
    const auto nEvents = static_cast<std::int64_t>(
        sqliteRows(wardFile, "SELECT event_id FROM status_events").size());
    REQUIRE(nRecords == nKiosks * perKiosk);
    REQUIRE(nEvents > 2);

    pg.createDatabase("city");
    const std::string city = pg.url("city");
    const std::vector<std::string> copyArgs = {"copy", "--from",  ward, "--to",
                                               city,   "--batch", "2"};
    std::int64_t seen = 0;
    std::mt19937 rng(static_cast<unsigned>(envInt("KIOSK_CLUSTER_SEED", 20261203)));
    // Run 1: killed somewhere in the middle of the records.
    const auto recordsAt = std::uniform_int_distribution<std::int64_t>(1, nRecords * 3 / 4)(rng);
    const bool killedInRecords =
        killCopyPartway(copyArgs, city, "records", recordsAt, nRecords, tmp / "copy-1.log", seen);
    INFO("run 1 killed with " << seen << " of " << nRecords << " records copied");
    REQUIRE(killedInRecords);
    // Run 2: killed in the middle of the status events when it gets that far before it ends.
    const auto eventsAt = std::uniform_int_distribution<std::int64_t>(1, nEvents * 3 / 4)(rng);
    const bool killedInEvents = killCopyPartway(copyArgs, city, "status_events", eventsAt, nEvents,
                                                tmp / "copy-2.log", seen);
    INFO("run 2 " << (killedInEvents ? "killed with " + std::to_string(seen) + " events copied"
                                     : std::string("ran to the end")));
    // Run 3 finishes what is left; run 4 finds nothing to do.
    auto third = run(KIOSK_BACKEND_PATH, copyArgs);
    INFO(third.out << third.err);
    REQUIRE(third.exitCode == 0);
    CHECK(third.out.starts_with("resumed: "));
    auto fourth = run(KIOSK_BACKEND_PATH, copyArgs);
    INFO(fourth.out << fourth.err);
    REQUIRE(fourth.exitCode == 0);
    CHECK(fourth.out.find("copied 0 records and 0 status events") != std::string::npos);

    {
        PgSession s(city);
        // The same records, byte for byte, once each.
        CHECK(sorted(
                  s.query("SELECT " + recordColumns("encode(content, 'hex')") + " FROM records")) ==
              sorted(sqliteRows(
                  wardFile, "SELECT " + recordColumns("lower(hex(content))") + " FROM records")));
        CHECK(s.count("SELECT count(*) - count(DISTINCT id) FROM records") == 0);
        // The same status events, once each, in the same order per record.
        CHECK(sorted(s.query(std::string("SELECT ") + kEventColumns + " FROM status_events")) ==
              sorted(sqliteRows(wardFile,
                                std::string("SELECT ") + kEventColumns + " FROM status_events")));
        CHECK(s.query("SELECT tracking_code, event_uid FROM status_events ORDER BY tracking_code, "
                      "event_id") == sqliteRows(wardFile,
                                                "SELECT tracking_code, event_uid FROM "
                                                "status_events ORDER BY tracking_code, event_id"));
        // The kiosks with their keys, and the tokens.
        CHECK(s.query("SELECT kiosk_id, public_key, enrolled_at FROM kiosks ORDER BY kiosk_id") ==
              sqliteRows(wardFile,
                         "SELECT kiosk_id, public_key, enrolled_at FROM kiosks ORDER BY kiosk_id"));
        const std::string tokenColumns =
            "SELECT token_hash, kiosk_id, expires_ms, COALESCE(used_at, ''), COALESCE(used_by, '') "
            "FROM enrol_tokens";
        CHECK(sorted(s.query(tokenColumns)) == sorted(sqliteRows(wardFile, tokenColumns)));
        CHECK(s.count("SELECT count(*) FROM conflicts") == 0);
        // The console's columns of every record, as the ward has them (its inbox, deadlines,
        // search, agencies): not only the bytes.
        const std::string consoleColumns =
            "SELECT id, ward, agency, deadline, status, status_updated, search_text, parent_code "
            "FROM records";
        CHECK(sorted(s.query(consoleColumns)) == sorted(sqliteRows(wardFile, consoleColumns)));
        CHECK(s.count("SELECT count(*) FROM records WHERE search_text <> '' AND deadline <> ''") ==
              nRecords);
    }

    // The public tracking JSON of every record is the same from both backends.
    wardProc->start(0);
    BackendProcess cityProc(city, wardDir, {"--threads", "4"}, tmp / "city.log");
    cityProc.start(0);
    std::size_t compared = 0;
    for (const auto& k : kiosks) {
        for (const auto& code : k->trackingCodes()) {
            const ksync::client::HttpRequest get{"GET", "/api/v1/public/status/" + code, {}, {}};
            const Reply fromWard = send(wardProc->url(), get);
            const Reply fromCity = send(cityProc.url(), get);
            INFO(code << ": " << describe(fromWard) << " / " << describe(fromCity));
            REQUIRE(fromWard.status == 200);
            REQUIRE(fromCity.status == 200);
            CHECK(nlohmann::json::parse(fromWard.body) == nlohmann::json::parse(fromCity.body));
            ++compared;
        }
    }
    CHECK(compared == static_cast<std::size_t>(nRecords));
    wardProc->stop();

    // The ward's kiosks move to the city's backend (same data dir: same backend key) as they are.
    std::string newCode, oldCode;
    for (const auto& k : kiosks) {
        for (int n = perKiosk + 1; n <= perKiosk + 5; ++n) newCode = k->submit(n);
        REQUIRE_FALSE(newCode.empty());
        k->setBackend(cityProc.url());
        auto r = k->sync();
        INFO(k->id() << ": " << r.out << r.err);
        REQUIRE(r.exitCode == 0);
    }
    {
        PgSession s(city);
        oldCode = s.scalar("SELECT tracking_code FROM status_events ORDER BY event_id LIMIT 1");
    }
    for (const auto& code : {oldCode, newCode}) {
        auto u = backendCli(
            city, wardDir,
            {"update", code, "--status", "needs_info", "--note", "Cần bổ sung ảnh chụp"});
        INFO(u.err);
        REQUIRE(u.exitCode == 0);
    }
    PgSession s(city);
    for (const auto& k : kiosks) {
        auto r = k->sync();
        INFO(k->id() << ": " << r.out << r.err);
        REQUIRE(r.exitCode == 0);
        // Every status event of the kiosk's records reached it once: none missed, none twice.
        ksync::store::DataDir d;
        d.root = k->dir();
        CHECK(
            sorted(sqliteRows(
                d.database(),
                "SELECT tracking_code, count(*) FROM status_events GROUP BY tracking_code")) ==
            sorted(s.query("SELECT tracking_code, count(*) FROM status_events WHERE kiosk_id = '" +
                           k->id() + "' GROUP BY tracking_code")));
    }
    const auto audit = backendCli(city, wardDir, {"audit", "--json"});
    INFO(audit.err);
    CHECK(audit.exitCode == 0);
    for (const auto& e : nlohmann::json::parse(audit.out)) {
        CHECK(e["records"] == perKiosk + 5);
        CHECK(e["problems"].empty());
    }
}

// ---- 7. databases that cannot be used
// -------------------------------------------------------------------

TEST_CASE(
    "migrate and serve refuse an unreachable PostgreSQL, a missing database, an unknown user and a "
    "newer schema with one line and a non-zero exit") {
    testsupport::PgCluster pg;
    testsupport::TempDir tmp;
    pg.createDatabase("future");
    REQUIRE(backendCli(pg.url("future"), tmp / "d", {"migrate"}).exitCode == 0);
    pg.psql("future", "UPDATE backend_meta SET value = '99' WHERE key = 'schema_version'");
    std::string wrongUser = pg.url("future");
    wrongUser.replace(wrongUser.find("user=kiosk"), std::string("user=kiosk").size(),
                      "user=nobody_here");

    struct Case {
        const char* what;
        std::string url;
        const char* says;
    };
    const std::vector<Case> cases = {
        {"no server on that socket",
         "postgresql:///city?host=" + (tmp / "no-such-socket-dir").string() + "&user=kiosk",
         "cannot connect"},
        {"nothing listening on that TCP port", "postgresql://kiosk@127.0.0.1:1/city",
         "cannot connect"},
        {"a database that does not exist", pg.url("no_such_database"), "does not exist"},
        {"a user that does not exist", wrongUser, "does not exist"},
        {"a schema from a newer kiosk-backend", pg.url("future"), "newer"},
    };
    for (const auto& c : cases) {
        for (const std::vector<std::string>& command :
             {std::vector<std::string>{"migrate"},
              std::vector<std::string>{"serve", "--listen", "127.0.0.1:0"}}) {
            INFO(c.what << ", kiosk-backend " << command[0]);
            auto r = backendCli(c.url, tmp / "d", command, 60000);
            INFO("exit " << r.exitCode << "\nstdout: " << r.out << "\nstderr: " << r.err);
            CHECK_FALSE(r.timedOut);
            CHECK(r.exitCode == 4);
            CHECK(r.out.empty());  // serve never said "listening"
            const auto errLines = lines(r.err);
            REQUIRE(errLines.size() == 1);
            CHECK(errLines[0].starts_with("kiosk-backend: "));
            CHECK(errLines[0].find(c.says) != std::string::npos);
        }
    }
    // Nothing was changed in the newer database.
    CHECK(pg.psql("future", "SELECT value FROM backend_meta WHERE key = 'schema_version'") == "99");
}

// ---- 8. locks and the pool
// -----------------------------------------------------------------------------

TEST_CASE(
    "an upload blocked behind a table lock gets 503 with Retry-After after the statement timeout, "
    "and goes through once the lock is released") {
    ksync::client::globalInit();
    City city;
    auto a = city.backend("a", {"--threads", "4", "--pool", "1", "--pool-wait-ms", "200",
                                "--statement-timeout-ms", "500"});
    a->start(0);
    CtlKiosk kiosk(city.tmp / "kiosk", "7K3M", a->url());
    REQUIRE(kiosk.enroll(issueToken(city.db, city.dataDir, "7K3M")).exitCode == 0);
    constexpr int kRecords = 3;
    std::string code;
    for (int i = 1; i <= kRecords; ++i) code = kiosk.submit(i);
    REQUIRE_FALSE(code.empty());
    const SignedKiosk signer(kiosk.dir());
    const std::string body = signer.claimUploadBody();

    PgSession locker(city.db);
    locker.exec("BEGIN");
    locker.exec("LOCK TABLE records IN ACCESS EXCLUSIVE MODE");
    // A signed upload: a signed 503 "busy" with Retry-After, not a hang (the request's own
    // timeout, 60 s, would show as a transport error).
    const auto req = signer.request("POST", "/api/v1/records", body);
    const Reply upload = send(a->url(), req);
    INFO(describe(upload));
    CHECK(upload.status == 503);
    CHECK(upload.errorCode() == "busy");
    CHECK(upload.header("retry-after") == "2");
    CHECK(signedByBackend(upload, nonceOf(req), city.backendKey));
    // The public tracking JSON reads the same table.
    const Reply page = send(a->url(), {"GET", "/api/v1/public/status/" + code, {}, {}});
    INFO(describe(page));
    CHECK(page.status == 503);
    CHECK_FALSE(page.header("retry-after").empty());
    // The kiosk's own pass says "busy" in its words.
    auto blocked = kiosk.sync();
    INFO(blocked.out << blocked.err);
    CHECK(blocked.exitCode == 1);
    CHECK(nlohmann::json::parse(blocked.out).value("error", "") == kBusyWords);
    {
        // statement_timeout (57014) or lock_timeout (55P03): both are set to 500 ms.
        const std::string log = a->log();
        INFO(log);
        CHECK((log.find("storage error: SQLSTATE 57014") != std::string::npos ||
               log.find("storage error: SQLSTATE 55P03") != std::string::npos));
    }
    locker.exec("COMMIT");

    auto after = kiosk.sync();
    INFO(after.out << after.err);
    REQUIRE(after.exitCode == 0);
    CHECK(a->running());
    CHECK(a->starts() == 1);
    Kiosks one;
    one.push_back(std::make_unique<CtlKiosk>(std::move(kiosk)));
    checkEveryRecordOnce(city.db, city.dataDir, one, kRecords);
}

TEST_CASE(
    "requests that find the only pooled connection held by a slow query get 503 with Retry-After "
    "after the pool wait, and the slow one completes") {
    ksync::client::globalInit();
    City city;
    // A long statement timeout: the slow request holds the one connection until the lock goes.
    auto b = city.backend("b", {"--threads", "4", "--pool", "1", "--pool-wait-ms", "200",
                                "--statement-timeout-ms", "60000"});
    b->start(0);
    CtlKiosk kiosk(city.tmp / "kiosk", "7K3M", b->url());
    REQUIRE(kiosk.enroll(issueToken(city.db, city.dataDir, "7K3M")).exitCode == 0);
    constexpr int kRecords = 3;
    std::string code;
    for (int i = 1; i <= kRecords; ++i) code = kiosk.submit(i);
    REQUIRE_FALSE(code.empty());
    const SignedKiosk signer(kiosk.dir());
    const std::string body = signer.claimUploadBody();

    PgSession locker(city.db);
    PgSession watch(city.db);
    locker.exec("BEGIN");
    locker.exec("LOCK TABLE records IN ACCESS EXCLUSIVE MODE");
    const auto slowReq = signer.request("POST", "/api/v1/records", body);
    auto slow = std::async(std::launch::async, [&] { return send(b->url(), slowReq, 120000); });
    const bool holding = eventually([&] { return backendsWaitingOn(watch, "records") == 1; });
    CHECK(holding);
    // The pool's one connection is taken: others wait 200 ms for it, then 503.
    const Reply page = send(b->url(), {"GET", "/api/v1/public/status/" + code, {}, {}});
    const auto pullReq = signer.request("POST", "/api/v1/status", R"({"since":"0"})");
    const Reply pull = send(b->url(), pullReq);
    locker.exec("COMMIT");
    const Reply done = slow.get();
    {
        INFO(describe(page));
        CHECK(page.status == 503);
        CHECK_FALSE(page.header("retry-after").empty());
    }
    {
        INFO(describe(pull));
        CHECK(pull.status == 503);
        CHECK(pull.errorCode() == "busy");
        CHECK(pull.header("retry-after") == "2");
        CHECK(signedByBackend(pull, nonceOf(pullReq), city.backendKey));
    }
    CHECK(b->log().find("storage error: connection pool exhausted") != std::string::npos);
    {
        INFO(describe(done));
        REQUIRE(done.status == 200);
        const auto reply = uploadReply(done);
        REQUIRE(reply);
        CHECK(reply->counts.created == kRecords);
    }
    auto after = kiosk.sync();
    INFO(after.out << after.err);
    REQUIRE(after.exitCode == 0);
    Kiosks one;
    one.push_back(std::make_unique<CtlKiosk>(std::move(kiosk)));
    checkEveryRecordOnce(city.db, city.dataDir, one, kRecords);
}

// ---- 9. processes started at once
// --------------------------------------------------------------------

TEST_CASE(
    "three backend processes started at once on a fresh database migrate it once and all serve") {
    testsupport::PgCluster pg;
    testsupport::TempDir tmp;
    const fs::path dataDir = tmp / "backend";
    backendPublicKey(dataDir);  // the key exists: only the migration races here
    for (int round = 0; round < 3; ++round) {
        const std::string name = "fresh_" + std::to_string(round);
        pg.createDatabase(name);
        std::vector<std::unique_ptr<BackendProcess>> procs;
        for (int i = 0; i < 3; ++i)
            procs.push_back(std::make_unique<BackendProcess>(
                pg.url(name), dataDir, std::vector<std::string>{"--threads", "2"},
                tmp / (name + "-" + std::to_string(i) + ".log")));
        for (auto& p : procs) p->launch(0);
        for (auto& p : procs) {
            INFO(p->log());
            REQUIRE_NOTHROW(p->awaitListening());
        }
        PgSession s(pg.url(name));
        CHECK(s.scalar("SELECT value FROM backend_meta WHERE key = 'schema_version'") ==
              std::to_string(ksync::backend::pgLatestSchema()));
        CHECK(s.count("SELECT count(*) FROM backend_meta WHERE key = 'backend_id'") == 1);
    }
}

TEST_CASE(
    "three backend processes started at once on an empty data directory all serve with the one "
    "backend key on disk") {
    testsupport::PgCluster pg;
    testsupport::TempDir tmp;
    pg.createDatabase("keys");
    const int rounds = envInt("KIOSK_CLUSTER_KEY_ROUNDS", 40);
    for (int round = 0; round < rounds; ++round) {
        INFO("round " << round);
        const fs::path dataDir = tmp / ("backend-" + std::to_string(round));  // no backend.key yet
        std::vector<std::unique_ptr<BackendProcess>> procs;
        for (int i = 0; i < 3; ++i)
            procs.push_back(std::make_unique<BackendProcess>(
                pg.url("keys"), dataDir, std::vector<std::string>{"--threads", "2"},
                tmp / ("keys-" + std::to_string(round) + "-" + std::to_string(i) + ".log")));
        for (auto& p : procs) p->launch(0);
        for (auto& p : procs) {
            INFO(p->log());
            REQUIRE_NOTHROW(p->awaitListening());
        }
        auto onDisk = platform::keys::DeviceKey::load(dataDir / "backend.key");
        REQUIRE(onDisk);
        for (auto& p : procs) CHECK(p->fingerprint() == onDisk->fingerprint());
        std::size_t leftovers = 0;
        for (const auto& e : fs::directory_iterator(dataDir))
            if (e.path().filename().string().starts_with("backend.key.tmp")) ++leftovers;
        CHECK(leftovers == 0);
    }
}
