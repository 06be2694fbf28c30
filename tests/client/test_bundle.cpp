// USB bundles end to end (issue: communes without a link): real kiosk SQLite files, the real
// backend (its service and HTTP server in process for the link half, the real `kiosk-backend
// import` program for the stick), the real `kioskctl` for export/import and for SIGKILLs.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "client/bundle.hpp"
#include "client/sync_client.hpp"
#include "clock/clock.hpp"
#include "proto/bundle.hpp"
#include "proto/payload_codec.hpp"
#include "record/record.hpp"
#include "run_process.hpp"
#include "sync_test_support.hpp"
#include "text/strings.hpp"

using namespace synctest;
using testsupport::runProcess;
namespace fs = std::filesystem;
namespace proto = ksync::proto;
namespace client = ksync::client;

namespace {

std::vector<std::string> bundlesIn(const fs::path& dir, std::string_view suffix) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().ends_with(suffix)) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string readFile(const std::string& path) {
    auto r = proto::readWholeFile(path);
    REQUIRE(r);
    return *r;
}

void writeFile(const fs::path& path, std::string_view bytes) {
    std::ofstream o(path, std::ios::binary | std::ios::trunc);
    o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(o);
}

testsupport::ProcessResult backendImport(Backend& b, const std::vector<std::string>& files,
                                         const fs::path& out) {
    std::vector<std::string> args = {"--data-dir", b.dataDir().string(), "import"};
    args.insert(args.end(), files.begin(), files.end());
    args.push_back("--out");
    args.push_back(out.string());
    return runProcess(KIOSK_BACKEND_PATH, args);
}

testsupport::ProcessResult kioskctl(Kiosk& k, const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--data-dir", k.dir().root.string()};
    all.insert(all.end(), args.begin(), args.end());
    return runProcess(KIOSKCTL_PATH, all);
}

// What a refused bundle must leave untouched on the kiosk.
struct KioskSnapshot {
    std::int64_t queued = 0, uploaded = 0, quarantined = 0;
    std::string cursor, issued, etag;
    std::size_t events = 0;
    bool operator==(const KioskSnapshot&) const = default;
};

KioskSnapshot snapshot(Kiosk& k, const std::vector<std::string>& codes) {
    KioskSnapshot s;
    auto st = k.store().outboxStats();
    REQUIRE(st);
    s.queued = st->queued;
    s.uploaded = st->uploaded;
    s.quarantined = st->quarantined;
    s.cursor = k.store().state(ksync::store::kStateStatusCursor).value().value_or("");
    s.issued = k.store().state(client::kStateReturnIssuedMs).value().value_or("");
    auto cfg = k.store().config();
    REQUIRE(cfg);
    s.etag = *cfg ? (*cfg)->etag : "";
    for (const auto& c : codes) s.events += k.store().statusHistory(c).value().size();
    return s;
}

// A container assembled by hand (for the bomb and format cases), signed with `key`.
std::string assemble(const nlohmann::json& header, std::string_view body,
                     const platform::keys::DeviceKey& key) {
    const std::string line = header.dump();
    std::string out(proto::kBundleMagic);
    out += line + "\n";
    out += body;
    out += "\nsig:" + key.signBase64(proto::bundleSigningString(line)) + "\n";
    return out;
}

nlohmann::json headerFor(const std::string& kioskId, std::string_view body,
                         std::uint64_t plainBytes, int format = 1) {
    return {{"format", format},
            {"kind", "to_city"},
            {"kiosk_id", kioskId},
            {"bundle_id", proto::newNonce()},
            {"created_at_ms", 1796313162000},
            {"body_bytes", body.size()},
            {"plain_bytes", plainBytes},
            {"body_sha256", ksync::record::sha256Hex(body)}};
}

}  // namespace

