// bench_sync — sync efficiency and drain time (issue #7). Section index: the ODK-style baseline
// (sink server and client); efficiency on an unimpaired counting relay; drain over the emulated
// bad link (link_relay.hpp) with a 60 s outage in the middle; main.
//
// Usage: bench_sync --fixtures DIR --work DIR --out results.json [--records 10000]
//        [--drain-records N] [--outage-s 60] [--baseline-link-records 50] [--no-drain]
#include <curl/curl.h>
#include <httplib.h>
#include <sodium.h>
#include <zstd.h>

#include <signal.h>

#include <fstream>
#include <iostream>

#include "bench_common.hpp"
#include "client/sync_client.hpp"
#include "client/sync_worker.hpp"
#include "keys/device_key.hpp"
#include "link_relay.hpp"
#include "proto/payload_codec.hpp"
#include "record/record.hpp"
#include "store/store.hpp"

namespace {

using namespace bench;
using nlohmann::json;
namespace fs = std::filesystem;

// ---- ODK-style baseline ------------------------------------------------------------------------

std::string xmlEscape(std::string_view s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&':
                o += "&amp;";
                break;
            case '<':
                o += "&lt;";
                break;
            case '>':
                o += "&gt;";
                break;
            case '"':
                o += "&quot;";
                break;
            default:
                o += c;
        }
    }
    return o;
}

// The record as an ODK Collect instance document (the form's fields plus orx:meta).
std::string odkInstance(const ksync::record::Record& r) {
    const auto& h = r.header;
    const auto& c = r.content;
    std::string x =
        "<?xml version='1.0' ?><data id=\"phan_anh_kien_nghi\" version=\"2026112301\" "
        "xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\">";
    auto f = [&](const char* name, std::string_view v) {
        x += std::string("<") + name + ">" + xmlEscape(v) + "</" + name + ">";
    };
    f("type", h.type == ksync::record::RecordType::Pakn ? "PAKN" : "SKGP");
    f("category", h.category);
    f("kiosk_id", h.kioskId);
    f("sequence", std::to_string(h.sequence));
    f("tracking_code", h.trackingCode);
    f("language", h.language);
    f("created_at", h.createdAt);
    f("title", c.title);
    f("body", c.body);
    f("ward", c.location ? c.location->wardCode : "");
    f("location", c.location ? c.location->address : "");
    f("anonymous", c.contact ? "no" : "yes");
    f("name", c.contact ? c.contact->name : "");
    f("phone", c.contact ? c.contact->phone : "");
    f("email", c.contact ? c.contact->email : "");
    f("address", c.contact ? c.contact->address : "");
    f("consent", c.consent ? "yes" : "no");
    x += "<orx:meta><orx:instanceID>uuid:" + h.id + "</orx:instanceID></orx:meta></data>";
    return x;
}

