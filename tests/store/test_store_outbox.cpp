#include <catch2/catch.hpp>

#include "store_helpers.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace storetest;

namespace {

std::vector<std::uint64_t> seqsOf(const std::vector<store::OutboxItem>& items) {
    std::vector<std::uint64_t> out;
    for (const auto& i : items) out.push_back(i.header.sequence);
    return out;
}

}  // namespace

TEST_CASE("claimBatch hands out due records oldest first and marks them sending") {
    testsupport::TempDir dir;
    auto s = openStore(dir / "k.db");
    for (int i = 0; i < 5; ++i)
        create(s, validDraft("Hồ sơ " + std::to_string(i) + " cần gửi lên thành phố."));
    auto batch = s.claimBatch(3, 1 << 20, 0);
    REQUIRE(batch);
    CHECK(seqsOf(*batch) == std::vector<std::uint64_t>{1, 2, 3});
    CHECK((*batch)[0].contentFormat == "plain");
    CHECK(record::decodeContent((*batch)[0].content).has_value());
    auto next = s.claimBatch(10, 1 << 20, 0);
    REQUIRE(next);
    CHECK(seqsOf(*next) == std::vector<std::uint64_t>{4, 5});  // 1-3 are already sending
}

TEST_CASE("claimBatch respects the byte budget but always sends at least one record") {
    testsupport::TempDir dir;
    auto s = openStore(dir / "k.db");
    for (int i = 0; i < 3; ++i) create(s, validDraft(std::string(3000, 'a')));
    auto batch = s.claimBatch(100, 4000, 0);
    REQUIRE(batch);
    CHECK(batch->size() == 1);
    auto big = s.claimBatch(100, 10, 0);
    REQUIRE(big);
    CHECK(big->size() == 1);
}

TEST_CASE("acknowledged records leave the queue; retried ones wait for their time") {
    testsupport::TempDir dir;
    auto s = openStore(dir / "k.db");
    for (int i = 0; i < 4; ++i)
        create(s, validDraft("Hồ sơ " + std::to_string(i) + " cần gửi lên thành phố."));
    auto batch = s.claimBatch(2, 1 << 20, 0);
    REQUIRE(batch);
    const std::vector<std::uint64_t> acked{1, 2};
    REQUIRE(s.markUploaded(acked, "2026-11-23T00:00:00.000Z"));
    auto more = s.claimBatch(2, 1 << 20, 0);
    REQUIRE(more);
    const auto moreSeqs = seqsOf(*more);
    REQUIRE(s.markRetry(moreSeqs, "máy chủ không trả lời", 5000));
    CHECK(s.claimBatch(10, 1 << 20, 4999).value().empty());
    CHECK(seqsOf(s.claimBatch(10, 1 << 20, 5000).value()) == std::vector<std::uint64_t>{3, 4});
    auto stats = s.outboxStats();
    REQUIRE(stats);
    CHECK(stats->uploaded == 2);
    CHECK(stats->queued == 2);
}

TEST_CASE("a quarantined record does not block the rest of the queue") {
    testsupport::TempDir dir;
    auto s = openStore(dir / "k.db");
    for (int i = 0; i < 3; ++i)
        create(s, validDraft("Hồ sơ " + std::to_string(i) + " cần gửi lên thành phố."));
    auto batch = s.claimBatch(3, 1 << 20, 0);
    REQUIRE(batch);
    REQUIRE(s.quarantine(2, "conflict: same id, different hash"));
    const std::vector<std::uint64_t> acked{1, 3};
    REQUIRE(s.markUploaded(acked, "2026-11-23T00:00:00.000Z"));
    auto stats = s.outboxStats();
    REQUIRE(stats);
    CHECK(stats->queued == 0);
    CHECK(stats->quarantined == 1);
    auto q = s.quarantined();
    REQUIRE(q);
    REQUIRE(q->size() == 1);
    CHECK(q->front().seq == 2);
    REQUIRE(s.requeue(2));
    CHECK(seqsOf(s.claimBatch(10, 1 << 20, 0).value()) == std::vector<std::uint64_t>{2});
}

TEST_CASE("records left sending by a crash go back to the queue") {
    testsupport::TempDir dir;
    {
        auto s = openStore(dir / "k.db");
        for (int i = 0; i < 2; ++i)
            create(s, validDraft("Hồ sơ " + std::to_string(i) + " cần gửi lên thành phố."));
        REQUIRE(s.claimBatch(10, 1 << 20, 0).value().size() == 2);
    }  // "crash": the connection goes away with both records sending
    auto s = openStore(dir / "k.db");
    CHECK(s.claimBatch(10, 1 << 20, 0).value().empty());
    CHECK(s.recoverSending().value() == 2);
    CHECK(s.claimBatch(10, 1 << 20, 0).value().size() == 2);
}
