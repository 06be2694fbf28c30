// The storage contract (backend/storage/backend_storage.hpp), run unchanged against both
// implementations: every TEST_CASE generates kind = "sqlite" (a file in a temp dir) and
// kind = "postgresql" (a fresh database in a private cluster, tests/support/pg_cluster.hpp).
// The PostgreSQL half never skips: without the server binaries the cluster throws and the
// case fails.
//
// Sections:
//   1. helpers: fresh storage of a kind, sealed record chains
//   2. records: ingest, concurrency, byte-identical read-back
//   3. kiosks, tokens, nonces, heartbeat
//   4. status events and public reads
//   5. config and schema
//   6. copy primitives
//
// Personal data: the seed fixtures hold real names and texts; assertions on them compare
// without printing the values (the extra parentheses stop Catch2 from expanding them).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "pg_cluster.hpp"
#include "record/record.hpp"
#include "sqlite/sqlite.hpp"
#include "storage/open_storage.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace ksync::backend;

namespace {

// ---- 1. helpers -----------------------------------------------------------------------------

// One cluster per test binary, made on first use (catch_discover_tests runs every case in its
// own process, so a case that needs PostgreSQL pays about a second once). fsync off: nothing
// here restarts or crashes the server, so durability is not what is tested.
testsupport::PgClusterOptions noFsync() {
    testsupport::PgClusterOptions o;
    o.fsync = false;
    return o;
}

testsupport::PgCluster& cluster() {
    static testsupport::PgCluster pg(noFsync());
    return pg;
}

template <class T>
T must(Result<T> r, const char* what) {
    if (!r)
        FAIL(what << " failed: " << r.error().detail
                  << (r.error().transient ? " (transient)" : ""));
    return std::move(*r);
}

void must(Result<void> r, const char* what) {
    if (!r)
        FAIL(what << " failed: " << r.error().detail
                  << (r.error().transient ? " (transient)" : ""));
}

std::unique_ptr<BackendStorage> openOrFail(const DatabaseUrl& url) {
    auto s = openStorage(url);
    if (!s) FAIL("openStorage(" << url.redacted() << ") failed: " << s.error().detail);
    return std::move(*s);
}

// A fresh, migrated storage of one kind.
struct TestDb {
    std::string kind;
    std::unique_ptr<testsupport::TempDir> dir;  // sqlite
    std::string dbName;                         // postgresql
    DatabaseUrl url;
    std::unique_ptr<BackendStorage> storage;

    BackendStorage* operator->() const { return storage.get(); }
    BackendStorage& operator*() const { return *storage; }
    void reopen() {
        storage.reset();
        storage = openOrFail(url);
    }
};

TestDb fresh(const std::string& kind) {
    TestDb d;
    d.kind = kind;
    std::string text;
    if (kind == "sqlite") {
        d.dir = std::make_unique<testsupport::TempDir>();
        text = "sqlite:" + (*d.dir / "backend.db").string();
    } else {
        REQUIRE(kind == "postgresql");
        static int s_databases = 0;
        d.dbName = "contract_" + std::to_string(++s_databases);
        cluster().createDatabase(d.dbName);
        text = cluster().url(d.dbName);
    }
    auto url = parseDatabaseUrl(text);
    if (!url) FAIL("parseDatabaseUrl: " << url.error());
    d.url = *url;
    d.storage = openOrFail(d.url);
    return d;
}

std::int64_t nowMs() {
    return platform::clock::unixMillis(platform::clock::now());
}

std::string newKey() {
    return platform::keys::DeviceKey::generate().publicKeyBase64();
}

using Customize = std::function<void(int index, record::Header&, record::Content&)>;

// A sealed chain of `n` records for `kioskId`, as the backend would receive them. `customize`
// may change header fields (not the chain links) and content before each record is sealed.
std::vector<IngestItem> chain(int n, const std::string& kioskId = "7K3M",
                              const Customize& customize = {}) {
    std::vector<IngestItem> out;
    std::string prev(record::kGenesisHash);
    for (int i = 1; i <= n; ++i) {
        record::Record r;
        r.header.id = record::newUuid();
        r.header.kioskId = kioskId;
        r.header.sequence = static_cast<std::uint64_t>(i);
        r.header.trackingCode =
            record::makeTrackingCode(record::RecordType::Pakn, kioskId, r.header.sequence);
        r.header.category = "MOI_TRUONG";
        r.header.createdAt = "2026-11-23T04:05:06.789Z";
        r.content.salt = record::newSaltHex();
        r.content.title = "Rác thải";
        r.content.body = "Rác thải tập kết sai quy định ở hẻm " + std::to_string(i);
        if (customize) customize(i - 1, r.header, r.content);
        r.header.prevHash = prev;
        record::seal(r);
        prev = r.header.hash;
        out.push_back({r.header, "plain", record::encodeContent(r.content), true});
    }
    return out;
}

RequestFilter where(std::string category = {}, std::string status = {}, std::string start = {},
                    std::string end = {}, std::size_t limit = 200) {
    RequestFilter f;
    f.serviceCode = std::move(category);
    f.status = std::move(status);
    f.startDate = std::move(start);
    f.endDate = std::move(end);
    f.limit = limit;
    return f;
}

std::set<std::string> codesOf(const std::vector<PublicRecord>& records) {
    std::set<std::string> out;
    for (const auto& p : records) out.insert(p.trackingCode);
    return out;
}

StatusEvent event(const std::string& code, const std::string& status,
                  const std::string& updatedAt) {
    StatusEvent e;
    e.trackingCode = code;
    e.status = status;
    e.updatedAt = updatedAt;
    return e;
}

}  // namespace

// ---- 2. records -------------------------------------------------------------------------------

TEST_CASE(
    "ingest creates once, acknowledges the same id and hash as duplicate, and keeps a conflict "
    "aside") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    auto items = chain(3);
    const auto first = must(s->ingest(items, nowMs()), "ingest");
    REQUIRE(first.size() == 3);
    for (const auto& r : first) CHECK(r.result == proto::ItemResult::Created);
    const auto again = must(s->ingest(items, nowMs()), "ingest again");
    REQUIRE(again.size() == 3);
    for (const auto& r : again) CHECK(r.result == proto::ItemResult::Duplicate);

    auto changed = items[1];
    changed.header.hash = std::string(64, 'b');
    const auto conflict = must(s->ingest(std::span(&changed, 1), nowMs()), "ingest conflict");
    REQUIRE(conflict.size() == 1);
    CHECK(conflict[0].result == proto::ItemResult::Conflict);
    CHECK_FALSE(conflict[0].reason.empty());

    const auto stored = must(s->recordById(items[1].header.id), "recordById");
    REQUIRE(stored);
    CHECK(stored->header.hash == items[1].header.hash);  // never overwritten
    CHECK((stored->content == items[1].content));
    CHECK(must(s->recordCount(), "recordCount") == 3);

    const auto rows = must(s->conflicts("7K3M"), "conflicts");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == items[1].header.id);
    CHECK(rows[0].kioskId == "7K3M");
    CHECK(rows[0].sequence == 2);
    CHECK(rows[0].hash == changed.header.hash);
    CHECK_FALSE(rows[0].receivedAt.empty());
    CHECK(must(s->conflicts("9ABC"), "conflicts of another kiosk").empty());

    // One batch mixing all three outcomes answers each item in order; the same conflict sent
    // again is still a conflict but is kept once.
    auto more = chain(4);
    std::vector<IngestItem> mixed{more[3], items[0], changed};
    const auto m = must(s->ingest(mixed, nowMs()), "mixed ingest");
    REQUIRE(m.size() == 3);
    CHECK(m[0].result == proto::ItemResult::Created);
    CHECK(m[1].result == proto::ItemResult::Duplicate);
    CHECK(m[2].result == proto::ItemResult::Conflict);
    CHECK(must(s->recordCount(), "recordCount") == 4);
    CHECK(must(s->conflicts("7K3M"), "conflicts").size() == 1);
    CHECK(must(s->allConflicts(), "allConflicts").size() == 1);
}

TEST_CASE("the same batch ingested from eight threads at once is stored exactly once") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto items = chain(100);
    std::vector<std::thread> threads;
    std::atomic<int> created{0}, duplicates{0}, conflicts{0}, failures{0};
    std::mutex errorMutex;
    std::string firstError;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            auto r = s->ingest(items, nowMs());
            if (!r) {
                ++failures;
                std::lock_guard lock(errorMutex);
                if (firstError.empty()) firstError = r.error().detail;
                return;
            }
            for (const auto& x : *r) {
                if (x.result == proto::ItemResult::Created)
                    ++created;
                else if (x.result == proto::ItemResult::Duplicate)
                    ++duplicates;
                else
                    ++conflicts;
            }
        });
    for (auto& t : threads) t.join();
    INFO("first error: " << firstError);
    CHECK(failures == 0);
    CHECK(conflicts == 0);
    CHECK(created == 100);
    CHECK(duplicates == 700);
    CHECK(must(s->recordCount(), "recordCount") == 100);
    CHECK(must(s->conflicts("7K3M"), "conflicts").empty());
}

TEST_CASE("the 20 seed submissions are read back byte-identical with every header field") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto& fixtures = testsupport::seedFixtures();
    REQUIRE(fixtures.size() == 20);
    // Every header field takes more than one value across the chain, so a column that is
    // dropped or mapped wrongly shows up.
    auto items = chain(
        static_cast<int>(fixtures.size()), "7K3M",
        [&](int i, record::Header& h, record::Content& c) {
            const auto& f = fixtures[static_cast<std::size_t>(i)];
            h.type = i % 3 == 2 ? record::RecordType::Skgp : record::RecordType::Pakn;
            h.trackingCode = record::makeTrackingCode(h.type, h.kioskId, h.sequence);
            h.category = f.category.empty() ? "KHAC" : f.category;
            h.channel = i % 4 == 1 ? record::Channel::StaffEntry : record::Channel::Kiosk;
            h.staffAssisted = i % 5 == 3;
            h.language = i % 7 == 6 ? "en" : "vi";
            h.createdAt = (f.sentDate.empty() ? std::string("2026-11-23") : f.sentDate) + "T0" +
                          std::to_string(i % 10) + ":05:06.789Z";
            h.clockSynced = i % 2 == 0;
            c.title = "Kiến nghị số " + std::to_string(i + 1);
            c.body = f.body;
            if (i % 3 == 0)
                c.location = record::Location{"26734", "Số " + std::to_string(i + 1) + " Lê Lợi"};
            if (!f.sender.empty()) {
                c.contact = record::Contact{f.sender, "09123456" + std::to_string(10 + i), "", ""};
                c.consent = true;
                c.consentVersion = "v1";
            }
        });
    items[4].intact = false;  // a damaged record is kept as it came, flagged
    items[7].payloadFormat = "zstd-dict:v1";
    const auto results = must(s->ingest(items, nowMs()), "ingest");
    REQUIRE(results.size() == items.size());
    for (const auto& r : results) CHECK(r.result == proto::ItemResult::Created);

    for (std::size_t i = 0; i < items.size(); ++i) {
        INFO("fixture " << i << ", " << items[i].content.size() << " content bytes");
        const auto stored = must(s->recordById(items[i].header.id), "recordById");
        REQUIRE(stored);
        CHECK((stored->content == items[i].content));
        CHECK(stored->header == items[i].header);
        CHECK(stored->payloadFormat == items[i].payloadFormat);
        CHECK(stored->intact == items[i].intact);
        CHECK_FALSE(stored->receivedAt.empty());
        auto decoded = record::decodeContent(stored->content);
        CHECK(decoded.has_value());
    }
    const auto all = must(s->kioskRecords("7K3M"), "kioskRecords");
    REQUIRE(all.size() == items.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].header.sequence == i + 1);
        CHECK((all[i].content == items[i].content));
    }
    CHECK(must(s->kioskIdsWithRecords(), "kioskIdsWithRecords") ==
          std::vector<std::string>{"7K3M"});
    CHECK_FALSE(must(s->recordById(record::newUuid()), "recordById of an unknown id").has_value());
}

