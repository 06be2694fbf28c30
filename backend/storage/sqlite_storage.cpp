#include "storage/sqlite_storage.hpp"

#include <sodium.h>

#include <atomic>
#include <mutex>

#include "clock/clock.hpp"
#include "record/tracking_code.hpp"
#include "sqlite/sqlite.hpp"
#include "storage/case_sql.hpp"
#include "storage/config_repair.hpp"
#include "storage/tokens.hpp"

namespace ksync::backend {

using sqlite::Db;
using sqlite::SqliteError;
using sqlite::Stmt;
using sqlite::Transaction;

namespace {

// Numbered migrations; PRAGMA user_version holds how many were applied. Append, never edit one
// that has shipped. The numbering is the same as PostgreSQL's (pg_storage.cpp): version N
// means the same tables on both. Migration 1 is the schema from before numbering (IF NOT
// EXISTS: a database made by an older build is taken over as version 1).
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE IF NOT EXISTS kiosks (
  kiosk_id     TEXT PRIMARY KEY,
  public_key   TEXT NOT NULL,
  enrolled_at  TEXT NOT NULL,
  last_seen_at TEXT NOT NULL DEFAULT '',
  heartbeat    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS enrol_tokens (
  token_hash TEXT PRIMARY KEY,
  kiosk_id   TEXT NOT NULL DEFAULT '',
  expires_ms INTEGER NOT NULL,
  used_at    TEXT,
  used_by    TEXT
);
CREATE TABLE IF NOT EXISTS staff_tokens (
  token_hash TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nonces (
  kiosk_id TEXT NOT NULL,
  nonce    TEXT NOT NULL,
  seen_ms  INTEGER NOT NULL,
  PRIMARY KEY (kiosk_id, nonce)
) WITHOUT ROWID;
-- One row per record id. No UNIQUE on (kiosk_id, sequence): a fork (two records with one
-- sequence) must be kept and flagged by the audit, not refused.
CREATE TABLE IF NOT EXISTS records (
  rid            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  kiosk_id       TEXT NOT NULL,
  sequence       INTEGER NOT NULL,
  tracking_code  TEXT NOT NULL,
  type           TEXT NOT NULL,
  category       TEXT NOT NULL,
  channel        TEXT NOT NULL,
  staff_assisted INTEGER NOT NULL,
  language       TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  clock_synced   INTEGER NOT NULL,
  content_digest TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL,
  payload_format TEXT NOT NULL,
  content        BLOB NOT NULL,
  intact         INTEGER NOT NULL,
  received_at    TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT '',
  status_updated TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS records_chain ON records (kiosk_id, sequence);
CREATE INDEX IF NOT EXISTS records_code ON records (tracking_code);
CREATE TABLE IF NOT EXISTS conflicts (
  id          TEXT NOT NULL,
  kiosk_id    TEXT NOT NULL,
  sequence    INTEGER NOT NULL,
  hash        TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (id, hash)
);
CREATE TABLE IF NOT EXISTS status_events (
  event_id      INTEGER PRIMARY KEY AUTOINCREMENT,
  tracking_code TEXT NOT NULL,
  kiosk_id      TEXT NOT NULL,
  status        TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  agency        TEXT NOT NULL DEFAULT '',
  officer       TEXT NOT NULL DEFAULT '',
  expected_date TEXT NOT NULL DEFAULT '',
  updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS status_by_kiosk ON status_events (kiosk_id, event_id);
CREATE INDEX IF NOT EXISTS status_by_code ON status_events (tracking_code, event_id);
CREATE TABLE IF NOT EXISTS config (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  TEXT NOT NULL,
  etag     TEXT NOT NULL,
  document TEXT NOT NULL
);
)sql";

// 2: a globally unique id per status event (so `copy` into another database is idempotent),
// the database's own id, and the progress of copies into this database.
constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE status_events ADD COLUMN event_uid TEXT;
UPDATE status_events SET event_uid = lower(hex(randomblob(16))) WHERE event_uid IS NULL;
CREATE UNIQUE INDEX status_uid ON status_events (event_uid);
CREATE TABLE backend_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO backend_meta (key, value) VALUES ('backend_id', lower(hex(randomblob(16))));
CREATE TABLE copy_progress (
  source_id     TEXT PRIMARY KEY,
  record_cursor INTEGER NOT NULL,
  event_cursor  INTEGER NOT NULL
);
CREATE INDEX records_category ON records (category, rid);
)sql";

// 3: Open311 filters by creation date, newest first (bench: a date window scanned half of
// 1,000,000 records through the primary key; with these and ORDER BY created_at it is < 2 ms).
constexpr std::string_view kMigration3 = R"sql(
CREATE INDEX records_created ON records (created_at);
CREATE INDEX records_category_created ON records (category, created_at);
)sql";

// 4: the officers' console — each case's ward, current agency, reply deadline and folded search
// text (filled at ingest by the service), accounts, sessions, the access log of contact views,
// internal notes.
constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE records ADD COLUMN ward TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN agency TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN deadline TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX records_deadline ON records (deadline, rid);
CREATE INDEX records_ward_deadline ON records (ward, deadline, rid);
CREATE INDEX records_agency_deadline ON records (agency, deadline, rid);
CREATE TABLE console_users (
  name            TEXT PRIMARY KEY,
  role            TEXT NOT NULL,
  ward            TEXT NOT NULL DEFAULT '',
  agency          TEXT NOT NULL DEFAULT '',
  password_hash   TEXT NOT NULL,
  disabled        INTEGER NOT NULL DEFAULT 0,
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL
);
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY,
  user_name  TEXT NOT NULL,
  csrf       TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  last_ms    INTEGER NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_name);
CREATE TABLE console_access_log (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name     TEXT NOT NULL,
  tracking_code TEXT NOT NULL,
  what          TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE TABLE case_notes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  tracking_code TEXT NOT NULL,
  user_name     TEXT NOT NULL,
  note          TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX case_notes_code ON case_notes (tracking_code, id);
)sql";

// 5: reply templates per category for the console's answers.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE reply_templates (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  category   TEXT NOT NULL,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX reply_templates_category ON reply_templates (category, title);
)sql";

// 6 (issue #14): the residents' ratings, one row per case (the latest by the kiosk's clock).
// Supplements and ratings are records too (category 'supplement' / 'rating'); their link to
// the case is in their content.
constexpr std::string_view kMigration6 = R"sql(
CREATE TABLE case_ratings (
  tracking_code TEXT PRIMARY KEY,
  rating        TEXT NOT NULL,
  reopen        INTEGER NOT NULL,
  rated_at      TEXT NOT NULL,
  record_id     TEXT NOT NULL
);
)sql";

// 7 (issue #14): a supplement's or rating's case, set by indexCases from the opened content, so
// the console's case page finds what the resident added later.
constexpr std::string_view kMigration7 = R"sql(
ALTER TABLE records ADD COLUMN parent_code TEXT NOT NULL DEFAULT '';
CREATE INDEX records_parent ON records (parent_code, created_at) WHERE parent_code <> '';
)sql";

// 8: as PostgreSQL's migration 8: each tab's keyset order (status, deadline, rid), also within
// a ward or an agency, and an export's filter in the access log. Search stays a scan of the
// folded text here (a ward's database: see docs/BENCHMARKS.md, "Officers' console").
constexpr std::string_view kMigration8 = R"sql(
CREATE INDEX records_status_deadline ON records (status, deadline, rid);
CREATE INDEX records_ward_status_deadline ON records (ward, status, deadline, rid);
CREATE INDEX records_agency_status_deadline ON records (agency, status, deadline, rid);
CREATE INDEX records_kiosk_rid ON records (kiosk_id, rid);
ALTER TABLE console_access_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
)sql";

