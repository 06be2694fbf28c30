// bench_backend — the city backend on SQLite and PostgreSQL, side by side (docs/BENCHMARKS.md,
// "City backend"). Two modes:
//
//   ingest   records/s that `kiosk-backend serve` stores when 8 kiosks upload at once what the
//            product sends: batches claimed from real kiosk stores (up to 250 records / 256 KiB),
//            sealed to the backend's key, zstd-compressed, signed just before sending; one
//            keep-alive connection and one batch in flight per kiosk. For each configuration
//            (sqlite = 1 process on a SQLite file; pgN = N processes on one PostgreSQL database,
//            sharing the port with --reuse-port when N > 1) on a fresh database, repeated and
//            interleaved so that drift on a shared machine spreads over all of them.
//   latency  p50/p95/p99 of the public status lookup, Open311 requests.json with filters and the
//            signed status pull by cursor, against a database filled by bench_seed; each case at
//            concurrency 1 and 8 (keep-alive connections on loopback: client-observed time, which
//            on loopback is server time plus ~0.1 ms). Also EXPLAIN (ANALYZE, BUFFERS) of the
//            storage's queries for the same cases.
// Both report each backend process's CPU and peak memory (VmHWM from /proc) and the PostgreSQL
// server's CPU.
//
// Usage:
//   bench_backend ingest --fixtures DIR --work DIR --backend-bin PATH --pg URI [--pg-data DIR]
//       [--configs sqlite,pg1,pg3] [--kiosks 8] [--records-per-kiosk 2500] [--repeats 3] [--threads
//       8]
//       [--out results.json]
//   bench_backend latency --backend-bin PATH --database URI --manifest FILE --work DIR [--pg-data
//   DIR]
//       [--processes 1] [--threads 8] [--requests 1000] [--max-seconds 20] [--concurrency 1,8]
//       [--label pg1] [--out results.json]
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>

#include "backend_bench.hpp"
#include "bench_common.hpp"
#include "client/sync_client.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "proto/messages.hpp"
#include "proto/payload_codec.hpp"
#include "proto/protocol.hpp"
#include "service/backend_service.hpp"
#include "storage/open_storage.hpp"
#include "store/store.hpp"

#include <libpq-fe.h>

namespace {

using namespace bench;
using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= s.size()) {
        const auto comma = s.find(',', at);
        const std::string item =
            s.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    return out;
}

// CPU seconds of this program (all threads): the load generator's own share of the 2 cores.
double selfCpu() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The first three fields of /proc/loadavg: how busy the shared machine was.
std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

json procJson(const std::vector<pid_t>& pids, const std::vector<double>& cpu0, double seconds) {
    json a = json::array();
    for (std::size_t i = 0; i < pids.size(); ++i) {
        const auto s = procStats(pids[i]);
        a.push_back({{"cpu_s", s.cpuS - cpu0[i]},
                     {"cpu_share_of_2_cores", (s.cpuS - cpu0[i]) / seconds / 2},
                     {"vm_hwm_kb", s.hwmKb},
                     {"vm_rss_kb", s.rssKb}});
    }
    return a;
}

std::vector<double> cpuNow(const std::vector<pid_t>& pids) {
    std::vector<double> v;
    for (pid_t p : pids) v.push_back(procStats(p).cpuS);
    return v;
}

// ---- ingest -------------------------------------------------------------------------------------

struct Kiosk {
    std::string id;
    ksync::store::DataDir dir;
    std::optional<platform::keys::DeviceKey> key;
    std::vector<std::string> bodies;  // compressed batch bodies, as the product sends them
    std::size_t records = 0;
};

struct Config {
    std::string name;  // sqlite, pg1, pg3...
    bool pg = false;
    int processes = 1;
};

Config parseConfig(const std::string& s) {
    if (s == "sqlite") return {s, false, 1};
    if (s.starts_with("pg") && s.size() > 2) return {s, true, std::stoi(s.substr(2))};
    die("unknown configuration " + s + " (sqlite, pg1, pg3, ...)");
}