// ---- 3. kiosks, tokens, nonces, heartbeat
// -----------------------------------------------------------

TEST_CASE(
    "an enrolment token works once and only for its kiosk, and a lost reply may be retried with "
    "the same key") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto now = nowMs();
    const auto token = must(s->issueEnrolToken("7K3M", now + 60000), "issueEnrolToken");
    CHECK_FALSE(token.empty());
    const auto key = newKey();
    const auto otherKey = newKey();

    CHECK(must(s->enrol(token, "9ABC", key, now), "enrol another kiosk") == EnrolOutcome::BadToken);
    CHECK_FALSE(must(s->kioskPublicKey("9ABC"), "kioskPublicKey").has_value());
    CHECK(must(s->enrol(token, "7K3M", key, now), "enrol") == EnrolOutcome::Enrolled);
    CHECK(must(s->kioskPublicKey("7K3M"), "kioskPublicKey") == std::optional<std::string>(key));

    // The kiosk never saw the reply and sends the same request again.
    CHECK(must(s->enrol(token, "7K3M", key, now + 1000), "enrol retry") == EnrolOutcome::Enrolled);
    const auto withOtherKey =
        must(s->enrol(token, "7K3M", otherKey, now + 2000), "enrol with another key");
    CHECK((withOtherKey == EnrolOutcome::KeyMismatch || withOtherKey == EnrolOutcome::BadToken));
    CHECK(must(s->kioskPublicKey("7K3M"), "kioskPublicKey") == std::optional<std::string>(key));

    // An unbound token works for one kiosk only.
    const auto open = must(s->issueEnrolToken("", now + 60000), "issueEnrolToken unbound");
    const auto key2 = newKey();
    CHECK(must(s->enrol(open, "4HQR", key2, now), "enrol unbound") == EnrolOutcome::Enrolled);
    CHECK(must(s->enrol(open, "9ABC", key2, now), "reuse by another kiosk") ==
          EnrolOutcome::BadToken);
    CHECK_FALSE(must(s->kioskPublicKey("9ABC"), "kioskPublicKey").has_value());

    // A fresh token does not let anyone replace the key of an enrolled kiosk.
    const auto second = must(s->issueEnrolToken("", now + 60000), "issueEnrolToken");
    CHECK(must(s->enrol(second, "7K3M", otherKey, now), "re-enrol with a new key") ==
          EnrolOutcome::KeyMismatch);
    CHECK(must(s->kioskPublicKey("7K3M"), "kioskPublicKey") == std::optional<std::string>(key));

    const auto expired = must(s->issueEnrolToken("", now - 1), "issueEnrolToken expired");
    CHECK(must(s->enrol(expired, "7K3N", key, now), "enrol expired") == EnrolOutcome::BadToken);
    CHECK_FALSE(must(s->kioskPublicKey("7K3N"), "kioskPublicKey").has_value());
    CHECK(must(s->enrol("AAAAA-BBBBB-CCCCC-DDDDD", "7K3N", key, now), "enrol unknown") ==
          EnrolOutcome::BadToken);

    const auto kiosks = must(s->kiosks(), "kiosks");
    REQUIRE(kiosks.size() == 2);
    CHECK(kiosks[0].kioskId == "4HQR");
    CHECK(kiosks[1].kioskId == "7K3M");
    CHECK(kiosks[1].publicKey == key);
    CHECK_FALSE(kiosks[1].enrolledAt.empty());

    // Only hashes are kept.
    for (const auto& row : must(s->enrolTokens(), "enrolTokens")) {
        CHECK(row.tokenHash.find(token) == std::string::npos);
        CHECK(row.tokenHash.find(open) == std::string::npos);
    }
}

TEST_CASE("a nonce is fresh on first use and a replay on the second, per kiosk") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto now = nowMs();
    CHECK(must(s->useNonce("7K3M", "n-0001", now), "useNonce") == true);
    CHECK(must(s->useNonce("7K3M", "n-0001", now + 10), "useNonce again") == false);
    CHECK(must(s->useNonce("7K3M", "n-0002", now + 20), "useNonce other") == true);
    CHECK(must(s->useNonce("9ABC", "n-0001", now + 30), "useNonce other kiosk") == true);
    CHECK(must(s->useNonce("9ABC", "n-0001", now + 40), "useNonce other kiosk again") == false);
}

TEST_CASE("a staff token names its holder and nothing else is accepted") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const std::string name = "Cán bộ tiếp nhận – phường Sài Gòn";
    const auto token = must(s->issueStaffToken(name), "issueStaffToken");
    const auto other = must(s->issueStaffToken("Trần Thị Bình"), "issueStaffToken");
    CHECK(token != other);
    CHECK(must(s->staffTokenName(token), "staffTokenName") == std::optional<std::string>(name));
    CHECK(must(s->staffTokenName(other), "staffTokenName") ==
          std::optional<std::string>("Trần Thị Bình"));
    CHECK_FALSE(must(s->staffTokenName("WRONG"), "staffTokenName wrong").has_value());
    CHECK_FALSE(must(s->staffTokenName(""), "staffTokenName empty").has_value());
    const auto rows = must(s->staffTokens(), "staffTokens");
    REQUIRE(rows.size() == 2);
    for (const auto& r : rows) {
        CHECK(r.tokenHash.find(token) == std::string::npos);
        CHECK_FALSE(r.createdAt.empty());
    }
}

TEST_CASE("a heartbeat is kept on the kiosk row with the time it arrived") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto now = nowMs();
    const auto token = must(s->issueEnrolToken("7K3M", now + 60000), "issueEnrolToken");
    REQUIRE(must(s->enrol(token, "7K3M", newKey(), now), "enrol") == EnrolOutcome::Enrolled);

    const std::int64_t at = 1795000000123;  // milliseconds must survive
    const std::string beat =
        R"({"queue":3,"printer":"ok","battery":{"pct":87},"note":"Máy in hết giấy"})";
    must(s->recordHeartbeat("7K3M", beat, at), "recordHeartbeat");
    auto rows = must(s->kiosks(), "kiosks");
    REQUIRE(rows.size() == 1);
    CHECK(nlohmann::json::parse(rows[0].heartbeat) == nlohmann::json::parse(beat));
    CHECK(rows[0].lastSeenAt == platform::clock::formatUtc(platform::clock::fromUnixMillis(at)));

    const std::string later = R"({"queue":0,"printer":"paper_out"})";
    must(s->recordHeartbeat("7K3M", later, at + 60000), "recordHeartbeat later");
    rows = must(s->kiosks(), "kiosks");
    REQUIRE(rows.size() == 1);
    CHECK(nlohmann::json::parse(rows[0].heartbeat) == nlohmann::json::parse(later));
    CHECK(rows[0].lastSeenAt ==
          platform::clock::formatUtc(platform::clock::fromUnixMillis(at + 60000)));

    // A heartbeat from a kiosk that never enrolled makes no kiosk row (success or error).
    (void)s->recordHeartbeat("9ABC", later, at);
    CHECK(must(s->kiosks(), "kiosks").size() == 1);
}

// ---- 4. status events and public reads
// -----------------------------------------------------------

TEST_CASE("a status update for a tracking code without a record is refused") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    must(s->ingest(chain(1), nowMs()), "ingest");
    const auto unknown = record::makeTrackingCode(record::RecordType::Pakn, "7K3M", 999);
    CHECK(must(s->addStatus(event(unknown, "answered", "2026-11-24T01:00:00.000Z")), "addStatus") ==
          false);
    CHECK(must(s->eventsAfter(0, 10), "eventsAfter").empty());
    CHECK(must(s->statusSince("7K3M", 0, 10), "statusSince").empty());
}

TEST_CASE(
    "statusSince pages a kiosk's status events by cursor, oldest first, and only that kiosk's") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto a = chain(3, "7K3M");
    const auto b = chain(2, "9ABC");
    must(s->ingest(a, nowMs()), "ingest a");
    must(s->ingest(b, nowMs()), "ingest b");

    StatusEvent full = event(a[0].header.trackingCode, "answered", "2026-11-25T08:30:00.000Z");
    full.note = "Đã thu gom rác, cảm ơn ông/bà đã phản ánh";
    full.agency = "UBND phường Sài Gòn";
    full.officer = "Lê Văn Cường";
    full.expectedDate = "2026-12-10";
    const std::vector<StatusEvent> sequence{
        event(a[0].header.trackingCode, "received", "2026-11-24T01:00:00.000Z"),
        event(b[0].header.trackingCode, "forwarded", "2026-11-24T02:00:00.000Z"),
        event(a[1].header.trackingCode, "forwarded", "2026-11-24T03:00:00.000Z"),
        event(b[1].header.trackingCode, "needs_info", "2026-11-24T04:00:00.000Z"),
        full,
    };
    for (const auto& e : sequence) CHECK(must(s->addStatus(e), "addStatus") == true);

    const auto page1 = must(s->statusSince("7K3M", 0, 2), "statusSince page 1");
    REQUIRE(page1.size() == 2);
    CHECK(page1[0].trackingCode == a[0].header.trackingCode);
    CHECK(page1[0].status == "received");
    CHECK(page1[1].trackingCode == a[1].header.trackingCode);
    CHECK(page1[0].eventId < page1[1].eventId);
    const auto page2 = must(s->statusSince("7K3M", page1.back().eventId, 2), "statusSince page 2");
    REQUIRE(page2.size() == 1);
    CHECK(page2[0].eventId > page1[1].eventId);
    CHECK(page2[0].trackingCode == full.trackingCode);
    CHECK(page2[0].status == full.status);
    CHECK(page2[0].note == full.note);
    CHECK(page2[0].agency == full.agency);
    CHECK(page2[0].officer == full.officer);
    CHECK(page2[0].expectedDate == full.expectedDate);
    CHECK(page2[0].updatedAt == full.updatedAt);
    CHECK(must(s->statusSince("7K3M", page2.back().eventId, 2), "statusSince page 3").empty());

    const auto other = must(s->statusSince("9ABC", 0, 10), "statusSince other kiosk");
    REQUIRE(other.size() == 2);
    CHECK(other[0].trackingCode == b[0].header.trackingCode);
    CHECK(other[1].trackingCode == b[1].header.trackingCode);
    CHECK(must(s->statusSince("4HQR", 0, 10), "statusSince kiosk without records").empty());
}