// 9 (issue #13, admin pages): every config version saved from the console, with who and when.
// The served document stays in `config` (one row); this is its history.
constexpr std::string_view kMigration9 = R"sql(
CREATE TABLE config_versions (
  seq       INTEGER PRIMARY KEY,
  version   TEXT NOT NULL UNIQUE,
  etag      TEXT NOT NULL,
  saved_by  TEXT NOT NULL,
  saved_at  TEXT NOT NULL,
  note      TEXT NOT NULL,
  document  TEXT NOT NULL
);
)sql";

// 10 (issue #13): a config edit now carries the stored cases along in its transaction (an
// agency's rename, a kiosk's ward); this migration repairs what edits made before left behind,
// from the config history (storage/config_repair.hpp; a C++ step after the SQL, in the same
// transaction). The index serves the rename's update of the agency officers.
constexpr std::string_view kMigration10 = R"sql(
CREATE INDEX console_users_agency ON console_users (agency);
)sql";
constexpr int kConfigRepairMigration = 10;

constexpr std::string_view kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4,
                                            kMigration5, kMigration6, kMigration7, kMigration8,
                                            kMigration9, kMigration10};
constexpr int kLatestSchema = static_cast<int>(std::size(kMigrations));

constexpr int kPoolMax = 8;

StorageError toError(const SqliteError& e) {
    return StorageError{e.what(), e.code() == SQLITE_BUSY || e.code() == SQLITE_LOCKED};
}

template <class F>
auto guarded(F&& f) -> Result<std::invoke_result_t<F>> {
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
            f();
            return {};
        } else {
            return f();
        }
    } catch (const SqliteError& e) {
        return std::unexpected(toError(e));
    }
}

std::string nowUtc() {
    return platform::clock::formatUtc(platform::clock::now());
}

constexpr std::string_view kRecordColumns =
    "id, kiosk_id, sequence, tracking_code, type, category, channel, staff_assisted, language, "
    "created_at, "
    "clock_synced, content_digest, prev_hash, hash, payload_format, content, intact, received_at";

// The 18 values of kRecordColumns, in order (ingest and copy insert the same row).
void bindRecord(Stmt& ins, const record::Header& h, const std::string& format,
                const std::string& content, bool intact, const std::string& receivedAt) {
    ins.bind(1, h.id)
        .bind(2, h.kioskId)
        .bind(3, static_cast<std::int64_t>(h.sequence))
        .bind(4, h.trackingCode);
    ins.bind(5, record::typeCode(h.type))
        .bind(6, h.category)
        .bind(7, record::channelCode(h.channel));
    ins.bind(8, std::int64_t{h.staffAssisted}).bind(9, h.language).bind(10, h.createdAt);
    ins.bind(11, std::int64_t{h.clockSynced})
        .bind(12, h.contentDigest)
        .bind(13, h.prevHash)
        .bind(14, h.hash);
    ins.bind(15, format).bindBlob(16, content).bind(17, std::int64_t{intact}).bind(18, receivedAt);
}

StoredRecord readRecord(const Stmt& s) {
    StoredRecord r;
    auto& h = r.header;
    h.id = s.text(0);
    h.kioskId = s.text(1);
    h.sequence = static_cast<std::uint64_t>(s.int64(2));
    h.trackingCode = s.text(3);
    h.type = record::parseRecordType(s.text(4)).value_or(record::RecordType::Pakn);
    h.category = s.text(5);
    h.channel = record::parseChannel(s.text(6)).value_or(record::Channel::Kiosk);
    h.staffAssisted = s.int64(7) != 0;
    h.language = s.text(8);
    h.createdAt = s.text(9);
    h.clockSynced = s.int64(10) != 0;
    h.contentDigest = s.text(11);
    h.prevHash = s.text(12);
    h.hash = s.text(13);
    r.payloadFormat = s.text(14);
    r.content = s.blob(15);
    r.intact = s.int64(16) != 0;
    r.receivedAt = s.text(17);
    return r;
}

StatusEvent readEvent(const Stmt& s, int c) {
    StatusEvent e;
    e.eventId = s.int64(c);
    e.trackingCode = s.text(c + 1);
    e.status = s.text(c + 2);
    e.note = s.text(c + 3);
    e.agency = s.text(c + 4);
    e.officer = s.text(c + 5);
    e.expectedDate = s.text(c + 6);
    e.updatedAt = s.text(c + 7);
    e.uid = s.text(c + 8);
    e.kioskId = s.text(c + 9);
    return e;
}

constexpr std::string_view kEventColumns =
    "event_id, tracking_code, status, note, agency, officer, expected_date, updated_at, event_uid, "
    "kiosk_id";

int schemaVersion(Db& db) {
    Stmt v(db, "PRAGMA user_version");
    v.step();
    return static_cast<int>(v.int64(0));
}

[[noreturn]] void refuseSchema(const std::string& why) {
    throw SqliteError(SQLITE_ERROR, SQLITE_ERROR, 0, why);
}

void refuseNewer(int have) {
    if (have > kLatestSchema)
        refuseSchema("the database schema version " + std::to_string(have) +
                     " is newer than this kiosk-backend knows (" + std::to_string(kLatestSchema) +
                     "); upgrade kiosk-backend");
}

// Migration 10's C++ step (see kMigration10).
void repairFromConfigHistory(Db& db) {
    std::vector<std::string> history;
    Stmt h(db, "SELECT document FROM config_versions ORDER BY seq");
    while (h.step()) history.push_back(h.text(0));
    Stmt cur(db, "SELECT document FROM config WHERE id = 1");
    const std::string served = cur.step() ? cur.text(0) : std::string{};
    const ConfigRepair fix = configRepair(history, served);
    for (const auto& [from, to] : fix.agencyRenames) {
        Stmt cases(db, "UPDATE records SET agency = ?1 WHERE agency = ?2");
        cases.bind(1, to).bind(2, from).run();
        Stmt users(db, "UPDATE console_users SET agency = ?1 WHERE agency = ?2");
        users.bind(1, to).bind(2, from).run();
    }
    for (const auto& [kiosk, ward] : fix.kioskWards) {
        Stmt fill(db, std::string("UPDATE records SET ward = ?1 WHERE kiosk_id = ?2 AND ward = "
                                  "'' AND parent_code = '' AND ") +
                          std::string(kNotAddition));
        fill.bind(1, ward).bind(2, kiosk).run();
    }
}

// Applies the pending migrations, each in its own transaction; refuses a newer database.
void migrate(Db& db) {
    const int have = schemaVersion(db);
    refuseNewer(have);
    for (int i = have; i < kLatestSchema; ++i) {
        Transaction tx(db);
        db.exec(kMigrations[i]);
        if (i + 1 == kConfigRepairMigration) repairFromConfigHistory(db);
        db.exec("PRAGMA user_version = " + std::to_string(i + 1));
        tx.commit();
    }
}

}  // namespace

struct SqliteStorage::Impl {
    std::filesystem::path file;
    bool readOnly = false;
    std::mutex mutex;
    std::vector<std::unique_ptr<Db>> idle;
    std::atomic<std::uint64_t> nonceCalls{0};

    std::unique_ptr<Db> openDb() {
        auto db =
            std::make_unique<Db>(file, readOnly ? Db::Mode::ReadOnly : Db::Mode::ReadWriteCreate);
        sqlite3_busy_timeout(db->handle(), 10000);
        if (!readOnly)
            db->exec(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        return db;
    }

    // A connection for the calling thread until the lease ends.
    class Lease {
    public:
        explicit Lease(Impl& impl) : m_impl(impl) {
            {
                std::lock_guard lock(impl.mutex);
                if (!impl.idle.empty()) {
                    m_db = std::move(impl.idle.back());
                    impl.idle.pop_back();
                }
            }
            if (!m_db) m_db = impl.openDb();
        }
        ~Lease() {
            std::lock_guard lock(m_impl.mutex);
            if (m_impl.idle.size() < kPoolMax) m_impl.idle.push_back(std::move(m_db));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Db& db() { return *m_db; }

    private:
        Impl& m_impl;
        std::unique_ptr<Db> m_db;
    };
};

SqliteStorage::SqliteStorage(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SqliteStorage::~SqliteStorage() = default;

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::filesystem::path& file,
                                                           bool readOnly, bool migrateNow) {
    auto impl = std::make_unique<Impl>();
    impl->file = file;
    impl->readOnly = readOnly;
    return guarded([&]() -> std::unique_ptr<SqliteStorage> {
        auto db = impl->openDb();
        if (!readOnly && migrateNow) {
            migrate(*db);
        } else {
            const int have = schemaVersion(*db);
            refuseNewer(have);
            if (have < kLatestSchema && !readOnly)
                refuseSchema("the database schema is at version " + std::to_string(have) + " of " +
                             std::to_string(kLatestSchema) + ": run kiosk-backend migrate");
        }
        impl->idle.push_back(std::move(db));
        return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(impl)));
    });
}

