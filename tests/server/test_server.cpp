// The reference backend: storage, idempotent ingest under concurrency, the chain audit, and the
// public side (tracking page, Open311, staff endpoint) over real loopback HTTP.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <thread>

#include "clock/clock.hpp"
#include "http/http_server.hpp"
#include "proto/payload_codec.hpp"
#include "service/backend_service.hpp"
#include "service/chain_audit.hpp"
#include "storage/sqlite_storage.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace ksync::backend;

namespace {

// A sealed chain of `n` records for kiosk 7K3M, as the backend would receive them.
std::vector<IngestItem> chain(int n) {
    std::vector<IngestItem> out;
    std::string prev(record::kGenesisHash);
    for (int i = 1; i <= n; ++i) {
        record::Record r;
        r.header.id = record::newUuid();
        r.header.kioskId = "7K3M";
        r.header.sequence = static_cast<std::uint64_t>(i);
        r.header.trackingCode =
            record::makeTrackingCode(record::RecordType::Pakn, "7K3M", r.header.sequence);
        r.header.category = "MOI_TRUONG";
        r.header.createdAt = "2026-11-23T04:05:06.789Z";
        r.header.prevHash = prev;
        r.content.salt = record::newSaltHex();
        r.content.title = "Rác thải";
        r.content.body = "Rác thải tập kết sai quy định ở hẻm " + std::to_string(i);
        record::seal(r);
        prev = r.header.hash;
        out.push_back({r.header, "plain", record::encodeContent(r.content), true});
    }
    return out;
}

std::unique_ptr<SqliteStorage> open(const testsupport::TempDir& dir) {
    auto s = SqliteStorage::open(dir / "backend.db");
    REQUIRE(s);
    return std::move(*s);
}

struct Served {
    testsupport::TempDir dir;
    std::unique_ptr<SqliteStorage> storage = open(dir);
    BackendService service{
        *storage, platform::keys::DeviceKey::generate(), proto::Dictionaries::shipped(),
        ServiceOptions{proto::kMaxClockSkewMs, 500, {}, [](const std::string&) {}}};
    HttpServer server{service, 2};
    int port = 0;
    std::thread thread;
    Served() {
        auto p = server.bind("127.0.0.1", 0);
        REQUIRE(p);
        port = *p;
        thread = std::thread([this] { server.run(); });
    }
    ~Served() {
        server.stop();
        thread.join();
    }
    httplib::Client client() const { return httplib::Client("127.0.0.1", port); }
};

}  // namespace

TEST_CASE(
    "ingest creates once, acknowledges the same id and hash as duplicate, and keeps a conflict "
    "aside") {
    testsupport::TempDir dir;
    auto s = open(dir);
    auto items = chain(3);
    auto first = s->ingest(items, 0);
    REQUIRE(first);
    for (const auto& r : *first) CHECK(r.result == proto::ItemResult::Created);
    auto again = s->ingest(items, 0);
    REQUIRE(again);
    for (const auto& r : *again) CHECK(r.result == proto::ItemResult::Duplicate);
    auto changed = items[1];
    changed.header.hash = std::string(64, 'b');
    auto conflict = s->ingest(std::span(&changed, 1), 0);
    REQUIRE(conflict);
    CHECK((*conflict)[0].result == proto::ItemResult::Conflict);
    CHECK(s->recordById(items[1].header.id).value()->header.hash ==
          items[1].header.hash);  // never overwritten
    CHECK(s->recordCount().value() == 3);
    CHECK(s->conflicts("7K3M").value().size() == 1);
}

TEST_CASE("the same batch ingested from eight threads at once is stored exactly once") {
    testsupport::TempDir dir;
    auto s = open(dir);
    const auto items = chain(100);
    std::vector<std::thread> threads;
    std::atomic<int> created{0}, duplicates{0}, failures{0};
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            auto r = s->ingest(items, 0);
            if (!r) {
                ++failures;
                return;
            }
            for (const auto& x : *r)
                (x.result == proto::ItemResult::Created ? created : duplicates)++;
        });
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(created == 100);
    CHECK(duplicates == 700);
    CHECK(s->recordCount().value() == 100);
}