// An OpenRosa submission endpoint: HEAD (httplib routes it to the GET handler) answers 204, POST
// 201 with the usual XML reply.
struct OdkSink {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<std::int64_t> requests{0};
    OdkSink() {
        auto common = [](httplib::Response& res) {
            res.set_header("X-OpenRosa-Version", "1.0");
            res.set_header("X-OpenRosa-Accept-Content-Length", "10485760");
            res.set_header("Date", "Mon, 23 Nov 2026 04:05:06 GMT");
        };
        server.Get("/submission", [this, common](const httplib::Request&, httplib::Response& res) {
            ++requests;
            common(res);
            res.status = 204;
        });
        server.Post(
            "/submission", [this, common](const httplib::Request& req, httplib::Response& res) {
                ++requests;
                common(res);
                res.status = req.has_file("xml_submission_file") ? 201 : 400;
                res.set_header("Location", "http://127.0.0.1/submission");
                res.set_content(
                    "<OpenRosaResponse xmlns=\"http://openrosa.org/http/response\"><message "
                    "nature=\"submit_success\">"
                    "Form Received!</message></OpenRosaResponse>",
                    "text/xml; charset=utf-8");
            });
        server.set_keep_alive_max_count(
            100000);                   // generous to the baseline: one connection throughout
        server.set_tcp_nodelay(true);  // else Nagle + delayed ACK add 40 ms per reply
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~OdkSink() {
        server.stop();
        thread.join();
    }
};

size_t discard(char*, size_t size, size_t n, void*) {
    return size * n;
}

// ODK Collect's way: per record a HEAD probe, then an uncompressed multipart POST (keep-alive).
// Returns the number of records sent successfully.
std::size_t odkUpload(const std::vector<ksync::record::Record>& records, int port) {
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/submission";
    std::size_t ok = 0;
    curl_slist* hdrs = nullptr;
    hdrs = curl_slist_append(hdrs, "X-OpenRosa-Version: 1.0");
    hdrs = curl_slist_append(hdrs, "Date: Mon, 23 Nov 2026 04:05:06 GMT+07:00");
    hdrs = curl_slist_append(hdrs, "Accept-Encoding: gzip");
    for (const auto& r : records) {
        curl_easy_reset(h);
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(
            h, CURLOPT_USERAGENT,
            "Dalvik/2.1.0 (Linux; U; Android 11; SM-T505) org.odk.collect.android/v2023.2.4");
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        if (curl_easy_perform(h) != CURLE_OK) continue;
        curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
        curl_mime* mime = curl_mime_init(h);
        curl_mimepart* part = curl_mime_addpart(mime);
        const std::string xml = odkInstance(r);
        curl_mime_name(part, "xml_submission_file");
        curl_mime_filename(part, "submission.xml");
        curl_mime_type(part, "text/xml");
        curl_mime_data(part, xml.data(), xml.size());
        curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
        long status = 0;
        if (curl_easy_perform(h) == CURLE_OK &&
            (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status), status == 201))
            ++ok;
        curl_mime_free(mime);
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return ok;
}

// ---- helpers ----------------------------------------------------------------------------------

ksync::store::DataDir copyKiosk(const fs::path& seed, const fs::path& to) {
    fs::remove_all(to);
    fs::copy(seed, to, fs::copy_options::recursive);
    ksync::store::DataDir d;
    d.root = to;
    return d;
}

std::vector<ksync::record::Record> loadRecords(const ksync::store::DataDir& dir, std::size_t n) {
    auto st = ksync::store::Store::open(dir.database());
    if (!st) die("store");
    std::vector<ksync::record::Record> out;
    for (std::uint64_t s = 1; s <= n; ++s) {
        auto r = st->findBySeq(s);
        if (!r || !*r) die("record " + std::to_string(s));
        out.push_back(std::move(**r));
    }
    return out;
}

std::int64_t queued(ksync::store::Store& st) {
    auto s = st.outboxStats();
    return s ? s->queued : -1;
}

// Runs passes until the outbox is empty (or `maxPasses`).
void syncAll(const ksync::store::DataDir& dir) {
    auto c = ksync::client::SyncClient::open(dir);
    if (!c) die("sync client: " + c.error().detail);
    (void)c->recover();
    for (int pass = 0; pass < 5; ++pass) {
        auto rep = c->runPass();
        if (!rep.ok()) std::cerr << "bench_sync: pass error: " << rep.error->detail << "\n";
        if (queued(c->store()) == 0) return;
    }
    die("queue not drained on an unimpaired link");
}

// Where the upstream bytes go (for the report): canonical content, compressed payload, the
// record's JSON on the wire, and what compressing each whole batch body (100 records) with zstd
// level 3 would leave — the size a `Content-Encoding: zstd` request would have.
json breakdown(const ksync::store::DataDir& dir, std::size_t n) {
    auto st = ksync::store::Store::open(dir.database());
    if (!st) die("store");
    auto batch = st->claimBatch(n, std::size_t(1) << 40, std::numeric_limits<std::int64_t>::max());
    if (!batch) die("claim");
    ksync::proto::PayloadCodec codec(ksync::proto::Dictionaries::shipped());
    double content = 0, payload = 0, wire = 0, header = 0, bodies = 0, bodiesZ = 0,
           bodiesPlainZ = 0;
    json records = json::array(), plainRecords = json::array();
    auto flush = [&] {
        const std::string body = json{{"kiosk_id", "7K3M"}, {"records", records}}.dump();
        const std::string plainBody = json{{"kiosk_id", "7K3M"}, {"records", plainRecords}}.dump();
        std::string z(ZSTD_compressBound(body.size()), '\0'),
            zp(ZSTD_compressBound(plainBody.size()), '\0');
        bodies += double(body.size());
        bodiesZ += double(ZSTD_compress(z.data(), z.size(), body.data(), body.size(), 3));
        bodiesPlainZ +=
            double(ZSTD_compress(zp.data(), zp.size(), plainBody.data(), plainBody.size(), 19));
        records = json::array();
        plainRecords = json::array();
    };
    for (const auto& item : *batch) {
        auto enc = codec.encode(item.content, "v1");
        content += double(item.content.size());
        payload += double(enc.bytes.size());
        const auto w = ksync::proto::toWire({item.header, enc.format, enc.bytes});
        wire += double(w.dump().size());
        auto h = w;
        h.erase("payload");
        header += double(h.dump().size());
        records.push_back(w);
        plainRecords.push_back(ksync::proto::toWire({item.header, "plain", item.content}));
        if (records.size() == 100) flush();
    }
    if (!records.empty()) flush();
    const double k = batch->empty() ? 1 : double(batch->size());
    return {{"content_bytes", content / k},
            {"payload_bytes", payload / k},
            {"record_json_bytes", wire / k},
            {"record_json_without_payload", header / k},
            {"batch_body_bytes", bodies / k},
            {"batch_body_zstd3_bytes", bodiesZ / k},
            {"batch_body_plain_payloads_zstd19_bytes", bodiesPlainZ / k}};
}

// ---- drain over the bad link -------------------------------------------------------------------

json drain(const fs::path& work, const fs::path& seed, std::size_t n, const std::string& lossName,
           GilbertElliott loss, int outageS, long rate, int rttMs) {
    const fs::path root = work / ("drain-" + lossName);
    fs::remove_all(root);
    Backend backend(root / "backend");
    auto dir = copyKiosk(seed, root / "kiosk");
    enroll(dir, backend);
    LinkOptions lo;
    lo.targetPort = backend.port();
    lo.rateBitsPerS = rate;
    lo.oneWayDelayMs = rttMs / 2;
    lo.loss = loss;
    lo.maxSeconds = 3 * 3600;
    LinkRelay relay(lo);
    const int port = relay.start();
    setBackendUrl(dir, "http://127.0.0.1:" + std::to_string(port));
    auto st = ksync::store::Store::open(dir.database());
    if (!st) die("store");

    ksync::client::SyncWorker worker(dir, {});
    const auto t0 = Clock::now();
    worker.start();
    bool cutDone = outageS <= 0;
    double cutAtS = -1, resumedAtS = -1;
    std::int64_t left = queued(*st), leftAtCut = -1;
    const double limitS = 3 * 3600;
    while (left != 0 && msSince(t0) / 1000 < limitS) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        left = queued(*st);
        if (!cutDone && left >= 0 && std::size_t(left) <= n / 2) {
            relay.cut(std::int64_t(outageS) * 1000);
            cutAtS = msSince(t0) / 1000;
            cutDone = true;
            leftAtCut = left;
        }
        if (leftAtCut >= 0 && resumedAtS < 0 && left >= 0 && left < leftAtCut &&
            msSince(t0) / 1000 > cutAtS + outageS)
            resumedAtS = msSince(t0) / 1000;
    }
    const double seconds = msSince(t0) / 1000;
    worker.stop();
    relay.stop();
    const double up = double(relay.bytesUp()), down = double(relay.bytesDown());
    const double physical = std::max(up, down) * 8 / double(rate);
    json j{
        {"loss_model", lossName},
        {"mean_loss", loss.meanLoss()},
        {"records", n},
        {"drained", left == 0},
        {"seconds", seconds},
        {"outage_s", outageS},
        {"outage_started_at_s", cutAtS},
        {"first_ack_after_outage_s", resumedAtS},  // backoff and recovery after the link came back
        {"bytes_up", up},
        {"bytes_down", down},
        {"connections", relay.connections()},
        {"segments", relay.segments()},
        {"lost_segments", relay.lostSegments()},
        {"physical_limit_s", physical},
        {"ratio_to_physical", seconds / physical},
        {"ratio_to_physical_plus_outage", seconds / (physical + outageS)},
        {"congestion_control", "not modelled (TCP relay)"}};
    std::cout << "drain[" << lossName << "]: " << n << " records in " << seconds << " s; limit "
              << physical << " s; ratio " << seconds / physical << " ("
              << seconds / (physical + outageS) << " with the outage)\n";
    return j;
}

