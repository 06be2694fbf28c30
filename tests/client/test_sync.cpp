// The sync client against the real backend on loopback, through real libcurl.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

#include "client/backoff.hpp"
#include "client/sync_client.hpp"
#include "client/sync_worker.hpp"
#include "clock/clock.hpp"
#include "proto/protocol.hpp"
#include "sync_test_support.hpp"

using namespace ksync;
using namespace synctest;

namespace {

client::SyncClient openClient(Kiosk& k, std::int64_t timeoutMs = 5000) {
    client::SyncClientOptions o;
    o.transport.totalTimeoutMs = timeoutMs;
    o.transport.connectTimeoutMs = std::min<std::int64_t>(timeoutMs, 2000);
    auto c = client::SyncClient::open(k.dir(), o);
    if (!c) FAIL("open failed: " << c.error().detail);
    return std::move(*c);
}

// Every record of the kiosk is at the backend exactly once, with the same bytes.
void requireExactlyOnce(Kiosk& k, Backend& b, std::size_t expected) {
    auto count = b.storage().recordCount();
    REQUIRE(count);
    CHECK(*count == expected);
    auto stored = b.storage().kioskRecords("7K3M");
    REQUIRE(stored);
    REQUIRE(stored->size() == expected);
    std::set<std::string> ids;
    for (const auto& s : *stored) {
        ids.insert(s.header.id);
        auto local = k.store().findBySeq(s.header.sequence);
        REQUIRE(local);
        REQUIRE(local->has_value());
        const auto& r = **local;
        CHECK(s.header == r.header);
        // The kiosk keeps the content sealed to the backend's key; the backend opened it, and it is
        // byte-identical to what was committed (its digest is in the hash chain).
        CHECK(r.sealed);
        CHECK(record::sha256Hex(s.content) == r.header.contentDigest);
        CHECK(record::decodeContent(s.content).has_value());
        CHECK(s.intact);
    }
    CHECK(ids.size() == expected);
}

void rawExec(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(msg);
    REQUIRE(rc == SQLITE_OK);
}

// The first column of the first row, as text ("" when there is none or it is NULL).
std::string rawText(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// What the sync layer stored for a record: a code and a detail, never words.
std::string outboxError(Kiosk& k, std::uint64_t seq) {
    return rawText(k.dir().database(),
                   "SELECT last_error FROM outbox WHERE seq = " + std::to_string(seq));
}

}  // namespace

TEST_CASE(
    "2,000 records including every fixture reach the backend exactly once and byte-identical") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    INFO("backend storage: " << kind);
    Backend backend(0, kind == "postgresql" ? pgDatabase() : std::string{});
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    const int n = envInt("KIOSK_SYNC_RECORDS", 2000);
    kiosk.addRecords(n);
    auto c = openClient(kiosk);
    const auto report = c.runPass();
    INFO((report.error ? report.error->detail : std::string()));
    REQUIRE(report.ok());
    CHECK(report.uploaded == static_cast<std::size_t>(n));
    CHECK(report.batches >= static_cast<std::size_t>(n) / 250);
    requireExactlyOnce(kiosk, backend, static_cast<std::size_t>(n));
    auto stats = kiosk.store().outboxStats();
    REQUIRE(stats);
    CHECK(stats->queued == 0);
    CHECK(stats->uploaded == n);
    // Payloads went compressed with the shipped dictionary, then sealed to the backend's key.
    auto first = backend.storage().kioskRecords("7K3M");
    REQUIRE(first);
    CHECK(first->front().payloadFormat == "sealed:zstd-dict:v1");
    // And each batch went as one zstd body (the backend offered it in its health reply).
    std::size_t zstdBatches = 0;
    for (const auto& line : backend.logLines())
        if (line.find("POST /api/v1/records 200") != std::string::npos && line.ends_with(" zstd"))
            ++zstdBatches;
    CHECK(zstdBatches == report.batches);
    // A second pass sends nothing again.
    const auto again = c.runPass();
    CHECK(again.ok());
    CHECK(again.batches == 0);
}