TEST_CASE("publicRecord shows a record's timeline oldest first") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto items = chain(2);
    must(s->ingest(items, nowMs()), "ingest");
    const auto& code = items[0].header.trackingCode;
    StatusEvent answered = event(code, "answered", "2026-11-26T09:00:00.000Z");
    answered.note = "Đã xử lý xong";
    answered.agency = "Phòng Quản lý đô thị";
    REQUIRE(must(s->addStatus(event(code, "forwarded", "2026-11-24T01:00:00.000Z")), "addStatus"));
    REQUIRE(must(
        s->addStatus(event(items[1].header.trackingCode, "received", "2026-11-24T01:30:00.000Z")),
        "addStatus"));
    REQUIRE(must(s->addStatus(answered), "addStatus"));

    const auto p = must(s->publicRecord(code), "publicRecord");
    REQUIRE(p);
    CHECK(p->trackingCode == code);
    CHECK(p->kioskId == "7K3M");
    CHECK(p->type == record::RecordType::Pakn);
    CHECK(p->category == items[0].header.category);
    CHECK(p->createdAt == items[0].header.createdAt);
    CHECK_FALSE(p->receivedAt.empty());
    REQUIRE(p->events.size() == 2);
    CHECK(p->events[0].status == "forwarded");
    CHECK(p->events[1].status == "answered");
    CHECK(p->events[1].note == answered.note);
    CHECK(p->events[1].agency == answered.agency);
    CHECK(p->events[1].updatedAt == answered.updatedAt);
    CHECK(p->events[0].eventId < p->events[1].eventId);

    const auto quiet = must(s->publicRecord(items[1].header.trackingCode), "publicRecord");
    REQUIRE(quiet);
    CHECK(quiet->events.size() == 1);
    const auto unknown = record::makeTrackingCode(record::RecordType::Pakn, "7K3M", 999);
    CHECK_FALSE(must(s->publicRecord(unknown), "publicRecord unknown").has_value());
}

TEST_CASE("publicRecords filters by category, open or closed and dates, and honours the limit") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const char* categories[] = {"MOI_TRUONG", "GIAO_THONG", "MOI_TRUONG", "GIAO_THONG"};
    const char* created[] = {"2026-10-05T04:05:06.789Z", "2026-11-05T04:05:06.789Z",
                             "2026-11-20T04:05:06.789Z", "2026-12-01T04:05:06.789Z"};
    const auto items = chain(4, "4HQR", [&](int i, record::Header& h, record::Content&) {
        h.category = categories[i];
        h.createdAt = created[i];
    });
    must(s->ingest(items, nowMs()), "ingest");
    const auto& r1 = items[0].header.trackingCode;  // closed: answered last
    const auto& r2 = items[1].header.trackingCode;  // open: needs_info
    const auto& r3 = items[2].header.trackingCode;  // open: no status yet
    const auto& r4 = items[3].header.trackingCode;  // closed: rejected
    REQUIRE(must(s->addStatus(event(r1, "forwarded", "2026-10-06T01:00:00.000Z")), "addStatus"));
    REQUIRE(must(s->addStatus(event(r1, "answered", "2026-10-09T01:00:00.000Z")), "addStatus"));
    REQUIRE(must(s->addStatus(event(r2, "needs_info", "2026-11-06T01:00:00.000Z")), "addStatus"));
    REQUIRE(must(s->addStatus(event(r4, "rejected", "2026-12-02T01:00:00.000Z")), "addStatus"));

    auto query = [&](RequestFilter f) { return must(s->publicRecords(f), "publicRecords"); };
    using Codes = std::set<std::string>;
    const auto all = query(where());
    CHECK(codesOf(all) == Codes{r1, r2, r3, r4});
    for (const auto& p : all)
        if (p.trackingCode == r1) CHECK(p.events.size() == 2);

    CHECK(codesOf(query(where("MOI_TRUONG"))) == Codes{r1, r3});
    CHECK(codesOf(query(where("", "closed"))) == Codes{r1, r4});
    CHECK(codesOf(query(where("", "open"))) == Codes{r2, r3});
    CHECK(codesOf(query(where("GIAO_THONG", "open"))) == Codes{r2});
    CHECK(codesOf(query(where("", "", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"))) ==
          Codes{r2, r3});
    CHECK(codesOf(query(where("", "", "2026-11-20T00:00:00Z"))) == Codes{r3, r4});
    CHECK(codesOf(query(where("", "", "", "2026-11-01T00:00:00Z"))) == Codes{r1});
    CHECK(query(where("KHONG_CO")).empty());
    CHECK(query(where("", "", "", "", 2)).size() == 2);
    CHECK(query(where("", "", "", "", 1)).size() == 1);
    CHECK(query(where("", "open", "", "", 1)).size() == 1);
}

// ---- 5. config and schema -----------------------------------------------------------------------

TEST_CASE("the config document is stored, replaced and read back as set") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    CHECK_FALSE(must(s->config(), "config of a fresh database").has_value());
    const ConfigDocument v1{"2026.11.1", "\"9f2c\"",
                            R"({"ward":"Phường Sài Gòn","categories":["MOI_TRUONG"]})"};
    must(s->setConfig(v1), "setConfig");
    auto got = must(s->config(), "config");
    REQUIRE(got);
    CHECK(got->version == v1.version);
    CHECK(got->etag == v1.etag);
    CHECK(got->document == v1.document);

    const ConfigDocument v2{"2026.12.1", "\"a07d\"",
                            R"({"ward":"Phường Bến Thành","categories":[]})"};
    must(s->setConfig(v2), "setConfig again");
    s.reopen();
    got = must(s->config(), "config after reopen");
    REQUIRE(got);
    CHECK(got->version == v2.version);
    CHECK(got->etag == v2.etag);
    CHECK(got->document == v2.document);
}

TEST_CASE("schema reports the latest version, its kind and a backend id that survives reopening") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto info = must(s->schema(), "schema");
    CHECK(info.latest > 0);
    CHECK(info.version == info.latest);
    CHECK(info.kind == kind);
    CHECK_FALSE(info.backendId.empty());
    s.reopen();
    const auto again = must(s->schema(), "schema after reopen");
    CHECK(again.backendId == info.backendId);
    CHECK(again.version == info.version);
    auto other = fresh(kind);
    CHECK(must(other->schema(), "schema of another database").backendId != info.backendId);
}

TEST_CASE("a database written by a newer kiosk-backend is refused on open") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const int newer = must(s->schema(), "schema").latest + 1;
    s.storage.reset();
    if (kind == "sqlite") {
        sqlite::Db db(s.url.target, sqlite::Db::Mode::ReadWrite);
        db.exec("PRAGMA user_version = " + std::to_string(newer));
    } else {
        cluster().psql(s.dbName, "UPDATE backend_meta SET value = '" + std::to_string(newer) +
                                     "' WHERE key = 'schema_version'");
    }
    for (bool migrate : {true, false}) {
        CAPTURE(migrate);
        OpenOptions options;
        options.migrate = migrate;
        auto refused = openStorage(s.url, options);
        REQUIRE_FALSE(refused.has_value());
        CHECK_THAT(refused.error().detail, Catch::Contains("newer"));
        CHECK_FALSE(refused.error().transient);
    }
}

// ---- 6. copy primitives
// ---------------------------------------------------------------------------