Result<std::string> SqliteStorage::issueEnrolToken(const std::string& kioskId,
                                                   std::int64_t expiresMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        const std::string token = newToken();
        Stmt s(l.db(),
               "INSERT INTO enrol_tokens (token_hash, kiosk_id, expires_ms) VALUES (?, ?, ?)");
        s.bind(1, tokenHash(token)).bind(2, kioskId).bind(3, expiresMs).run();
        return token;
    });
}

Result<EnrolOutcome> SqliteStorage::enrol(const std::string& token, const std::string& kioskId,
                                          const std::string& publicKey, std::int64_t nowMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Transaction tx(l.db());
        Stmt t(l.db(),
               "SELECT kiosk_id, expires_ms, used_at IS NOT NULL, COALESCE(used_by, '') FROM "
               "enrol_tokens "
               "WHERE token_hash = ?");
        t.bind(1, tokenHash(token));
        if (!t.step()) return EnrolOutcome::BadToken;
        const std::string boundTo = t.text(0);
        Stmt k(l.db(), "SELECT public_key FROM kiosks WHERE kiosk_id = ?");
        k.bind(1, kioskId);
        if (t.int64(2) != 0) {
            // Used already. The same kiosk with the same key is a retry whose reply was lost:
            // enrolled. Anyone else, or another key, is refused as before.
            if (t.text(3) != kioskId) return EnrolOutcome::BadToken;
            if (!k.step()) return EnrolOutcome::BadToken;
            return k.text(0) == publicKey ? EnrolOutcome::Enrolled : EnrolOutcome::KeyMismatch;
        }
        if (t.int64(1) < nowMs || (!boundTo.empty() && boundTo != kioskId))
            return EnrolOutcome::BadToken;
        // Re-enrolling with a new key needs the operator to remove the old one first: a stolen
        // token must not let someone take over a kiosk id that already has records.
        if (k.step() && k.text(0) != publicKey) return EnrolOutcome::KeyMismatch;
        Stmt ins(l.db(),
                 "INSERT INTO kiosks (kiosk_id, public_key, enrolled_at) VALUES (?, ?, ?) "
                 "ON CONFLICT(kiosk_id) DO NOTHING");
        ins.bind(1, kioskId).bind(2, publicKey).bind(3, nowUtc()).run();
        Stmt use(l.db(), "UPDATE enrol_tokens SET used_at = ?, used_by = ? WHERE token_hash = ?");
        use.bind(1, nowUtc()).bind(2, kioskId).bind(3, tokenHash(token)).run();
        tx.commit();
        return EnrolOutcome::Enrolled;
    });
}

Result<std::optional<std::string>> SqliteStorage::kioskPublicKey(const std::string& kioskId) {
    return guarded([&]() -> std::optional<std::string> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT public_key FROM kiosks WHERE kiosk_id = ?");
        s.bind(1, kioskId);
        if (!s.step()) return std::nullopt;
        return s.text(0);
    });
}

Result<std::vector<KioskRow>> SqliteStorage::kiosks() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT kiosk_id, public_key, enrolled_at, last_seen_at, heartbeat FROM kiosks "
               "ORDER BY kiosk_id");
        std::vector<KioskRow> out;
        while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)});
        return out;
    });
}

Result<void> SqliteStorage::recordHeartbeat(const std::string& kioskId, const std::string& json,
                                            std::int64_t nowMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "UPDATE kiosks SET last_seen_at = ?, heartbeat = ? WHERE kiosk_id = ?");
        s.bind(1, platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs)))
            .bind(2, json)
            .bind(3, kioskId)
            .run();
    });
}

Result<std::string> SqliteStorage::issueStaffToken(const std::string& name) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        const std::string token = newToken();
        Stmt s(l.db(), "INSERT INTO staff_tokens (token_hash, name, created_at) VALUES (?, ?, ?)");
        s.bind(1, tokenHash(token)).bind(2, name).bind(3, nowUtc()).run();
        return token;
    });
}

Result<std::optional<std::string>> SqliteStorage::staffTokenName(const std::string& token) {
    return guarded([&]() -> std::optional<std::string> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT name FROM staff_tokens WHERE token_hash = ?");
        s.bind(1, tokenHash(token));
        if (!s.step()) return std::nullopt;
        return s.text(0);
    });
}

Result<bool> SqliteStorage::useNonce(const std::string& kioskId, const std::string& nonce,
                                     std::int64_t nowMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        // Nonces older than twice the accepted clock skew can no longer be replayed (their
        // timestamp is refused first), so they are forgotten now and then.
        if (m_impl->nonceCalls.fetch_add(1) % 1000 == 0) {
            Stmt purge(l.db(), "DELETE FROM nonces WHERE seen_ms < ?");
            purge.bind(1, nowMs - 2 * proto::kMaxClockSkewMs).run();
        }
        // The nonce commit does not wait for its own fsync: in WAL mode its frames go to the log
        // before anything the request writes next, and that write's fsync (synchronous=FULL)
        // makes both durable. A crash in between loses only the nonce of a request that was never
        // answered, which may then be sent again (every kiosk request is idempotent). Saves one of
        // the two fsyncs per upload (the ingest bottleneck, docs/BENCHMARKS.md).
        struct FullAgain {  // the pooled connection goes back with synchronous=FULL, whatever
                            // happens
            sqlite3* db;
            ~FullAgain() {
                sqlite3_exec(db, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
            }
        } fullAgain{l.db().handle()};
        l.db().exec("PRAGMA synchronous = NORMAL");
        Stmt s(l.db(),
               "INSERT INTO nonces (kiosk_id, nonce, seen_ms) VALUES (?, ?, ?) ON CONFLICT DO "
               "NOTHING");
        s.bind(1, kioskId).bind(2, nonce).bind(3, nowMs).run();
        return l.db().changes() == 1;
    });
}

namespace {

// A status event for the case with this code, inside the caller's transaction; false when
// there is no such case.
bool insertEvent(Db& db, const StatusEvent& e) {
    Stmt find(db, "SELECT kiosk_id FROM records WHERE tracking_code = ? ORDER BY rid LIMIT 1");
    find.bind(1, e.trackingCode);
    if (!find.step()) return false;
    const std::string kiosk = find.text(0);
    Stmt ins(db,
             "INSERT INTO status_events (tracking_code, kiosk_id, status, note, agency, officer, "
             "expected_date, "
             "updated_at, event_uid) VALUES (?,?,?,?,?,?,?,?,?)");
    ins.bind(1, e.trackingCode).bind(2, kiosk).bind(3, e.status).bind(4, e.note).bind(5, e.agency);
    ins.bind(6, e.officer).bind(7, e.expectedDate).bind(8, e.updatedAt);
    ins.bind(9, e.uid.empty() ? record::newSaltHex() : e.uid).run();
    Stmt upd(db,
             "UPDATE records SET status = ?1, status_updated = ?2, agency = CASE WHEN ?4 <> '' "
             "THEN ?4 ELSE agency END, "
             "deadline = CASE WHEN ?5 <> '' THEN ?5 ELSE deadline END WHERE tracking_code = ?3");
    upd.bind(1, e.status)
        .bind(2, e.updatedAt)
        .bind(3, e.trackingCode)
        .bind(4, e.agency)
        .bind(5, e.expectedDate)
        .run();
    return true;
}

void upsertRating(Db& db, const CaseRating& r) {
    Stmt s(db,
           "INSERT INTO case_ratings (tracking_code, rating, reopen, rated_at, record_id) VALUES "
           "(?,?,?,?,?) "
           "ON CONFLICT(tracking_code) DO UPDATE SET rating = excluded.rating, reopen = "
           "excluded.reopen, "
           "rated_at = excluded.rated_at, record_id = excluded.record_id "
           "WHERE (excluded.rated_at, excluded.record_id) > (case_ratings.rated_at, "
           "case_ratings.record_id)");
    s.bind(1, r.trackingCode)
        .bind(2, r.rating)
        .bind(3, std::int64_t{r.reopen})
        .bind(4, r.ratedAt)
        .bind(5, r.recordId)
        .run();
}

}  // namespace