TEST_CASE("a captive portal answering 200 text/html or a 302 never counts as an acknowledgement") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    kiosk.addRecords(5);
    for (bool redirect : {false, true}) {
        CaptivePortal portal(redirect);
        kiosk.setBackendUrl(portal.url());
        auto c = openClient(kiosk);
        const auto report = c.runPass();
        REQUIRE_FALSE(report.ok());
        CHECK(report.error->kind == client::SyncErrorKind::CaptivePortal);
        CHECK(report.uploaded == 0);
        CHECK(portal.requests() >= 1);
        auto stats = kiosk.store().outboxStats();
        REQUIRE(stats);
        CHECK(stats->queued == 5);
        CHECK(stats->uploaded == 0);
        const std::string stored = kiosk.store().state("last_error").value().value_or("");
        const auto parsed = client::parseStoredError(stored);
        INFO(stored);
        REQUIRE(parsed);
        CHECK(parsed->code == "network.captive_portal");
    }
    CHECK(backend.storage().recordCount().value() == 0);

    // Every upload path refuses the portal, not only the health check: send a batch straight at
    // it. A pass that gets through makes health and config not due, so the next pass starts with
    // the batch; the portal (through the proxy, which then never reaches the backend) answers
    // exactly that request.
    FaultProxy proxy(backend.port(), {}, 0);
    kiosk.setBackendUrl(proxy.url());
    auto c = openClient(kiosk);
    const std::string records(proto::kPathRecords);
    std::size_t atBackend = 0;
    for (Fault portal : {Fault::Portal, Fault::PortalRedirect}) {
        INFO("portal answer " << (portal == Fault::Portal ? "200 text/html" : "302"));
        const auto through = c.runPass();
        INFO((through.ok() ? std::string() : through.error->detail));
        REQUIRE(through.ok());
        atBackend += through.uploaded;
        REQUIRE(backend.storage().recordCount().value() == atBackend);
        kiosk.addRecords(3);
        const int requestsBefore = proxy.totalRequests();
        const int uploadsBefore = proxy.requests(records);
        const int faultsBefore = proxy.faultsOn(records);
        proxy.append({portal});
        const auto report = c.runPass();
        REQUIRE_FALSE(report.ok());
        CHECK(report.error->kind == client::SyncErrorKind::CaptivePortal);
        CHECK(report.uploaded == 0);
        CHECK(report.batches == 1);
        // The one request of the pass was the batch, and the portal answered it.
        CHECK(proxy.totalRequests() == requestsBefore + 1);
        CHECK(proxy.requests(records) == uploadsBefore + 1);
        CHECK(proxy.faultsOn(records) == faultsBefore + 1);
        auto stats = kiosk.store().outboxStats();
        REQUIRE(stats);
        CHECK(stats->queued == 3);  // back in the queue, not acknowledged
        // Each with the code of what happened to its batch, not words.
        const std::string given = rawText(
            kiosk.dir().database(), "SELECT last_error FROM outbox WHERE state = 'queued' LIMIT 1");
        CHECK(given.starts_with("network.captive_portal: "));
        CHECK(stats->uploaded == static_cast<std::int64_t>(atBackend));
        CHECK(backend.storage().recordCount().value() == atBackend);
    }
    CHECK(atBackend == 8);  // the five from above, then the three the first portal refused
}