int ingestMain(int argc, char** argv) {
    const fs::path fixtures = arg(argc, argv, "--fixtures");
    const fs::path work = arg(argc, argv, "--work", "/tmp/bench-backend-ingest");
    const std::string bin = arg(argc, argv, "--backend-bin");
    const std::string pg = arg(argc, argv, "--pg");
    const fs::path pgData = arg(argc, argv, "--pg-data");
    const fs::path out = arg(argc, argv, "--out");
    const auto configNames = splitList(arg(argc, argv, "--configs", "sqlite,pg1,pg3"));
    const int nKiosks = std::stoi(arg(argc, argv, "--kiosks", "8"));
    const std::size_t perKiosk = std::stoul(arg(argc, argv, "--records-per-kiosk", "2500"));
    const int repeats = std::stoi(arg(argc, argv, "--repeats", "3"));
    const int threads = std::stoi(arg(argc, argv, "--threads", "8"));
    if (bin.empty() || fixtures.empty()) die("ingest: --backend-bin and --fixtures are required");
    std::vector<Config> configs;
    for (const auto& n : configNames) configs.push_back(parseConfig(n));
    for (const auto& c : configs)
        if (c.pg && pg.empty()) die("ingest: --pg URI is required for " + c.name);
    if (nKiosks < 1 || nKiosks > 26) die("--kiosks 1..26");
    ksync::client::globalInit();
    fs::remove_all(work);
    const fs::path backendDir =
        work / "backend-data";  // one key for every run: the kiosks seal to it once
    runOut(bin + " --data-dir " + backendDir.string() + " public-key");
    const pid_t postmaster = pgData.empty() ? 0 : postmasterPid(pgData / "data");

    // Kiosk stores with real records (Store::createRecord), filled before any clock runs.
    const auto seeds = loadSeeds(fixtures);
    std::vector<Kiosk> kiosks(static_cast<std::size_t>(nKiosks));
    const auto tFill = Clock::now();
    for (int k = 0; k < nKiosks; ++k) {
        auto& K = kiosks[std::size_t(k)];
        K.id = std::string("8K") + "ABCDEFGHJKMNPQRSTVWXY0123"[k] + "B";
        K.dir = makeKioskDir(work / "kiosks" / K.id, K.id, "http://127.0.0.1:1");
        fillRecords(K.dir, seeds, std::size_t(k) * perKiosk, perKiosk);
        auto key = platform::keys::DeviceKey::load(ksync::client::deviceKeyFile(K.dir));
        if (!key) die("kiosk key");
        K.key.emplace(std::move(*key));
    }
    std::cout << "backend ingest: " << nKiosks << " kiosk stores of " << perKiosk
              << " records filled in " << msSince(tFill) / 1000 << " s" << std::endl;

    ksync::proto::PayloadCodec codec(ksync::proto::Dictionaries::shipped());
    const ksync::client::SyncClientOptions product;  // the batch limits the product uses
    std::map<std::string, std::vector<json>> runs;
    for (int rep = 0; rep < repeats; ++rep) {
        for (const auto& cfg : configs) {
            const std::string tag = cfg.name + "-" + std::to_string(rep);
            const fs::path runDir = work / ("run-" + tag);
            std::string database;
            std::string dbName;
            if (cfg.pg) {
                dbName = "bench_ingest_" + cfg.name + "_" + std::to_string(rep);
                pgExec(pg, "DROP DATABASE IF EXISTS " + dbName);
                pgExec(pg, "CREATE DATABASE " + dbName);
                database = withDatabase(pg, dbName);
            } else {
                fs::create_directories(runDir);
                database = "sqlite:" + (runDir / "backend.db").string();
            }
            const std::string cli =
                bin + " --data-dir " + backendDir.string() + " --database '" + database + "'";
            runOut(cli + " migrate");
            BackendGroup g = startBackends(
                {bin, backendDir, database, cfg.processes, threads, 0, runDir / "logs"});
            for (auto& K : kiosks) {
                const std::string token = runOut(cli + " issue-token --kiosk-id " + K.id);
                setBackendUrl(K.dir, g.url);
                auto c = ksync::client::SyncClient::open(K.dir);
                if (!c) die("sync client: " + c.error().detail);
                if (auto r = c->enroll(token); !r) die("enroll: " + r.error().detail);
            }
            // After the first enrolment the stores' records are sealed; the batches are built once.
            if (kiosks.front().bodies.empty()) {
                for (auto& K : kiosks) {
                    auto st = ksync::store::Store::open(K.dir.database());
                    if (!st) die("store");
                    while (true) {
                        auto items = st->claimBatch(product.batchRecords, product.batchBytes,
                                                    std::numeric_limits<std::int64_t>::max());
                        if (!items || items->empty()) break;
                        json records = json::array();
                        for (const auto& it : *items) {
                            if (it.contentFormat == ksync::proto::kFormatPlain)
                                die("a record was not sealed at enrolment");
                            records.push_back(
                                ksync::proto::toWire({it.header, it.contentFormat, it.content}));
                        }
                        K.records += items->size();
                        K.bodies.push_back(ksync::proto::compressBody(
                            json{{"kiosk_id", K.id}, {"records", std::move(records)}}.dump()));
                    }
                }
            }

            // The clock runs from here.
            const std::string load0 = loadAverage();
            const double self0 = selfCpu();
            const auto cpu0 = cpuNow(g.pids);
            const double pg0 = cfg.pg ? pgServerCpu(postmaster) : 0;
            std::vector<std::size_t> created(kiosks.size(), 0), failed(kiosks.size(), 0);
            std::vector<double> batchMs;
            std::mutex batchMu;
            const auto t0 = Clock::now();
            std::vector<std::thread> senders;
            for (std::size_t k = 0; k < kiosks.size(); ++k) {
                senders.emplace_back([&, k] {
                    HttpClient http;
                    std::vector<double> mine;
                    for (const auto& body : kiosks[k].bodies) {
                        auto r = http.signedPost(g.url, ksync::proto::kPathRecords, kiosks[k].id,
                                                 *kiosks[k].key, body, true);
                        mine.push_back(r.ms);
                        auto j = json::parse(r.body, nullptr, false);
                        if (r.ok && r.status == 200 && j.is_object() && j.contains("counts"))
                            created[k] += j["counts"].value("created", 0);
                        else
                            ++failed[k];
                    }
                    std::lock_guard lock(batchMu);
                    batchMs.insert(batchMs.end(), mine.begin(), mine.end());
                });
            }
            for (auto& t : senders) t.join();
            const double s = msSince(t0) / 1000;
            std::size_t total = 0, fails = 0, sent = 0;
            for (std::size_t k = 0; k < kiosks.size(); ++k)
                total += created[k], fails += failed[k], sent += kiosks[k].records;
            json run{{"config", cfg.name},
                     {"repeat", rep},
                     {"processes", cfg.processes},
                     {"records_sent", sent},
                     {"records_created", total},
                     {"failed_requests", fails},
                     {"batches", batchMs.size()},
                     {"seconds", s},
                     {"records_per_s", double(total) / s},
                     {"batch_ms", summary(batchMs)},
                     {"loadavg_start", load0},
                     {"client_cpu_s", selfCpu() - self0},
                     {"backend", procJson(g.pids, cpu0, s)}};
            if (cfg.pg) run["postgres_cpu_s"] = pgServerCpu(postmaster) - pg0;
            stopBackends(g);
            // How the kernel spread the 8 connections over the processes (--reuse-port).
            for (std::size_t i = 0; i < run["backend"].size(); ++i) {
                std::ifstream log(runDir / "logs" / ("backend-" + std::to_string(i) + ".log"));
                std::size_t n = 0;
                for (std::string line; std::getline(log, line);)
                    n += line.find("POST /api/v1/records 200") != std::string::npos;
                run["backend"][i]["batches_served"] = n;
            }
            if (cfg.pg) {
                pgExec(pg, "DROP DATABASE IF EXISTS " + dbName);
            } else {
                run["sqlite_bytes"] = fs::file_size(runDir / "backend.db");
            }
            double backendCpu = 0;
            long hwm = 0;
            for (const auto& p : run["backend"])
                backendCpu += p["cpu_s"].get<double>(),
                    hwm = std::max(hwm, p["vm_hwm_kb"].get<long>());
            std::cout << "ingest " << cfg.name << " #" << rep << ": " << total << "/" << sent
                      << " records, " << fails << " failed requests, " << s
                      << " s = " << double(total) / s << " records/s; backend CPU " << backendCpu
                      << " s"
                      << (cfg.pg ? ", postgres CPU " +
                                       std::to_string(run["postgres_cpu_s"].get<double>()) + " s"
                                 : "")
                      << ", peak RSS " << hwm / 1024 << " MiB" << std::endl;
            runs[cfg.name].push_back(std::move(run));
        }
    }

    json result{{"kiosks", nKiosks},
                {"records_per_kiosk", perKiosk},
                {"batch_records_max", product.batchRecords},
                {"batch_bytes_max", product.batchBytes},
                {"threads_per_process", threads},
                {"repeats", repeats},
                {"configs", json::object()}};
    for (const auto& cfg : configs) {
        std::vector<double> rates;
        long hwm = 0;
        for (const auto& r : runs[cfg.name]) {
            rates.push_back(r["records_per_s"].get<double>());
            for (const auto& p : r["backend"]) hwm = std::max(hwm, p["vm_hwm_kb"].get<long>());
        }
        std::sort(rates.begin(), rates.end());
        result["configs"][cfg.name] = {{"processes", cfg.processes},
                                       {"postgresql", cfg.pg},
                                       {"records_per_s_median", rates[rates.size() / 2]},
                                       {"records_per_s_min", rates.front()},
                                       {"records_per_s_max", rates.back()},
                                       {"peak_vm_hwm_kb_per_process", hwm},
                                       {"runs", runs[cfg.name]}};
        std::cout << "ingest " << cfg.name << ": median " << rates[rates.size() / 2]
                  << " records/s (" << rates.front() << ".." << rates.back() << ")" << std::endl;
    }
    if (!out.empty()) writeResult(out, "backend_ingest", result);
    return 0;
}