Result<std::vector<IngestResult>> SqliteStorage::ingest(std::span<const IngestItem> items,
                                                        std::int64_t nowMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Db& db = l.db();
        const std::string at = platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs));
        Transaction tx(db);
        // Insert-or-nothing on the unique id is the whole deduplication: there is no separate
        // "does it exist?" step that a concurrent request could slip between.
        Stmt ins(db,
                 "INSERT INTO records (" + std::string(kRecordColumns) +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING");
        Stmt existing(db, "SELECT hash FROM records WHERE id = ?");
        Stmt conflict(
            db,
            "INSERT INTO conflicts (id, kiosk_id, sequence, hash, received_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT DO NOTHING");
        std::vector<IngestResult> out;
        out.reserve(items.size());
        for (const auto& it : items) {
            const auto& h = it.header;
            bindRecord(ins, h, it.payloadFormat, it.content, it.intact, at);
            ins.run();
            ins.reset();
            if (db.changes() == 1) {
                out.push_back({proto::ItemResult::Created, {}});
                if (it.caseEvent) insertEvent(db, *it.caseEvent);
                if (it.caseRating) upsertRating(db, *it.caseRating);
                continue;
            }
            existing.bind(1, h.id);
            const std::string stored = existing.step() ? existing.text(0) : std::string{};
            existing.reset();
            if (stored == h.hash) {
                out.push_back({proto::ItemResult::Duplicate, {}});
            } else {
                conflict.bind(1, h.id)
                    .bind(2, h.kioskId)
                    .bind(3, static_cast<std::int64_t>(h.sequence));
                conflict.bind(4, h.hash).bind(5, at).run();
                conflict.reset();
                out.push_back({proto::ItemResult::Conflict, "same_id_different_hash"});
            }
        }
        tx.commit();
        return out;
    });
}

Result<std::optional<StoredRecord>> SqliteStorage::recordById(const std::string& id) {
    return guarded([&]() -> std::optional<StoredRecord> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) + " FROM records WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return readRecord(s);
    });
}

Result<std::uint64_t> SqliteStorage::recordCount() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT COUNT(*) FROM records");
        s.step();
        return static_cast<std::uint64_t>(s.int64(0));
    });
}

Result<std::vector<StoredRecord>> SqliteStorage::kioskRecords(const std::string& kioskId) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) +
                           " FROM records WHERE kiosk_id = ? ORDER BY sequence, rid");
        s.bind(1, kioskId);
        std::vector<StoredRecord> out;
        while (s.step()) out.push_back(readRecord(s));
        return out;
    });
}

Result<std::vector<std::string>> SqliteStorage::kioskIdsWithRecords() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT DISTINCT kiosk_id FROM records ORDER BY kiosk_id");
        std::vector<std::string> out;
        while (s.step()) out.push_back(s.text(0));
        return out;
    });
}

Result<std::vector<ConflictRow>> SqliteStorage::conflicts(const std::string& kioskId) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT id, kiosk_id, sequence, hash, received_at FROM conflicts WHERE kiosk_id = ? "
               "ORDER BY sequence");
        s.bind(1, kioskId);
        std::vector<ConflictRow> out;
        while (s.step())
            out.push_back({s.text(0), s.text(1), static_cast<std::uint64_t>(s.int64(2)), s.text(3),
                           s.text(4)});
        return out;
    });
}

Result<bool> SqliteStorage::addStatus(const StatusEvent& e) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Transaction tx(l.db());
        if (!insertEvent(l.db(), e)) return false;
        tx.commit();
        return true;
    });
}

Result<std::optional<StoredRecord>> SqliteStorage::caseRecordByCode(
    const std::string& trackingCode) {
    return guarded([&]() -> std::optional<StoredRecord> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) +
                           " FROM records WHERE tracking_code = ? AND category NOT IN "
                           "('supplement', 'rating') "
                           "ORDER BY rid LIMIT 1");
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return readRecord(s);
    });
}

Result<std::optional<CaseRating>> SqliteStorage::caseRating(const std::string& trackingCode) {
    return guarded([&]() -> std::optional<CaseRating> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings WHERE "
               "tracking_code = ?");
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return CaseRating{s.text(0), s.text(1), s.int64(2) != 0, s.text(3), s.text(4)};
    });
}

Result<std::vector<StoredRecord>> SqliteStorage::caseAdditions(const std::string& trackingCode) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) +
                           " FROM records WHERE parent_code = ? AND parent_code <> '' ORDER BY "
                           "created_at, rid");
        s.bind(1, trackingCode);
        std::vector<StoredRecord> out;
        while (s.step()) out.push_back(readRecord(s));
        return out;
    });
}

Result<std::vector<StoredRecord>> SqliteStorage::unlinkedAdditions() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) +
                           " FROM records WHERE category IN ('supplement', 'rating') AND "
                           "parent_code = '' ORDER BY rid");
        std::vector<StoredRecord> out;
        while (s.step()) out.push_back(readRecord(s));
        return out;
    });
}

Result<std::vector<CaseRating>> SqliteStorage::caseRatingsOf(
    const std::vector<std::string>& codes) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        std::vector<CaseRating> out;
        if (codes.empty()) return out;
        std::string sql =
            "SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings WHERE "
            "tracking_code IN (";
        for (std::size_t i = 0; i < codes.size(); ++i) sql += i ? ",?" : "?";
        Stmt s(l.db(), sql + ") ORDER BY tracking_code");
        for (std::size_t i = 0; i < codes.size(); ++i) s.bind(static_cast<int>(i + 1), codes[i]);
        while (s.step())
            out.push_back(CaseRating{s.text(0), s.text(1), s.int64(2) != 0, s.text(3), s.text(4)});
        return out;
    });
}

Result<std::vector<CaseRating>> SqliteStorage::allCaseRatings() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings ORDER "
               "BY tracking_code");
        std::vector<CaseRating> out;
        while (s.step())
            out.push_back(CaseRating{s.text(0), s.text(1), s.int64(2) != 0, s.text(3), s.text(4)});
        return out;
    });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteStorage::ratingCounts() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        std::vector<std::pair<std::string, std::int64_t>> out;
        Stmt s(l.db(), "SELECT rating, COUNT(*) FROM case_ratings GROUP BY rating ORDER BY rating");
        while (s.step()) out.emplace_back(s.text(0), s.int64(1));
        Stmt r(l.db(), "SELECT COUNT(*) FROM case_ratings WHERE reopen = 1");
        r.step();
        out.emplace_back("reopen", r.int64(0));
        return out;
    });
}

Result<std::vector<StatusEvent>> SqliteStorage::statusSince(const std::string& kioskId,
                                                            std::int64_t cursor,
                                                            std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kEventColumns) +
                           " FROM status_events WHERE kiosk_id = ? AND event_id > ? ORDER BY "
                           "event_id LIMIT ?");
        s.bind(1, kioskId).bind(2, cursor).bind(3, static_cast<std::int64_t>(limit));
        std::vector<StatusEvent> out;
        while (s.step()) out.push_back(readEvent(s, 0));
        return out;
    });
}