TEST_CASE(
    "uploads through a proxy that resets, stalls, fails, truncates and lies lose nothing, "
    "duplicate nothing, and do not storm") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    INFO("backend storage: " << kind);
    Backend backend(0, kind == "postgresql" ? pgDatabase() : std::string{});
    const int n = envInt("KIOSK_FAULT_RECORDS", 240);
    const int rounds = envInt("KIOSK_FAULT_ROUNDS", 2);
    std::vector<Fault> script;
    for (int r = 0; r < rounds; ++r)
        for (Fault f : {Fault::Reset, Fault::None, Fault::Stall, Fault::Status500, Fault::None,
                        Fault::None, Fault::Status429, Fault::Truncate, Fault::None, Fault::Garbage,
                        Fault::Portal, Fault::None, Fault::LoseResponse, Fault::None, Fault::None})
            script.push_back(f);
    const int faults = static_cast<int>(
        std::count_if(script.begin(), script.end(), [](Fault f) { return f != Fault::None; }));
    FaultProxy proxy(backend.port(), script, 1500);
    Kiosk kiosk(proxy.url());
    kiosk.enroll(backend);
    kiosk.addRecords(n);

    client::SyncWorkerOptions o;
    o.client.batchRecords = 20;
    o.client.batchBytes = 64 * 1024 * 1024;  // batches by count only, so the bound below is exact
    o.client.transport.totalTimeoutMs = 1000;
    o.client.transport.connectTimeoutMs = 1000;
    o.backoff = {20, 200, 5, 2000};
    o.idlePollMs = 60 * 60 * 1000;
    std::atomic<int> passes{0}, failedPasses{0};
    client::SyncWorker worker(kiosk.dir(), o, [&](const client::SyncEvent& e) {
        if (e.kind != client::SyncEvent::Kind::PassFinished) return;
        ++passes;
        if (!e.report.ok()) ++failedPasses;
    });
    worker.start();
    // Not a timing assertion: a guard so a broken client fails instead of hanging.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto s = worker.snapshot();
        if (s.phase == client::SyncSnapshot::Phase::Idle && s.queued == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    worker.stop();
    requireExactlyOnce(kiosk, backend, static_cast<std::size_t>(n));
    const int batches = (n + 19) / 20;
    const int uploads = proxy.requests(std::string(proto::kPathRecords));
    INFO("upload requests " << uploads << ", upload faults "
                            << proxy.faultsOn(std::string(proto::kPathRecords)) << ", total "
                            << proxy.totalRequests() << ", passes " << passes << ", failed "
                            << failedPasses);
    // Each fault costs at most one more attempt of the same batch; nothing is sent twice otherwise.
    CHECK(uploads <= batches + proxy.faultsOn(std::string(proto::kPathRecords)));
    // One pass per failure plus the successful one; a pass makes at most a handful of requests.
    CHECK(failedPasses <= faults);
    CHECK(proxy.totalRequests() <= uploads + 5 * passes);
    CHECK(kiosk.store().outboxStats().value().quarantined == 0);
}

TEST_CASE(
    "a conflict and a permanently rejected record are quarantined while the rest of the queue "
    "drains") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    kiosk.addRecords(10);
    // Record 3: the backend already holds its id with another hash (e.g. a restored kiosk).
    auto r3 = kiosk.store().findBySeq(3).value().value();
    backend::IngestItem other;
    other.header = r3.header;
    other.header.hash = std::string(64, 'a');
    other.payloadFormat = "plain";
    other.content = record::encodeContent(r3.content);
    REQUIRE(backend.storage().ingest(std::span(&other, 1), 0));
    // Record 6: its stored content is damaged; the backend rejects it for good.
    rawExec(kiosk.dir().database(), "UPDATE records SET content = X'4B524331FF' WHERE seq = 6");

    auto c = openClient(kiosk);
    const auto report = c.runPass();
    REQUIRE(report.ok());
    CHECK(report.quarantined == 2);
    CHECK(report.uploaded == 8);
    auto stats = kiosk.store().outboxStats().value();
    CHECK(stats.queued == 0);
    CHECK(stats.quarantined == 2);
    auto q = kiosk.store().quarantined().value();
    REQUIRE(q.size() == 2);
    CHECK(q[0].seq + q[1].seq == 9);
    // Stored as codes (the staff panel and kioskctl word them): the backend's reason kept as
    // detail.
    CHECK(outboxError(kiosk, 3) == "record.conflict");
    const auto rejected = client::parseStoredError(outboxError(kiosk, 6));
    INFO(outboxError(kiosk, 6));
    REQUIRE(rejected);
    CHECK(rejected->code == "record.rejected");
    CHECK_FALSE(rejected->detail.empty());
    CHECK(outboxError(kiosk, 1).empty());  // acknowledged: no error
    // Staff see it; the backend kept the conflicting copy aside, never overwrote.
    CHECK(backend.storage().recordById(r3.header.id).value()->header.hash == std::string(64, 'a'));
    CHECK(backend.storage().conflicts("7K3M").value().size() == 1);
    // Records after them went through: the queue was not blocked.
    CHECK(backend.storage().recordCount().value() == 1 + 8);
}