TEST_CASE("copy pages through records and events, and applies each batch once with its progress") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto source = fresh(kind);
    auto target = fresh(kind);
    const auto items = chain(25);
    must(source->ingest(items, nowMs()), "ingest");
    auto altered = items[2];
    altered.header.hash = std::string(64, 'c');
    must(source->ingest(std::span(&altered, 1), nowMs()), "ingest conflict");
    REQUIRE(must(source->addStatus(
                     event(items[0].header.trackingCode, "received", "2026-11-24T01:00:00.000Z")),
                 "addStatus"));
    REQUIRE(must(source->addStatus(
                     event(items[12].header.trackingCode, "forwarded", "2026-11-24T02:00:00.000Z")),
                 "addStatus"));
    REQUIRE(must(source->addStatus(
                     event(items[0].header.trackingCode, "answered", "2026-11-25T01:00:00.000Z")),
                 "addStatus"));
    REQUIRE(must(source->addStatus(event(items[24].header.trackingCode, "needs_info",
                                         "2026-11-26T01:00:00.000Z")),
                 "addStatus"));

    // recordsAfter: every record once, in storage order, in pages of 10.
    std::vector<BackendStorage::RecordPage> pages;
    std::int64_t cursor = 0;
    for (int guard = 0; guard < 10; ++guard) {
        auto page = must(source->recordsAfter(cursor, 10), "recordsAfter");
        if (page.records.empty()) break;
        CHECK(page.next > cursor);
        cursor = page.next;
        pages.push_back(std::move(page));
    }
    REQUIRE(pages.size() == 3);
    CHECK(pages[0].records.size() == 10);
    CHECK(pages[1].records.size() == 10);
    CHECK(pages[2].records.size() == 5);
    std::vector<StoredRecord> paged;
    for (const auto& p : pages) paged.insert(paged.end(), p.records.begin(), p.records.end());
    REQUIRE(paged.size() == items.size());
    for (std::size_t i = 0; i < paged.size(); ++i) {
        CHECK(paged[i].header == items[i].header);
        CHECK((paged[i].content == items[i].content));
    }

    // eventsAfter: uids and kiosk ids filled in, oldest first.
    const auto events = must(source->eventsAfter(0, 100), "eventsAfter");
    REQUIRE(events.size() == 4);
    std::set<std::string> uids;
    for (std::size_t i = 0; i < events.size(); ++i) {
        CHECK_FALSE(events[i].uid.empty());
        CHECK(events[i].kioskId == "7K3M");
        if (i > 0) CHECK(events[i - 1].eventId < events[i].eventId);
        uids.insert(events[i].uid);
    }
    CHECK(uids.size() == 4);
    CHECK(must(source->eventsAfter(events[1].eventId, 100), "eventsAfter cursor").size() == 2);
    CHECK(must(source->eventsAfter(events[0].eventId, 1), "eventsAfter limit").size() == 1);

    // The target already holds another version of record 6: the copy keeps it and records a
    // conflict.
    auto targetVersion = items[5];
    targetVersion.header.hash = std::string(64, 'd');
    must(target->ingest(std::span(&targetVersion, 1), nowMs()), "ingest into target");

    const auto sourceId = must(source->schema(), "schema").backendId;
    CHECK(must(target->copyProgress(sourceId), "copyProgress before").recordCursor == 0);
    CopyBatch first{
        sourceId, pages[0].records, {}, must(source->allConflicts(), "allConflicts"), pages[0].next,
        0};
    CopyBatch second{sourceId, {}, events, {}, pages[2].next, events.back().eventId};
    second.records.insert(second.records.end(), pages[1].records.begin(), pages[1].records.end());
    second.records.insert(second.records.end(), pages[2].records.begin(), pages[2].records.end());

    must(target->copyIn(first), "copyIn first");
    must(target->copyIn(first), "copyIn first again");
    CHECK(must(target->recordCount(), "recordCount") == 10);
    auto progress = must(target->copyProgress(sourceId), "copyProgress");
    CHECK(progress.recordCursor == first.recordCursor);
    CHECK(progress.eventCursor == first.eventCursor);

    must(target->copyIn(second), "copyIn second");
    must(target->copyIn(second), "copyIn second again");
    CHECK(must(target->recordCount(), "recordCount") == 25);
    progress = must(target->copyProgress(sourceId), "copyProgress");
    CHECK(progress.recordCursor == second.recordCursor);
    CHECK(progress.eventCursor == second.eventCursor);
    const auto none = must(target->copyProgress("0123456789abcdef0123456789abcdef"),
                           "copyProgress of another source");
    CHECK(none.recordCursor == 0);
    CHECK(none.eventCursor == 0);

    for (std::size_t i = 0; i < items.size(); ++i) {
        INFO("record " << i);
        const auto got = must(target->recordById(items[i].header.id), "recordById in target");
        REQUIRE(got);
        if (i == 5) {
            CHECK(got->header.hash ==
                  targetVersion.header.hash);  // the target's own row is never overwritten
            continue;
        }
        CHECK(got->header == items[i].header);
        CHECK((got->content == items[i].content));
        CHECK(got->receivedAt == paged[i].receivedAt);
    }
    std::set<std::pair<std::string, std::string>> conflictRows;
    for (const auto& c : must(target->allConflicts(), "allConflicts in target"))
        conflictRows.insert({c.id, c.hash});
    CHECK(conflictRows == std::set<std::pair<std::string, std::string>>{
                              {items[2].header.id, altered.header.hash},
                              {items[5].header.id, items[5].header.hash}});

    const auto copied = must(target->eventsAfter(0, 100), "eventsAfter in target");
    REQUIRE(copied.size() == 4);
    std::set<std::string> copiedUids;
    for (const auto& e : copied) copiedUids.insert(e.uid);
    CHECK(copiedUids == uids);
    const auto timeline =
        must(target->publicRecord(items[0].header.trackingCode), "publicRecord in target");
    REQUIRE(timeline);
    REQUIRE(timeline->events.size() == 2);
    CHECK(timeline->events[1].status == "answered");
    CHECK(codesOf(must(target->publicRecords(where("", "closed")), "publicRecords in target")) ==
          std::set<std::string>{items[0].header.trackingCode});
    CHECK(must(target->statusSince("7K3M", 0, 100), "statusSince in target").size() == 4);
}

TEST_CASE("copyIdentities brings kiosks and tokens across once, and a copied token still works") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto source = fresh(kind);
    auto target = fresh(kind);
    const auto now = nowMs();
    const auto key = newKey();
    const auto used = must(source->issueEnrolToken("7K3M", now + 600000), "issueEnrolToken");
    REQUIRE(must(source->enrol(used, "7K3M", key, now), "enrol") == EnrolOutcome::Enrolled);
    const auto sourceKey4 = newKey();
    const auto t4 = must(source->issueEnrolToken("4HQR", now + 600000), "issueEnrolToken");
    REQUIRE(must(source->enrol(t4, "4HQR", sourceKey4, now), "enrol 4HQR") ==
            EnrolOutcome::Enrolled);
    const auto unused = must(source->issueEnrolToken("", now + 600000), "issueEnrolToken unbound");
    const std::string name = "Cán bộ một cửa";
    const auto staff = must(source->issueStaffToken(name), "issueStaffToken");

    // The target already knows 4HQR with its own key: existing rows are left alone.
    const auto targetKey4 = newKey();
    const auto tt =
        must(target->issueEnrolToken("4HQR", now + 600000), "issueEnrolToken in target");
    REQUIRE(must(target->enrol(tt, "4HQR", targetKey4, now), "enrol in target") ==
            EnrolOutcome::Enrolled);

    const auto kiosks = must(source->kiosks(), "kiosks");
    const auto enrolRows = must(source->enrolTokens(), "enrolTokens");
    const auto staffRows = must(source->staffTokens(), "staffTokens");
    REQUIRE(enrolRows.size() == 3);
    REQUIRE(staffRows.size() == 1);
    must(target->copyIdentities(kiosks, enrolRows, staffRows), "copyIdentities");
    must(target->copyIdentities(kiosks, enrolRows, staffRows), "copyIdentities again");

    const auto got = must(target->kiosks(), "kiosks in target");
    REQUIRE(got.size() == 2);
    CHECK(got[0].kioskId == "4HQR");
    CHECK(got[0].publicKey == targetKey4);
    CHECK(got[1].kioskId == "7K3M");
    CHECK(got[1].publicKey == key);
    CHECK(got[1].enrolledAt == kiosks[1].enrolledAt);
    CHECK(must(target->enrolTokens(), "enrolTokens in target").size() == 4);
    CHECK(must(target->staffTokens(), "staffTokens in target").size() == 1);

    // Both storages hash tokens the same way: what was issued by one works in the other.
    CHECK(must(target->staffTokenName(staff), "staffTokenName in target") ==
          std::optional<std::string>(name));
    const auto key2 = newKey();
    CHECK(must(target->enrol(unused, "9ABC", key2, now), "enrol with a copied token") ==
          EnrolOutcome::Enrolled);
    CHECK(must(target->kioskPublicKey("9ABC"), "kioskPublicKey") ==
          std::optional<std::string>(key2));
    CHECK(must(target->enrol(used, "9ABC", key2, now), "enrol with a copied used token") ==
          EnrolOutcome::BadToken);
    // The copied used token still answers its own kiosk's retry.
    CHECK(must(target->enrol(used, "7K3M", key, now), "retry with a copied used token") ==
          EnrolOutcome::Enrolled);
}

// ---- 7. the officers' console -----------------------------------------------------------------

namespace {

// n records of kiosk 7K3M indexed like the service does: ward W1 for even i, W2 for odd, the
// deadline 2026-12-01 + (i % 5) days, the folded text "ngap nuoc hem i" for every third.
std::vector<IngestItem> indexedChain(BackendStorage& s, int n) {
    auto items = chain(n);
    must(s.ingest(items, nowMs()), "ingest");
    std::vector<CaseIndex> index;
    for (int i = 0; i < n; ++i) {
        CaseIndex x;
        x.recordId = items[static_cast<std::size_t>(i)].header.id;
        x.ward = i % 2 == 0 ? "W1" : "W2";
        x.deadline = "2026-12-0" + std::to_string(1 + i % 5);
        x.searchText =
            i % 3 == 0 ? "ngap nuoc hem " + std::to_string(i) : "rac thai " + std::to_string(i);
        index.push_back(x);
    }
    must(s.indexCases(index), "indexCases");
    return items;
}

}  // namespace

TEST_CASE("console: cases are scoped, filtered, searched and paged by key in deadline order") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto items = indexedChain(*s, 23);
    CaseQuery all;
    all.limit = 500;
    const auto every = must(s->cases(all), "cases");
    REQUIRE(every.size() == 23);
    for (std::size_t i = 1; i < every.size(); ++i)
        CHECK((std::pair(every[i - 1].deadline, every[i - 1].rid) <
               std::pair(every[i].deadline, every[i].rid)));

    // Keyset pages of 5 give every case once, in the same order.
    std::vector<std::string> paged;
    CaseQuery q;
    q.limit = 5;
    for (;;) {
        const auto page = must(s->cases(q), "page");
        for (const auto& c : page) paged.push_back(c.trackingCode);
        if (page.size() < 5) break;
        q.hasCursor = true;
        q.afterDeadline = page.back().deadline;
        q.afterRid = page.back().rid;
    }
    REQUIRE(paged.size() == every.size());
    for (std::size_t i = 0; i < paged.size(); ++i) CHECK(paged[i] == every[i].trackingCode);

    CaseQuery ward;
    ward.scopeWard = "W1";
    ward.limit = 500;
    const auto w1 = must(s->cases(ward), "ward");
    CHECK(w1.size() == 12);
    for (const auto& c : w1) CHECK(c.ward == "W1");

    CaseQuery search;
    search.search = "ngap nuoc";
    search.limit = 500;
    CHECK(must(s->cases(search), "search").size() == 8);
    search.search = "%";  // a LIKE wildcard is a literal character
    CHECK(must(s->cases(search), "search %").empty());

    CaseQuery window;
    window.deadlineFrom = "2026-12-02";
    window.deadlineTo = "2026-12-03";
    window.limit = 500;
    for (const auto& c : must(s->cases(window), "window"))
        CHECK((c.deadline == "2026-12-02" || c.deadline == "2026-12-03"));

    // Hostile filter values are values: nothing matches, and every table is still there.
    for (const char* evilText :
         {"' OR '1'='1", "x'); DROP TABLE records; --", "\" OR 1=1 --", "W1' --"}) {
        const std::string evil = evilText;
        CaseQuery h;
        h.ward = evil;
        h.category = evil;
        h.search = evil;
        h.limit = 500;
        CHECK(must(s->cases(h), "hostile").empty());
        CaseQuery k;
        k.kiosk = evil;
        k.status = evil;
        k.statusIn = {evil};
        CHECK(must(s->cases(k), "hostile 2").empty());
    }
    CHECK(must(s->recordCount(), "count") == 23);
    // The scan in row order, in pages.
    std::vector<std::string> scanned;
    std::int64_t after = 0;
    for (;;) {
        const auto page = must(s->casesAfter(after, 7), "casesAfter");
        for (const auto& c : page) scanned.push_back(c.trackingCode);
        if (page.empty()) break;
        after = page.back().rid;
    }
    REQUIRE(scanned.size() == 23);
    for (std::size_t i = 0; i < scanned.size(); ++i)
        CHECK(scanned[i] == items[i].header.trackingCode);

    // A status event moves the agency and the deadline; an agency officer then sees the case.
    StatusEvent e = event(items[4].header.trackingCode, "forwarded", "2026-11-24T01:00:00.000Z");
    e.agency = "Phòng TN&MT";
    e.expectedDate = "2026-12-20";
    REQUIRE(must(s->addStatus(e), "addStatus"));
    const auto row = must(s->caseByCode(items[4].header.trackingCode), "caseByCode");
    REQUIRE(row.has_value());
    CHECK(row->agency == "Phòng TN&MT");
    CHECK(row->deadline == "2026-12-20");
    CHECK(row->status == "forwarded");
    CaseQuery agency;
    agency.scopeAgency = "Phòng TN&MT";
    const auto mine = must(s->cases(agency), "agency");
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].trackingCode == items[4].header.trackingCode);
    CaseQuery open;
    open.openOnly = true;
    open.limit = 500;
    CHECK(must(s->cases(open), "open").size() == 23);
    StatusEvent answered =
        event(items[5].header.trackingCode, "answered", "2026-11-24T02:00:00.000Z");
    REQUIRE(must(s->addStatus(answered), "answer"));
    CHECK(must(s->cases(open), "open").size() == 22);
    CaseQuery tab;
    tab.statusIn = {""};
    tab.limit = 500;
    CHECK(must(s->cases(tab), "new").size() == 21);
    // A later index write (a duplicate upload) keeps the deadline the officer set.
    CaseIndex again{items[4].header.id, "W1", "2026-12-01", "ngap nuoc"};
    must(s->indexCases(std::span(&again, 1)), "index again");
    CHECK(must(s->caseByCode(items[4].header.trackingCode), "caseByCode")->deadline ==
          "2026-12-20");
    const auto rec = must(s->recordByCode(items[4].header.trackingCode), "recordByCode");
    REQUIRE(rec.has_value());
    CHECK(rec->header.id == items[4].header.id);
    CHECK_FALSE(must(s->recordByCode("PAKN-0000-000000-0"), "unknown").has_value());
}