TEST_CASE(
    "1,000 records leave by USB stick, half of them also by link: each is stored once with the "
    "kiosk's own "
    "times, and the return bundle acknowledges them and brings the statuses back") {
    Backend b;
    Kiosk k(b.url(), "7K3M");
    k.enroll(b);
    const auto seqs = k.addRecords(1000);
    testsupport::TempDir usb;

    // The staff member exports first: all 1,000 are on the stick and stay queued on the kiosk.
    auto exported = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(exported);
    CHECK(exported->records == 1000);
    CHECK(exported->firstSequence == 1);
    CHECK(exported->lastSequence == 1000);
    CHECK(k.store().outboxStats()->queued == 1000);

    // Then the link comes back for a while: 500 go up the usual way.
    client::SyncClientOptions options;
    options.transport = transportTo(b.url());
    options.batchRecords = 250;
    options.maxBatchesPerPass = 2;
    {
        auto c = client::SyncClient::open(k.dir(), options);
        REQUIRE(c);
        const auto pass = c->runPass();
        INFO((pass.error ? pass.error->detail : std::string()));
        CHECK(pass.uploaded == 500);
    }
    CHECK(k.store().outboxStats()->queued == 500);
    CHECK(*b.storage().recordCount() == 500);

    // Officers work some of them (by link-uploaded and stick-only codes alike).
    std::vector<std::string> codes;
    for (std::uint64_t seq :
         {std::uint64_t{3}, std::uint64_t{499}, std::uint64_t{501}, std::uint64_t{1000}}) {
        auto rec = k.store().findBySeq(seq);
        REQUIRE(rec);
        REQUIRE(*rec);
        codes.push_back((*rec)->header.trackingCode);
    }
    // The stick reaches the district: the import stores the 500 the link did not carry.
    auto imported = backendImport(b, {exported->file}, usb.path());
    INFO(imported.err);
    REQUIRE(imported.exitCode == 0);
    CHECK(imported.out.find("1000 hồ sơ (500 mới, 500 đã có, 0 cần xem lại)") != std::string::npos);
    REQUIRE(*b.storage().recordCount() == 1000);
    for (const auto& code : codes) {
        ksync::backend::StaffUpdate u{
            code, "forwarded", "Phòng Quản lý đô thị", "Nguyễn Thị Bình", "", "Đã chuyển xử lý"};
        REQUIRE(ksync::backend::applyStaffUpdate(
            b.storage(), u, platform::clock::unixMillis(platform::clock::now())));
    }
    // A second import of the same stick (the officer pressed twice) stores nothing new and
    // writes the return bundle that now carries the statuses.
    auto again = backendImport(b, {exported->file}, usb.path());
    REQUIRE(again.exitCode == 0);
    CHECK(again.out.find("(0 mới, 1000 đã có, 0 cần xem lại)") != std::string::npos);
    CHECK(*b.storage().recordCount() == 1000);

    // Every record exactly once, with the time the kiosk made it (not the time of import).
    auto stored = b.storage().kioskRecords("7K3M");
    REQUIRE(stored);
    REQUIRE(stored->size() == 1000);
    for (const auto& r : *stored) {
        auto local = k.store().findBySeq(r.header.sequence);
        REQUIRE(local);
        REQUIRE(*local);
        CHECK(r.header.createdAt == (*local)->header.createdAt);
        CHECK(r.header.hash == (*local)->header.hash);
    }

    // Back at the commune: the newest return bundle is applied.
    const auto returns = bundlesIn(usb.path(), ".to-kiosk.ksb");
    REQUIRE(returns.size() == 2);
    auto found = client::findReturnBundle(k.dir(), usb.path().string());
    REQUIRE(found);
    CHECK(*found == returns.back());
    auto applied = client::importBundle(k.dir(), *found);
    INFO((applied ? std::string() : applied.error().detail));
    REQUIRE(applied);
    CHECK(applied->acknowledged == 500);
    CHECK(applied->quarantined == 0);
    CHECK(applied->stillQueued == 0);
    CHECK(applied->statusUpdates >= codes.size());
    CHECK(k.store().outboxStats()->queued == 0);
    CHECK(k.store().outboxStats()->uploaded == 1000);
    for (const auto& code : codes) {
        auto latest = k.store().latestStatus(code);
        REQUIRE(latest);
        REQUIRE(*latest);
        CHECK((*latest)->status == "forwarded");
        CHECK((*latest)->officer == "Nguyễn Thị Bình");
    }
    // The older return bundle is a replay now; a new export holds nothing and is harmless.
    auto old = client::importBundle(k.dir(), returns.front());
    REQUIRE_FALSE(old);
    CHECK(old.error().refusal == proto::BundleRefusal::Replayed);
    auto empty = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(empty);
    CHECK(empty->records == 0);
    auto emptyImport = backendImport(b, {empty->file}, usb.path());
    CHECK(emptyImport.exitCode == 0);
    CHECK(*b.storage().recordCount() == 1000);
}

