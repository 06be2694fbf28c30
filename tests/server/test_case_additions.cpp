// A reopen request at ingest (backend/service/case_additions.*), on a real SQLite file: it
// reopens a decided case back to the step before the decision, not an open case, not when a
// later rating is already stored, and within one upload only the latest rating's counts.
#include <catch2/catch.hpp>

#include "clock/clock.hpp"
#include "record/receipt_proof.hpp"
#include "record/record.hpp"
#include "record/tracking_code.hpp"
#include "service/case_additions.hpp"
#include "storage/sqlite_storage.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace ksync::backend;

namespace {

IngestItem item(const std::string& kiosk, std::uint64_t seq, const record::Content& c,
                const std::string& category, const std::string& createdAt) {
    record::Record r;
    r.header.id = record::newUuid();
    r.header.kioskId = kiosk;
    r.header.sequence = seq;
    r.header.trackingCode = record::makeTrackingCode(record::RecordType::Pakn, kiosk, seq);
    r.header.category = category;
    r.header.createdAt = createdAt;
    r.header.prevHash = std::string(record::kGenesisHash);
    r.content = c;
    record::seal(r);
    return {r.header, "plain", record::encodeContent(r.content), true};
}

record::Content rating(const std::string& code, const std::string& secret, bool reopen) {
    record::Content c;
    c.salt = record::newSaltHex();
    c.kind = record::RecordKind::Rating;
    c.parentCode = code;
    c.proof = secret;
    c.rating = std::string(record::kRatingUnsatisfied);
    c.reopen = reopen;
    c.reopenReason = reopen ? "Vẫn còn ngập." : "";
    return c;
}

StatusEvent event(const std::string& code, const std::string& status, const std::string& agency,
                  const std::string& at) {
    StatusEvent e;
    e.trackingCode = code;
    e.status = status;
    e.agency = agency;
    e.officer = agency.empty() ? "" : "Trần Thị B";
    e.updatedAt = at;
    return e;
}

}  // namespace

TEST_CASE(
    "a reopen request reopens a decided case to the step before the decision, unless a later "
    "rating replaced it") {
    testsupport::TempDir tmp;
    auto opened = SqliteStorage::open(tmp.path() / "backend.db");
    REQUIRE(opened);
    auto& db = **opened;
    const std::string secret = record::newReceiptSecret();
    record::Content caseContent;
    caseContent.salt = record::newSaltHex();
    caseContent.title = "Ngập nước";
    caseContent.body = "Đường Lê Lợi ngập nước sau mưa.";
    caseContent.proofVerifier = record::makeVerifier(secret);
    std::vector<IngestItem> cases{
        item("7K3M", 1, caseContent, "MOI_TRUONG", "2026-11-20T01:00:00.000Z")};
    REQUIRE(db.ingest(cases, 0));
    const std::string code = cases[0].header.trackingCode;
    const std::map<std::string, std::string> none;
    auto prepare = [&](IngestItem& in) {
        auto c = record::decodeContent(in.content);
        REQUIRE(c);
        auto r = prepareAddition(db, *c, in, none, 1796313162000);
        REQUIRE(r);
        CHECK_FALSE(r->has_value());  // accepted
    };

    // Still being processed: a reopen request is counted, it adds no event.
    REQUIRE(*db.addStatus(event(code, "forwarded", "Phòng TN&MT", "2026-11-21T01:00:00.000Z")));
    auto early = item("9WXY", 1, rating(code, secret, true), "rating", "2026-11-22T01:00:00.000Z");
    prepare(early);
    CHECK(early.caseRating);
    CHECK_FALSE(early.caseEvent);

    // Answered: back to the agency's step, with the reason.
    REQUIRE(*db.addStatus(event(code, "answered", "", "2026-11-23T01:00:00.000Z")));
    auto asks = item("9WXY", 2, rating(code, secret, true), "rating", "2026-11-24T01:00:00.000Z");
    prepare(asks);
    REQUIRE(asks.caseEvent);
    CHECK(asks.caseEvent->status == "forwarded");
    CHECK(asks.caseEvent->agency == "Phòng TN&MT");
    CHECK(asks.caseEvent->officer == "Trần Thị B");
    CHECK(asks.caseEvent->note == std::string(kReopenNote) + " Vẫn còn ngập.");
    // Without reopen, or satisfied: no event.
    auto plain = item("9WXY", 3, rating(code, secret, false), "rating", "2026-11-24T02:00:00.000Z");
    prepare(plain);
    CHECK_FALSE(plain.caseEvent);

    // In one upload, a later rating replaces the reopen request: no event.
    std::vector<IngestItem> batch{asks, plain};
    dropSupersededReopens(batch);
    CHECK_FALSE(batch[0].caseEvent);
    std::vector<IngestItem> alone{asks};
    dropSupersededReopens(alone);
    CHECK(alone[0].caseEvent);

    // A later rating already stored: an older reopen request arriving now reopens nothing.
    std::vector<IngestItem> later{plain};
    REQUIRE(db.ingest(later, 0));
    auto old = item("9WXY", 4, rating(code, secret, true), "rating", "2026-11-24T01:30:00.000Z");
    prepare(old);
    CHECK_FALSE(old.caseEvent);
    auto newer = item("9WXY", 5, rating(code, secret, true), "rating", "2026-11-25T01:00:00.000Z");
    prepare(newer);
    CHECK(newer.caseEvent);
}