// ---- latency ------------------------------------------------------------------------------------

struct PullKiosk {
    std::string id;
    std::optional<platform::keys::DeviceKey> key;
    std::int64_t firstEvent = 0, lastEvent = 0;
};

std::string urlEncode(const std::string& s) {
    std::string o;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.')
            o += char(ch);
        else {
            char b[4];
            std::snprintf(b, sizeof b, "%%%02X", ch);
            o += b;
        }
    }
    return o;
}

// One request of a case, made from a thread's random generator.
struct Request {
    std::string path;  // GET path and query, or the POST path
    std::string body;  // POST (signed) when not empty
    const PullKiosk* kiosk = nullptr;
};

struct Case {
    std::string name;
    std::string what;
    std::function<Request(std::mt19937_64&)> make;
};

struct Totals {
    std::vector<double> ms;
    std::size_t errors = 0, badSignatures = 0;
    std::size_t warmupErrors =
        0;             // warm-up requests are not timed, but a failure among them is reported
    double items = 0;  // Open311 items or status updates per reply, summed
    std::map<long, std::size_t> statuses;
};

// Counts occurrences of `needle` (cheap: the client must not eat the server's CPU).
std::size_t countOf(const std::string& hay, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = hay.find(needle); at != std::string::npos;
         at = hay.find(needle, at + needle.size()))
        ++n;
    return n;
}