TEST_CASE("bundles are refused whole, each with its message, and neither database changes") {
    Backend b;
    Kiosk k(b.url(), "7K3M");
    k.enroll(b);
    k.addRecords(30);
    testsupport::TempDir usb;
    auto exported = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(exported);
    const std::string good = readFile(exported->file);
    auto kioskKey = platform::keys::DeviceKey::load(client::deviceKeyFile(k.dir()));
    REQUIRE(kioskKey);

    auto refusedAtBackend = [&](const std::string& name, std::string_view bytes,
                                std::string_view code, std::string_view words) {
        const fs::path file = usb.path() / name;
        writeFile(file, bytes);
        const auto before = *b.storage().recordCount();
        auto r = backendImport(b, {file.string()}, usb.path());
        INFO(name << ": " << r.err);
        CHECK(r.exitCode == 1);
        CHECK(r.err.find(std::string(code)) != std::string::npos);
        CHECK(r.err.find(std::string(words)) != std::string::npos);
        CHECK(*b.storage().recordCount() == before);
    };

    SECTION("edited after signing: a byte of the body, or the header") {
        std::string body = good;
        body[body.size() / 2] ^= 0x01;
        refusedAtBackend("edited.to-city.ksb", body, "tampered", "bị sửa đổi sau khi ký");
        std::string header = good;
        const auto at = header.find("\"created_at_ms\":");
        REQUIRE(at != std::string::npos);
        header[at + 17] = header[at + 17] == '1' ? '2' : '1';
        refusedAtBackend("header.to-city.ksb", header, "tampered", "bị sửa đổi sau khi ký");
    }
    SECTION("a truncated copy (the stick pulled out), and one with bytes appended") {
        for (std::size_t keep : {good.size() - 1, good.size() / 2, std::size_t{40}, std::size_t{5}})
            refusedAtBackend("cut.to-city.ksb", good.substr(0, keep), "truncated", "Gói bị thiếu");
        refusedAtBackend("long.to-city.ksb", good + "x", "truncated", "Gói bị thiếu");
    }
    SECTION("a bundle from an unknown kiosk") {
        Kiosk stranger(b.url(), "9Q2R");
        stranger.addRecords(3);
        // It knows the backend's key (provisioned with init --backend-key) but was never enrolled.
        REQUIRE(
            stranger.store().setState(ksync::store::kStateBackendKey,
                                      *k.store().state(ksync::store::kStateBackendKey).value()));
        REQUIRE(platform::keys::DeviceKey::loadOrCreate(client::deviceKeyFile(stranger.dir())));
        testsupport::TempDir other;
        auto e = client::exportBundle(stranger.dir(), other.path().string());
        REQUIRE(e);
        refusedAtBackend("stranger.to-city.ksb", readFile(e->file), "unknown_kiosk",
                         "chưa đăng ký");
    }
    SECTION(
        "a decompression bomb: a frame that expands past its declared size, or a declared size "
        "over the cap") {
        const std::string bomb = proto::compressBody(std::string(64u * 1024 * 1024, '{'));
        CHECK(bomb.size() < 64 * 1024);
        refusedAtBackend("bomb.to-city.ksb",
                         assemble(headerFor("7K3M", bomb, 1000), bomb, *kioskKey), "too_large",
                         "nén bất thường");
        refusedAtBackend("huge.to-city.ksb",
                         assemble(headerFor("7K3M", bomb, std::uint64_t{4} << 30), bomb, *kioskKey),
                         "too_large", "nén bất thường");
    }
    SECTION("a bundle from a newer format version") {
        const std::string body = proto::compressBody("{}");
        refusedAtBackend(
            "newer.to-city.ksb",
            assemble(headerFor("7K3M", body, 2, proto::kBundleFormat + 1), body, *kioskKey),
            "newer_format", "phiên bản phần mềm mới hơn");
    }
    SECTION("not a bundle at all, and a return bundle given to the backend") {
        refusedAtBackend("notes.to-city.ksb", "Biên bản bàn giao USB\n", "not_a_bundle",
                         "không phải là gói dữ liệu");
        auto r = backendImport(b, {exported->file}, usb.path());
        REQUIRE(r.exitCode == 0);
        const auto ret = bundlesIn(usb.path(), ".to-kiosk.ksb");
        REQUIRE(ret.size() == 1);
        refusedAtBackend("return.to-city.ksb", readFile(ret.front()), "wrong_kind",
                         "Nhầm loại gói");
    }

    SECTION(
        "at the kiosk: edited, truncated, for another kiosk, replayed, a kiosk bundle, a newer "
        "format") {
        auto r = backendImport(b, {exported->file}, usb.path());
        REQUIRE(r.exitCode == 0);
        const std::string firstReturn = bundlesIn(usb.path(), ".to-kiosk.ksb").front();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        REQUIRE(backendImport(b, {exported->file}, usb.path()).exitCode == 0);
        const std::string secondReturn = bundlesIn(usb.path(), ".to-kiosk.ksb").back();
        REQUIRE(firstReturn != secondReturn);
        const std::string ret = readFile(secondReturn);
        std::vector<std::string> codes;
        const auto recent = k.store().listRecords(5);
        REQUIRE(recent);
        for (const auto& s : *recent) codes.push_back(s.trackingCode);

        auto refusedAtKiosk = [&](const std::string& name, std::string_view bytes,
                                  std::string_view code, std::string_view words) {
            const fs::path file = usb.path() / name;
            writeFile(file, bytes);
            const auto before = snapshot(k, codes);
            auto out = kioskctl(k, {"import", file.string()});
            INFO(name << ": " << out.err);
            CHECK(out.exitCode == 1);
            CHECK(out.err.find(std::string(code)) != std::string::npos);
            CHECK(out.err.find(std::string(words)) != std::string::npos);
            CHECK(snapshot(k, codes) == before);
        };
        std::string edited = ret;
        edited[edited.size() - 100] ^= 0x20;
        refusedAtKiosk("edited.to-kiosk.ksb", edited, "tampered", "bị sửa đổi sau khi ký");
        refusedAtKiosk("cut.to-kiosk.ksb", ret.substr(0, ret.size() - 10), "truncated",
                       "Gói bị thiếu");
        refusedAtKiosk("city.to-kiosk.ksb", good, "wrong_kind", "Nhầm loại gói");
        const std::string newerBody = proto::compressBody("{}");
        auto newerHeader = headerFor("7K3M", newerBody, 2, 7);
        newerHeader["kind"] = "to_kiosk";
        refusedAtKiosk("newer.to-kiosk.ksb", assemble(newerHeader, newerBody, *kioskKey),
                       "newer_format", "phiên bản phần mềm mới hơn");

        // Another enrolled kiosk's return bundle.
        Kiosk other(b.url(), "4N8P");
        other.enroll(b);
        other.addRecords(2);
        testsupport::TempDir otherUsb;
        auto oe = client::exportBundle(other.dir(), otherUsb.path().string());
        REQUIRE(oe);
        REQUIRE(backendImport(b, {oe->file}, otherUsb.path()).exitCode == 0);
        refusedAtKiosk("other.to-kiosk.ksb",
                       readFile(bundlesIn(otherUsb.path(), ".to-kiosk.ksb").front()), "other_kiosk",
                       "dành cho ki-ốt khác");

        // The good one applies; after it, itself and the older one are replays.
        auto ok = kioskctl(k, {"import", secondReturn});
        INFO(ok.err);
        REQUIRE(ok.exitCode == 0);
        CHECK(ok.out.find("30 hồ sơ được máy chủ xác nhận") != std::string::npos);
        refusedAtKiosk("again.to-kiosk.ksb", ret, "replayed", "đã được nhập");
        refusedAtKiosk("older.to-kiosk.ksb", readFile(firstReturn), "replayed", "đã được nhập");
    }
}