namespace {

PublicRecord readPublic(Db& db, const Stmt& s) {
    PublicRecord p;
    p.trackingCode = s.text(0);
    p.kioskId = s.text(1);
    p.type = record::parseRecordType(s.text(2)).value_or(record::RecordType::Pakn);
    p.category = s.text(3);
    p.createdAt = s.text(4);
    p.receivedAt = s.text(5);
    Stmt ev(db, "SELECT " + std::string(kEventColumns) +
                    " FROM status_events WHERE tracking_code = ? ORDER BY event_id");
    ev.bind(1, p.trackingCode);
    while (ev.step()) p.events.push_back(readEvent(ev, 0));
    return p;
}

constexpr std::string_view kPublicColumns =
    "tracking_code, kiosk_id, type, category, created_at, received_at";

}  // namespace

Result<std::optional<PublicRecord>> SqliteStorage::publicRecord(const std::string& trackingCode) {
    return guarded([&]() -> std::optional<PublicRecord> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kPublicColumns) +
                           " FROM records WHERE tracking_code = ? AND category NOT IN "
                           "('supplement', 'rating') ORDER BY rid LIMIT 1");
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return readPublic(l.db(), s);
    });
}

Result<std::vector<PublicRecord>> SqliteStorage::publicRecords(const RequestFilter& f) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        std::string sql = "SELECT " + std::string(kPublicColumns) +
                          " FROM records WHERE category NOT IN ('supplement', 'rating')";
        if (!f.serviceCode.empty()) sql += " AND category = ?1";
        if (f.status == "closed")
            sql += " AND status IN ('answered','closed','rejected','duplicate')";
        if (f.status == "open")
            sql += " AND status NOT IN ('answered','closed','rejected','duplicate')";
        if (!f.startDate.empty()) sql += " AND created_at >= ?2";
        if (!f.endDate.empty()) sql += " AND created_at < ?3";
        sql += " ORDER BY created_at DESC, rid DESC LIMIT ?4";
        Stmt s(l.db(), sql);
        if (!f.serviceCode.empty()) s.bind(1, f.serviceCode);
        if (!f.startDate.empty()) s.bind(2, f.startDate);
        if (!f.endDate.empty()) s.bind(3, f.endDate);
        s.bind(4, static_cast<std::int64_t>(f.limit));
        std::vector<PublicRecord> out;
        while (s.step()) out.push_back(readPublic(l.db(), s));
        return out;
    });
}

Result<std::optional<ConfigDocument>> SqliteStorage::config() {
    return guarded([&]() -> std::optional<ConfigDocument> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT version, etag, document FROM config WHERE id = 1");
        if (!s.step()) return std::nullopt;
        return ConfigDocument{s.text(0), s.text(1), s.text(2)};
    });
}

Result<void> SqliteStorage::setConfig(const ConfigDocument& c) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "INSERT INTO config (id, version, etag, document) VALUES (1, ?, ?, ?) "
               "ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag, "
               "document = excluded.document");
        s.bind(1, c.version).bind(2, c.etag).bind(3, c.document).run();
    });
}

Result<ConfigSaved> SqliteStorage::saveConfigVersionWith(const ConfigDocument& c,
                                                         const std::string& expectedVersion,
                                                         const ConfigVersionRow& row,
                                                         const ConfigEffects& effects) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Transaction tx(l.db());
        ConfigSaved out;
        Stmt cur(l.db(), "SELECT version FROM config WHERE id = 1");
        const std::string served = cur.step() ? cur.text(0) : std::string{};
        if (served != expectedVersion) return out;
        Stmt used(l.db(), "SELECT 1 FROM config_versions WHERE version = ?");
        used.bind(1, c.version);
        if (used.step()) return out;
        if (!effects.agencyFrom.empty() && !effects.agencyTo.empty()) {
            Stmt cases(l.db(), "UPDATE records SET agency = ?1 WHERE agency = ?2");
            cases.bind(1, effects.agencyTo).bind(2, effects.agencyFrom).run();
            out.casesChanged += l.db().changes();
            Stmt users(l.db(), "UPDATE console_users SET agency = ?1 WHERE agency = ?2");
            users.bind(1, effects.agencyTo).bind(2, effects.agencyFrom).run();
            out.usersChanged += l.db().changes();
        }
        if (!effects.kioskId.empty() && !effects.kioskWard.empty()) {
            Stmt fill(l.db(), std::string("UPDATE records SET ward = ?1 WHERE kiosk_id = ?2 AND "
                                          "ward = '' AND parent_code = '' AND ") +
                                  std::string(kNotAddition));
            fill.bind(1, effects.kioskWard).bind(2, effects.kioskId).run();
            out.casesChanged += l.db().changes();
        }
        Stmt s(l.db(),
               "INSERT INTO config (id, version, etag, document) VALUES (1, ?, ?, ?) "
               "ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag, "
               "document = excluded.document");
        s.bind(1, c.version).bind(2, c.etag).bind(3, c.document).run();
        Stmt h(l.db(),
               "INSERT INTO config_versions (seq, version, etag, saved_by, saved_at, note, "
               "document) VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM config_versions), ?, ?, "
               "?, ?, ?, ?)");
        h.bind(1, c.version)
            .bind(2, c.etag)
            .bind(3, row.savedBy)
            .bind(4, row.savedAt)
            .bind(5, row.note)
            .bind(6, c.document)
            .run();
        tx.commit();
        out.saved = true;
        return out;
    });
}

Result<std::vector<ConfigVersionRow>> SqliteStorage::configHistory(std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT seq, version, etag, saved_by, saved_at, note, document FROM "
               "config_versions ORDER BY seq DESC LIMIT ?");
        s.bind(1, static_cast<std::int64_t>(limit));
        std::vector<ConfigVersionRow> out;
        while (s.step())
            out.push_back(
                {s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)});
        return out;
    });
}

Result<SchemaInfo> SqliteStorage::schema() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        SchemaInfo info;
        info.kind = "sqlite";
        info.latest = kLatestSchema;
        info.version = schemaVersion(l.db());
        if (info.version >= 2) {
            Stmt s(l.db(), "SELECT value FROM backend_meta WHERE key = 'backend_id'");
            if (s.step()) info.backendId = s.text(0);
        }
        return info;
    });
}

Result<BackendStorage::RecordPage> SqliteStorage::recordsAfter(std::int64_t cursor,
                                                               std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) +
                           ", rid FROM records WHERE rid > ? ORDER BY rid LIMIT ?");
        s.bind(1, cursor).bind(2, static_cast<std::int64_t>(limit));
        RecordPage page;
        page.next = cursor;
        while (s.step()) {
            page.records.push_back(readRecord(s));
            page.next = s.int64(18);
        }
        return page;
    });
}

Result<std::vector<StatusEvent>> SqliteStorage::eventsAfter(std::int64_t eventId,
                                                            std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kEventColumns) +
                           " FROM status_events WHERE event_id > ? ORDER BY event_id LIMIT ?");
        s.bind(1, eventId).bind(2, static_cast<std::int64_t>(limit));
        std::vector<StatusEvent> out;
        while (s.step()) out.push_back(readEvent(s, 0));
        return out;
    });
}

Result<std::vector<ConflictRow>> SqliteStorage::allConflicts() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT id, kiosk_id, sequence, hash, received_at FROM conflicts ORDER BY kiosk_id, "
               "sequence, id, hash");
        std::vector<ConflictRow> out;
        while (s.step())
            out.push_back({s.text(0), s.text(1), static_cast<std::uint64_t>(s.int64(2)), s.text(3),
                           s.text(4)});
        return out;
    });
}

