// The outbox half of Store: what the sync worker claims, acknowledges and retries.
#include <algorithm>

#include "store/store.hpp"
#include "store/store_impl.hpp"

namespace ksync::store {

OutboxItem readOutboxItem(const Stmt& s) {
    OutboxItem item;
    item.header = readHeader(s, 0);
    item.contentFormat = s.text(kHeaderColumnCount);
    item.content = s.blob(kHeaderColumnCount + 1);
    item.attempts = static_cast<int>(s.int64(kHeaderColumnCount + 2));
    return item;
}

Result<std::vector<OutboxItem>> Store::claimBatch(std::size_t maxRecords, std::size_t maxBytes,
                                                  std::int64_t nowMs) {
    return guarded([&] {
        Db& db = m_impl->db;
        Transaction tx(db);
        Stmt s(db,
               "SELECT " + kOutboxColumns +
                   " FROM outbox o JOIN records r ON r.seq = o.seq "
                   "WHERE o.state = 'queued' AND o.next_attempt_ms <= ? ORDER BY o.seq LIMIT ?");
        s.bind(1, nowMs).bind(2, static_cast<std::int64_t>(maxRecords));
        std::vector<OutboxItem> out;
        std::size_t bytes = 0;
        while (s.step()) {
            OutboxItem item = readOutboxItem(s);
            if (!out.empty() && bytes + item.content.size() > maxBytes) break;
            bytes += item.content.size();
            out.push_back(std::move(item));
        }
        Stmt mark(db, "UPDATE outbox SET state = 'sending' WHERE seq = ?");
        for (const auto& item : out) {
            mark.bind(1, static_cast<std::int64_t>(item.header.sequence)).run();
            mark.reset();
        }
        tx.commit();
        return out;
    });
}

Result<void> Store::markUploaded(std::span<const std::uint64_t> seqs, std::string_view atUtc) {
    return guarded([&] {
        Db& db = m_impl->db;
        Transaction tx(db);
        Stmt s(db,
               "UPDATE outbox SET state = 'uploaded', uploaded_at = ?, last_error = NULL "
               "WHERE seq = ? AND state IN ('queued', 'sending')");
        for (auto seq : seqs) {
            s.bind(1, atUtc).bind(2, static_cast<std::int64_t>(seq)).run();
            s.reset();
        }
        tx.commit();
    });
}

Result<void> Store::markRetry(std::span<const std::uint64_t> seqs, std::string_view error,
                              std::int64_t nextAttemptMs) {
    return guarded([&] {
        Db& db = m_impl->db;
        Transaction tx(db);
        Stmt s(db,
               "UPDATE outbox SET state = 'queued', attempts = attempts + 1, last_error = ?, "
               "next_attempt_ms = ? "
               "WHERE seq = ? AND state IN ('queued', 'sending')");
        for (auto seq : seqs) {
            s.bind(1, error).bind(2, nextAttemptMs).bind(3, static_cast<std::int64_t>(seq)).run();
            s.reset();
        }
        tx.commit();
    });
}

Result<void> Store::quarantine(std::uint64_t seq, std::string_view reason) {
    return guarded([&] {
        Stmt s(m_impl->db, "UPDATE outbox SET state = 'quarantined', last_error = ? WHERE seq = ?");
        s.bind(1, reason).bind(2, static_cast<std::int64_t>(seq)).run();
    });
}

Result<void> Store::requeue(std::uint64_t seq) {
    return guarded([&] {
        Stmt s(m_impl->db,
               "UPDATE outbox SET state = 'queued', next_attempt_ms = 0 WHERE seq = ? AND state = "
               "'quarantined'");
        s.bind(1, static_cast<std::int64_t>(seq)).run();
    });
}

Result<std::int64_t> Store::recoverSending() {
    return guarded([&] {
        Stmt s(m_impl->db, "UPDATE outbox SET state = 'queued' WHERE state = 'sending'");
        s.run();
        return m_impl->db.changes();
    });
}

Result<OutboxStats> Store::outboxStats() {
    return guarded([&] {
        Stmt s(m_impl->db,
               "SELECT state, COUNT(*), MIN(created_ms), MIN(seq), MAX(seq) FROM outbox GROUP BY "
               "state");
        OutboxStats st;
        while (s.step()) {
            const std::string state = s.text(0);
            const std::int64_t n = s.int64(1);
            st.lastSeq = std::max(st.lastSeq, s.int64(4));
            if (state == "queued" || state == "sending") {
                st.queued += n;
                const std::int64_t oldest = s.int64(2);
                if (!st.oldestQueuedMs || oldest < *st.oldestQueuedMs) st.oldestQueuedMs = oldest;
                const std::int64_t seq = s.int64(3);
                if (!st.oldestQueuedSeq || seq < *st.oldestQueuedSeq) st.oldestQueuedSeq = seq;
            } else if (state == "uploaded") {
                st.uploaded = n;
            } else if (state == "quarantined") {
                st.quarantined = n;
            }
        }
        return st;
    });
}

}  // namespace ksync::store