TEST_CASE("console: accounts, the lock-out counter, sessions, the access log and notes") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    ConsoleUser u;
    u.name = "ward1";
    u.role = "ward";
    u.ward = "W1";
    u.passwordHash = "$argon2id$fake";
    CHECK(must(s->addConsoleUser(u), "add"));
    CHECK_FALSE(must(s->addConsoleUser(u), "add twice"));
    auto got = must(s->consoleUser("ward1"), "get");
    REQUIRE(got.has_value());
    CHECK(got->role == "ward");
    CHECK(got->ward == "W1");
    CHECK_FALSE(got->disabled);
    CHECK_FALSE(must(s->consoleUser("nobody"), "get unknown").has_value());

    // Four failures count, the fifth locks and restarts the count; a success clears it.
    for (int i = 0; i < 4; ++i) must(s->noteLogin("ward1", false, 5, 1000), "fail");
    got = must(s->consoleUser("ward1"), "get");
    CHECK(got->failedLogins == 4);
    CHECK(got->lockedUntilMs == 0);
    must(s->noteLogin("ward1", false, 5, 12345), "fail 5");
    got = must(s->consoleUser("ward1"), "get");
    CHECK(got->failedLogins == 0);
    CHECK(got->lockedUntilMs == 12345);
    must(s->noteLogin("ward1", false, 5, 99999), "fail 6");
    must(s->noteLogin("ward1", true, 5, 0), "ok");
    got = must(s->consoleUser("ward1"), "get");
    CHECK(got->failedLogins == 0);
    CHECK(got->lockedUntilMs == 12345);
    // A new password (zeros passed) lifts the lock; disabled sticks.
    got->passwordHash = "$argon2id$other";
    got->lockedUntilMs = 0;
    got->disabled = true;
    CHECK(must(s->updateConsoleUser(*got), "update"));
    got = must(s->consoleUser("ward1"), "get");
    CHECK(got->passwordHash == "$argon2id$other");
    CHECK(got->lockedUntilMs == 0);
    CHECK(got->disabled);
    CHECK(must(s->consoleUsers(), "users").size() == 1);

    must(s->addConsoleSession({"h1", "ward1", "csrf1", 100, 100}), "session");
    must(s->addConsoleSession({"h2", "ward1", "csrf2", 100, 100}), "session 2");
    auto sess = must(s->consoleSession("h1"), "get session");
    REQUIRE(sess.has_value());
    CHECK(sess->csrf == "csrf1");
    must(s->touchConsoleSession("h1", 500), "touch");
    CHECK(must(s->consoleSession("h1"), "get")->lastMs == 500);
    must(s->deleteConsoleSession("h1"), "delete");
    CHECK_FALSE(must(s->consoleSession("h1"), "gone").has_value());
    must(s->deleteUserSessions("ward1"), "delete user's");
    CHECK_FALSE(must(s->consoleSession("h2"), "gone 2").has_value());

    must(s->addAccessLog({"sup", "PAKN-7K3M-000001-X", "contact", "2026-11-24T01:00:00.000Z"}),
         "log 1");
    must(s->addAccessLog({"sup", "PAKN-7K3M-000002-X", "contact", "2026-11-24T02:00:00.000Z"}),
         "log 2");
    const auto log = must(s->accessLog(10), "log");
    REQUIRE(log.size() == 2);
    CHECK(log[0].trackingCode == "PAKN-7K3M-000002-X");  // newest first
    must(s->addCaseNote({"C1", "ward1", "first", {}}), "note");
    must(s->addCaseNote({"C1", "ward1", "second", {}}), "note 2");
    const auto notes = must(s->caseNotes("C1"), "notes");
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].note == "first");
    CHECK(must(s->caseNotes("C2"), "none").empty());
}

TEST_CASE("console: reply templates per category are added, replaced, listed and deleted") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    CHECK(must(
        s->putReplyTemplate({0, "MOI_TRUONG", "Thu gom rác", "Đã thu gom rác tại {dia_diem}.", {}}),
        "add"));
    CHECK(
        must(s->putReplyTemplate({0, "", "Cảm ơn", "Cảm ơn ông/bà đã phản ánh.", {}}), "add any"));
    CHECK(must(s->putReplyTemplate({0, "GIAO_THONG", "Sửa đường", "Đã sửa.", {}}), "add other"));
    const auto env = must(s->replyTemplates("MOI_TRUONG"), "list");
    REQUIRE(env.size() == 2);  // its own and the one for any category, by title
    CHECK(env[0].title == "Cảm ơn");
    CHECK(env[1].title == "Thu gom rác");
    CHECK(must(s->replyTemplates(""), "all").size() == 3);
    ReplyTemplate t = env[1];
    t.body = "Đã thu gom xong.";
    CHECK(must(s->putReplyTemplate(t), "replace"));
    CHECK(must(s->replyTemplate(t.id), "get")->body == "Đã thu gom xong.");
    CHECK_FALSE(must(s->putReplyTemplate({987654, "", "x", "y", {}}), "replace unknown"));
    must(s->deleteReplyTemplate(t.id), "delete");
    CHECK_FALSE(must(s->replyTemplate(t.id), "gone").has_value());
    CHECK(must(s->replyTemplates("MOI_TRUONG"), "list").size() == 1);
}

// ---- 7. issue #14: supplements and ratings ---------------------------------------------------

TEST_CASE(
    "a new supplement's event and a rating are written with the record, once; later ratings "
    "replace earlier ones") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    // Record 1 is a case; 2 a supplement of it; 3 and 4 ratings (4 made earlier by the kiosk
    // clock).
    auto items = chain(4, "7K3M", [](int i, record::Header& h, record::Content& c) {
        if (i == 1) h.category = "supplement";
        if (i >= 2) h.category = "rating";
        if (i == 3) h.createdAt = "2026-11-23T04:00:00.000Z";
        if (i >= 1) c.kind = i == 1 ? record::RecordKind::Supplement : record::RecordKind::Rating;
    });
    const std::string code = items[0].header.trackingCode;
    must(s->ingest(std::span(items).first(1), nowMs()), "ingest case");
    StatusEvent back = event(code, "forwarded", "2026-11-25T01:00:00.000Z");
    back.agency = "Phòng TN&MT";
    back.note = "Người dân đã bổ sung thông tin";
    items[1].caseEvent = back;
    items[2].caseRating =
        CaseRating{code, "hai_long", false, items[2].header.createdAt, items[2].header.id};
    items[3].caseRating =
        CaseRating{code, "chua_hai_long", true, items[3].header.createdAt, items[3].header.id};
    const auto first = must(s->ingest(std::span(items).subspan(1), nowMs()), "ingest additions");
    for (const auto& r : first) CHECK(r.result == proto::ItemResult::Created);
    // Again (a lost reply): duplicates, and nothing is written twice.
    const auto again = must(s->ingest(std::span(items).subspan(1), nowMs()), "ingest again");
    for (const auto& r : again) CHECK(r.result == proto::ItemResult::Duplicate);

    const auto p = must(s->publicRecord(code), "publicRecord");
    REQUIRE(p);
    REQUIRE(p->events.size() == 1);
    CHECK(p->events[0].status == "forwarded");
    CHECK(p->events[0].agency == back.agency);
    CHECK(p->events[0].kioskId == "7K3M");
    // The later rating by the kiosk's clock stays, whatever order they arrived in.
    const auto rating = must(s->caseRating(code), "caseRating");
    REQUIRE(rating);
    CHECK(rating->rating == "hai_long");
    CHECK_FALSE(rating->reopen);
    CHECK(rating->recordId == items[2].header.id);
    const auto counts = must(s->ratingCounts(), "ratingCounts");
    CHECK(counts ==
          std::vector<std::pair<std::string, std::int64_t>>{{"hai_long", 1}, {"reopen", 0}});
    // Supplements and ratings are not cases: not public, not found as a case's record.
    CHECK_FALSE(
        must(s->publicRecord(items[1].header.trackingCode), "publicRecord supplement").has_value());
    CHECK_FALSE(must(s->caseRecordByCode(items[2].header.trackingCode), "caseRecordByCode rating")
                    .has_value());
    const auto c = must(s->caseRecordByCode(code), "caseRecordByCode");
    REQUIRE(c);
    CHECK(c->header.id == items[0].header.id);
    CHECK(c->content == items[0].content);
    for (const auto& r : must(s->publicRecords(where()), "publicRecords"))
        CHECK(r.trackingCode == code);
    CHECK_FALSE(must(s->caseRating(record::makeTrackingCode(record::RecordType::Pakn, "7K3M", 999)),
                     "none"));
}