Result<std::vector<TokenRow>> SqliteStorage::enrolTokens() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT token_hash, kiosk_id, expires_ms, COALESCE(used_at, ''), COALESCE(used_by, "
               "'') FROM enrol_tokens");
        std::vector<TokenRow> out;
        while (s.step()) {
            TokenRow t;
            t.tokenHash = s.text(0);
            t.kioskId = s.text(1);
            t.expiresMs = s.int64(2);
            t.usedAt = s.text(3);
            t.usedBy = s.text(4);
            out.push_back(std::move(t));
        }
        return out;
    });
}

Result<std::vector<TokenRow>> SqliteStorage::staffTokens() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT token_hash, name, created_at FROM staff_tokens");
        std::vector<TokenRow> out;
        while (s.step()) {
            TokenRow t;
            t.tokenHash = s.text(0);
            t.name = s.text(1);
            t.createdAt = s.text(2);
            out.push_back(std::move(t));
        }
        return out;
    });
}

Result<void> SqliteStorage::copyIdentities(const std::vector<KioskRow>& kiosks,
                                           const std::vector<TokenRow>& enrol,
                                           const std::vector<TokenRow>& staff) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Transaction tx(l.db());
        Stmt k(l.db(),
               "INSERT INTO kiosks (kiosk_id, public_key, enrolled_at, last_seen_at, heartbeat) "
               "VALUES (?,?,?,?,?) "
               "ON CONFLICT(kiosk_id) DO NOTHING");
        for (const auto& r : kiosks) {
            k.bind(1, r.kioskId)
                .bind(2, r.publicKey)
                .bind(3, r.enrolledAt)
                .bind(4, r.lastSeenAt)
                .bind(5, r.heartbeat)
                .run();
            k.reset();
        }
        Stmt e(l.db(),
               "INSERT INTO enrol_tokens (token_hash, kiosk_id, expires_ms, used_at, used_by) "
               "VALUES (?,?,?,?,?) "
               "ON CONFLICT(token_hash) DO NOTHING");
        for (const auto& t : enrol) {
            e.bind(1, t.tokenHash).bind(2, t.kioskId).bind(3, t.expiresMs);
            if (t.usedAt.empty())
                e.bindNull(4).bindNull(5);
            else
                e.bind(4, t.usedAt).bind(5, t.usedBy);
            e.run();
            e.reset();
        }
        Stmt st(l.db(),
                "INSERT INTO staff_tokens (token_hash, name, created_at) VALUES (?,?,?) ON "
                "CONFLICT DO NOTHING");
        for (const auto& t : staff) {
            st.bind(1, t.tokenHash).bind(2, t.name).bind(3, t.createdAt).run();
            st.reset();
        }
        tx.commit();
    });
}

Result<CopyProgress> SqliteStorage::copyProgress(const std::string& sourceId) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT record_cursor, event_cursor FROM copy_progress WHERE source_id = ?");
        s.bind(1, sourceId);
        CopyProgress p;
        if (s.step()) p = {s.int64(0), s.int64(1)};
        return p;
    });
}

Result<void> SqliteStorage::copyIn(const CopyBatch& b) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Db& db = l.db();
        Transaction tx(db);
        Stmt ins(db,
                 "INSERT INTO records (" + std::string(kRecordColumns) +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING");
        Stmt existing(db, "SELECT hash FROM records WHERE id = ?");
        Stmt conflict(
            db,
            "INSERT INTO conflicts (id, kiosk_id, sequence, hash, received_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT DO NOTHING");
        auto addConflict = [&](const ConflictRow& c) {
            conflict.bind(1, c.id)
                .bind(2, c.kioskId)
                .bind(3, static_cast<std::int64_t>(c.sequence));
            conflict.bind(4, c.hash).bind(5, c.receivedAt).run();
            conflict.reset();
        };
        for (const auto& r : b.records) {
            const auto& h = r.header;
            bindRecord(ins, h, r.payloadFormat, r.content, r.intact, r.receivedAt);
            ins.run();
            ins.reset();
            if (db.changes() == 1) continue;
            existing.bind(1, h.id);
            const std::string stored = existing.step() ? existing.text(0) : std::string{};
            existing.reset();
            if (stored != h.hash) addConflict({h.id, h.kioskId, h.sequence, h.hash, r.receivedAt});
        }
        for (const auto& c : b.conflicts) addConflict(c);
        Stmt ev(
            db,
            "INSERT INTO status_events (tracking_code, kiosk_id, status, note, agency, officer, "
            "expected_date, "
            "updated_at, event_uid) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(event_uid) DO NOTHING");
        Stmt upd(db, "UPDATE records SET status = ?, status_updated = ? WHERE tracking_code = ?");
        for (const auto& e : b.events) {
            ev.bind(1, e.trackingCode)
                .bind(2, e.kioskId)
                .bind(3, e.status)
                .bind(4, e.note)
                .bind(5, e.agency);
            ev.bind(6, e.officer).bind(7, e.expectedDate).bind(8, e.updatedAt).bind(9, e.uid).run();
            ev.reset();
            if (db.changes() == 1) {
                upd.bind(1, e.status).bind(2, e.updatedAt).bind(3, e.trackingCode).run();
                upd.reset();
            }
        }
        Stmt prog(
            db,
            "INSERT INTO copy_progress (source_id, record_cursor, event_cursor) VALUES (?,?,?) "
            "ON CONFLICT(source_id) DO UPDATE SET record_cursor = excluded.record_cursor, "
            "event_cursor = excluded.event_cursor");
        prog.bind(1, b.sourceId).bind(2, b.recordCursor).bind(3, b.eventCursor).run();
        tx.commit();
    });
}

Result<BackendStorage::IndexPage> SqliteStorage::recordIndexAfter(std::int64_t cursor,
                                                                  std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT id, ward, agency, deadline, status, status_updated, search_text, "
               "parent_code, rid FROM records WHERE rid > ? ORDER BY rid LIMIT ?");
        s.bind(1, cursor).bind(2, static_cast<std::int64_t>(limit));
        IndexPage page;
        page.next = cursor;
        while (s.step()) {
            page.rows.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5),
                                 s.text(6), s.text(7)});
            page.next = s.int64(8);
        }
        return page;
    });
}

// Every SET expression sees the row as it was (both engines), so the conditions compare the
// target's own state before this update.
Result<std::int64_t> SqliteStorage::copyIndexIn(std::span<const RecordIndexRow> rows) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Transaction tx(l.db());
        Stmt s(l.db(),
               "UPDATE records SET "
               "ward = CASE WHEN ward = '' THEN ?2 ELSE ward END, "
               "search_text = CASE WHEN search_text = '' THEN ?7 ELSE search_text END, "
               "parent_code = CASE WHEN parent_code = '' THEN ?8 ELSE parent_code END, "
               "agency = CASE WHEN status_updated <= ?6 THEN ?3 ELSE agency END, "
               "deadline = CASE WHEN (status_updated <= ?6 OR deadline = '') AND ?4 <> '' "
               "THEN ?4 ELSE deadline END, "
               "status = CASE WHEN status_updated <= ?6 THEN ?5 ELSE status END, "
               "status_updated = CASE WHEN status_updated <= ?6 THEN ?6 ELSE status_updated END "
               "WHERE id = ?1");
        std::int64_t changed = 0;
        for (const auto& r : rows) {
            s.bind(1, r.recordId)
                .bind(2, r.ward)
                .bind(3, r.agency)
                .bind(4, r.deadline)
                .bind(5, r.status)
                .bind(6, r.statusUpdated)
                .bind(7, r.searchText)
                .bind(8, r.parentCode)
                .run();
            changed += l.db().changes();
            s.reset();
        }
        tx.commit();
        return changed;
    });
}

