// The USB-bundle half of Store: what a bundle carries out, and a return bundle applied in one
// transaction (sync/client/bundle.hpp).
#include <charconv>

#include "store/store.hpp"
#include "store/store_impl.hpp"

namespace ksync::store {

namespace {

std::optional<std::int64_t> asNumber(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

}  // namespace

bool insertStatus(Db& db, const StatusUpdate& u) {
    Stmt ev(db,
            "INSERT OR IGNORE INTO status_events(tracking_code, status, note, agency, officer, "
            "expected_date, "
            "updated_at) VALUES (?,?,?,?,?,?,?)");
    ev.bind(1, u.trackingCode)
        .bind(2, u.status)
        .bind(3, u.note)
        .bind(4, u.agency)
        .bind(5, u.officer)
        .bind(6, u.expectedDate)
        .bind(7, u.updatedAt)
        .run();
    const bool added = db.changes() > 0;
    Stmt latest(
        db,
        "INSERT INTO status_latest(tracking_code, status, note, agency, officer, expected_date, "
        "updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT(tracking_code) DO UPDATE SET "
        "status = excluded.status, note = excluded.note, agency = excluded.agency, "
        "officer = excluded.officer, expected_date = excluded.expected_date, "
        "updated_at = excluded.updated_at WHERE excluded.updated_at >= status_latest.updated_at");
    latest.bind(1, u.trackingCode)
        .bind(2, u.status)
        .bind(3, u.note)
        .bind(4, u.agency)
        .bind(5, u.officer)
        .bind(6, u.expectedDate)
        .bind(7, u.updatedAt)
        .run();
    return added;
}

Result<std::vector<OutboxItem>> Store::unacknowledged() {
    return guarded([&] {
        Stmt s(m_impl->db, "SELECT " + kOutboxColumns +
                               " FROM outbox o JOIN records r ON r.seq = o.seq "
                               "WHERE o.state IN ('queued', 'sending') ORDER BY o.seq");
        std::vector<OutboxItem> out;
        while (s.step()) out.push_back(readOutboxItem(s));
        return out;
    });
}

Result<ReturnApplied> Store::applyReturn(const ReturnApply& a) {
    return guarded([&] {
        Db& db = m_impl->db;
        Transaction tx(db);
        ReturnApplied done;
        Stmt ack(db,
                 "UPDATE outbox SET state = 'uploaded', uploaded_at = ?, last_error = NULL "
                 "WHERE seq = ? AND state IN ('queued', 'sending')");
        for (auto seq : a.acknowledged) {
            ack.bind(1, a.acknowledgedAt).bind(2, static_cast<std::int64_t>(seq)).run();
            done.acknowledged += static_cast<std::size_t>(db.changes());
            ack.reset();
        }
        Stmt q(db,
               "UPDATE outbox SET state = 'quarantined', last_error = ? WHERE seq = ? AND state IN "
               "('queued', 'sending')");
        for (const auto& [seq, reason] : a.quarantine) {
            q.bind(1, reason).bind(2, static_cast<std::int64_t>(seq)).run();
            done.quarantined += static_cast<std::size_t>(db.changes());
            q.reset();
        }
        for (const auto& u : a.statuses)
            if (insertStatus(db, u)) ++done.newStatuses;
        if (a.statusCursor) {
            Stmt cur(db, "SELECT value FROM sync_state WHERE key = ?");
            cur.bind(1, kStateStatusCursor);
            const std::optional<std::string> now =
                cur.step() ? std::optional(cur.text(0)) : std::nullopt;
            const auto was = now ? asNumber(*now) : std::optional<std::int64_t>(0);
            const auto next = asNumber(*a.statusCursor);
            if (!was || !next || *next > *was) {
                Stmt set(db,
                         "INSERT INTO sync_state(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
                set.bind(1, kStateStatusCursor).bind(2, *a.statusCursor).run();
                done.cursorMoved = true;
            }
        }
        if (a.config) {
            Stmt s(
                db,
                "INSERT INTO config_cache(id, version, etag, document, fetched_at) VALUES (1, ?, "
                "?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag, "
                "document = excluded.document, fetched_at = excluded.fetched_at");
            s.bind(1, a.config->version)
                .bind(2, a.config->etag)
                .bind(3, a.config->document)
                .bind(4, a.config->fetchedAt)
                .run();
            done.configTaken = true;
        }
        if (a.dictionary) {
            // Only when new or different: a dictionary's name is meant to name one set of bytes.
            Stmt s(db,
                   "INSERT INTO payload_dictionaries(name, bytes, installed_at) VALUES (?, ?, ?) "
                   "ON CONFLICT(name) DO UPDATE SET bytes = excluded.bytes, installed_at = "
                   "excluded.installed_at "
                   "WHERE payload_dictionaries.bytes <> excluded.bytes");
            s.bind(1, a.dictionary->first)
                .bindBlob(2, a.dictionary->second)
                .bind(3, a.acknowledgedAt)
                .run();
            done.dictionaryTaken = db.changes() > 0;
        }
        if (done.nothingNew()) return done;  // rolled back by the destructor: nothing written
        Stmt st(db,
                "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value");
        for (const auto& [key, value] : a.state) {
            st.bind(1, key).bind(2, value).run();
            st.reset();
        }
        tx.commit();
        if (done.dictionaryTaken) m_impl->forgetCodec();
        return done;
    });
}

}  // namespace ksync::store