TEST_CASE(
    "the audit flags gaps, forks, broken links and altered records, and passes an intact chain") {
    auto items = chain(6);
    std::vector<StoredRecord> recs;
    for (const auto& i : items) recs.push_back({i.header, i.payloadFormat, i.content, {}, true});
    CHECK(auditChain("7K3M", recs, {}).problems.empty());

    auto fork = recs[3];
    fork.header.id = record::newUuid();
    fork.header.hash = record::headerHash(fork.header);
    std::vector<StoredRecord> bad = recs;
    bad.erase(bad.begin() + 1);         // sequence 2 missing
    bad[2].content += "x";              // sequence 4 content altered
    bad.insert(bad.begin() + 3, fork);  // a second record with sequence 4
    auto a = auditChain("7K3M", bad, {});
    std::set<std::pair<std::uint64_t, std::string>> got;
    for (const auto& p : a.problems) got.insert({p.sequence, p.kind});
    CHECK(got.count({2, "gap"}) == 1);
    CHECK(got.count({4, "altered"}) == 1);
    CHECK(got.count({4, "fork"}) == 1);
    CHECK(got.count({3, "broken_link"}) == 0);  // its predecessor is missing: reported as the gap
    CHECK(a.maxSequence == 6);
}

TEST_CASE(
    "the tracking page answers /T/CODE and /t/code in Vietnamese with the timeline and no personal "
    "data") {
    Served b;
    auto items = chain(1);
    items[0].content = record::encodeContent(
        record::Content{record::newSaltHex(),
                        "Đèn đường hỏng",
                        "Bí mật nội dung",
                        {},
                        record::Contact{"Nguyễn Văn An", "0912345678", "", ""},
                        true,
                        "v1"});
    REQUIRE(b.storage->ingest(items, 0));
    const std::string code = items[0].header.trackingCode;
    REQUIRE(applyStaffUpdate(*b.storage,
                             {code, "needs_info", "UBND phường Sài Gòn", "Lê Văn Cường",
                              "2026-12-10", "Cần bổ sung địa chỉ cụ thể"},
                             0));
    std::string lower = code;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto cli = b.client();
    for (const std::string& path :
         {"/T/" + code, "/t/" + lower, "/T/" + code.substr(0, 4) + code.substr(5)}) {
        auto r = cli.Get(path.c_str());
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->get_header_value("Content-Type").find("text/html") == 0);
        CHECK(r->body.find("lang=\"vi\"") != std::string::npos);
        CHECK(r->body.find("name=\"viewport\"") != std::string::npos);
        CHECK(r->body.find("Cần bổ sung thông tin") != std::string::npos);
        CHECK(r->body.find("Cần bổ sung địa chỉ cụ thể") != std::string::npos);
        CHECK(r->body.find("10/12/2026") != std::string::npos);
        CHECK(r->body.find("Nguyễn Văn An") == std::string::npos);
        CHECK(r->body.find("0912345678") == std::string::npos);
        CHECK(r->body.find("Bí mật nội dung") == std::string::npos);
    }
    auto missing = cli.Get("/T/PAKN-7K3M-000999-X");
    REQUIRE(missing);
    CHECK(missing->status == 404);
}

TEST_CASE("Open311 lists services and requests with status, notes, agency and expected time") {
    Served b;
    auto items = chain(2);
    REQUIRE(b.storage->ingest(items, 0));
    REQUIRE(applyStaffUpdate(
        *b.storage,
        {items[0].header.trackingCode, "answered", "Phòng Quản lý đô thị", "", "", "Đã xử lý xong"},
        0));
    auto cli = b.client();
    auto services = cli.Get("/open311/v2/services.json");
    REQUIRE(services);
    auto sj = nlohmann::json::parse(services->body);
    REQUIRE(sj.is_array());
    CHECK(sj[0].contains("service_code"));
    auto all = cli.Get("/open311/v2/requests.json");
    REQUIRE(all);
    CHECK(nlohmann::json::parse(all->body).size() == 2);
    auto closed = cli.Get("/open311/v2/requests.json?status=closed");
    REQUIRE(closed);
    auto cj = nlohmann::json::parse(closed->body);
    REQUIRE(cj.size() == 1);
    CHECK(cj[0]["service_request_id"] == items[0].header.trackingCode);
    CHECK(cj[0]["status"] == "closed");
    CHECK(cj[0]["status_notes"] == "Đã xử lý xong");
    CHECK(cj[0]["agency_responsible"] == "Phòng Quản lý đô thị");
    CHECK(cj[0].contains("expected_datetime"));
    CHECK_FALSE(cj[0].contains("description"));
    auto one = cli.Get(("/open311/v2/requests/" + items[1].header.trackingCode + ".json").c_str());
    REQUIRE(one);
    CHECK(nlohmann::json::parse(one->body)[0]["status"] == "open");
}