Result<CopyExtras> SqliteStorage::copyExtras() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        CopyExtras x;
        Stmt r(l.db(),
               "SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings ORDER "
               "BY tracking_code");
        while (r.step())
            x.ratings.push_back({r.text(0), r.text(1), r.int64(2) != 0, r.text(3), r.text(4)});
        Stmt n(l.db(), "SELECT tracking_code, user_name, note, at FROM case_notes ORDER BY id");
        while (n.step()) x.notes.push_back({n.text(0), n.text(1), n.text(2), n.text(3)});
        Stmt a(l.db(),
               "SELECT user_name, tracking_code, what, at, detail FROM console_access_log ORDER BY "
               "id");
        while (a.step())
            x.accessLog.push_back({a.text(0), a.text(1), a.text(2), a.text(3), a.text(4)});
        Stmt t(l.db(),
               "SELECT id, category, title, body, updated_at FROM reply_templates ORDER BY id");
        while (t.step())
            x.templates.push_back({t.int64(0), t.text(1), t.text(2), t.text(3), t.text(4)});
        Stmt v(l.db(),
               "SELECT seq, version, etag, saved_by, saved_at, note, document FROM "
               "config_versions ORDER BY seq");
        while (v.step())
            x.configVersions.push_back(
                {v.int64(0), v.text(1), v.text(2), v.text(3), v.text(4), v.text(5), v.text(6)});
        return x;
    });
}

Result<CopyExtrasCount> SqliteStorage::copyExtrasIn(const CopyExtras& x) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Db& db = l.db();
        Transaction tx(db);
        CopyExtrasCount out;
        for (const auto& r : x.ratings) {
            upsertRating(db, r);
            out.ratings += db.changes();
        }
        Stmt n(db,
               "INSERT INTO case_notes (tracking_code, user_name, note, at) SELECT ?1, ?2, ?3, ?4 "
               "WHERE NOT EXISTS (SELECT 1 FROM case_notes WHERE tracking_code = ?1 AND "
               "user_name = ?2 AND note = ?3 AND at = ?4)");
        for (const auto& c : x.notes) {
            n.bind(1, c.trackingCode).bind(2, c.userName).bind(3, c.note).bind(4, c.at).run();
            out.notes += db.changes();
            n.reset();
        }
        Stmt a(db,
               "INSERT INTO console_access_log (user_name, tracking_code, what, at, detail) SELECT "
               "?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM console_access_log WHERE "
               "user_name = ?1 AND tracking_code = ?2 AND what = ?3 AND at = ?4 AND detail = ?5)");
        for (const auto& e : x.accessLog) {
            a.bind(1, e.userName)
                .bind(2, e.trackingCode)
                .bind(3, e.what)
                .bind(4, e.at)
                .bind(5, e.detail)
                .run();
            out.accessLog += db.changes();
            a.reset();
        }
        Stmt t(db,
               "INSERT INTO reply_templates (category, title, body, updated_at) SELECT ?1, ?2, ?3, "
               "?4 WHERE NOT EXISTS (SELECT 1 FROM reply_templates WHERE category = ?1 AND title "
               "= ?2)");
        for (const auto& e : x.templates) {
            t.bind(1, e.category).bind(2, e.title).bind(3, e.body).bind(4, e.updatedAt).run();
            out.templates += db.changes();
            t.reset();
        }
        Stmt v(db,
               "INSERT INTO config_versions (seq, version, etag, saved_by, saved_at, note, "
               "document) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
        for (const auto& e : x.configVersions) {
            v.bind(1, e.seq)
                .bind(2, e.version)
                .bind(3, e.etag)
                .bind(4, e.savedBy)
                .bind(5, e.savedAt)
                .bind(6, e.note)
                .bind(7, e.document)
                .run();
            out.configVersions += db.changes();
            v.reset();
        }
        tx.commit();
        return out;
    });
}

// ---- the officers' console
// ------------------------------------------------------------------------

namespace {

CaseRow readCase(const Stmt& s) {
    CaseRow c;
    c.rid = s.int64(0);
    c.trackingCode = s.text(1);
    c.kioskId = s.text(2);
    c.type = s.text(3);
    c.category = s.text(4);
    c.channel = s.text(5);
    c.createdAt = s.text(6);
    c.receivedAt = s.text(7);
    c.status = s.text(8);
    c.statusUpdated = s.text(9);
    c.ward = s.text(10);
    c.agency = s.text(11);
    c.deadline = s.text(12);
    return c;
}

constexpr std::string_view kUserColumns =
    "name, role, ward, agency, password_hash, disabled, failed_logins, locked_until_ms, created_at";

ConsoleUser readUser(const Stmt& s) {
    ConsoleUser u;
    u.name = s.text(0);
    u.role = s.text(1);
    u.ward = s.text(2);
    u.agency = s.text(3);
    u.passwordHash = s.text(4);
    u.disabled = s.int64(5) != 0;
    u.failedLogins = static_cast<int>(s.int64(6));
    u.lockedUntilMs = s.int64(7);
    u.createdAt = s.text(8);
    return u;
}

}  // namespace

Result<void> SqliteStorage::indexCases(std::span<const CaseIndex> items) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Transaction tx(l.db());
        // A deadline already moved by an officer (forward, extend) is kept.
        Stmt s(l.db(),
               "UPDATE records SET ward = ?1, search_text = ?2, deadline = CASE WHEN deadline = '' "
               "THEN ?3 ELSE deadline END, parent_code = ?5 "
               "WHERE id = ?4");
        for (const auto& it : items) {
            s.bind(1, it.ward)
                .bind(2, it.searchText)
                .bind(3, it.deadline)
                .bind(4, it.recordId)
                .bind(5, it.parentCode)
                .run();
            s.reset();
        }
        tx.commit();
    });
}

Result<std::vector<CaseRow>> SqliteStorage::cases(const CaseQuery& q) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        const auto built = buildCaseSql(q, [](int n) { return "?" + std::to_string(n); });
        Stmt s(l.db(), built.sql);
        for (std::size_t i = 0; i < built.params.size(); ++i)
            s.bind(static_cast<int>(i + 1), built.params[i]);
        std::vector<CaseRow> out;
        while (s.step()) out.push_back(readCase(s));
        return out;
    });
}

Result<std::optional<CaseRow>> SqliteStorage::caseByCode(const std::string& trackingCode) {
    return guarded([&]() -> std::optional<CaseRow> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kCaseColumns) +
                           " FROM records WHERE tracking_code = ? AND " +
                           std::string(kNotAddition) + " ORDER BY rid LIMIT 1");
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return readCase(s);
    });
}

Result<std::optional<StoredRecord>> SqliteStorage::recordByCode(const std::string& trackingCode) {
    return guarded([&]() -> std::optional<StoredRecord> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kRecordColumns) +
                           " FROM records WHERE tracking_code = ? ORDER BY rid LIMIT 1");
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return readRecord(s);
    });
}

Result<bool> SqliteStorage::addConsoleUser(const ConsoleUser& u) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "INSERT INTO console_users (" + std::string(kUserColumns) +
                           ") VALUES (?,?,?,?,?,?,0,0,?) ON CONFLICT(name) DO NOTHING");
        s.bind(1, u.name).bind(2, u.role).bind(3, u.ward).bind(4, u.agency).bind(5, u.passwordHash);
        s.bind(6, std::int64_t{u.disabled})
            .bind(7, u.createdAt.empty() ? nowUtc() : u.createdAt)
            .run();
        return l.db().changes() == 1;
    });
}

Result<std::optional<ConsoleUser>> SqliteStorage::consoleUser(const std::string& name) {
    return guarded([&]() -> std::optional<ConsoleUser> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT " + std::string(kUserColumns) + " FROM console_users WHERE name = ?");
        s.bind(1, name);
        if (!s.step()) return std::nullopt;
        return readUser(s);
    });
}

Result<std::vector<ConsoleUser>> SqliteStorage::consoleUsers() {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kUserColumns) + " FROM console_users ORDER BY name");
        std::vector<ConsoleUser> out;
        while (s.step()) out.push_back(readUser(s));
        return out;
    });
}