TEST_CASE(
    "a reopen request's event is written once with its rating; a case's additions are linked, "
    "listed oldest first and never listed as cases") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    // 0 and 4 are cases; 1 a supplement of case 0; 2 a rating asking to reopen it; 3 a later
    // rating. The kiosk's clock orders the additions.
    std::string code0;
    auto items = chain(5, "7K3M", [&](int i, record::Header& h, record::Content& c) {
        if (i == 0) code0 = h.trackingCode;
        if (i == 1) {
            h.category = "supplement";
            c.kind = record::RecordKind::Supplement;
            h.createdAt = "2026-11-24T01:00:00.000Z";
        }
        if (i == 2 || i == 3) {
            h.category = "rating";
            c.kind = record::RecordKind::Rating;
            c.rating = i == 2 ? "chua_hai_long" : "hai_long";
            c.reopen = i == 2;
            h.createdAt = i == 2 ? "2026-11-25T01:00:00.000Z" : "2026-11-26T01:00:00.000Z";
        }
        if (i >= 1 && i <= 3) c.parentCode = code0;
    });
    const std::string code4 = items[4].header.trackingCode;
    std::vector<IngestItem> cases{items[0], items[4]};
    must(s->ingest(cases, nowMs()), "ingest cases");
    auto answered = event(code0, "answered", "2026-11-24T09:00:00.000Z");
    answered.agency = "Phòng TN&MT";
    REQUIRE(must(s->addStatus(answered), "answer"));
    StatusEvent reopen = event(code0, "forwarded", "2026-11-25T02:00:00.000Z");
    reopen.agency = "Phòng TN&MT";
    reopen.note = "Người dân chưa hài lòng với kết quả và đề nghị xem xét lại. Lý do: vẫn còn rác";
    items[2].caseEvent = reopen;
    items[2].caseRating =
        CaseRating{code0, "chua_hai_long", true, items[2].header.createdAt, items[2].header.id};
    items[3].caseRating =
        CaseRating{code0, "hai_long", false, items[3].header.createdAt, items[3].header.id};
    const auto additions = std::span(items).subspan(1, 3);
    for (int round = 0; round < 2; ++round) {  // the second time: a lost reply, all duplicates
        const auto r = must(s->ingest(additions, nowMs()), "ingest additions");
        for (const auto& x : r)
            CHECK(x.result ==
                  (round == 0 ? proto::ItemResult::Created : proto::ItemResult::Duplicate));
    }
    // Exactly one reopen event, after the answer, with its note; the case is open again.
    const auto p = must(s->publicRecord(code0), "publicRecord");
    REQUIRE(p);
    REQUIRE(p->events.size() == 2);
    CHECK(p->events[1].status == "forwarded");
    CHECK(p->events[1].note == reopen.note);
    CHECK(must(s->publicRecords(where({}, "open")), "open").size() == 2);
    // The kiosk that made the case pulls it.
    const auto pulled = must(s->statusSince("7K3M", 0, 100), "statusSince");
    REQUIRE(pulled.size() == 2);
    CHECK(pulled.back().note == reopen.note);

    // Not linked yet (as rows stored before migration 7): the service links them from content.
    std::set<std::string> unlinked;
    for (const auto& r : must(s->unlinkedAdditions(), "unlinkedAdditions"))
        unlinked.insert(r.header.id);
    CHECK(unlinked ==
          std::set<std::string>{items[1].header.id, items[2].header.id, items[3].header.id});
    CHECK(must(s->caseAdditions(code0), "no additions yet").empty());
    // Indexed, even with a ward given to the additions: they stay out of the inbox.
    std::vector<CaseIndex> index;
    for (int i = 0; i < 5; ++i)
        index.push_back({items[i].header.id, "26734", "2026-12-07", "rac thai",
                         i >= 1 && i <= 3 ? code0 : std::string{}});
    must(s->indexCases(index), "indexCases");
    CHECK(must(s->unlinkedAdditions(), "all linked").empty());
    const auto added = must(s->caseAdditions(code0), "caseAdditions");
    REQUIRE(added.size() == 3);
    CHECK(added[0].header.id == items[1].header.id);
    CHECK(added[1].header.id == items[2].header.id);
    CHECK(added[2].header.id == items[3].header.id);
    CHECK(added[0].content == items[1].content);
    CHECK(must(s->caseAdditions(code4), "none for case 4").empty());
    std::set<std::string> inbox;
    CaseQuery q;
    q.ward = "26734";
    for (const auto& c : must(s->cases(q), "cases")) inbox.insert(c.trackingCode);
    CHECK(inbox == std::set<std::string>{code0, code4});
    std::set<std::string> scanned;
    for (const auto& c : must(s->casesAfter(0, 100), "casesAfter")) scanned.insert(c.trackingCode);
    CHECK(scanned == inbox);
    CHECK_FALSE(must(s->caseByCode(items[1].header.trackingCode), "supplement as case"));
    CHECK(must(s->caseByCode(code0), "case")->status == "forwarded");

    // Ratings: the later one is the case's; read for several cases in one query, or all.
    const auto of = must(s->caseRatingsOf({code0, code4}), "caseRatingsOf");
    REQUIRE(of.size() == 1);
    CHECK(of[0].trackingCode == code0);
    CHECK(of[0].rating == "hai_long");
    CHECK_FALSE(of[0].reopen);
    CHECK(must(s->caseRatingsOf({}), "of none").empty());
    const auto all = must(s->allCaseRatings(), "allCaseRatings");
    REQUIRE(all.size() == 1);
    CHECK(all[0].recordId == items[3].header.id);
}

// ---- 8. the console at scale (migration 8: trigram search on PostgreSQL, tab indexes) -------

namespace {

// Cases whose folded text is `texts[i]` (one kiosk, deadline 2026-12-01 + i % 7 days, ward W1).
std::vector<IngestItem> casesWithText(BackendStorage& s, const std::vector<std::string>& texts,
                                      const std::string& kioskId = "7K3M") {
    auto items = chain(static_cast<int>(texts.size()), kioskId);
    must(s.ingest(items, nowMs()), "ingest");
    std::vector<CaseIndex> index;
    for (std::size_t i = 0; i < texts.size(); ++i)
        index.push_back(
            {items[i].header.id, "W1", "2026-12-0" + std::to_string(1 + i % 7), texts[i]});
    must(s.indexCases(index), "indexCases");
    return items;
}

std::set<std::string> searchCodes(BackendStorage& s, const std::string& folded,
                                  const std::string& tabStatus = "\x01") {
    CaseQuery q;
    q.search = folded;
    q.limit = 500;
    if (tabStatus != "\x01") q.statusIn = {tabStatus};
    std::set<std::string> out;
    for (const auto& c : must(s.cases(q), "search")) out.insert(c.trackingCode);
    return out;
}

}  // namespace

TEST_CASE("console: search finds substrings of the folded text and treats every input as text") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const std::vector<std::string> texts = {
        "ngap nuoc sau mua o hem 12 duong le loi",       // 0
        "duong ngap nuoc keo dai",                       // 1
        "rac thai ngap duong",                           // 2 (ngap, not "ngap nuoc")
        "100% ho dan bi anh huong; gia_tri = 'a' or 1",  // 3 LIKE and SQL characters
        "den duong hong",                                // 4
        "x'); drop table records; --",                   // 5 looks like SQL
        "zq",                                            // 6 shorter than a trigram
    };
    const auto items = casesWithText(*s, texts);
    auto code = [&](std::size_t i) { return items[i].header.trackingCode; };
    CHECK(searchCodes(*s, "ngap nuoc") == std::set{code(0), code(1)});
    CHECK(searchCodes(*s, "ngap") == std::set{code(0), code(1), code(2)});
    CHECK(searchCodes(*s, "hem 12 duong") == std::set{code(0)});
    // Short patterns (fewer than three characters: no trigram) still match.
    CHECK(searchCodes(*s, "zq") == std::set{code(6)});
    CHECK(searchCodes(*s, "g") == std::set{code(0), code(1), code(2), code(3), code(4)});
    // LIKE's wildcards and the escape character are literal.
    CHECK(searchCodes(*s, "100%") == std::set{code(3)});
    CHECK(searchCodes(*s, "%").size() == 1);
    CHECK(searchCodes(*s, "gia_tri") == std::set{code(3)});
    CHECK(searchCodes(*s, "i_a").empty());  // as a wildcard it would match "bi anh"
    CHECK(searchCodes(*s, "\\").empty());
    CHECK(searchCodes(*s, "%%%%").empty());
    // SQL-looking strings are values: they match themselves or nothing, and change nothing.
    CHECK(searchCodes(*s, "'a' or 1") == std::set{code(3)});
    CHECK(searchCodes(*s, "x'); drop table records; --") == std::set{code(5)});
    CHECK(searchCodes(*s, "' or '1'='1").empty());
    CHECK(searchCodes(*s, "\"; select 1; --").empty());
    CHECK(must(s->recordCount(), "count") == texts.size());
    // With a tab: the search narrows the tab's cases.
    StatusEvent e = event(code(1), "needs_info", "2026-11-24T01:00:00.000Z");
    REQUIRE(must(s->addStatus(e), "addStatus"));
    CHECK(searchCodes(*s, "ngap nuoc", "needs_info") == std::set{code(1)});
    CHECK(searchCodes(*s, "ngap nuoc", "") == std::set{code(0)});
    // Non-ASCII bytes (the fold keeps what it cannot fold) and a long needle.
    CHECK(searchCodes(*s, "ngập").empty());
    CHECK(searchCodes(*s, std::string(300, 'a')).empty());
}

TEST_CASE("console: keyset pages stay stable while cases are inserted concurrently") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    std::vector<std::string> texts(300, "rac thai");
    casesWithText(*s, texts, "7K3M");
    CaseQuery all;
    all.limit = 500;
    std::vector<std::pair<std::string, std::int64_t>> before;
    for (const auto& c : must(s->cases(all), "before")) before.emplace_back(c.deadline, c.rid);
    REQUIRE(before.size() == 300);

    // Another kiosk's cases arrive while the pages are read (deadlines all over the range).
    std::atomic<bool> stop{false};
    std::atomic<int> inserted{0};
    std::thread writer([&] {
        int round = 0;
        while (!stop && round < 40) {
            std::vector<std::string> more(5, "moi den");
            auto items = chain(5, "9Q2W", [&](int i, record::Header& h, record::Content&) {
                h.sequence = static_cast<std::uint64_t>(round * 5 + i + 1);
                h.trackingCode =
                    record::makeTrackingCode(record::RecordType::Pakn, "9Q2W", h.sequence);
            });
            if (!s->ingest(items, nowMs())) break;
            std::vector<CaseIndex> index;
            for (int i = 0; i < 5; ++i)
                index.push_back({items[std::size_t(i)].header.id, "W1",
                                 "2026-12-0" + std::to_string(1 + (round + i) % 7), "moi den"});
            if (!s->indexCases(index)) break;
            inserted += 5;
            ++round;
        }
    });
    std::vector<std::pair<std::string, std::int64_t>> seen;
    CaseQuery q;
    q.limit = 7;
    for (int pageNo = 1;; ++pageNo) {
        const auto page = must(s->cases(q), "page");
        for (const auto& c : page) seen.emplace_back(c.deadline, c.rid);
        if (page.size() < q.limit) break;
        // Let the writer land a batch between pages (at most 2 s), so inserts do interleave.
        for (int w = 0; w < 200 && inserted < 5 * std::min(pageNo, 40) && !stop; ++w)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        q.hasCursor = true;
        q.afterDeadline = page.back().deadline;
        q.afterRid = page.back().rid;
    }
    stop = true;
    writer.join();
    CHECK(inserted > 0);
    // Strictly increasing keys: nothing twice, nothing out of order.
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i - 1] < seen[i]);
    // Every case that was there before is in the pages.
    const std::set<std::pair<std::string, std::int64_t>> got(seen.begin(), seen.end());
    for (const auto& k : before) CHECK(got.contains(k));
}

