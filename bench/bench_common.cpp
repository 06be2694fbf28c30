#include "bench_common.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <numeric>

#include "client/sync_client.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "proto/payload_codec.hpp"
#include "store/store.hpp"

namespace bench {

using nlohmann::json;

std::int64_t wallMs() {
    return platform::clock::unixMillis(platform::clock::now());
}

void die(const std::string& why) {
    std::cerr << "bench: " << why << "\n";
    std::exit(1);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

json summary(const std::vector<double>& v) {
    const double mean =
        v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    return {{"n", v.size()},
            {"p50", percentile(v, 50)},
            {"p95", percentile(v, 95)},
            {"p99", percentile(v, 99)},
            {"max", percentile(v, 100)},
            {"mean", mean}};
}

void writeResult(const std::filesystem::path& file, const std::string& name, const json& section) {
    json all = json::object();
    if (std::ifstream in(file); in) all = json::parse(in, nullptr, false);
    if (!all.is_object()) all = json::object();
    all[name] = section;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << all.dump(2) << "\n";
}

std::vector<Seed> loadSeeds(const std::filesystem::path& fixturesDir) {
    std::vector<Seed> out;
    std::ifstream in(fixturesDir / "seed_submissions.jsonl");
    if (!in) die("cannot open " + (fixturesDir / "seed_submissions.jsonl").string());
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto j = json::parse(line);
        Seed s;
        if (j["sender"].is_string()) s.sender = j["sender"];
        s.body = j["body"];
        out.push_back(std::move(s));
    }
    if (out.empty()) die("no seed submissions");
    return out;
}

namespace {

// Sentence starts (after ". ", "! ", "? " or a newline) of a text, always including 0.
std::vector<std::size_t> sentenceStarts(const std::string& s) {
    std::vector<std::size_t> v{0};
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if ((s[i] == ' ' && (s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?')) ||
            s[i] == '\n')
            v.push_back(i + 1);
    }
    return v;
}

void trimToUtf8(std::string& s) {
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
}

const char* kCategories[] = {"DAT_DAI", "XAY_DUNG", "MOI_TRUONG",    "GIAO_THONG",
                             "AN_NINH", "Y_TE",     "GIAO_DUC",      "AN_SINH",
                             "THU_TUC", "CAN_BO",   "CHUYEN_DOI_SO", "KHAC"};

}  // namespace

ksync::record::Draft makeDraft(const std::vector<Seed>& seeds, std::size_t i) {
    const Seed& seed = seeds[i % seeds.size()];
    const auto starts = sentenceStarts(seed.body);
    const std::size_t round = i / seeds.size();
    std::size_t from = starts[(round * 7) % starts.size()];
    // Target length 80..1500 bytes, spread deterministically.
    const std::size_t target = 80 + (i * 2654435761u % 1421);
    std::size_t to = std::min(seed.body.size(), from + target);
    // Cut at the last sentence end before `to` when there is one after `from`.
    for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
        if (*it <= to && *it > from + 40) {
            if (to != seed.body.size()) to = *it;
            break;
        }
    }
    std::string body = seed.body.substr(from, to - from);
    trimToUtf8(body);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\n')) body.pop_back();
    if (body.size() < 20) body = seed.body.substr(0, std::min<std::size_t>(seed.body.size(), 600));
    trimToUtf8(body);

    ksync::record::Draft d;
    d.type = i % 3 == 0 ? "SKGP" : "PAKN";
    d.category = kCategories[i % std::size(kCategories)];
    d.body = std::move(body);
    if (i % 4 == 1) {
        d.anonymous = false;
        d.name = seed.sender.empty() ? "Nguyễn Văn An" : seed.sender;
        d.phone = "09" + std::to_string(10000000 + (i * 7919) % 89999999);
        d.consent = true;
        d.consentVersion = "nd13-2023-v1";
    }
    return d;
}

ksync::store::DataDir makeKioskDir(const std::filesystem::path& root, const std::string& kioskId,
                                   const std::string& backendUrl, const std::string& printerUri) {
    std::filesystem::create_directories(root);
    ksync::store::DataDir dir;
    dir.root = root;
    ksync::store::KioskSettings s;
    s.kioskId = kioskId;
    s.centre = "Trung tâm Phục vụ hành chính công phường Sài Gòn";
    s.backendUrl = backendUrl;
    s.printerUri = printerUri;
    if (auto r = ksync::store::saveSettings(dir, s); !r) die("settings: " + r.error());
    if (!platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir)))
        die("device key");
    if (!ksync::store::Store::open(dir.database())) die("store");
    return dir;
}

