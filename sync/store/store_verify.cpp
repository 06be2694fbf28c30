// Store::verify: SQLite's own check, then the per-kiosk hash chain.
#include "record/record.hpp"
#include "store/store.hpp"
#include "store/store_impl.hpp"

namespace ksync::store {

Result<VerifyReport> Store::verify() {
    return guarded([&] {
        const Db& db = m_impl->db;
        VerifyReport rep;
        {
            Stmt s(db, "PRAGMA integrity_check");
            rep.integrity = s.step() ? s.text(0) : "no answer";
        }
        Stmt s(db, "SELECT " + std::string(kHeaderColumns) +
                       ", r.content_format, r.content, (SELECT COUNT(*) FROM outbox o WHERE o.seq "
                       "= r.seq) "
                       "FROM records r ORDER BY r.seq");
        std::uint64_t expected = 1;
        std::string prevHash(record::kGenesisHash);
        while (s.step()) {
            ++rep.records;
            const record::Header h = readHeader(s, 0);
            auto problem = [&](std::string why) {
                rep.problems.push_back({h.sequence, std::move(why)});
            };
            if (h.sequence != expected) {
                rep.problems.push_back(
                    {expected, h.sequence == expected + 1
                                   ? "record " + std::to_string(expected) + " is missing"
                                   : "records " + std::to_string(expected) + " to " +
                                         std::to_string(h.sequence - 1) + " are missing"});
            } else if (h.prevHash != prevHash) {
                problem("link to the previous record is broken (prev_hash does not match)");
            }
            if (record::headerHash(h) != h.hash)
                problem("header altered (hash does not match its fields)");
            if (!record::isValidKioskId(h.kioskId) ||
                record::makeTrackingCode(h.type, h.kioskId, h.sequence) != h.trackingCode)
                problem("tracking code does not match the record");
            const std::string format = s.text(kHeaderColumnCount);
            if (format == "plain") {
                auto content = record::decodeContent(s.blob(kHeaderColumnCount + 1));
                if (!content)
                    problem("content unreadable");
                else if (record::contentDigest(*content) != h.contentDigest)
                    problem("content altered (digest does not match)");
            }
            if (s.int64(kHeaderColumnCount + 2) == 0) problem("outbox entry missing");
            prevHash = h.hash;
            expected = h.sequence + 1;
        }
        Stmt meta(db, "SELECT value FROM meta WHERE key = 'last_seq'");
        bool tailMissing = false;
        if (meta.step()) {
            const auto last = parseStoredU64(meta.text(0));
            if (!last) {
                rep.problems.push_back(
                    {expected, "sequence counter (meta last_seq) is not a number"});
            } else if (*last >= expected) {
                tailMissing = true;
                rep.problems.push_back(
                    {expected, *last == expected ? "record " + std::to_string(*last) + " is missing"
                                                 : "records " + std::to_string(expected) + " to " +
                                                       std::to_string(*last) + " are missing"});
            }
        }
        Stmt lastHash(db, "SELECT value FROM meta WHERE key = 'last_hash'");
        if (!tailMissing && lastHash.step() && rep.records > 0 && lastHash.text(0) != prevHash &&
            expected > 1)
            rep.problems.push_back({expected - 1, "newest record differs from the chain head"});
        return rep;
    });
}

}  // namespace ksync::store