TEST_CASE("the staff endpoint needs a staff token and posts status updates") {
    Served b;
    auto items = chain(1);
    REQUIRE(b.storage->ingest(items, 0));
    auto token = b.storage->issueStaffToken("Cán bộ tiếp nhận");
    REQUIRE(token);
    const std::string body = nlohmann::json{
        {"tracking_code", items[0].header.trackingCode},
        {"status", "forwarded"},
        {"agency", "Phòng Tài nguyên và Môi trường"},
        {"officer", "Trần Thị Bình"},
        {"expected_date",
         "2026-12-10"}}.dump();
    auto cli = b.client();
    auto refused = cli.Post("/api/v1/staff/updates", {{"Authorization", "Bearer WRONG"}}, body,
                            "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 401);
    auto ok = cli.Post("/api/v1/staff/updates", {{"Authorization", "Bearer " + *token}}, body,
                       "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    auto events = b.storage->statusSince("7K3M", 0, 10);
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    CHECK((*events)[0].agency == "Phòng Tài nguyên và Môi trường");
    auto badDate = cli.Post("/api/v1/staff/updates", {{"Authorization", "Bearer " + *token}},
                            nlohmann::json{{"tracking_code", items[0].header.trackingCode},
                                           {"status", "closed"},
                                           {"expected_date", "10/12/2026"}}
                                .dump(),
                            "application/json");
    REQUIRE(badDate);
    CHECK(badDate->status == 422);
}

TEST_CASE("an enrolment token works for the kiosk it was issued to, again only for the same key") {
    testsupport::TempDir dir;
    auto s = open(dir);
    const auto now = platform::clock::unixMillis(platform::clock::now());
    auto token = s->issueEnrolToken("7K3M", now + 60000);
    REQUIRE(token);
    const auto key = platform::keys::DeviceKey::generate().publicKeyBase64();
    CHECK(s->enrol(*token, "9ABC", key, now).value() == EnrolOutcome::BadToken);
    CHECK(s->enrol(*token, "7K3M", key, now).value() == EnrolOutcome::Enrolled);
    CHECK(s->enrol(*token, "7K3M", key, now).value() ==
          EnrolOutcome::Enrolled);  // the reply was lost: retry
    CHECK(s->enrol(*token, "7K3M", platform::keys::DeviceKey::generate().publicKeyBase64(), now)
              .value() == EnrolOutcome::KeyMismatch);
    CHECK(s->enrol(*token, "9ABC", key, now).value() == EnrolOutcome::BadToken);
    auto second = s->issueEnrolToken("", now + 60000);
    CHECK(s->enrol(*second, "7K3M", platform::keys::DeviceKey::generate().publicKeyBase64(), now)
              .value() == EnrolOutcome::KeyMismatch);
    auto expired = s->issueEnrolToken("", now - 1);
    CHECK(s->enrol(*expired, "7K3N", key, now).value() == EnrolOutcome::BadToken);
}

TEST_CASE(
    "per-record payloads round-trip through zstd with the shipped dictionary and refuse damage") {
    proto::PayloadCodec codec(proto::Dictionaries::shipped());
    const auto& fixtures = testsupport::seedFixtures();
    std::size_t plain = 0, withDict = 0;
    for (const auto& f : fixtures) {
        record::Content c{record::newSaltHex(), "Tiêu đề", f.body, {}, {}, false, ""};
        const auto bytes = record::encodeContent(c);
        auto enc = codec.encode(bytes, "v1");
        CHECK(enc.format == "zstd-dict:v1");
        auto dec = codec.decode(enc.format, enc.bytes);
        REQUIRE(dec);
        CHECK(*dec == bytes);
        plain += bytes.size();
        withDict += enc.bytes.size();
    }
    CHECK(withDict < plain);
    CHECK_FALSE(codec.decode("zstd-dict:v9", "abc").has_value());
    CHECK_FALSE(codec.decode("zstd", "not zstd").has_value());
    CHECK(codec.decode("zstd-dict:v9", "abc").error() == "unknown_dictionary");
}
