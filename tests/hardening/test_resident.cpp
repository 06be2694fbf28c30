// The resident comes back (issue #14), end to end with real processes: a real kiosk-backend on
// loopback, two kiosks' data directories driven by the real kioskctl.
//   - kiosk A takes two cases (each with its receipt secret); an officer asks for information
//     on the first with `kiosk-backend update --status needs_info`;
//   - kiosk A refuses a wrong secret for its own case at once (nothing stored);
//   - with the backend down, kiosk B takes the supplement with the right secret, plus attempts
//     with a wrong secret and with the other case's secret; a code alone is refused by kioskctl;
//   - B syncs later: the backend attaches the good supplement (the status returns to processing
//     with a note, which reaches kiosk A), refuses the others (quarantined at B, nothing of them
//     stored on the backend);
//   - the case is answered, B sends two ratings (the later one replaces the earlier), the
//     backend counts one; wrong-secret ratings are refused the same way;
//   - SIGKILL during `kioskctl supplement`: nothing lost, nothing duplicated, no confirmation
//     printed for a supplement that was not committed.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "clock/clock.hpp"
#include "hardening_support.hpp"
#include "keys/device_key.hpp"
#include "proto/messages.hpp"
#include "proto/protocol.hpp"
#include "record/receipt_proof.hpp"
#include "storage/sqlite_storage.hpp"

using namespace hardening;
using nlohmann::json;

namespace {

void provision(const fs::path& dir, BackendProcess& backend, const std::string& kioskId) {
    auto init = ctl({"init", "--kiosk-id", kioskId, "--backend", backend.url(), "--printer",
                     "png://" + (dir / "receipts").string()},
                    dir);
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    auto token = backend.cli({"issue-token", "--kiosk-id", kioskId});
    REQUIRE(token.exitCode == 0);
    auto enrol = ctl({"enroll", "--token", token.out.substr(0, token.out.find('\n'))}, dir);
    INFO(enrol.err);
    REQUIRE(enrol.exitCode == 0);
}

struct Case {
    std::string code;
    std::string secret;  // as printed
};

Case submit(const fs::path& dir, const std::string& body) {
    auto r = ctl({"submit", "--category", "MOI_TRUONG", "--body", body, "--json"}, dir);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = json::parse(r.out);
    return {j.at("tracking_code").get<std::string>(), j.at("secret").get<std::string>()};
}

// One value from a kiosk database (the test looks at the outbox directly).
std::string sqlValue(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
}

json statusJson(const fs::path& dir) {
    auto r = ctl({"status", "--json"}, dir);
    REQUIRE(r.exitCode == 0);
    return json::parse(r.out);
}

std::unique_ptr<ksync::backend::SqliteStorage> backendDb(BackendProcess& backend) {
    auto db = ksync::backend::SqliteStorage::open(backend.dataDir() / "backend.db", true);
    REQUIRE(db.has_value());
    return std::move(*db);
}

// Another secret that is well formed but not this receipt's.
std::string wrongSecret(const std::string& secret) {
    auto compact = *ksync::record::parseSecret(secret);
    compact[3] = compact[3] == 'A' ? 'B' : 'A';
    return ksync::record::formatSecret(compact);
}

}  // namespace

