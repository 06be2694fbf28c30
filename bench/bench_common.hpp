#pragma once
// Shared helpers of the benchmark programs (bench/): time, percentiles, the JSON result file,
// the 10,000-record corpus built from tests/fixtures, kiosk data directories and an in-process
// reference backend. Benchmark-only code: nothing here is linked into the product.
//
// Thread-safety: free functions are safe from any thread; a Backend is created and destroyed on
// one thread while its HTTP server serves on its own threads.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/http_server.hpp"
#include "record/validation.hpp"
#include "service/backend_service.hpp"
#include "storage/sqlite_storage.hpp"
#include "store/data_dir.hpp"

namespace bench {

using Clock = std::chrono::steady_clock;
inline double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
std::int64_t wallMs();

// p in [0, 100] over a copy of the samples (nearest rank). 0 for no samples.
double percentile(std::vector<double> v, double p);
nlohmann::json summary(const std::vector<double>& v);  // {n, p50, p95, p99, max, mean}

// Merges `section` under `name` into the JSON file (created when missing), so every benchmark
// program adds its own part to one results file.
void writeResult(const std::filesystem::path& file, const std::string& name,
                 const nlohmann::json& section);

// The seed submissions (tests/fixtures/seed_submissions.jsonl): bodies and sender names.
struct Seed {
    std::string sender;
    std::string body;
};
std::vector<Seed> loadSeeds(const std::filesystem::path& fixturesDir);

// Deterministic draft number `i` built from the seeds: a run of sentences of one seed starting
// at an offset that depends on i, cut at a sentence boundary to 80..1,500 bytes (what people
// type on a touchscreen), every fourth with name and phone (consent), a third of them SKGP,
// categories in turn. Same i, same draft.
ksync::record::Draft makeDraft(const std::vector<Seed>& seeds, std::size_t i);

// A provisioned kiosk data directory (kiosk.toml, device.key, kiosk.db) for `kioskId`.
ksync::store::DataDir makeKioskDir(const std::filesystem::path& root, const std::string& kioskId,
                                   const std::string& backendUrl,
                                   const std::string& printerUri = "none");
// Adds `n` records (drafts from..from+n) through Store::createRecord. Returns seconds taken.
double fillRecords(const ksync::store::DataDir& dir, const std::vector<Seed>& seeds,
                   std::size_t from, std::size_t n);
void setBackendUrl(const ksync::store::DataDir& dir, const std::string& url);

// The reference backend (SqliteStorage + BackendService + HttpServer) in this process, on a
// free loopback port. Counts requests through the service's log callback.
class Backend {
public:
    explicit Backend(const std::filesystem::path& dataDir, int threads = 8);
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int port() const { return m_port; }
    std::string token(const std::string& kioskId);
    std::int64_t requests() const { return m_requests.load(); }

private:
    std::unique_ptr<ksync::backend::SqliteStorage> m_storage;
    std::unique_ptr<ksync::backend::BackendService> m_service;
    std::unique_ptr<ksync::backend::HttpServer> m_server;
    std::thread m_thread;
    int m_port = 0;
    std::atomic<std::int64_t> m_requests{0};
};

// Enrolls the kiosk with the backend at `url` (the data dir's URL is restored afterwards).
void enroll(const ksync::store::DataDir& dir, Backend& backend);

// Minimal argument helpers: "--name value" and "--flag".
std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback = {});
bool flag(int argc, char** argv, const std::string& name);

[[noreturn]] void die(const std::string& why);

}  // namespace bench