// The drain over the namespace link (bench_tunlink): the backend and the link are run by
// scripts/bench.sh; this enrolls a copy of the seed kiosk with --token, drains it with the real
// SyncWorker and sends SIGUSR1 to --cut-pid when half the records are through. --ca-bundle: the
// URL is HTTPS and only that CA is trusted.
int drainExternal(int argc, char** argv, const fs::path& work, const fs::path& seed, std::size_t n,
                  const std::string& url, const fs::path& out) {
    const std::string label = arg(argc, argv, "--label", "netns");
    const std::string token = arg(argc, argv, "--token");
    const pid_t cutPid = pid_t(std::stol(arg(argc, argv, "--cut-pid", "0")));
    const fs::path root = work / ("drain-" + label);
    fs::remove_all(root);
    fs::create_directories(root);
    auto dir = copyKiosk(seed, root / "kiosk");
    setBackendUrl(dir, url);
    if (const std::string ca = arg(argc, argv, "--ca-bundle"); !ca.empty()) {
        // HTTPS straight to the backend's nginx: trust only the bench's private CA.
        auto s = ksync::store::loadSettings(dir);
        if (!s) die("settings: " + s.error());
        s->caBundle = ca;
        if (auto r = ksync::store::saveSettings(dir, *s); !r) die("settings: " + r.error());
    }
    {
        auto c = ksync::client::SyncClient::open(dir);
        if (!c) die("client: " + c.error().detail);
        if (auto r = c->enroll(token); !r) die("enroll over the link: " + r.error().detail);
    }
    auto st = ksync::store::Store::open(dir.database());
    if (!st) die("store");
    ksync::client::SyncWorker worker(dir, {});
    const auto t0 = Clock::now();
    worker.start();
    bool cut = cutPid <= 0;
    const int outageS = std::stoi(arg(argc, argv, "--outage-s", "60"));
    double cutAt = -1, resumedAt = -1;
    std::int64_t left = queued(*st), leftAtCut = -1;
    while (left != 0 && msSince(t0) < 3 * 3600 * 1000.0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        left = queued(*st);
        if (!cut && left >= 0 && std::size_t(left) <= n / 2) {
            kill(cutPid, SIGUSR1);
            cutAt = msSince(t0) / 1000;
            cut = true;
            leftAtCut = left;
        }
        if (leftAtCut >= 0 && resumedAt < 0 && left >= 0 && left < leftAtCut &&
            msSince(t0) / 1000 > cutAt + outageS)
            resumedAt = msSince(t0) / 1000;
    }
    const double seconds = msSince(t0) / 1000;
    worker.stop();
    json j{{"records", n},
           {"drained", left == 0},
           {"seconds", seconds},
           {"outage_started_at_s", cutAt},
           {"first_ack_after_outage_s", resumedAt}};
    std::cout << "drain[" << label << "]: " << n << " records in " << seconds << " s\n";
    writeResult(out, "drain_" + label, j);
    return left == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path fixtures = arg(argc, argv, "--fixtures");
    const fs::path work = arg(argc, argv, "--work", "/tmp/bench-sync");
    const fs::path out = arg(argc, argv, "--out", "bench/results/latest.json");
    const std::size_t n = std::stoul(arg(argc, argv, "--records", "10000"));
    const std::size_t drainN = std::stoul(arg(argc, argv, "--drain-records", std::to_string(n)));
    const int outageS = std::stoi(arg(argc, argv, "--outage-s", "60"));
    const std::size_t baseLinkN = std::stoul(arg(argc, argv, "--baseline-link-records", "50"));
    const long rate = std::stol(arg(argc, argv, "--rate", "256000"));
    const int rtt = std::stoi(arg(argc, argv, "--rtt-ms", "300"));
    ksync::client::globalInit();
    if (sodium_init() < 0) die("sodium");

    const auto seeds = loadSeeds(fixtures);
    // The seed kiosk: n records through the real Store, copied for each run below. Kept in
    // --seed-dir between runs when given.
    const fs::path seedDir = arg(argc, argv, "--seed-dir", (work / "seed").string());
    double fillS = 0;
    std::size_t seeded = 0;
    if (std::ifstream in(seedDir / "seed-complete"); in) in >> seeded;
    if (seeded != n || !fs::exists(seedDir / "kiosk.db")) {
        fs::remove_all(seedDir);
        auto seedKiosk = makeKioskDir(seedDir, "7K3M", "http://127.0.0.1:1");
        fillS = fillRecords(seedKiosk, seeds, 0, n);
        std::ofstream(seedDir / "seed-complete") << n << "\n";
        std::cout << "seed: " << n << " records in " << fillS << " s (" << fillS * 1000 / double(n)
                  << " ms each)\n";
    }
    // Everything else in the work directory is per run.
    fs::create_directories(work);
    for (const auto& e : fs::directory_iterator(work))
        if (!fs::equivalent(e.path(), seedDir)) fs::remove_all(e.path());
    if (const std::string ext = arg(argc, argv, "--drain-external"); !ext.empty())
        return drainExternal(argc, argv, work, seedDir, n, ext, out);
    json result{{"records", n}, {"seed_fill_s", fillS}};

    // ---- efficiency: our protocol, batches of 100, through a counting relay -------------------
    {
        Backend backend(work / "eff-backend");
        auto dir = copyKiosk(seedDir, work / "eff-kiosk");
        enroll(dir, backend);
        LinkOptions lo;
        lo.targetPort = backend.port();
        LinkRelay relay(lo);
        setBackendUrl(dir, "http://127.0.0.1:" + std::to_string(relay.start()));
        const auto req0 = backend.requests();
        const auto t0 = Clock::now();
        syncAll(dir);
        const double s = msSince(t0) / 1000;
        relay.stop();
        const double reqs = double(backend.requests() - req0);
        const json parts = breakdown(copyKiosk(seedDir, work / "parts-kiosk"), n);
        std::cout << "per record: " << parts.dump() << "\n";
        result["ours_breakdown_per_record"] = parts;
        result["ours"] = {{"bytes_up_per_record", double(relay.bytesUp()) / double(n)},
                          {"bytes_down_per_record", double(relay.bytesDown()) / double(n)},
                          // The product seals at commit (here: at enrolment, as the seed was made
                          // before it): what crossed the relay is sealed content.
                          {"bytes_up_per_record_sealed", double(relay.bytesUp()) / double(n)},
                          {"requests", reqs},
                          {"requests_per_1000", reqs * 1000 / double(n)},
                          {"connections", relay.connections()},
                          {"seconds_loopback", s}};
        std::cout << "ours: " << result["ours"].dump() << "\n";
    }
    // ---- efficiency: the ODK-style baseline ----------------------------------------------------
    const auto records = loadRecords(ksync::store::DataDir{seedDir, {}}, n);
    {
        OdkSink sink;
        LinkOptions lo;
        lo.targetPort = sink.port;
        LinkRelay relay(lo);
        const int port = relay.start();
        const auto t0 = Clock::now();
        const std::size_t ok = odkUpload(records, port);
        const double s = msSince(t0) / 1000;
        relay.stop();
        result["baseline"] = {
            {"sent", ok},
            {"bytes_up_per_record", double(relay.bytesUp()) / double(n)},
            {"bytes_down_per_record", double(relay.bytesDown()) / double(n)},
            {"requests", sink.requests.load()},
            {"requests_per_1000", double(sink.requests.load()) * 1000 / double(n)},
            {"connections", relay.connections()},
            {"seconds_loopback", s}};
        std::cout << "baseline: " << result["baseline"].dump() << "\n";
    }
    const double ratio = result["ours"]["bytes_up_per_record_sealed"].get<double>() /
                         result["baseline"]["bytes_up_per_record"].get<double>();
    result["up_bytes_ratio_sealed_vs_baseline"] = ratio;
    writeResult(out, "sync_efficiency", result);

    if (flag(argc, argv, "--no-drain")) return 0;
    // ---- drain over the bad link ---------------------------------------------------------------
    json drains = json::array();
    fs::path drainSeed = seedDir;
    if (drainN != n) {
        drainSeed = work / "drain-seed";
        fillRecords(makeKioskDir(drainSeed, "7K3M", "http://127.0.0.1:1"), seeds, 0, drainN);
    }
    const std::string models = arg(argc, argv, "--loss-models", "random,bursty");
    if (models.find("random") != std::string::npos)
        drains.push_back(drain(work, drainSeed, drainN, "random", GilbertElliott::random(0.05),
                               outageS, rate, rtt));
    if (models.find("bursty") != std::string::npos)
        drains.push_back(drain(work, drainSeed, drainN, "bursty-ge", GilbertElliott::bursty(0.05),
                               outageS, rate, rtt));
    json d{{"rate_bits_per_s", rate}, {"rtt_ms", rtt}, {"runs", drains}};
    // The baseline over the same link (random loss, no outage), extrapolated from a sample.
    if (baseLinkN > 0) {
        OdkSink sink;
        LinkOptions lo;
        lo.targetPort = sink.port;
        lo.rateBitsPerS = rate;
        lo.oneWayDelayMs = rtt / 2;
        lo.loss = GilbertElliott::random(0.05);
        LinkRelay relay(lo);
        const int port = relay.start();
        const auto t0 = Clock::now();
        std::vector<ksync::record::Record> sample(
            records.begin(), records.begin() + long(std::min(baseLinkN, records.size())));
        odkUpload(sample, port);
        const double s = msSince(t0) / 1000;
        relay.stop();
        d["baseline_sample_records"] = sample.size();
        d["baseline_sample_seconds"] = s;
        d["baseline_extrapolated_s"] = s / double(sample.size()) * double(drainN);
        std::cout << "baseline over the link: " << sample.size() << " records in " << s << " s -> "
                  << s / double(sample.size()) * double(drainN) / 3600 << " h for " << drainN
                  << "\n";
    }
    writeResult(out, "drain", d);
    return 0;
}