TEST_CASE("signed requests with a wrong key, a replayed nonce or an old timestamp are refused") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    auto transport = client::HttpTransport::create(transportTo(backend.url()));
    REQUIRE(transport);
    auto key = platform::keys::DeviceKey::load(client::deviceKeyFile(kiosk.dir()));
    REQUIRE(key);
    const auto stranger = platform::keys::DeviceKey::generate();
    const std::string body = R"({"since":"0"})";
    auto signedRequest = [&](const platform::keys::DeviceKey& k, std::int64_t tsMs,
                             const std::string& nonce) {
        const std::string ts = std::to_string(tsMs);
        client::HttpRequest req{"POST", std::string(proto::kPathStatus), {}, body};
        req.headers = {
            {"X-Kiosk-Id", "7K3M"},
            {"X-Kiosk-Timestamp", ts},
            {"X-Kiosk-Nonce", nonce},
            {"X-Kiosk-Signature", k.signBase64(proto::requestSigningString(
                                      "POST", proto::kPathStatus, "7K3M", ts, nonce, body))}};
        return req;
    };
    auto errorOf = [](const client::HttpResponse& r) {
        return nlohmann::json::parse(r.body).value("error", "");
    };
    const std::int64_t now = platform::clock::unixMillis(platform::clock::now());

    auto good = transport->send(signedRequest(*key, now, proto::newNonce()));
    REQUIRE(good);
    CHECK(good->status == 200);

    auto wrong = transport->send(signedRequest(stranger, now, proto::newNonce()));
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    CHECK(errorOf(*wrong) == "bad_signature");

    const auto replay = signedRequest(*key, now, proto::newNonce());
    auto first = transport->send(replay);
    auto second = transport->send(replay);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->status == 200);
    CHECK(second->status == 401);
    CHECK(errorOf(*second) == "replayed_request");

    auto old = transport->send(signedRequest(*key, now - 10 * 60 * 1000, proto::newNonce()));
    REQUIRE(old);
    CHECK(old->status == 401);
    CHECK(errorOf(*old) == "stale_timestamp");

    // An unknown kiosk id with a valid-looking signature is refused too.
    auto tampered = signedRequest(*key, now, proto::newNonce());
    tampered.headers[0].second = "9XXX";
    auto unknown = transport->send(tampered);
    REQUIRE(unknown);
    CHECK(unknown->status == 401);
}

TEST_CASE(
    "a kiosk whose clock is hours off still syncs, signing with the backend's time from the health "
    "check") {
    Backend backend(3LL * 3600 * 1000);  // the backend's clock is three hours ahead of the kiosk's
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    kiosk.addRecords(3);
    auto c = openClient(kiosk);
    auto report = c.runPass();
    INFO((report.error ? report.error->detail : std::string()));
    CHECK(report.ok());
    CHECK(backend.storage().recordCount().value() == 3);
}

TEST_CASE("plain http is refused for a backend that is not on loopback") {
    CHECK_FALSE(
        client::HttpTransport::create(transportTo("http://phananh.example.gov.vn")).has_value());
    CHECK(client::HttpTransport::create(transportTo("https://phananh.example.gov.vn")).has_value());
    CHECK(client::HttpTransport::create(transportTo("http://127.0.0.1:8470")).has_value());
    CHECK(client::HttpTransport::create(transportTo("http://localhost:8470")).has_value());
}

