// bench_ingest — backend ingest (issue #7): records per second that `kiosk-backend serve` stores
// for signed batches of 100 from 4 kiosks uploading at once, on this machine's 2 cores. The
// batches are built (compressed, signed) before the clock starts, so the 4 client threads cost
// little more than libcurl; the backend is its own process, as deployed.
//
// Usage: bench_ingest --fixtures DIR --work DIR --backend-bin PATH --out results.json
//        [--records-per-kiosk 2500] [--kiosks 4] [--batch 100]
#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "bench_common.hpp"
#include "client/sync_client.hpp"
#include "keys/device_key.hpp"
#include "proto/payload_codec.hpp"
#include "proto/protocol.hpp"
#include "store/store.hpp"

namespace {

using namespace bench;
using nlohmann::json;
namespace fs = std::filesystem;

std::string runOut(const std::string& cmd) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (!f) die("popen");
    char buf[512];
    while (fgets(buf, sizeof buf, f)) out += buf;
    pclose(f);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), {});
    auto p = s.rfind(')');
    std::istringstream rest(s.substr(p + 2));
    std::string tok;
    double ut = 0, st = 0;
    for (int field = 3; rest >> tok; ++field) {
        if (field == 14) ut = std::stod(tok);
        if (field == 15) {
            st = std::stod(tok);
            break;
        }
    }
    return (ut + st) / double(sysconf(_SC_CLK_TCK));
}

size_t collect(char* p, size_t size, size_t n, void* s) {
    static_cast<std::string*>(s)->append(p, size * n);
    return size * n;
}

struct KioskLoad {
    std::string id;
    std::optional<platform::keys::DeviceKey> key;
    std::vector<std::string> bodies;
    std::size_t created = 0, failed = 0;
};

}  // namespace