TEST_CASE("console: case contents by row for the export, and a kiosk's record stamp") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    CHECK(must(s->kioskRecordStamp("7K3M"), "stamp none") == BackendStorage::RecordStamp{});
    const auto items = casesWithText(*s, {"a b c", "d e f", "g h i"});
    CaseQuery all;
    all.limit = 500;
    const auto rows = must(s->cases(all), "cases");
    REQUIRE(rows.size() == 3);
    std::vector<std::int64_t> rids;
    for (const auto& r : rows) rids.push_back(r.rid);
    std::sort(rids.begin(), rids.end());
    rids.push_back(rids.back() + 1000);  // not there: left out
    const auto contents = must(s->caseContents(rids), "caseContents");
    REQUIRE(contents.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(contents[i].first == rids[i]);
        CHECK(contents[i].second == items[i].content);  // rid order is ingest order here
    }
    CHECK(must(s->caseContents({}), "none").empty());
    const auto stamp = must(s->kioskRecordStamp("7K3M"), "stamp");
    CHECK(stamp.count == 3);
    CHECK(stamp.maxRid == rids[2]);
    // A new record changes the stamp; a status event does not.
    REQUIRE(must(
        s->addStatus(event(items[0].header.trackingCode, "received", "2026-11-24T01:00:00.000Z")),
        "addStatus"));
    CHECK(must(s->kioskRecordStamp("7K3M"), "stamp again") == stamp);
    auto more = chain(4);
    must(s->ingest(std::span(more).subspan(3), nowMs()), "ingest 4th");
    const auto after = must(s->kioskRecordStamp("7K3M"), "stamp after");
    CHECK(after.count == 4);
    CHECK(after.maxRid > stamp.maxRid);
    // The access log keeps an export's filter.
    must(s->addAccessLog({"sup", "", "export", {}, "tab=all & q=ngap"}), "log export");
    const auto log = must(s->accessLog(5), "log");
    REQUIRE(log.size() == 1);
    CHECK(log[0].what == "export");
    CHECK(log[0].trackingCode.empty());
    CHECK(log[0].detail == "tab=all & q=ngap");
}

// ---- 9. issue #13, admin pages: config versions ---------------------------------------------

TEST_CASE("config versions: saved with who and when, kept in order, refused when stale") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    CHECK(must(s->configHistory(10), "history of a fresh database").empty());
    const ConfigDocument v1{"console-1", "\"e1\"", R"({"version":"console-1","holidays":[]})"};
    ConfigVersionRow who{
        0, "console-1", "\"e1\"", "admin1", "2026-12-04T01:00:00.000Z", "holiday added: 2026-09-02",
        ""};
    // The default is served (nothing stored): the expected version is "".
    CHECK_FALSE(must(s->saveConfigVersion(v1, "something-else", who), "stale first save"));
    CHECK_FALSE(must(s->config(), "nothing written").has_value());
    CHECK(must(s->saveConfigVersion(v1, "", who), "first save"));
    auto served = must(s->config(), "served");
    REQUIRE(served);
    CHECK(served->version == "console-1");
    CHECK(served->document == v1.document);

    const ConfigDocument v2{"console-2", "\"e2\"", R"({"version":"console-2","holidays":["x"]})"};
    who.savedBy = "admin2";
    who.savedAt = "2026-12-04T02:00:00.000Z";
    who.note = "Tết 2027";
    // A second admin who loaded console-1 saves; a third one, still on "", is refused.
    CHECK(must(s->saveConfigVersion(v2, "console-1", who), "second save"));
    const ConfigDocument v3{"console-3", "\"e3\"", "{}"};
    CHECK_FALSE(must(s->saveConfigVersion(v3, "", who), "stale save"));
    CHECK_FALSE(must(s->saveConfigVersion(v3, "console-1", who), "stale save 2"));
    // A version name is used once.
    CHECK_FALSE(must(s->saveConfigVersion(v1, "console-2", who), "reused name"));
    CHECK(must(s->config(), "served 2")->version == "console-2");

    s.reopen();
    const auto h = must(s->configHistory(10), "history");
    REQUIRE(h.size() == 2);
    CHECK(h[0].seq == 2);
    CHECK(h[0].version == "console-2");
    CHECK(h[0].savedBy == "admin2");
    CHECK(h[0].savedAt == "2026-12-04T02:00:00.000Z");
    CHECK(h[0].note == "Tết 2027");
    CHECK(h[0].document == v2.document);
    CHECK(h[0].etag == "\"e2\"");
    CHECK(h[1].seq == 1);
    CHECK(h[1].savedBy == "admin1");
    CHECK(h[1].document == v1.document);
    CHECK(must(s->configHistory(1), "limit").size() == 1);
    // The CLI's setConfig still replaces the served document without touching the history.
    must(s->setConfig({"cli-1", "\"c\"", "{}"}), "setConfig");
    CHECK(must(s->configHistory(10), "history after cli").size() == 2);
    CHECK(must(s->saveConfigVersion(v3, "cli-1", who), "save after cli"));
    CHECK(must(s->configHistory(10), "history 3").front().seq == 3);
}

TEST_CASE("config versions: two saves racing from the same version, one wins") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    std::atomic<int> won{0}, failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&, i] {
            const std::string v = "race-" + std::to_string(i);
            for (;;) {
                auto r =
                    s->saveConfigVersion({v, "\"e\"", "{}"}, "",
                                         {0, v, "\"e\"", "a", "2026-12-04T00:00:00.000Z", "", ""});
                if (!r && r.error().transient) continue;  // busy: try again
                if (!r) ++failed;  // Catch's macros are not for other threads
                if (r && *r) ++won;
                return;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(failed == 0);
    CHECK(won == 1);
    CHECK(must(s->configHistory(10), "history").size() == 1);
}

// ---- 10. issue #13: config edits carry the stored cases along ---------------------------------

namespace {

// Cases of `kioskId` indexed with the wards given (one case each); `supplementAt` (if < n) is a
// supplement instead, with no ward.
std::vector<IngestItem> casesWithWards(BackendStorage& s, const std::string& kioskId,
                                       const std::vector<std::string>& wards,
                                       std::size_t supplementAt = 99) {
    auto items = chain(static_cast<int>(wards.size()), kioskId,
                       [&](int i, record::Header& h, record::Content& c) {
                           if (static_cast<std::size_t>(i) != supplementAt) return;
                           h.category = "supplement";
                           c.kind = record::RecordKind::Supplement;
                       });
    must(s.ingest(items, nowMs()), "ingest");
    std::vector<CaseIndex> index;
    for (std::size_t i = 0; i < wards.size(); ++i)
        index.push_back({items[i].header.id, wards[i], "2026-12-10", "rac thai"});
    must(s.indexCases(index), "indexCases");
    return items;
}

std::size_t countIn(BackendStorage& s, const std::string& scopeAgency,
                    const std::string& scopeWard = {}) {
    CaseQuery q;
    q.scopeAgency = scopeAgency;
    q.scopeWard = scopeWard;
    q.limit = 500;
    return must(s.cases(q), "cases").size();
}

ConsoleUser agencyOfficer(const std::string& name, const std::string& agency) {
    ConsoleUser u;
    u.name = name;
    u.role = "agency";
    u.agency = agency;
    u.passwordHash = "$argon2id$fake";
    return u;
}

ConfigVersionRow savedBy(const std::string& version) {
    return {0, version, "\"e\"", "admin1", "2026-12-06T10:00:00.000Z", "test", ""};
}

}  // namespace

TEST_CASE(
    "config edits: an agency rename carries its cases and officers, a kiosk's ward fills its "
    "cases without one, both in the version's transaction") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto items = casesWithWards(*s, "7K3M", {"W1", "W1", "W1", "W2"});
    for (std::size_t i = 0; i < 3; ++i) {
        StatusEvent e =
            event(items[i].header.trackingCode, "forwarded", "2026-12-01T01:00:00.000Z");
        e.agency = i < 2 ? "Phòng TN&MT" : "Đội trật tự";
        REQUIRE(must(s->addStatus(e), "forward"));
    }
    REQUIRE(must(s->addConsoleUser(agencyOfficer("ag1", "Phòng TN&MT")), "add officer"));
    REQUIRE(must(s->addConsoleUser(agencyOfficer("ag2", "Đội trật tự")), "add other"));
    REQUIRE(countIn(*s, "Phòng TN&MT") == 2);

    ConfigEffects rename;
    rename.agencyFrom = "Phòng TN&MT";
    rename.agencyTo = "Phòng Tài nguyên và Môi trường";
    // A refused save (another version was saved first) changes no case.
    auto refused =
        must(s->saveConfigVersionWith({"v1", "\"e\"", "{}"}, "stale", savedBy("v1"), rename),
             "stale save");
    CHECK_FALSE(refused.saved);
    CHECK(refused.casesChanged == 0);
    CHECK(countIn(*s, "Phòng TN&MT") == 2);
    CHECK(must(s->consoleUser("ag1"), "officer")->agency == "Phòng TN&MT");

    auto saved =
        must(s->saveConfigVersionWith({"v1", "\"e\"", "{}"}, "", savedBy("v1"), rename), "save");
    CHECK(saved.saved);
    CHECK(saved.casesChanged == 2);
    CHECK(saved.usersChanged == 1);
    CHECK(countIn(*s, "Phòng TN&MT") == 0);
    CHECK(countIn(*s, "Phòng Tài nguyên và Môi trường") == 2);
    CHECK(countIn(*s, "Đội trật tự") == 1);
    CHECK(must(s->consoleUser("ag1"), "officer")->agency == "Phòng Tài nguyên và Môi trường");
    CHECK(must(s->consoleUser("ag2"), "other")->agency == "Đội trật tự");
    // The timeline keeps the name the forward was sent with (kiosks and Open311 have it).
    const auto p = must(s->publicRecord(items[0].header.trackingCode), "publicRecord");
    REQUIRE(p);
    REQUIRE(p->events.size() == 1);
    CHECK(p->events[0].agency == "Phòng TN&MT");
    CHECK(must(s->config(), "served")->version == "v1");

    // Kiosk 9Q2X: two cases without a ward, one with W2, one supplement without a ward.
    const auto nine = casesWithWards(*s, "9Q2X", {"", "W2", "", ""}, 3);
    ConfigEffects ward;
    ward.kioskId = "9Q2X";
    ward.kioskWard = "W5";
    auto stale =
        must(s->saveConfigVersionWith({"v2", "\"e\"", "{}"}, "v0", savedBy("v2"), ward), "stale");
    CHECK_FALSE(stale.saved);
    CHECK(countIn(*s, "", "W5") == 0);
    auto filled =
        must(s->saveConfigVersionWith({"v2", "\"e\"", "{}"}, "v1", savedBy("v2"), ward), "ward");
    CHECK(filled.saved);
    CHECK(filled.casesChanged == 2);
    CHECK(countIn(*s, "", "W5") == 2);
    CHECK(must(s->caseByCode(nine[0].header.trackingCode), "c0")->ward == "W5");
    CHECK(must(s->caseByCode(nine[1].header.trackingCode), "c1")->ward == "W2");  // kept
    CHECK(must(s->caseByCode(nine[2].header.trackingCode), "c2")->ward == "W5");
    // Kiosk 7K3M's cases are another kiosk's: untouched.
    CHECK(countIn(*s, "", "W1") == 3);
    // Setting another ward later moves nothing: every case of 9Q2X has one now.
    ward.kioskWard = "W6";
    auto again =
        must(s->saveConfigVersionWith({"v3", "\"e\"", "{}"}, "v2", savedBy("v3"), ward), "again");
    CHECK(again.saved);
    CHECK(again.casesChanged == 0);
    CHECK(countIn(*s, "", "W5") == 2);
    CHECK(must(s->configHistory(10), "history").size() == 3);
}