TEST_CASE("a new record wakes the worker at once when the link is up") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    client::SyncWorkerOptions o;
    o.idlePollMs = 60 * 60 * 1000;  // without the wake-up it would wait an hour
    std::atomic<int> passes{0};
    client::SyncWorker worker(kiosk.dir(), o, [&](const client::SyncEvent& e) {
        if (e.kind == client::SyncEvent::Kind::PassFinished) ++passes;
    });
    worker.start();
    auto waitUntil = [&](auto pred) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!pred() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return pred();
    };
    REQUIRE(waitUntil([&] { return passes.load() >= 1; }));
    kiosk.addRecords(2);
    worker.wake();
    REQUIRE(waitUntil([&] { return backend.storage().recordCount().value() == 2; }));
    REQUIRE(waitUntil([&] { return worker.snapshot().queued == 0; }));
    const auto s = worker.snapshot();
    CHECK(s.linkUp);
    CHECK(s.lastError.empty());
    CHECK_FALSE(s.lastContact.empty());
    worker.stop();
}

TEST_CASE(
    "a worker waiting out its backoff re-reads the queue when asked and publishes it, without a "
    "pass") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    kiosk.addRecords(3);
    kiosk.setBackendUrl("http://127.0.0.1:1");  // nothing listens: every pass fails at once
    client::SyncWorkerOptions o;
    o.client.transport.connectTimeoutMs = 500;
    o.backoff.baseMs = o.backoff.minDelayMs = o.backoff.linkDownCapMs =
        60 * 60 * 1000;  // no second pass here
    std::mutex m;
    std::vector<client::SyncEvent> events;
    client::SyncWorker worker(kiosk.dir(), o, [&](const client::SyncEvent& e) {
        std::lock_guard lock(m);
        events.push_back(e);
    });
    auto count = [&](client::SyncEvent::Kind kind) {
        std::lock_guard lock(m);
        return std::count_if(events.begin(), events.end(),
                             [&](const auto& e) { return e.kind == kind; });
    };
    auto last = [&] {
        std::lock_guard lock(m);
        return events.back().snapshot;
    };
    auto waitUntil = [&](auto pred) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!pred() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return pred();
    };
    worker.start();
    REQUIRE(waitUntil([&] { return count(client::SyncEvent::Kind::PassFinished) == 1; }));
    // The start snapshot came first, from the store, before the pass.
    CHECK(count(client::SyncEvent::Kind::Refreshed) == 1);
    auto s = last();
    CHECK(s.phase == client::SyncSnapshot::Phase::Waiting);
    CHECK(s.lastError == "network.offline");  // a code, for the UI to word
    CHECK(s.queued == 3);
    REQUIRE(s.oldestQueuedMs);

    kiosk.addRecords(2);
    worker.wake();  // a new record: no pass while the backoff runs, but the numbers move
    REQUIRE(waitUntil([&] { return count(client::SyncEvent::Kind::Refreshed) == 2; }));
    CHECK(last().queued == 5);
    CHECK(last().lastError == "network.offline");
    rawExec(kiosk.dir().database(), "UPDATE outbox SET state = 'quarantined' WHERE seq = 1");
    worker.refresh();
    REQUIRE(waitUntil([&] { return count(client::SyncEvent::Kind::Refreshed) == 3; }));
    CHECK(last().queued == 4);
    CHECK(last().quarantined == 1);
    CHECK(count(client::SyncEvent::Kind::PassFinished) == 1);
    worker.stop();
}

