#include "service/chain_audit.hpp"

#include <map>

namespace ksync::backend {

KioskAudit auditChain(const std::string& kioskId, const std::vector<StoredRecord>& records,
                      const std::vector<ConflictRow>& conflicts) {
    KioskAudit a;
    a.kioskId = kioskId;
    a.records = records.size();
    auto flag = [&](std::uint64_t seq, std::string kind, std::string detail) {
        a.problems.push_back({kioskId, seq, std::move(kind), std::move(detail)});
    };
    std::map<std::uint64_t, std::vector<const StoredRecord*>> bySeq;
    for (const auto& r : records) bySeq[r.header.sequence].push_back(&r);
    if (!bySeq.empty()) a.maxSequence = bySeq.rbegin()->first;

    std::uint64_t expected = 1;
    for (const auto& [seq, group] : bySeq) {
        if (seq > expected) {
            flag(expected, "gap",
                 seq - expected == 1 ? "sequence " + std::to_string(expected) + " never received"
                                     : "sequences " + std::to_string(expected) + "-" +
                                           std::to_string(seq - 1) + " never received");
        }
        expected = seq + 1;
        if (group.size() > 1) {
            std::string ids;
            for (const auto* r : group) ids += (ids.empty() ? "" : ", ") + r->header.id;
            flag(seq, "fork",
                 std::to_string(group.size()) + " records share this sequence: " + ids);
        }
        for (const auto* r : group) {
            const auto& h = r->header;
            if (record::sha256Hex(r->content) != h.contentDigest)
                flag(seq, "altered", "content does not match its digest (record " + h.id + ")");
            if (record::headerHash(h) != h.hash)
                flag(seq, "altered", "header does not match its hash (record " + h.id + ")");
            if (h.trackingCode != record::makeTrackingCode(h.type, h.kioskId, h.sequence))
                flag(seq, "altered",
                     "tracking code does not match kiosk and sequence (record " + h.id + ")");
            // The link to the previous record, when that one is here.
            if (seq == 1) {
                if (h.prevHash != record::kGenesisHash)
                    flag(seq, "broken_link", "first record does not start the chain");
            } else if (auto prev = bySeq.find(seq - 1); prev != bySeq.end()) {
                bool linked = false;
                for (const auto* p : prev->second) linked = linked || p->header.hash == h.prevHash;
                if (!linked)
                    flag(seq, "broken_link",
                         "prev_hash does not match record " + std::to_string(seq - 1) +
                             " (deleted or altered before upload)");
            }
        }
    }
    for (const auto& c : conflicts)
        flag(c.sequence, "conflict",
             "record " + c.id + " sent again with another hash " + c.hash.substr(0, 16) + "…");
    return a;
}

}  // namespace ksync::backend