TEST_CASE(
    "Supplements and ratings: proof checked at the kiosk and the backend, offline kiosk, counted "
    "once",
    "[resident]") {
    testsupport::TempDir tmp;
    const fs::path logs = tmp / "logs";
    BackendProcess backend({}, tmp / "backend", {}, logs / "backend.stderr.log",
                           logs / "backend.stdout.log");
    backend.start(0);
    const fs::path a = tmp / "kiosk-a", b = tmp / "kiosk-b";
    provision(a, backend, "7K3M");
    provision(b, backend, "9WXY");

    const Case c1 = submit(a, "Rác thải đổ trộm ở đầu hẻm 42 đường Lê Lợi.");
    const Case c2 = submit(a, "Đèn đường trước số 10 không sáng.");
    REQUIRE(ksync::record::parseSecret(c1.secret));
    CHECK(c1.secret != c2.secret);
    // The secret is nowhere in the kiosk's files (only its salted hash).
    for (const auto& file : {a / "kiosk.db", a / "kiosk.db-wal"}) {
        const std::string bytes = fs::exists(file) ? readFile(file) : std::string{};
        CHECK(bytes.find(*ksync::record::parseSecret(c1.secret)) == std::string::npos);
    }
    REQUIRE(ctl({"sync", "--once"}, a).exitCode == 0);
    REQUIRE(backend
                .cli({"update", c1.code, "--status", "forwarded", "--agency", "Phòng TN&MT",
                      "--officer", "Trần Thị B"})
                .exitCode == 0);
    REQUIRE(backend
                .cli({"update", c1.code, "--status", "needs_info", "--note",
                      "Cần ảnh chụp hoặc mô tả vị trí cụ thể."})
                .exitCode == 0);
    REQUIRE(ctl({"sync", "--once"}, a).exitCode == 0);
    {
        auto show = ctl({"show", c1.code, "--json"}, a);
        REQUIRE(show.exitCode == 0);
        const auto j = json::parse(show.out);
        CHECK(j.at("status") == "needs_info");
        CHECK(j.at("history").back().at("note") == "Cần ảnh chụp hoặc mô tả vị trí cụ thể.");
    }

    // Kiosk A made case 1: a wrong secret is refused at once, with words, and nothing is stored.
    const auto recordsA = statusJson(a).at("records").get<int>();
    {
        auto wrong =
            ctl({"supplement", c1.code, "--secret", c2.secret, "--body", "Ảnh chụp ở quầy."}, a);
        CHECK(wrong.exitCode == 1);
        CHECK(wrong.err.find(viString("proof.mismatch").substr(0, 20)) != std::string::npos);
        CHECK(wrong.out.empty());
        CHECK(statusJson(a).at("records").get<int>() == recordsA);
    }

    // Kiosk B, with the backend down.
    backend.stop();
    {
        // A code alone never makes a supplement or a rating.
        auto alone = ctl({"supplement", c1.code, "--body", "Thông tin thêm."}, b);
        CHECK(alone.exitCode == 1);
        CHECK(alone.err.find(viString("validation.secret_required")) != std::string::npos);
        auto aloneRate = ctl({"rate", c1.code, "--rating", "hai_long"}, b);
        CHECK(aloneRate.exitCode == 1);
        CHECK(aloneRate.err.find(viString("validation.secret_required")) != std::string::npos);
        auto bad = ctl({"supplement", c1.code, "--secret", "ABC", "--body", "Thông tin thêm."}, b);
        CHECK(bad.exitCode == 1);
        CHECK(bad.err.find(viString("validation.secret_invalid")) != std::string::npos);
        CHECK(statusJson(b).at("records") == 0);
    }
    auto good = ctl({"supplement", c1.code, "--secret", c1.secret, "--body",
                     "Vị trí: trước cổng số 42, bên trái. Thường đổ vào buổi tối.", "--json"},
                    b);
    INFO(good.err);
    REQUIRE(good.exitCode == 0);
    const std::string goodOwn = json::parse(good.out).at("tracking_code").get<std::string>();
    CHECK(json::parse(good.out).at("proof_checked_here") == false);
    // The resident's scanned QR text works as the code and the secret at once.
    const std::string qr = ksync::record::receiptQrPayload("HTTPS://TRA.CUU.GOV.VN/T/" + c1.code,
                                                           *ksync::record::parseSecret(c1.secret));
    auto viaQr = ctl({"supplement", qr, "--body", "Có thêm ảnh gửi qua cán bộ.", "--json"}, b);
    INFO(viaQr.err);
    REQUIRE(viaQr.exitCode == 0);
    auto wrongB = ctl(
        {"supplement", c1.code, "--secret", wrongSecret(c1.secret), "--body", "Sai mã.", "--json"},
        b);
    REQUIRE(wrongB.exitCode == 0);  // B cannot know: the backend decides
    auto otherB = ctl(
        {"supplement", c1.code, "--secret", c2.secret, "--body", "Mã của hồ sơ khác.", "--json"},
        b);
    REQUIRE(otherB.exitCode == 0);
    const std::string wrongOwn = json::parse(wrongB.out).at("tracking_code").get<std::string>();
    const std::string otherOwn = json::parse(otherB.out).at("tracking_code").get<std::string>();
    auto offline = ctl({"sync", "--once"}, b);
    CHECK(offline.exitCode != 0);
    CHECK(statusJson(b).at("queued") == 4);

    // B syncs later.
    backend.start();
    auto synced = ctl({"sync", "--once"}, b);
    INFO(synced.out << synced.err);
    REQUIRE(synced.exitCode == 0);
    const auto sb = statusJson(b);
    CHECK(sb.at("uploaded") == 2);
    CHECK(sb.at("quarantined") == 2);
    CHECK(sb.at("queued") == 0);
    const fs::path dbB = b / "kiosk.db";
    for (const auto& own : {wrongOwn, otherOwn}) {
        auto show = ctl({"show", own, "--json"}, b);
        REQUIRE(show.exitCode == 0);
        CHECK(json::parse(show.out).at("header").at("category") == "supplement");
        CHECK(sqlValue(dbB,
                       "SELECT o.last_error FROM outbox o JOIN records r USING (seq) WHERE "
                       "r.tracking_code = '" +
                           own + "'") == "record.rejected: proof_mismatch");
        CHECK(sqlValue(dbB, "SELECT parent_code FROM records WHERE tracking_code = '" + own +
                                "'") == c1.code);
        // Staff read the reason in words, the backend's code in brackets.
        auto shown = ctl({"show", own}, b);
        CHECK(shown.out.find("mã bí mật không khớp với hồ sơ [proof_mismatch]") !=
              std::string::npos);
        CHECK(shown.out.find("mã lỗi: proof_mismatch") == std::string::npos);
    }
    {
        const auto refused = sb.at("refused");
        REQUIRE(refused.size() == 2);
        for (const auto& r : refused) {
            CHECK(r.at("reason") ==
                  "Máy chủ từ chối hồ sơ: mã bí mật không khớp với hồ sơ [proof_mismatch]");
            CHECK(r.at("reason_code") == "proof_mismatch");
        }
        auto text = ctl({"status"}, b);
        CHECK(text.out.find("Bị từ chối: " + wrongOwn +
                            " — Máy chủ từ chối hồ sơ: mã bí mật "
                            "không khớp với hồ sơ [proof_mismatch]") != std::string::npos);
    }
    {
        auto db = backendDb(backend);
        auto recordsB = db->kioskRecords("9WXY");
        REQUIRE(recordsB.has_value());
        std::set<std::string> onBackend;
        for (const auto& r : *recordsB) onBackend.insert(r.header.trackingCode);
        CHECK(onBackend ==
              std::set<std::string>{goodOwn,
                                    json::parse(viaQr.out).at("tracking_code").get<std::string>()});
        auto pub = db->publicRecord(c1.code);
        REQUIRE(pub.has_value());
        REQUIRE(pub->has_value());
        const auto& events = (*pub)->events;
        // Two good supplements: two notes; the status is back to "forwarded", agency kept.
        REQUIRE(events.size() == 4);
        CHECK(events.back().status == "forwarded");
        CHECK(events.back().agency == "Phòng TN&MT");
        CHECK(events.back().note == "Người dân đã bổ sung thông tin; hồ sơ tiếp tục được xử lý.");
        // A supplement is not a case of its own for the public.
        auto asCase = db->publicRecord(goodOwn);
        REQUIRE(asCase.has_value());
        CHECK(!asCase->has_value());
    }
    // The status moved on at kiosk A too.
    REQUIRE(ctl({"sync", "--once"}, a).exitCode == 0);
    {
        auto show = ctl({"show", c1.code, "--json"}, a);
        REQUIRE(show.exitCode == 0);
        CHECK(json::parse(show.out).at("status") == "forwarded");
    }

    // Answered; B rates twice (the later replaces the earlier), and a wrong secret is refused.
    REQUIRE(backend
                .cli({"update", c1.code, "--status", "answered", "--note",
                      "Đã thu gom và lắp biển cấm."})
                .exitCode == 0);
    auto r1 = ctl({"rate", c1.code, "--secret", c1.secret, "--rating", "chua_hai_long", "--reopen",
                   "--reason", "Vẫn còn rác vào buổi tối."},
                  b);
    INFO(r1.err);
    REQUIRE(r1.exitCode == 0);
    CHECK(r1.out.find("Đã ghi nhận đánh giá cho " + c1.code) != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a later created_at
    REQUIRE(ctl({"rate", c1.code, "--secret", c1.secret, "--rating", "hai_long", "--comment",
                 "Đã sạch."},
                b)
                .exitCode == 0);
    REQUIRE(
        ctl({"rate", c1.code, "--secret", c2.secret, "--rating", "tam_chap_nhan"}, b).exitCode ==
        0);
    auto reopenWrong = ctl({"rate", c1.code, "--secret", c1.secret, "--rating", "hai_long",
                            "--reopen", "--reason", "x"},
                           b);
    CHECK(reopenWrong.exitCode == 1);
    CHECK(reopenWrong.err.find(viString("validation.reopen_needs_unsatisfied")) !=
          std::string::npos);
    REQUIRE(ctl({"sync", "--once"}, b).exitCode == 0);
    CHECK(statusJson(b).at("quarantined") == 3);
    {
        auto one = backend.cli({"ratings", c1.code, "--json"});
        INFO(one.err);
        REQUIRE(one.exitCode == 0);
        const auto j = json::parse(one.out);
        CHECK(j.at("rating") == "hai_long");
        CHECK(j.at("reopen") == false);
        auto all = backend.cli({"ratings", "--json"});
        REQUIRE(all.exitCode == 0);
        const auto counts = json::parse(all.out);
        CHECK(counts.at("hai_long") == 1);
        CHECK(!counts.contains("tam_chap_nhan"));
        CHECK(counts.at("reopen") == 0);
        // A rating does not change the case's status; the reopen request in the same upload was
        // replaced by the later rating, so it reopens nothing.
        auto db = backendDb(backend);
        CHECK((*db->publicRecord(c1.code))->events.back().status == "answered");
    }
    // Now the resident is not satisfied and asks to reopen: the case goes back to the agency
    // that handled it, with the reason, exactly once (synced again, nothing more happens).
    const auto eventsBefore = [&] {
        auto db = backendDb(backend);
        return (*db->publicRecord(c1.code))->events.size();
    }();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(ctl({"rate", c1.code, "--secret", c1.secret, "--rating", "chua_hai_long", "--reopen",
                 "--reason", "Rác lại bị đổ vào buổi tối."},
                b)
                .exitCode == 0);
    REQUIRE(ctl({"sync", "--once"}, b).exitCode == 0);
    REQUIRE(ctl({"sync", "--once"}, b).exitCode == 0);
    {
        auto db = backendDb(backend);
        const auto events = (*db->publicRecord(c1.code))->events;
        REQUIRE(events.size() == eventsBefore + 1);
        CHECK(events.back().status == "forwarded");
        CHECK(events.back().agency == "Phòng TN&MT");
        CHECK(events.back().officer == "Trần Thị B");
        CHECK(events.back().note ==
              "Người dân chưa hài lòng với kết quả và đề nghị xem xét lại. Lý do: Rác lại bị đổ "
              "vào buổi tối.");
        auto one = backend.cli({"ratings", c1.code, "--json"});
        REQUIRE(one.exitCode == 0);
        CHECK(json::parse(one.out).at("reopen") == true);
    }
    // The kiosk that took the case, the public page and Open311 see it.
    REQUIRE(ctl({"sync", "--once"}, a).exitCode == 0);
    {
        auto show = ctl({"show", c1.code, "--json"}, a);
        REQUIRE(show.exitCode == 0);
        const auto j = json::parse(show.out);
        CHECK(j.at("status") == "forwarded");
        CHECK(j.at("history").back().at("note").get<std::string>().find("Rác lại bị đổ") !=
              std::string::npos);
        httplib::Client http("127.0.0.1", backend.port());
        auto page = http.Get(("/t/" + c1.code).c_str());
        REQUIRE(page);
        CHECK(page->body.find("đề nghị xem xét lại") != std::string::npos);
        // The public page: the supplements' dates and "rated", none of their words.
        std::size_t received = 0;
        for (auto at = page->body.find(viString("backend.page_supplement_received"));
             at != std::string::npos;
             at = page->body.find(viString("backend.page_supplement_received"), at + 1))
            ++received;
        CHECK(received == 2);
        CHECK(page->body.find(viString("backend.page_rated")) != std::string::npos);
        CHECK(page->body.find("trước cổng số 42") == std::string::npos);
        CHECK(page->body.find("Đã sạch.") == std::string::npos);
        auto o311 = http.Get(("/open311/v2/requests/" + c1.code + ".json").c_str());
        REQUIRE(o311);
        const auto req = json::parse(o311->body).at(0);
        CHECK(req.at("status") == "open");
        CHECK(req.at("status_notes").get<std::string>().find("đề nghị xem xét lại") !=
              std::string::npos);
        // The rating as an extension; status_notes is the last event's note, as ever.
        CHECK(req.at("extended_attributes") ==
              json({{"rated", true}, {"rating", "chua_hai_long"}, {"reopen_requested", true}}));
        auto list = http.Get("/open311/v2/requests.json");
        REQUIRE(list);
        bool listed = false;
        for (const auto& item : json::parse(list->body))
            if (item.at("service_request_id") == c1.code) {
                listed = true;
                CHECK(item.at("extended_attributes").at("rating") == "chua_hai_long");
            } else {
                CHECK(item.at("extended_attributes").at("rated") == false);
            }
        CHECK(listed);
    }
    auto audit = backend.cli({"audit"});
    INFO(audit.out);
    // The refused records are gaps in B's chain on the backend: the audit says so (they are
    // quarantined at B, for staff), and nothing else is wrong.
    CHECK(audit.out.find("altered") == std::string::npos);
    CHECK(audit.out.find("fork") == std::string::npos);
    REQUIRE(ctl({"verify"}, b).exitCode == 0);
}

TEST_CASE("SIGKILL during kioskctl supplement loses and duplicates nothing", "[resident]") {
    testsupport::TempDir tmp;
    const fs::path logs = tmp / "logs";
    BackendProcess backend({}, tmp / "backend", {}, logs / "backend.stderr.log",
                           logs / "backend.stdout.log");
    backend.start(0);
    const fs::path a = tmp / "kiosk-a";
    provision(a, backend, "7K3M");
    const Case c = submit(a, "Nắp cống bị vỡ trước chợ.");
    std::mt19937 rng(20261204);
    const int rounds = envInt("KIOSK_RESIDENT_KILL_ROUNDS", 30);
    int confirmedCount = 0, killed = 0;
    std::set<std::string> confirmed;
    for (int round = 0; round < rounds; ++round) {
        const fs::path out = logs / ("supplement-" + std::to_string(round) + ".out");
        auto child =
            Child::spawn(KIOSKCTL_PATH,
                         {"supplement", c.code, "--secret", c.secret, "--body",
                          "Bổ sung lần " + std::to_string(round), "--data-dir", a.string()},
                         out, logs / "supplement.err");
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<int>(0, 60000)(rng)));
        child.kill9();
        const int code = child.wait();
        if (code == -1) ++killed;
        const std::string text = readFile(out);
        // A confirmation names the record it made; it is printed after the commit only.
        const std::string marker = "(bản ghi ";
        const auto at = text.find(marker);
        if (at != std::string::npos) {
            const auto from = at + marker.size();
            confirmed.insert(text.substr(from, text.find(')', from) - from));
            ++confirmedCount;
        }
    }
    INFO("killed " << killed << " of " << rounds);
    REQUIRE(ctl({"verify"}, a).exitCode == 0);
    // Every confirmed supplement is in the kiosk database, as a supplement of the case.
    for (const auto& own : confirmed) {
        CHECK(sqlValue(a / "kiosk.db", "SELECT parent_code FROM records WHERE tracking_code = '" +
                                           own + "'") == c.code);
    }
    const int supplements = std::stoi(
        sqlValue(a / "kiosk.db", "SELECT COUNT(*) FROM records WHERE category = 'supplement'"));
    CHECK(supplements >= confirmedCount);
    REQUIRE(ctl({"sync", "--once"}, a).exitCode == 0);
    const auto st = statusJson(a);
    CHECK(st.at("queued") == 0);
    CHECK(st.at("quarantined") == 0);
    // Each committed supplement reached the backend exactly once and added one note.
    auto db = backendDb(backend);
    auto records = db->kioskRecords("7K3M");
    REQUIRE(records.has_value());
    std::set<std::string> ids;
    for (const auto& r : *records) ids.insert(r.header.id);
    CHECK(ids.size() == records->size());
    CHECK(static_cast<int>(records->size()) == 1 + supplements);
    CHECK(static_cast<int>((*db->publicRecord(c.code))->events.size()) == supplements);
    std::cout << "resident kill test: " << rounds << " rounds, " << killed << " killed, "
              << confirmedCount << " confirmed, " << supplements << " committed\n";
}