Result<bool> SqliteStorage::updateConsoleUser(const ConsoleUser& u) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "UPDATE console_users SET role = ?, ward = ?, agency = ?, password_hash = ?, "
               "disabled = ?, "
               "failed_logins = CASE WHEN ? THEN failed_logins ELSE 0 END, "
               "locked_until_ms = CASE WHEN ? THEN locked_until_ms ELSE 0 END WHERE name = ?");
        s.bind(1, u.role)
            .bind(2, u.ward)
            .bind(3, u.agency)
            .bind(4, u.passwordHash)
            .bind(5, std::int64_t{u.disabled});
        s.bind(6, std::int64_t{u.failedLogins > 0})
            .bind(7, std::int64_t{u.lockedUntilMs > 0})
            .bind(8, u.name)
            .run();
        return l.db().changes() == 1;
    });
}

Result<void> SqliteStorage::noteLogin(const std::string& name, bool success, int maxFailures,
                                      std::int64_t lockUntilMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        if (success) {
            Stmt s(l.db(), "UPDATE console_users SET failed_logins = 0 WHERE name = ?");
            s.bind(1, name).run();
            return;
        }
        Stmt s(
            l.db(),
            "UPDATE console_users SET "
            "locked_until_ms = CASE WHEN failed_logins + 1 >= ?1 THEN ?2 ELSE locked_until_ms END, "
            "failed_logins = CASE WHEN failed_logins + 1 >= ?1 THEN 0 ELSE failed_logins + 1 END "
            "WHERE name = ?3");
        s.bind(1, std::int64_t{maxFailures}).bind(2, lockUntilMs).bind(3, name).run();
    });
}

Result<void> SqliteStorage::addConsoleSession(const ConsoleSession& x) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "INSERT INTO console_sessions (token_hash, user_name, csrf, created_ms, last_ms) "
               "VALUES (?,?,?,?,?)");
        s.bind(1, x.tokenHash)
            .bind(2, x.userName)
            .bind(3, x.csrf)
            .bind(4, x.createdMs)
            .bind(5, x.lastMs)
            .run();
    });
}

Result<std::optional<ConsoleSession>> SqliteStorage::consoleSession(const std::string& tokenHash) {
    return guarded([&]() -> std::optional<ConsoleSession> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT token_hash, user_name, csrf, created_ms, last_ms FROM console_sessions "
               "WHERE token_hash = ?");
        s.bind(1, tokenHash);
        if (!s.step()) return std::nullopt;
        return ConsoleSession{s.text(0), s.text(1), s.text(2), s.int64(3), s.int64(4)};
    });
}

Result<void> SqliteStorage::touchConsoleSession(const std::string& tokenHash, std::int64_t nowMs) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "UPDATE console_sessions SET last_ms = ? WHERE token_hash = ?");
        s.bind(1, nowMs).bind(2, tokenHash).run();
    });
}

Result<void> SqliteStorage::deleteConsoleSession(const std::string& tokenHash) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "DELETE FROM console_sessions WHERE token_hash = ?");
        s.bind(1, tokenHash).run();
    });
}

Result<void> SqliteStorage::deleteUserSessions(const std::string& userName) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "DELETE FROM console_sessions WHERE user_name = ?");
        s.bind(1, userName).run();
    });
}

Result<void> SqliteStorage::addAccessLog(const AccessLogRow& r) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "INSERT INTO console_access_log (user_name, tracking_code, what, at, detail) VALUES "
               "(?,?,?,?,?)");
        s.bind(1, r.userName)
            .bind(2, r.trackingCode)
            .bind(3, r.what)
            .bind(4, r.at.empty() ? nowUtc() : r.at)
            .bind(5, r.detail)
            .run();
    });
}

Result<std::vector<AccessLogRow>> SqliteStorage::accessLog(std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT user_name, tracking_code, what, at, detail FROM console_access_log ORDER BY "
               "id DESC LIMIT ?");
        s.bind(1, static_cast<std::int64_t>(limit));
        std::vector<AccessLogRow> out;
        while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)});
        return out;
    });
}

Result<void> SqliteStorage::addCaseNote(const CaseNote& n) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "INSERT INTO case_notes (tracking_code, user_name, note, at) VALUES (?,?,?,?)");
        s.bind(1, n.trackingCode)
            .bind(2, n.userName)
            .bind(3, n.note)
            .bind(4, n.at.empty() ? nowUtc() : n.at)
            .run();
    });
}

Result<std::vector<CaseNote>> SqliteStorage::caseNotes(const std::string& trackingCode) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT tracking_code, user_name, note, at FROM case_notes WHERE tracking_code = ? "
               "ORDER BY id");
        s.bind(1, trackingCode);
        std::vector<CaseNote> out;
        while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
        return out;
    });
}

Result<std::vector<ReplyTemplate>> SqliteStorage::replyTemplates(const std::string& category) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT id, category, title, body, updated_at FROM reply_templates "
               "WHERE ?1 = '' OR category = ?1 OR category = '' ORDER BY title, id");
        s.bind(1, category);
        std::vector<ReplyTemplate> out;
        while (s.step()) out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4)});
        return out;
    });
}

Result<std::optional<ReplyTemplate>> SqliteStorage::replyTemplate(std::int64_t id) {
    return guarded([&]() -> std::optional<ReplyTemplate> {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(),
               "SELECT id, category, title, body, updated_at FROM reply_templates WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return ReplyTemplate{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4)};
    });
}

Result<bool> SqliteStorage::putReplyTemplate(const ReplyTemplate& t) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        if (t.id == 0) {
            Stmt s(
                l.db(),
                "INSERT INTO reply_templates (category, title, body, updated_at) VALUES (?,?,?,?)");
            s.bind(1, t.category).bind(2, t.title).bind(3, t.body).bind(4, nowUtc()).run();
            return true;
        }
        Stmt s(l.db(),
               "UPDATE reply_templates SET category = ?, title = ?, body = ?, updated_at = ? WHERE "
               "id = ?");
        s.bind(1, t.category)
            .bind(2, t.title)
            .bind(3, t.body)
            .bind(4, nowUtc())
            .bind(5, t.id)
            .run();
        return l.db().changes() == 1;
    });
}

Result<void> SqliteStorage::deleteReplyTemplate(std::int64_t id) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "DELETE FROM reply_templates WHERE id = ?");
        s.bind(1, id).run();
    });
}

Result<std::vector<CaseRow>> SqliteStorage::casesAfter(std::int64_t afterRid, std::size_t limit) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT " + std::string(kCaseColumns) + " FROM records WHERE rid > ? AND " +
                           std::string(kNotAddition) + " ORDER BY rid LIMIT ?");
        s.bind(1, afterRid).bind(2, static_cast<std::int64_t>(limit));
        std::vector<CaseRow> out;
        while (s.step()) out.push_back(readCase(s));
        return out;
    });
}

Result<std::vector<std::pair<std::int64_t, std::string>>> SqliteStorage::caseContents(
    std::span<const std::int64_t> rids) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        std::vector<std::pair<std::int64_t, std::string>> out;
        if (rids.empty()) return out;
        std::string list = "[";
        for (std::size_t i = 0; i < rids.size(); ++i)
            list += (i ? "," : "") + std::to_string(rids[i]);
        list += "]";
        Stmt s(l.db(),
               "SELECT rid, content FROM records WHERE rid IN (SELECT value FROM json_each(?)) "
               "ORDER BY rid");
        s.bind(1, list);
        while (s.step()) out.emplace_back(s.int64(0), s.blob(1));
        return out;
    });
}

Result<BackendStorage::RecordStamp> SqliteStorage::kioskRecordStamp(const std::string& kioskId) {
    return guarded([&] {
        Impl::Lease l(*m_impl);
        Stmt s(l.db(), "SELECT count(*), coalesce(max(rid), 0) FROM records WHERE kiosk_id = ?");
        s.bind(1, kioskId);
        s.step();
        return RecordStamp{static_cast<std::uint64_t>(s.int64(0)), s.int64(1)};
    });
}

}  // namespace ksync::backend