TEST_CASE("backoff stays inside the full-jitter window, grows to the cap and honours Retry-After") {
    client::Backoff b({1000, 60000, 10, 3600000}, 42);
    for (int failures = 1; failures <= 12; ++failures) {
        const auto window = b.windowMs(failures);
        CHECK(window == std::min<std::int64_t>(60000, 1000LL << (failures - 1)));
        for (int i = 0; i < 50; ++i) {
            const auto d = b.delayMs(failures);
            CHECK(d >= 10);
            CHECK(d <= window);
        }
    }
    CHECK(b.delayMs(1, 30000) >= 30000);
    CHECK(b.delayMs(1, 10LL * 3600000) == 3600000);  // a hostile Retry-After is capped
    CHECK(client::parseRetryAfterMs("120", 0) == 120000);
    CHECK(client::parseRetryAfterMs("Thu, 01 Jan 1970 00:01:00 GMT", 0) == 60000);
    CHECK_FALSE(client::parseRetryAfterMs("soon", 0).has_value());
    // Never gives up: the 1000th failure still gets a finite, capped delay.
    CHECK(b.delayMs(1000) <= 60000);
    // A link that is down is probed within the short cap; a struggling server gets the long one.
    client::BackoffPolicy p;
    client::Backoff d(p, 7);
    CHECK(d.windowMs(30, true) == p.linkDownCapMs);
    CHECK(d.windowMs(30, false) == p.capMs);
    for (int i = 0; i < 200; ++i) CHECK(d.delayMs(50, std::nullopt, true) <= p.linkDownCapMs);
    CHECK(d.delayMs(50, 120000, true) >= 120000);  // Retry-After still wins
}

TEST_CASE(
    "records made before enrolment are sealed when the kiosk enrols, and the backend opens them") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.addRecords(30);
    CHECK(kiosk.store().unsealedCount().value() == 30);
    kiosk.enroll(backend);
    CHECK(kiosk.store().unsealedCount().value() == 0);
    auto c = openClient(kiosk);
    const auto report = c.runPass();
    INFO((report.error ? report.error->detail : std::string()));
    REQUIRE(report.ok());
    CHECK(report.uploaded == 30);
    requireExactlyOnce(kiosk, backend, 30);
}

TEST_CASE("a kiosk pinned to one backend key will not enrol with a server that shows another") {
    Backend backend;
    Kiosk kiosk(backend.url());
    const auto pinned = platform::keys::DeviceKey::generate();
    REQUIRE(kiosk.store().setState(store::kStateBackendKey, pinned.publicKeyBase64()));
    kiosk.addRecords(3);  // sealed to the pinned key from the start
    CHECK(kiosk.store().unsealedCount().value() == 0);
    auto c = openClient(kiosk);
    auto enrolled = c.enroll(backend.token("7K3M"));
    REQUIRE_FALSE(enrolled);
    CHECK(enrolled.error().kind == client::SyncErrorKind::KeyMismatch);
    CHECK_FALSE(c.enrolled());
    CHECK(backend.storage().kiosks().value().empty());
    const auto report = c.runPass();
    REQUIRE(report.error);
    CHECK(report.error->kind == client::SyncErrorKind::NotEnrolled);
    CHECK(backend.storage().recordCount().value() == 0);
}

TEST_CASE(
    "a record sealed to another key is quarantined for staff, and the rest of the queue drains") {
    Backend backend;
    Kiosk kiosk(backend.url());
    kiosk.enroll(backend);
    kiosk.addRecords(4);
    // Record 5 is sealed to a stranger's key (a kiosk restored with a wrong provisioning file).
    const std::string real = kiosk.store().state(store::kStateBackendKey).value().value();
    REQUIRE(kiosk.store().setState(store::kStateBackendKey,
                                   platform::keys::DeviceKey::generate().publicKeyBase64()));
    kiosk.addRecords(1);
    REQUIRE(kiosk.store().setState(store::kStateBackendKey, real));
    kiosk.addRecords(3);
    auto c = openClient(kiosk);
    const auto report = c.runPass();
    INFO((report.error ? report.error->detail : std::string()));
    REQUIRE(report.ok());
    CHECK(report.uploaded == 7);
    CHECK(report.quarantined == 1);
    auto q = kiosk.store().quarantined().value();
    REQUIRE(q.size() == 1);
    CHECK(q[0].seq == 5);
    CHECK(outboxError(kiosk, 5).starts_with("record.rejected: "));
    CHECK(backend.storage().recordCount().value() == 7);
}