TEST_CASE(
    "export, the backend's import and the kiosk's import killed with SIGKILL lose nothing, "
    "duplicate nothing, "
    "and the next run is good") {
    Backend b;
    Kiosk k(b.url(), "7K3M");
    k.enroll(b);
    k.addRecords(envInt("KIOSK_BUNDLE_RECORDS", 600));
    testsupport::TempDir usb;
    std::mt19937 rng(20261203);
    auto kioskPub =
        platform::keys::DeviceKey::load(client::deviceKeyFile(k.dir()))->publicKeyBase64();
    const int runs = envInt("KIOSK_KILL_RUNS", 8);

    auto killAfter = [&](const std::string& program, const std::vector<std::string>& args,
                         int maxMs) {
        auto child = Child::spawn(program, args);
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::uniform_int_distribution<int>(0, maxMs)(rng)));
        child.kill9();
        child.wait();
    };
    const std::vector<std::string> exportArgs = {"--data-dir", k.dir().root.string(), "export",
                                                 "--to", usb.path().string()};
    for (int i = 0; i < runs; ++i) killAfter(KIOSKCTL_PATH, exportArgs, 60);
    // Whatever the kills left: no file that looks like a bundle is anything but whole and valid.
    for (const auto& f : bundlesIn(usb.path(), ".ksb")) {
        INFO(f);
        CHECK(proto::openBundle(readFile(f), kioskPub));
    }
    for (const auto& f : bundlesIn(usb.path(), ".ksb")) fs::remove(f);
    auto exported = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(exported);
    const std::size_t total = exported->records;
    CHECK(k.store().outboxStats()->queued == static_cast<std::int64_t>(total));

    const std::vector<std::string> importArgs = {
        "--data-dir", b.dataDir().string(), "import", exported->file, "--out", usb.path().string()};
    for (int i = 0; i < runs; ++i) killAfter(KIOSK_BACKEND_PATH, importArgs, 300);
    CHECK(*b.storage().recordCount() <= total);  // whole batches only, never a duplicate
    for (const auto& f : bundlesIn(usb.path(), ".to-kiosk.ksb")) fs::remove(f);
    auto done = backendImport(b, {exported->file}, usb.path());
    INFO(done.err);
    REQUIRE(done.exitCode == 0);
    CHECK(*b.storage().recordCount() == total);
    auto stored = b.storage().kioskRecords("7K3M");
    REQUIRE(stored);
    CHECK(stored->size() == total);

    const std::string ret = bundlesIn(usb.path(), ".to-kiosk.ksb").front();
    for (int i = 0; i < runs; ++i)
        killAfter(KIOSKCTL_PATH, {"--data-dir", k.dir().root.string(), "import", ret}, 60);
    // Applied in one transaction: either not at all (then this import applies it) or whole
    // (then it is a replay). Either way every record is acknowledged exactly once.
    auto last = client::importBundle(k.dir(), ret);
    if (!last) CHECK(last.error().refusal == proto::BundleRefusal::Replayed);
    CHECK(k.store().outboxStats()->queued == 0);
    CHECK(k.store().outboxStats()->uploaded == static_cast<std::int64_t>(total));
    auto verify = k.store().verify();
    REQUIRE(verify);
    CHECK(verify->ok());
}