Totals runCase(const Case& c, const std::string& base, int concurrency, std::size_t requests,
               double maxSeconds, std::size_t warmup, const std::string& backendKey) {
    Totals all;
    std::mutex mu;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < concurrency; ++t) {
        ts.emplace_back([&, t] {
            std::mt19937_64 rng(0x5eedULL * 977 + std::uint64_t(t) * 7919 +
                                std::hash<std::string>{}(c.name));
            HttpClient http;
            Totals mine;
            auto one = [&](bool record) {
                const Request q = c.make(rng);
                HttpClient::Reply r;
                std::string nonce;
                if (q.kiosk)
                    r = http.signedPost(base, q.path, q.kiosk->id, *q.kiosk->key, q.body, false,
                                        &nonce);
                else
                    r = http.get(base + q.path);
                if (!record) {
                    if (!r.ok || r.status != 200) ++mine.warmupErrors;
                    return;
                }
                mine.ms.push_back(r.ms);
                ++mine.statuses[r.ok ? r.status : -1];
                if (!r.ok || r.status != 200) {
                    ++mine.errors;
                    return;
                }
                if (q.kiosk) {
                    if (!platform::keys::DeviceKey::verifyBase64(
                            backendKey,
                            ksync::proto::responseSigningString(nonce, int(r.status), r.body),
                            r.backendSignature))
                        ++mine.badSignatures;
                    mine.items += double(countOf(r.body, "\"tracking_code\""));
                } else {
                    mine.items += double(countOf(r.body, "\"service_request_id\""));
                }
            };
            for (std::size_t i = 0; i < warmup; ++i) one(false);
            const auto tStart = Clock::now();
            while (next.fetch_add(1) < requests && msSince(tStart) < maxSeconds * 1000) one(true);
            std::lock_guard lock(mu);
            all.ms.insert(all.ms.end(), mine.ms.begin(), mine.ms.end());
            all.errors += mine.errors;
            all.warmupErrors += mine.warmupErrors;
            all.badSignatures += mine.badSignatures;
            all.items += mine.items;
            for (auto [k, v] : mine.statuses) all.statuses[k] += v;
        });
    }
    for (auto& t : ts) t.join();
    return all;
}