void setBackendUrl(const ksync::store::DataDir& dir, const std::string& url) {
    auto s = ksync::store::loadSettings(dir);
    if (!s) die("settings: " + s.error());
    s->backendUrl = url;
    if (auto r = ksync::store::saveSettings(dir, *s); !r) die("settings: " + r.error());
}

double fillRecords(const ksync::store::DataDir& dir, const std::vector<Seed>& seeds,
                   std::size_t from, std::size_t n) {
    auto settings = ksync::store::loadSettings(dir);
    if (!settings) die("settings: " + settings.error());
    auto st = ksync::store::Store::open(dir.database());
    if (!st) die("store: " + st.error().detail);
    const auto t0 = Clock::now();
    for (std::size_t i = from; i < from + n; ++i) {
        auto v = ksync::record::validateDraft(makeDraft(seeds, i));
        if (!v) die("draft " + std::to_string(i) + " invalid: " + v.error().front().messageKey);
        auto r = st->createRecord(*v, settings->kioskId,
                                  platform::clock::formatUtc(platform::clock::now()), false);
        if (!r) die("createRecord: " + r.error().detail);
    }
    return msSince(t0) / 1000.0;
}

Backend::Backend(const std::filesystem::path& dataDir, int threads) {
    std::filesystem::create_directories(dataDir);
    auto s = ksync::backend::SqliteStorage::open(dataDir / "backend.db");
    if (!s) die("backend storage");
    m_storage = std::move(*s);
    auto key = platform::keys::DeviceKey::loadOrCreate(dataDir / "backend.key");
    if (!key) die("backend key");
    ksync::backend::ServiceOptions opts;
    const bool echo = std::getenv("KIOSK_BENCH_BACKEND_LOG") !=
                      nullptr;  // debugging: the backend's request lines
    opts.log = [this, echo](const std::string& line) {
        ++m_requests;
        if (echo) std::cerr << "backend: " << line << "\n";
    };
    m_service = std::make_unique<ksync::backend::BackendService>(
        *m_storage, *key, ksync::proto::Dictionaries::shipped(), opts);
    m_server = std::make_unique<ksync::backend::HttpServer>(*m_service, threads);
    auto port = m_server->bind("127.0.0.1", 0);
    if (!port) die("backend bind: " + port.error());
    m_port = *port;
    m_thread = std::thread([this] { m_server->run(); });
}

Backend::~Backend() {
    m_server->stop();
    if (m_thread.joinable()) m_thread.join();
}

std::string Backend::token(const std::string& kioskId) {
    auto t = m_storage->issueEnrolToken(kioskId, wallMs() + 3600000);
    if (!t) die("issue token");
    return *t;
}

void enroll(const ksync::store::DataDir& dir, Backend& backend) {
    auto saved = ksync::store::loadSettings(dir);
    if (!saved) die("settings");
    setBackendUrl(dir, backend.url());
    auto c = ksync::client::SyncClient::open(dir);
    if (!c) die("sync client: " + c.error().detail);
    auto r = c->enroll(backend.token(saved->kioskId));
    if (!r) die("enroll: " + r.error().detail);
    setBackendUrl(dir, saved->backendUrl);
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

bool flag(int argc, char** argv, const std::string& name) {
    for (int i = 1; i < argc; ++i)
        if (argv[i] == name) return true;
    return false;
}

}  // namespace bench