TEST_CASE(
    "a payload dictionary trained at the city reaches a kiosk by stick; the kiosk's next records "
    "use it and "
    "the backend opens them; a dictionary that does not load is refused whole") {
    Backend b;
    Kiosk k(b.url(), "7K3M");
    k.enroll(b);
    k.addRecords(3);
    testsupport::TempDir usb;

    // The operator trains "v2" with the real command into <data-dir>/dictionaries and names it.
    const char* fixtures = std::getenv("KIOSK_FIXTURES_DIR");
    REQUIRE(fixtures != nullptr);
    const fs::path dictFile = b.dataDir() / "dictionaries" / "zstd-dict-v2.bin";
    fs::create_directories(dictFile.parent_path());
    auto trained =
        runProcess(KIOSK_BACKEND_PATH, {"train-dictionary", "--samples",
                                        std::string(fixtures) + "/seed_submissions.jsonl", "--out",
                                        dictFile.string(), "--size", "8192"});
    INFO(trained.err);
    REQUIRE(trained.exitCode == 0);
    auto doc = nlohmann::json::parse(ksync::backend::defaultServedConfig());
    doc["version"] = "2026-12-03.2";
    doc["payload_dictionary"] = "v2";
    REQUIRE(b.storage().setConfig(ksync::backend::makeConfigDocument(doc.dump())));

    auto returnOf = [&](const std::string& file) {
        auto r = backendImport(b, {file}, usb.path());
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        return bundlesIn(usb.path(), ".to-kiosk.ksb").back();
    };
    auto bodyOf = [&](const std::string& file) {
        const std::string bytes = readFile(file);
        auto key = platform::keys::DeviceKey::load(b.dataDir() / "backend.key");
        REQUIRE(key);
        auto body = proto::openBundle(bytes, key->publicKeyBase64());
        REQUIRE(body);
        auto parsed = proto::parseMessage<proto::KioskBundle>(*body);
        REQUIRE(parsed);
        return *parsed;
    };

    auto first = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(first);
    const std::string firstReturn = returnOf(first->file);
    const auto firstBody = bodyOf(firstReturn);
    REQUIRE(firstBody.dictionary);
    CHECK(firstBody.dictionary->name == "v2");
    CHECK(firstBody.dictionary->bytes == readFile(dictFile.string()));

    // Before the kiosk applies it, a copy signed by the backend but with bytes zstd cannot load
    // is refused, and nothing of it (acknowledgements, config, dictionary) is applied.
    {
        auto key = platform::keys::DeviceKey::load(b.dataDir() / "backend.key");
        REQUIRE(key);
        auto broken = firstBody;
        broken.dictionary->bytes = std::string("\x37\xa4\x30\xec", 4) + std::string(64, 'x');
        const std::string file =
            proto::sealBundle(proto::BundleKind::ToKiosk, "7K3M", firstBody.issuedAtMs,
                              proto::dumpMessage(broken), *key);
        const auto before = snapshot(k, {});
        auto refused = client::importBundle(k.dir(), (usb.path() / "broken.to-kiosk.ksb").string());
        CHECK_FALSE(refused);  // no such file yet
        writeFile(usb.path() / "broken.to-kiosk.ksb", file);
        refused = client::importBundle(k.dir(), (usb.path() / "broken.to-kiosk.ksb").string());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().refusal == proto::BundleRefusal::BadBody);
        CHECK(snapshot(k, {}) == before);
        CHECK(k.store().dictionaryNames().value() == std::vector<std::string>{"v1"});
        fs::remove(usb.path() / "broken.to-kiosk.ksb");
    }

    auto applied = client::importBundle(k.dir(), firstReturn);
    INFO((applied ? std::string() : applied.error().detail));
    REQUIRE(applied);
    CHECK(applied->dictionary == "v2");
    CHECK(applied->configTaken);
    CHECK(k.store().dictionaryNames().value() == std::vector<std::string>{"v1", "v2"});

    // The kiosk's long-lived store (the app's connection, opened before the import) seals its
    // next record with v2, and the backend, which has v2, stores it.
    k.addRecords(1);
    auto pending = k.store().unacknowledged();
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().contentFormat == "sealed:zstd-dict:v2");
    auto second = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(second);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto imported = backendImport(b, {second->file}, usb.path());
    INFO(imported.err);
    REQUIRE(imported.exitCode == 0);
    CHECK(imported.out.find("(1 mới, 0 đã có, 0 cần xem lại)") != std::string::npos);
    CHECK(*b.storage().recordCount() == 4);
    // The kiosk now lists v2: the next return bundle does not carry it again.
    CHECK_FALSE(bodyOf(bundlesIn(usb.path(), ".to-kiosk.ksb").back()).dictionary);
}