int latencyMain(int argc, char** argv) {
    const std::string bin = arg(argc, argv, "--backend-bin");
    const std::string database = arg(argc, argv, "--database");
    const fs::path manifestFile = arg(argc, argv, "--manifest");
    const fs::path work = arg(argc, argv, "--work", "/tmp/bench-backend-latency");
    const fs::path pgData = arg(argc, argv, "--pg-data");
    const fs::path out = arg(argc, argv, "--out");
    const int processes = std::stoi(arg(argc, argv, "--processes", "1"));
    const int threads = std::stoi(arg(argc, argv, "--threads", "8"));
    const std::size_t requests = std::stoul(arg(argc, argv, "--requests", "1000"));
    const double maxSeconds = std::stod(arg(argc, argv, "--max-seconds", "20"));
    const std::size_t warmup = std::stoul(arg(argc, argv, "--warmup", "20"));
    const auto levels = splitList(arg(argc, argv, "--concurrency", "1,8"));
    const std::string label = arg(argc, argv, "--label", "pg" + std::to_string(processes));
    if (bin.empty() || database.empty() || manifestFile.empty())
        die("latency: --backend-bin, --database, --manifest");
    ksync::client::globalInit();
    std::ifstream mf(manifestFile);
    const json manifest = json::parse(mf);
    fs::create_directories(work);
    const fs::path backendDir = work / "backend-data";
    const std::string backendKey =
        runOut(bin + " --data-dir " + backendDir.string() + " public-key");
    const pid_t postmaster = pgData.empty() ? 0 : postmasterPid(pgData / "data");

    // Setup reads (not timed): each kiosk's event range, for cursors.
    std::vector<PullKiosk> kiosks;
    {
        const fs::path keys = manifest["keys_dir"].get<std::string>();
        for (const auto& row : pgQuery(database,
                                       "SELECT kiosk_id, min(event_id), max(event_id) FROM "
                                       "status_events GROUP BY kiosk_id ORDER BY 1")) {
            PullKiosk k;
            k.id = row[0];
            auto key = platform::keys::DeviceKey::load(keys / (k.id + ".key"));
            if (!key) die("kiosk key " + k.id + ": " + key.error());
            k.key.emplace(std::move(*key));
            k.firstEvent = std::stoll(row[1]);
            k.lastEvent = std::stoll(row[2]);
            kiosks.push_back(std::move(k));
        }
    }
    if (kiosks.empty()) die("no status events: seed the database with bench_seed first");
    std::vector<std::string> codes = manifest["codes_sample"].get<std::vector<std::string>>();
    std::vector<std::string> cats = manifest["categories"].get<std::vector<std::string>>();
    const auto startTp = platform::clock::parseUtc(manifest["start"].get<std::string>());
    const std::int64_t startMs = platform::clock::unixMillis(*startTp);
    const int days = int((platform::clock::unixMillis(
                              *platform::clock::parseUtc(manifest["end"].get<std::string>())) -
                          startMs) /
                         86'400'000);
    auto day = [&](std::int64_t d) {
        return platform::clock::formatUtc(platform::clock::fromUnixMillis(startMs + d * 86'400'000))
                   .substr(0, 10) +
               "T00:00:00Z";
    };

    auto pick = [](std::mt19937_64& r, std::size_t n) { return std::size_t(r() % n); };
    std::vector<Case> cases = {
        {"public_status", "GET /api/v1/public/status/CODE, a random known code",
         [&](std::mt19937_64& r) {
             return Request{"/api/v1/public/status/" + codes[pick(r, codes.size())], {}, nullptr};
         }},
        {"open311_code_status", "requests.json?service_code=C&status=open|closed (newest 200)",
         [&](std::mt19937_64& r) {
             return Request{"/open311/v2/requests.json?service_code=" + cats[pick(r, cats.size())] +
                                "&status=" + (r() % 2 ? "open" : "closed"),
                            {},
                            nullptr};
         }},
        {"open311_all_filters",
         "requests.json?service_code&status&start_date&end_date (a random 30-day window)",
         [&](std::mt19937_64& r) {
             const std::int64_t d = std::int64_t(pick(r, std::size_t(days - 30)));
             return Request{"/open311/v2/requests.json?service_code=" + cats[pick(r, cats.size())] +
                                "&status=" + (r() % 2 ? "open" : "closed") + "&start_date=" +
                                urlEncode(day(d)) + "&end_date=" + urlEncode(day(d + 30)),
                            {},
                            nullptr};
         }},
        {"open311_dates",
         "requests.json?start_date&end_date (a random 7-day window, no other filter)",
         [&](std::mt19937_64& r) {
             const std::int64_t d = std::int64_t(pick(r, std::size_t(days - 7)));
             return Request{"/open311/v2/requests.json?start_date=" + urlEncode(day(d)) +
                                "&end_date=" + urlEncode(day(d + 7)),
                            {},
                            nullptr};
         }},
        {"status_pull_caught_up",
         "signed POST /api/v1/status since the kiosk's last event (0 updates: every sync pass)",
         [&](std::mt19937_64& r) {
             const PullKiosk& k = kiosks[pick(r, kiosks.size())];
             return Request{std::string(ksync::proto::kPathStatus),
                            ksync::proto::dumpMessage(
                                ksync::proto::StatusRequest{std::to_string(k.lastEvent)}),
                            &k};
         }},
        {"status_pull_page",
         "signed POST /api/v1/status from an older cursor (a full page of 500 updates)",
         [&](std::mt19937_64& r) {
             const PullKiosk& k = kiosks[pick(r, kiosks.size())];
             const std::int64_t span =
                 std::max<std::int64_t>(1, (k.lastEvent - k.firstEvent) * 7 / 10);
             const std::int64_t since = k.firstEvent + std::int64_t(r() % std::uint64_t(span));
             return Request{
                 std::string(ksync::proto::kPathStatus),
                 ksync::proto::dumpMessage(ksync::proto::StatusRequest{std::to_string(since)}), &k};
         }},
    };

    // Steady state: the tables and indexes in memory, as on a city server with RAM for them (this
    // VM's page cache is given back to the host between runs, so a run could start cold).
    double prewarmS = 0;
    if (!flag(argc, argv, "--no-prewarm")) {
        const auto tw = Clock::now();
        pgExec(database, "CREATE EXTENSION IF NOT EXISTS pg_prewarm");
        pgQuery(database,
                "SELECT sum(pg_prewarm(c.oid::regclass, CASE WHEN c.relkind = 'i' THEN 'buffer' "
                "ELSE 'read' END)) "
                "FROM pg_class c WHERE c.relname IN ('records', 'status_events') OR c.oid IN "
                "(SELECT indexrelid FROM pg_index WHERE indrelid IN ('records'::regclass, "
                "'status_events'::regclass))");
        prewarmS = msSince(tw) / 1000;
        std::cout << "latency " << label
                  << ": prewarmed tables (page cache) and indexes (shared buffers) in " << prewarmS
                  << " s" << std::endl;
    }
    const std::string load0 = loadAverage();
    const double self0 = selfCpu();
    BackendGroup g =
        startBackends({bin, backendDir, database, processes, threads, 0, work / ("logs-" + label)});
    const auto cpu0 = cpuNow(g.pids);
    const double pg0 = pgServerCpu(postmaster);
    const auto tRun = Clock::now();
    json caseJson = json::object();
    for (const auto& lv : levels) {
        const int conc = std::stoi(lv);
        for (const auto& c : cases) {
            const auto tc = Clock::now();
            const Totals t = runCase(c, g.url, conc, requests, maxSeconds, warmup, backendKey);
            const double s = msSince(tc) / 1000;
            json st = json::object();
            for (auto [k, v] : t.statuses) st[std::to_string(k)] = v;
            json j = summary(t.ms);
            j["what"] = c.what;
            j["errors"] = t.errors;
            j["warmup_errors"] = t.warmupErrors;
            j["bad_signatures"] = t.badSignatures;
            j["statuses"] = st;
            j["items_per_reply"] =
                t.ms.size() > t.errors ? t.items / double(t.ms.size() - t.errors) : 0.0;
            j["requests_per_s"] = double(t.ms.size()) / s;
            caseJson["c" + lv][c.name] = j;
            std::printf(
                "latency %s c=%d %-22s n=%5zu p50 %7.2f p95 %7.2f p99 %7.2f max %8.2f ms  %6.0f "
                "req/s  items %.0f  errors %zu (warm-up %zu)\n",
                label.c_str(), conc, c.name.c_str(), t.ms.size(), j["p50"].get<double>(),
                j["p95"].get<double>(), j["p99"].get<double>(), j["max"].get<double>(),
                j["requests_per_s"].get<double>(), j["items_per_reply"].get<double>(), t.errors,
                t.warmupErrors);
            std::fflush(stdout);
        }
    }
    const double seconds = msSince(tRun) / 1000;
    json result{{"label", label},
                {"processes", processes},
                {"threads_per_process", threads},
                {"requests_per_case", requests},
                {"max_seconds_per_case", maxSeconds},
                {"warmup_per_thread", warmup},
                {"database",
                 {{"records", manifest["records"]},
                  {"status_events", manifest["status_events"]},
                  {"kiosks", manifest["kiosks"]}}},
                {"cases", caseJson},
                {"seconds", seconds},
                {"prewarm_seconds", prewarmS},
                {"loadavg_start", load0},
                {"loadavg_end", loadAverage()},
                {"client_cpu_s", selfCpu() - self0},
                {"backend", procJson(g.pids, cpu0, seconds)},
                {"postgres_cpu_s", pgServerCpu(postmaster) - pg0}};
    stopBackends(g);
    long hwm = 0;
    for (const auto& p : result["backend"]) hwm = std::max(hwm, p["vm_hwm_kb"].get<long>());
    std::cout << "latency " << label << ": peak RSS per backend process " << hwm / 1024 << " MiB"
              << std::endl;

    // The plans behind the numbers: the storage's own SQL (pg_storage.cpp) with typical values.
    const std::string cat = "DAT_DAI", from = day(days / 2), to = day(days / 2 + 30);
    const std::string code = codes.front();
    const PullKiosk& k = kiosks.front();
    const std::string pub =
        "SELECT tracking_code, kiosk_id, type, category, created_at, received_at FROM records "
        "WHERE true";
    const std::vector<std::pair<std::string, std::string>> plans = {
        {"public_status (record)", pub.substr(0, pub.size() - 10) + "WHERE tracking_code = '" +
                                       code + "' ORDER BY rid LIMIT 1"},
        {"public_status (events)",
         "SELECT event_id, tracking_code, status, note, agency, officer, expected_date, "
         "updated_at, "
         "event_uid, kiosk_id FROM status_events WHERE tracking_code = ANY('{" +
             code + "}'::text[]) ORDER BY event_id"},
        {"open311_code_status",
         pub + " AND category = '" + cat +
             "' AND status NOT IN ('answered','closed','rejected','duplicate') "
             "ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
        {"open311_all_filters", pub + " AND category = '" + cat +
                                    "' AND status IN ('answered','closed','rejected','duplicate') "
                                    "AND created_at >= '" +
                                    from + "' AND created_at < '" + to +
                                    "' ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
        {"open311_dates", pub + " AND created_at >= '" + from + "' AND created_at < '" +
                              day(days / 2 + 7) +
                              "' ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
        {"status_pull_caught_up",
         "SELECT event_id, tracking_code, status, note, agency, officer, expected_date, "
         "updated_at, "
         "event_uid, kiosk_id FROM status_events WHERE kiosk_id = '" +
             k.id + "' AND event_id > " + std::to_string(k.lastEvent) +
             " ORDER BY event_id LIMIT 500"},
        {"status_pull_page",
         "SELECT event_id, tracking_code, status, note, agency, officer, expected_date, "
         "updated_at, "
         "event_uid, kiosk_id FROM status_events WHERE kiosk_id = '" +
             k.id + "' AND event_id > " +
             std::to_string(k.firstEvent + (k.lastEvent - k.firstEvent) / 2) +
             " ORDER BY event_id LIMIT 500"},
    };
    std::ofstream ex(work / ("explain-" + label + ".txt"));
    json planJson = json::object();
    for (const auto& [name, sql] : plans) {
        ex << "-- " << name << "\n" << sql << ";\n";
        std::string text;
        double exec = 0;
        for (const auto& row : pgQuery(database, "EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            text += row[0] + "\n";
            if (row[0].starts_with("Execution Time: ")) exec = std::stod(row[0].substr(16));
        }
        ex << text << "\n";
        planJson[name] = exec;
    }
    result["explain_execution_ms"] = planJson;

    // What Open311 spends naming categories: BackendService::categoryName runs, for every item
    // of a page, storage.config() (one query) and parseBackendConfig (a JSON parse). The same
    // calls, 200 times (one page), through the product's PgStorage.
    {
        auto url = ksync::backend::parseDatabaseUrl(database);
        ksync::backend::OpenOptions o;
        o.migrate = false;
        o.poolSize = 1;
        auto st = url ? ksync::backend::openStorage(*url, o)
                      : std::unexpected(ksync::backend::StorageError{"bad url"});
        if (!st) die("storage: " + st.error().detail);
        const std::string fallback = ksync::backend::defaultServedConfig();
        double queryMs = 0, parseMs = 0;
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 200; ++i) {
                auto tq = Clock::now();
                std::string doc = fallback;
                if (auto cf = (*st)->config(); cf && *cf) doc = (*cf)->document;
                queryMs += msSince(tq);
                auto tp = Clock::now();
                if (auto cfg = ksync::proto::parseBackendConfig(doc))
                    (void)cfg->findCategory("DAT_DAI");
                parseMs += msSince(tp);
            }
        }
        result["category_names_per_200_items_ms"] = {{"config_queries", queryMs / 5},
                                                     {"config_parses", parseMs / 5}};
        std::printf(
            "latency %s: naming the categories of one 200-item Open311 page costs %.1f ms of "
            "config queries + %.1f ms "
            "of parsing\n",
            label.c_str(), queryMs / 5, parseMs / 5);
    }

    // The proposal for the date filters that became migration 3 (two indexes and ORDER BY
    // created_at), tried inside a transaction that is rolled back. Only on request
    // (--proposal), on a database migrated to version 2: version 3 already has the indexes.
    if (flag(argc, argv, "--proposal")) {
        PGconn* c = PQconnectdb(database.c_str());
        if (PQstatus(c) != CONNECTION_OK) die("PostgreSQL: " + std::string(PQerrorMessage(c)));
        auto run = [&](const std::string& sql) {
            PGresult* r = PQexec(c, sql.c_str());
            const auto stt = PQresultStatus(r);
            if (stt != PGRES_COMMAND_OK && stt != PGRES_TUPLES_OK)
                die("PostgreSQL: " + std::string(PQerrorMessage(c)) + " in " + sql);
            std::string text;
            for (int i = 0; i < PQntuples(r); ++i) text += std::string(PQgetvalue(r, i, 0)) + "\n";
            PQclear(r);
            return text;
        };
        const auto tIdx = Clock::now();
        run("BEGIN");
        run("CREATE INDEX records_created ON records (created_at)");
        run("CREATE INDEX records_category_created ON records (category, created_at)");
        run("ANALYZE records");
        const double buildS = msSince(tIdx) / 1000;
        ex << "==== proposal: CREATE INDEX records_created ON records (created_at); CREATE INDEX "
              "records_category_created "
              "ON records (category, created_at); (built in "
           << buildS << " s, rolled back afterwards)\n\n";
        json prop = json::object();
        const std::string rare = "CHUYEN_DOI_SO";
        const std::vector<std::pair<std::string, std::string>> variants = {
            {"open311_all_filters, ORDER BY rid DESC (as now)",
             pub + " AND category = '" + cat +
                 "' AND status IN ('answered','closed','rejected','duplicate') "
                 "AND created_at >= '" +
                 from + "' AND created_at < '" + to + "' ORDER BY rid DESC LIMIT 200::bigint"},
            {"open311_all_filters, ORDER BY created_at DESC, rid DESC",
             pub + " AND category = '" + cat +
                 "' AND status IN ('answered','closed','rejected','duplicate') "
                 "AND created_at >= '" +
                 from + "' AND created_at < '" + to +
                 "' ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
            {"open311_all_filters (rarest category), ORDER BY created_at DESC, rid DESC",
             pub + " AND category = '" + rare +
                 "' AND status IN ('answered','closed','rejected','duplicate') "
                 "AND created_at >= '" +
                 from + "' AND created_at < '" + to +
                 "' ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
            {"open311_dates, ORDER BY rid DESC (as now)",
             pub + " AND created_at >= '" + from + "' AND created_at < '" + day(days / 2 + 7) +
                 "' ORDER BY rid DESC LIMIT 200::bigint"},
            {"open311_dates, ORDER BY created_at DESC, rid DESC",
             pub + " AND created_at >= '" + from + "' AND created_at < '" + day(days / 2 + 7) +
                 "' ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
            {"open311_code_status, ORDER BY created_at DESC, rid DESC",
             pub + " AND category = '" + rare +
                 "' AND status NOT IN ('answered','closed','rejected','duplicate') "
                 "ORDER BY created_at DESC, rid DESC LIMIT 200::bigint"},
        };
        for (const auto& [name, sql] : variants) {
            const std::string text = run("EXPLAIN (ANALYZE, BUFFERS) " + sql);
            ex << "-- " << name << "\n" << sql << ";\n" << text << "\n";
            const auto at = text.find("Execution Time: ");
            prop[name] = at == std::string::npos ? 0.0 : std::stod(text.substr(at + 16));
            std::printf("latency %s: with the proposed indexes, %s: %.1f ms\n", label.c_str(),
                        name.c_str(), prop[name].get<double>());
        }
        run("ROLLBACK");
        PQfinish(c);
        result["proposal_execution_ms"] = prop;
        result["proposal_index_build_s"] = buildS;
    }
    result["explain_file"] = (work / ("explain-" + label + ".txt")).string();
    if (!out.empty()) {
        json all = json::object();
        if (std::ifstream in(out); in) all = json::parse(in, nullptr, false);
        json section = all.is_object() && all.contains("backend_latency") ? all["backend_latency"]
                                                                          : json::object();
        section[label] = result;
        writeResult(out, "backend_latency", section);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "ingest") return ingestMain(argc, argv);
    if (mode == "latency") return latencyMain(argc, argv);
    std::cerr
        << "usage: bench_backend ingest|latency ... (see the top of bench/bench_backend.cpp)\n";
    return 2;
}