// ---- Version negotiation (docs/PROTOCOL.md "Versions") -----------------------------------------

namespace {

// The kiosk.toml backend URL replaced (the rest of the file untouched).
void pointKioskAt(const fs::path& dir, const std::string& from, const std::string& to) {
    std::string toml = readFile(dir / "kiosk.toml");
    const auto at = toml.find(from);
    REQUIRE(at != std::string::npos);
    toml.replace(at, from.size(), to);
    std::ofstream(dir / "kiosk.toml", std::ios::trunc) << toml;
}

}  // namespace

TEST_CASE(
    "A kiosk on protocol 1 keeps working against the protocol 2 backend; its cases allow lookup "
    "only",
    "[resident][protocol]") {
    testsupport::TempDir tmp;
    const fs::path logs = tmp / "logs";
    BackendProcess backend({}, tmp / "backend", {}, logs / "backend.stderr.log",
                           logs / "backend.stdout.log");
    backend.start(0);
    const fs::path a = tmp / "kiosk-a", b = tmp / "kiosk-b";
    provision(a, backend, "7K3M");
    provision(b, backend, "9WXY");
    auto key = platform::keys::DeviceKey::load(a / "device.key");
    REQUIRE(key);

    // What a kiosk on protocol 1 sent: content without tags 14-20, no "protocol" in the request.
    using namespace ksync;
    record::Record r;
    r.content.salt = record::newSaltHex();
    r.content.title = "Ổ gà";
    r.content.body = "Ổ gà trước số 5.";
    r.content.consentVersion = "v1";
    r.header.id = record::newUuid();
    r.header.kioskId = "7K3M";
    r.header.sequence = 1;
    r.header.trackingCode = record::makeTrackingCode(record::RecordType::Pakn, "7K3M", 1);
    r.header.category = "GIAO_THONG";
    r.header.createdAt = platform::clock::formatUtc(platform::clock::now());
    r.header.prevHash = std::string(record::kGenesisHash);
    record::seal(r);
    const std::string bytes = record::encodeContent(r.content);
    CHECK(bytes.find(std::string(1, '\x0e')) ==
          std::string::npos);  // no tag 14 (kind) and none after
    const json body = {{"kiosk_id", "7K3M"},
                       {"records", json::array({proto::toWire({r.header, "plain", bytes})})}};
    const std::string text = body.dump();
    httplib::Client c("127.0.0.1", backend.port());
    const std::string ts = std::to_string(platform::clock::unixMillis(platform::clock::now()));
    const std::string nonce = proto::newNonce();
    httplib::Headers headers{
        {"X-Kiosk-Id", "7K3M"},
        {"X-Kiosk-Timestamp", ts},
        {"X-Kiosk-Nonce", nonce},
        {"X-Kiosk-Signature", key->signBase64(proto::requestSigningString(
                                  "POST", "/api/v1/records", "7K3M", ts, nonce, text))}};
    auto reply = c.Post("/api/v1/records", headers, text, "application/json");
    REQUIRE(reply);
    INFO(reply->body);
    REQUIRE(reply->status == 200);
    const auto j = json::parse(reply->body);
    CHECK(j.at("protocol").is_number_integer());  // all a protocol 1 kiosk checks
    CHECK(j.at("counts").at("created") == 1);
    CHECK(j.at("stored_through") == 1);
    auto health = c.Get("/api/v1/health");
    REQUIRE(health);
    CHECK(json::parse(health->body).at("protocol") == 2);

    // Lookup works as before; a supplement for that old case is refused for want of a verifier.
    REQUIRE(
        backend
            .cli({"update", r.header.trackingCode, "--status", "needs_info", "--note", "Cần ảnh."})
            .exitCode == 0);
    auto pub = c.Get(("/api/v1/public/status/" + r.header.trackingCode).c_str());
    REQUIRE(pub);
    CHECK(pub->status == 200);
    auto supp = ctl({"supplement", r.header.trackingCode, "--secret", "K3M7-X9QA-RT5PW", "--body",
                     "Ảnh ở quầy."},
                    b);
    REQUIRE(supp.exitCode == 0);
    REQUIRE(ctl({"sync", "--once"}, b).exitCode == 0);
    CHECK(statusJson(b).at("quarantined") == 1);
    CHECK(sqlValue(b / "kiosk.db", "SELECT last_error FROM outbox") ==
          "record.rejected: proof_unavailable");
}