int main(int argc, char** argv) {
    const fs::path fixtures = arg(argc, argv, "--fixtures");
    const fs::path work = arg(argc, argv, "--work", "/tmp/bench-ingest");
    const std::string backendBin = arg(argc, argv, "--backend-bin");
    const fs::path out = arg(argc, argv, "--out", "bench/results/latest.json");
    const std::size_t perKiosk = std::stoul(arg(argc, argv, "--records-per-kiosk", "2500"));
    const int kiosks = std::stoi(arg(argc, argv, "--kiosks", "4"));
    const std::size_t batch = std::stoul(arg(argc, argv, "--batch", "100"));
    if (backendBin.empty()) die("--backend-bin is required");
    ksync::client::globalInit();
    fs::remove_all(work);
    fs::create_directories(work / "backend");

    // The backend as its own process.
    int p[2];
    if (pipe(p) != 0) die("pipe");
    const std::string bdir = (work / "backend").string();
    const pid_t server = fork();
    if (server == 0) {
        dup2(p[1], 1);
        close(p[0]);
        int devnull = ::open("/dev/null", O_WRONLY);
        dup2(devnull, 2);  // one log line per request: not part of what we measure here
        execl(backendBin.c_str(), backendBin.c_str(), "serve", "--data-dir", bdir.c_str(),
              "--listen", "127.0.0.1:0", nullptr);
        _exit(127);
    }
    close(p[1]);
    std::string line;
    for (char c; read(p[0], &c, 1) == 1 && c != '\n';) line += c;
    const auto colon = line.find(':', line.find("127.0.0.1"));
    if (colon == std::string::npos) die("backend did not start: " + line);
    const int port = std::stoi(line.substr(colon + 1));
    const std::string url = "http://127.0.0.1:" + std::to_string(port);

    // Kiosks: records through the real Store, enrolled, batches built and compressed up front.
    const auto seeds = loadSeeds(fixtures);
    const char* ids[] = {"7K3A", "7K3B", "7K3C", "7K3D", "7K3E", "7K3F", "7K3G", "7K3H"};
    std::vector<KioskLoad> loads(static_cast<std::size_t>(kiosks));
    ksync::proto::PayloadCodec codec(ksync::proto::Dictionaries::shipped());
    for (int k = 0; k < kiosks; ++k) {
        auto& L = loads[std::size_t(k)];
        L.id = ids[k];
        auto dir = makeKioskDir(work / L.id, L.id, url);
        fillRecords(dir, seeds, std::size_t(k) * perKiosk, perKiosk);
        const std::string token =
            runOut(backendBin + " issue-token --kiosk-id " + L.id + " --data-dir " + bdir);
        auto c = ksync::client::SyncClient::open(dir);
        if (!c) die("client");
        if (auto r = c->enroll(token); !r) die("enroll: " + r.error().detail);
        auto key = platform::keys::DeviceKey::load(ksync::client::deviceKeyFile(dir));
        if (!key) die("key");
        L.key.emplace(std::move(*key));
        auto st = ksync::store::Store::open(dir.database());
        while (true) {
            auto items = st->claimBatch(batch, std::size_t(1) << 40,
                                        std::numeric_limits<std::int64_t>::max());
            if (!items || items->empty()) break;
            json records = json::array();
            for (const auto& it : *items) {
                // As the product sends them: the stored blob (sealed at enrolment) as it is.
                if (it.contentFormat == ksync::proto::kFormatPlain) {
                    auto enc = codec.encode(it.content, "v1");
                    records.push_back(ksync::proto::toWire({it.header, enc.format, enc.bytes}));
                } else {
                    records.push_back(
                        ksync::proto::toWire({it.header, it.contentFormat, it.content}));
                }
            }
            // And the body zstd-compressed, as the product does when the backend offers it.
            L.bodies.push_back(ksync::proto::compressBody(
                json{{"kiosk_id", L.id}, {"records", std::move(records)}}.dump()));
        }
    }

    // The clock runs from here: 4 threads, keep-alive, one batch in flight each.
    const double cpu0 = cpuSeconds(server);
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (auto& L : loads) {
        threads.emplace_back([&L, &url] {
            CURL* h = curl_easy_init();
            const std::string target = url + std::string(ksync::proto::kPathRecords);
            for (const auto& body : L.bodies) {
                const std::string nonce = ksync::proto::newNonce(), ts = std::to_string(wallMs());
                const std::string sig = L.key->signBase64(ksync::proto::requestSigningString(
                    "POST", ksync::proto::kPathRecords, L.id, ts, nonce, body));
                curl_slist* hdrs = nullptr;
                hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
                hdrs = curl_slist_append(hdrs, "Content-Encoding: zstd");
                hdrs = curl_slist_append(hdrs, ("X-Kiosk-Id: " + L.id).c_str());
                hdrs = curl_slist_append(hdrs, ("X-Kiosk-Timestamp: " + ts).c_str());
                hdrs = curl_slist_append(hdrs, ("X-Kiosk-Nonce: " + nonce).c_str());
                hdrs = curl_slist_append(hdrs, ("X-Kiosk-Signature: " + sig).c_str());
                std::string reply;
                curl_easy_setopt(h, CURLOPT_URL, target.c_str());
                curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
                curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
                curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, long(body.size()));
                curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
                curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
                long status = 0;
                const bool ok =
                    curl_easy_perform(h) == CURLE_OK &&
                    (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status), status == 200);
                curl_slist_free_all(hdrs);
                auto j = json::parse(reply, nullptr, false);
                if (ok && j.is_object() && j.contains("counts"))
                    L.created += j["counts"].value("created", 0);
                else
                    ++L.failed;
            }
            curl_easy_cleanup(h);
        });
    }
    for (auto& t : threads) t.join();
    const double s = msSince(t0) / 1000;
    const double cpu = cpuSeconds(server) - cpu0;
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);

    std::size_t created = 0, failed = 0;
    for (auto& L : loads) created += L.created, failed += L.failed;
    const double rate = double(created) / s;
    json j{{"kiosks", kiosks},     {"batch", batch},
           {"records", created},   {"failed_requests", failed},
           {"seconds", s},         {"records_per_s", rate},
           {"backend_cpu_s", cpu}, {"backend_cpu_share_of_2_cores", cpu / s / 2}};
    std::cout << "ingest: " << created << " records (" << failed << " failed requests) in " << s
              << " s = " << rate << " records/s; backend used " << cpu << " CPU-s\n";
    writeResult(out, "ingest", j);
    return failed == 0 ? 0 : 1;
}