TEST_CASE(
    "codes a resident asked about at an offline kiosk travel in the bundle, and their status comes "
    "back") {
    Backend b;
    Kiosk k(b.url(), "7K3M");
    k.enroll(b);
    Kiosk other(b.url(), "4N8P");
    other.enroll(b);
    other.addRecords(2);
    {
        client::SyncClientOptions options;
        options.transport = transportTo(b.url());
        auto c = client::SyncClient::open(other.dir(), options);
        REQUIRE(c);
        REQUIRE(c->runPass().uploaded == 2);
    }
    const auto recent = other.store().listRecords(2);
    REQUIRE(recent);
    const std::string code = recent->front().trackingCode;
    ksync::backend::StaffUpdate u{code,          "answered", "UBND phường",
                                  "Trần Văn An", "",         "Đã sửa cống"};
    REQUIRE(ksync::backend::applyStaffUpdate(b.storage(), u,
                                             platform::clock::unixMillis(platform::clock::now())));

    // The resident asks at 7K3M, which has no link: the code is remembered, once, newest last.
    REQUIRE(client::rememberAskedCode(k.store(), code));
    REQUIRE(client::rememberAskedCode(k.store(), "PAKN-ZZZZ-0000"));
    REQUIRE(client::rememberAskedCode(k.store(), code));
    CHECK(k.store().state(client::kStateAskedCodes).value().value() ==
          nlohmann::json({"PAKN-ZZZZ-0000", code}).dump());
    for (std::size_t i = 0; i < client::kMaxAskedCodes + 5; ++i)
        REQUIRE(client::rememberAskedCode(k.store(), "X" + std::to_string(i)));
    REQUIRE(client::rememberAskedCode(k.store(), code));
    const auto kept =
        nlohmann::json::parse(k.store().state(client::kStateAskedCodes).value().value());
    CHECK(kept.size() == client::kMaxAskedCodes);
    CHECK(kept.back() == code);

    testsupport::TempDir usb;
    auto exported = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(exported);
    auto r = backendImport(b, {exported->file}, usb.path());
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto applied = client::importBundle(k.dir(), bundlesIn(usb.path(), ".to-kiosk.ksb").back());
    REQUIRE(applied);
    auto latest = k.store().latestStatus(code);
    REQUIRE(latest);
    REQUIRE(*latest);
    CHECK((*latest)->status == "answered");
    CHECK((*latest)->officer == "Trần Văn An");
}