TEST_CASE(
    "migration 10 carries cases left under an agency's former name and fills kiosk wards, from "
    "the config history") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto s = fresh(kind);
    const auto items = casesWithWards(*s, "7K3M", {"W1", "W1", "", ""});
    for (std::size_t i = 0; i < 3; ++i) {
        StatusEvent e =
            event(items[i].header.trackingCode, "forwarded", "2026-12-01T01:00:00.000Z");
        e.agency = i == 0 ? "Phòng Cũ" : i == 1 ? "Tên chung" : "Đội A";
        REQUIRE(must(s->addStatus(e), "forward"));
    }
    REQUIRE(must(s->addConsoleUser(agencyOfficer("ag1", "Phòng Mới")), "add officer"));
    // The history as the admin pages wrote it before: AG1 "Phòng Cũ" renamed "Phòng Mới"; AG2
    // "Tên chung" renamed "Đội B" and AG3 renamed "Tên chung" later (a name two agencies had:
    // not guessed); AG4 "Đội A" unchanged. Kiosk 7K3M stands in W9.
    const std::string h1 =
        R"({"version":"h1","agencies":[{"code":"AG1","name":"Phòng Cũ"},{"code":"AG2","name":"Tên chung"},{"code":"AG3","name":"Đội C"},{"code":"AG4","name":"Đội A"}]})";
    const std::string h2 =
        R"({"version":"h2","agencies":[{"code":"AG1","name":"Phòng Mới"},{"code":"AG2","name":"Đội B"},{"code":"AG3","name":"Tên chung"},{"code":"AG4","name":"Đội A"}],"kiosk_wards":{"7K3M":"W9"}})";
    REQUIRE(must(s->saveConfigVersion({"h1", "\"1\"", h1}, "", savedBy("h1")), "h1"));
    REQUIRE(must(s->saveConfigVersion({"h2", "\"2\"", h2}, "h1", savedBy("h2")), "h2"));
    const int latest = must(s->schema(), "schema").latest;
    REQUIRE(latest >= 10);
    s.storage.reset();
    // Back to schema 9 (the state a database of the previous kiosk-backend is in), then reopen.
    if (kind == "sqlite") {
        sqlite::Db db(s.url.target, sqlite::Db::Mode::ReadWrite);
        db.exec("DROP INDEX console_users_agency; PRAGMA user_version = 9");
    } else {
        cluster().psql(s.dbName,
                       "DROP INDEX console_users_agency; UPDATE backend_meta SET value = '9' WHERE "
                       "key = 'schema_version'");
    }
    s.reopen();
    CHECK(must(s->schema(), "schema").version == latest);
    CHECK(countIn(*s, "Phòng Cũ") == 0);
    CHECK(countIn(*s, "Phòng Mới") == 1);  // the officer sees the case again
    CHECK(countIn(*s, "Tên chung") == 1);  // ambiguous: left where it was
    CHECK(countIn(*s, "Đội A") == 1);
    CHECK(must(s->caseByCode(items[2].header.trackingCode), "c2")->ward == "W9");
    CHECK(must(s->caseByCode(items[3].header.trackingCode), "c3")->ward == "W9");
    CHECK(must(s->caseByCode(items[0].header.trackingCode), "c0")->ward == "W1");  // kept
}

TEST_CASE(
    "copy carries the console's columns (unless the target's case is newer) and its small tables "
    "once each") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    auto source = fresh(kind);
    auto target = fresh(kind);
    // 0, 1, 2 cases; 3 a supplement of case 0; 4 a rating of case 0.
    std::string code0;
    auto items = chain(5, "7K3M", [&](int i, record::Header& h, record::Content& c) {
        if (i == 0) code0 = h.trackingCode;
        if (i == 3) {
            h.category = "supplement";
            c.kind = record::RecordKind::Supplement;
        }
        if (i == 4) {
            h.category = "rating";
            c.kind = record::RecordKind::Rating;
            c.rating = "hai_long";
        }
        if (i >= 3) c.parentCode = code0;
    });
    items[4].caseRating =
        CaseRating{code0, "hai_long", false, items[4].header.createdAt, items[4].header.id};
    must(source->ingest(items, nowMs()), "ingest");
    std::vector<CaseIndex> index{{items[0].header.id, "W1", "2026-12-10", "rac thai hem 1"},
                                 {items[1].header.id, "W2", "2026-12-11", "ngap nuoc"},
                                 {items[2].header.id, "", "2026-12-12", "den duong"},
                                 {items[3].header.id, "", "", "", code0},
                                 {items[4].header.id, "", "", "", code0}};
    must(source->indexCases(index), "indexCases");
    StatusEvent fwd = event(code0, "forwarded", "2026-12-01T01:00:00.000Z");
    fwd.agency = "Phòng TN&MT";
    fwd.expectedDate = "2026-12-20";
    REQUIRE(must(source->addStatus(fwd), "forward"));
    REQUIRE(must(source->addStatus(
                     event(items[1].header.trackingCode, "received", "2026-12-01T02:00:00.000Z")),
                 "acknowledge"));
    must(source->addCaseNote({code0, "ward1", "Đã gọi điện cho người dân", "2026-12-01T03:00:00Z"}),
         "note");
    must(source->addAccessLog({"ward1", code0, "contact", "2026-12-01T04:00:00Z"}), "access");
    REQUIRE(
        must(source->putReplyTemplate({0, "MOI_TRUONG", "Đã thu gom", "Rác đã được thu gom.", ""}),
             "template"));
    REQUIRE(must(source->saveConfigVersion({"w1", "\"w\"", "{}"}, "", savedBy("w1")), "version"));

    const auto sourceId = must(source->schema(), "schema").backendId;
    const auto page = must(source->recordsAfter(0, 100), "recordsAfter");
    const auto events = must(source->eventsAfter(0, 100), "eventsAfter");
    must(target->copyIn({sourceId, page.records, events, {}, page.next, events.back().eventId}),
         "copyIn");
    // Records and events alone: the copied case is in no ward's inbox.
    CHECK(must(target->caseByCode(code0), "before")->ward.empty());

    const auto cols = must(source->recordIndexAfter(0, 3), "recordIndexAfter");
    REQUIRE(cols.rows.size() == 3);
    const auto rest = must(source->recordIndexAfter(cols.next, 100), "recordIndexAfter 2");
    REQUIRE(rest.rows.size() == 2);
    CHECK(must(source->recordIndexAfter(rest.next, 100), "end").rows.empty());
    auto all = cols.rows;
    all.insert(all.end(), rest.rows.begin(), rest.rows.end());
    for (int round = 0; round < 2; ++round)
        CHECK(must(target->copyIndexIn(all), "copyIndexIn") == 5);
    for (const auto& it : items) {
        const auto want = must(source->caseByCode(it.header.trackingCode), "source row");
        const auto got = must(target->caseByCode(it.header.trackingCode), "target row");
        if (!want) continue;  // supplements and ratings are no cases
        REQUIRE(got);
        CHECK(got->ward == want->ward);
        CHECK(got->agency == want->agency);
        CHECK(got->deadline == want->deadline);
        CHECK(got->status == want->status);
        CHECK(got->statusUpdated == want->statusUpdated);
    }
    CHECK(must(target->caseByCode(code0), "c0")->agency == "Phòng TN&MT");
    CHECK(must(target->caseByCode(code0), "c0")->deadline == "2026-12-20");
    CaseQuery search;
    search.search = "ngap nuoc";
    CHECK(must(target->cases(search), "search").size() == 1);
    CHECK(must(target->caseAdditions(code0), "additions").size() == 2);

    // A city officer answers case 1 after the copy; copying the columns again keeps that.
    REQUIRE(must(target->addStatus(
                     event(items[1].header.trackingCode, "answered", "2026-12-30T01:00:00.000Z")),
                 "answer in the city"));
    must(target->copyIndexIn(all), "copyIndexIn again");
    CHECK(must(target->caseByCode(items[1].header.trackingCode), "c1")->status == "answered");

    const auto extras = must(source->copyExtras(), "copyExtras");
    CHECK(extras.ratings.size() == 1);
    CHECK(extras.configVersions.size() == 1);
    const auto added = must(target->copyExtrasIn(extras), "copyExtrasIn");
    CHECK(added.ratings == 1);
    CHECK(added.notes == 1);
    CHECK(added.accessLog == 1);
    CHECK(added.templates == 1);
    CHECK(added.configVersions == 1);
    const auto again = must(target->copyExtrasIn(extras), "copyExtrasIn again");
    CHECK(again.ratings + again.notes + again.accessLog + again.templates + again.configVersions ==
          0);
    const auto rating = must(target->caseRating(code0), "rating");
    REQUIRE(rating);
    CHECK(rating->rating == "hai_long");
    CHECK(rating->recordId == items[4].header.id);
    const auto notes = must(target->caseNotes(code0), "notes");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].at == "2026-12-01T03:00:00Z");
    const auto log = must(target->accessLog(10), "access log");
    REQUIRE(log.size() == 1);
    CHECK(log[0].userName == "ward1");
    CHECK(must(target->replyTemplates("MOI_TRUONG"), "templates").size() == 1);
    const auto history = must(target->configHistory(10), "history");
    REQUIRE(history.size() == 1);
    CHECK(history[0].version == "w1");
    CHECK(history[0].savedBy == "admin1");
}