TEST_CASE(
    "A kiosk on protocol 2 against a backend on protocol 1 fails clearly and keeps its records "
    "queued",
    "[resident][protocol]") {
    testsupport::TempDir tmp;
    const fs::path logs = tmp / "logs";
    BackendProcess backend({}, tmp / "backend", {}, logs / "backend.stderr.log",
                           logs / "backend.stdout.log");
    backend.start(0);
    const fs::path a = tmp / "kiosk-a";
    provision(a, backend, "7K3M");
    submit(a, "Cây đổ chắn lối đi.");

    // The health reply a protocol 1 backend gave (the same fields, "protocol":1), signed with
    // the backend's key the kiosk pinned at enrolment; nothing else is served.
    auto backendKey = platform::keys::DeviceKey::load(backend.dataDir() / "backend.key");
    REQUIRE(backendKey);
    httplib::Server old;
    std::atomic<int> uploads{0};
    old.Get("/api/v1/health", [&](const httplib::Request& req, httplib::Response& res) {
        ksync::proto::HealthReply h;
        h.timeMs = platform::clock::unixMillis(platform::clock::now());
        h.time = platform::clock::formatUtc(platform::clock::now());
        h.backendPublicKey = backendKey->publicKeyBase64();
        h.acceptEncoding = {"zstd"};
        json j = h.toJson();
        j["protocol"] = 1;
        const std::string text = j.dump();
        res.set_header("X-Backend-Signature",
                       backendKey->signBase64(ksync::proto::responseSigningString(
                           req.get_header_value("X-Kiosk-Nonce"), 200, text)));
        res.set_content(text, "application/json");
    });
    old.Post("/api/v1/records", [&](const httplib::Request&, httplib::Response& res) {
        ++uploads;
        res.status = 500;
    });
    const int port = old.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { old.listen_after_bind(); });
    const std::string oldUrl = "http://127.0.0.1:" + std::to_string(port);
    pointKioskAt(a, backend.url(), oldUrl);
    auto sync = ctl({"sync", "--once"}, a);
    old.stop();
    serving.join();
    INFO(sync.out << sync.err);
    CHECK(sync.exitCode != 0);
    CHECK((sync.out + sync.err).find(viString("sync.error.protocol_too_old")) != std::string::npos);
    CHECK(uploads == 0);
    const auto st = statusJson(a);
    CHECK(st.at("last_error_code") == "backend.protocol_too_old");
    CHECK(st.at("queued") == 1);
    CHECK(st.at("quarantined") == 0);
    // Back to a backend on protocol 2: the record goes up.
    pointKioskAt(a, oldUrl, backend.url());
    REQUIRE(ctl({"sync", "--once"}, a).exitCode == 0);
    CHECK(statusJson(a).at("uploaded") == 1);
}