TEST_CASE(
    "bundles are version-checked: a build before format 2 refuses a kiosk's stick with words, a "
    "kiosk on protocol 1 gets a reply it reads, a newer return bundle is refused whole") {
    Backend b;
    Kiosk k(b.url(), "7K3M");
    k.enroll(b);
    k.addRecords(3);
    testsupport::TempDir usb;
    auto exported = client::exportBundle(k.dir(), usb.path().string());
    REQUIRE(exported);
    const std::string stick = readFile(exported->file);
    auto kioskKey = platform::keys::DeviceKey::load(client::deviceKeyFile(k.dir()));
    auto backendKey = platform::keys::DeviceKey::load(b.dataDir() / "backend.key");
    REQUIRE(kioskKey);
    REQUIRE(backendKey);

    // A kiosk on protocol 2 writes format 2. A backend on protocol 1 reads format 1 only (its
    // reader is this one with 1 as its highest format): it refuses the stick before reading
    // anything else, with the words of newer_format, which that build has too.
    const auto header = proto::peekBundleHeader(stick);
    REQUIRE(header);
    CHECK(header->format == 2);
    const auto old = proto::peekBundleHeader(stick, proto::kBundleFormatV1);
    REQUIRE_FALSE(old);
    CHECK(old.error().refusal == proto::BundleRefusal::NewerFormat);
    CHECK_FALSE(
        proto::openBundle(stick, kioskKey->publicKeyBase64(), nullptr, proto::kBundleFormatV1));
    const auto vi = platform::text::Strings::load("vi");
    CHECK(vi.get("bundle.refused.newer_format").find("phiên bản phần mềm mới hơn") !=
          std::string::npos);

    // A kiosk on protocol 1 writes format 1: the backend takes it and answers in format 1.
    auto body = proto::openBundle(stick, kioskKey->publicKeyBase64());
    REQUIRE(body);
    const fs::path v1 = usb.path() / "v1.to-city.ksb";
    writeFile(v1, proto::sealBundle(proto::BundleKind::ToCity, "7K3M", header->createdAtMs, *body,
                                    *kioskKey, proto::kBundleFormatV1));
    auto imported = backendImport(b, {v1.string()}, usb.path());
    INFO(imported.err);
    REQUIRE(imported.exitCode == 0);
    CHECK(*b.storage().recordCount() == 3);
    const auto returns = bundlesIn(usb.path(), ".to-kiosk.ksb");
    REQUIRE(returns.size() == 1);
    const std::string reply = readFile(returns.front());
    const auto replyHeader = proto::peekBundleHeader(reply, proto::kBundleFormatV1);
    REQUIRE(replyHeader);  // what a protocol 1 kiosk reads
    CHECK(replyHeader->format == 1);

    // A return bundle from a backend newer than the kiosk (format 3), properly signed: refused
    // whole with words, nothing applied; the format 1 reply then applies.
    auto replyBody = proto::openBundle(reply, backendKey->publicKeyBase64());
    REQUIRE(replyBody);
    const fs::path newer = usb.path() / "newer.to-kiosk.ksb";
    writeFile(newer, proto::sealBundle(proto::BundleKind::ToKiosk, "7K3M", replyHeader->createdAtMs,
                                       *replyBody, *backendKey, proto::kBundleFormat + 1));
    const auto before = snapshot(k, {});
    auto refused = kioskctl(k, {"import", newer.string()});
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.find("newer_format") != std::string::npos);
    CHECK(refused.err.find("phiên bản phần mềm mới hơn") != std::string::npos);
    CHECK(snapshot(k, {}) == before);
    auto applied = kioskctl(k, {"import", returns.front()});
    INFO(applied.err);
    REQUIRE(applied.exitCode == 0);
    CHECK(k.store().outboxStats()->uploaded == 3);

    // And the backend refuses a kiosk's stick of a newer format whole, its database unchanged.
    writeFile(usb.path() / "newer.to-city.ksb",
              proto::sealBundle(proto::BundleKind::ToCity, "7K3M", header->createdAtMs, *body,
                                *kioskKey, proto::kBundleFormat + 1));
    auto tooNew = backendImport(b, {(usb.path() / "newer.to-city.ksb").string()}, usb.path());
    CHECK(tooNew.exitCode == 1);
    CHECK(tooNew.err.find("phiên bản phần mềm mới hơn") != std::string::npos);
    CHECK(*b.storage().recordCount() == 3);
}
