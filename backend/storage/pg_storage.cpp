// BackendStorage on PostgreSQL 15 (libpq). Sections:
//   1. migrations (the same numbering as sqlite_storage.cpp)
//   2. a small libpq layer: errors, parameters, results, the connection pool, transactions
//   3. kiosks, tokens, nonces
//   4. records (ingest) and the audit's reads
//   5. status events, public reads, config
//   6. copy
#include "storage/pg_storage.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "clock/clock.hpp"
#include "record/record.hpp"
#include "storage/case_sql.hpp"
#include "storage/config_repair.hpp"
#include "storage/tokens.hpp"

namespace ksync::backend {

// ---- 1. migrations ---------------------------------------------------------------------------

namespace {

// Version N here holds the same tables as SQLite's version N. Append; never edit one that shipped.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE kiosks (
  kiosk_id     text PRIMARY KEY,
  public_key   text NOT NULL,
  enrolled_at  text NOT NULL,
  last_seen_at text NOT NULL DEFAULT '',
  heartbeat    text NOT NULL DEFAULT ''
);
CREATE TABLE enrol_tokens (
  token_hash text PRIMARY KEY,
  kiosk_id   text NOT NULL DEFAULT '',
  expires_ms bigint NOT NULL,
  used_at    text,
  used_by    text
);
CREATE TABLE staff_tokens (
  token_hash text PRIMARY KEY,
  name       text NOT NULL,
  created_at text NOT NULL
);
CREATE TABLE nonces (
  kiosk_id text NOT NULL,
  nonce    text NOT NULL,
  seen_ms  bigint NOT NULL,
  PRIMARY KEY (kiosk_id, nonce)
);
CREATE INDEX nonces_seen ON nonces (seen_ms);
-- No UNIQUE on (kiosk_id, sequence): a fork must be kept and flagged by the audit.
CREATE TABLE records (
  rid            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id             text NOT NULL UNIQUE,
  kiosk_id       text NOT NULL,
  sequence       bigint NOT NULL,
  tracking_code  text NOT NULL,
  type           text NOT NULL,
  category       text NOT NULL,
  channel        text NOT NULL,
  staff_assisted integer NOT NULL,
  language       text NOT NULL,
  created_at     text NOT NULL,
  clock_synced   integer NOT NULL,
  content_digest text NOT NULL,
  prev_hash      text NOT NULL,
  hash           text NOT NULL,
  payload_format text NOT NULL,
  content        bytea NOT NULL,
  intact         integer NOT NULL,
  received_at    text NOT NULL,
  status         text NOT NULL DEFAULT '',
  status_updated text NOT NULL DEFAULT ''
);
CREATE INDEX records_chain ON records (kiosk_id, sequence);
CREATE INDEX records_code ON records (tracking_code);
CREATE TABLE conflicts (
  id          text NOT NULL,
  kiosk_id    text NOT NULL,
  sequence    bigint NOT NULL,
  hash        text NOT NULL,
  received_at text NOT NULL,
  PRIMARY KEY (id, hash)
);
CREATE TABLE status_events (
  event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tracking_code text NOT NULL,
  kiosk_id      text NOT NULL,
  status        text NOT NULL,
  note          text NOT NULL DEFAULT '',
  agency        text NOT NULL DEFAULT '',
  officer       text NOT NULL DEFAULT '',
  expected_date text NOT NULL DEFAULT '',
  updated_at    text NOT NULL
);
CREATE INDEX status_by_kiosk ON status_events (kiosk_id, event_id);
CREATE INDEX status_by_code ON status_events (tracking_code, event_id);
CREATE TABLE config (
  id       integer PRIMARY KEY CHECK (id = 1),
  version  text NOT NULL,
  etag     text NOT NULL,
  document text NOT NULL
);
)sql";

constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE status_events ADD COLUMN event_uid text;
UPDATE status_events SET event_uid = replace(gen_random_uuid()::text, '-', '') WHERE event_uid IS NULL;
ALTER TABLE status_events ALTER COLUMN event_uid SET NOT NULL;
CREATE UNIQUE INDEX status_uid ON status_events (event_uid);
INSERT INTO backend_meta (key, value) VALUES ('backend_id', replace(gen_random_uuid()::text, '-', ''))
  ON CONFLICT (key) DO NOTHING;
CREATE TABLE copy_progress (
  source_id     text PRIMARY KEY,
  record_cursor bigint NOT NULL,
  event_cursor  bigint NOT NULL
);
CREATE INDEX records_category ON records (category, rid);
)sql";

// 3: Open311 filters by creation date, newest first (bench: a date window scanned half of
// 1,000,000 records through the primary key; with these and ORDER BY created_at it is < 2 ms).
constexpr std::string_view kMigration3 = R"sql(
CREATE INDEX records_created ON records (created_at);
CREATE INDEX records_category_created ON records (category, created_at);
)sql";

// 4: the officers' console (see sqlite_storage.cpp, migration 4).
constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE records ADD COLUMN ward text NOT NULL DEFAULT '',
  ADD COLUMN agency text NOT NULL DEFAULT '',
  ADD COLUMN deadline text NOT NULL DEFAULT '',
  ADD COLUMN search_text text NOT NULL DEFAULT '';
CREATE INDEX records_deadline ON records (deadline, rid);
CREATE INDEX records_ward_deadline ON records (ward, deadline, rid);
CREATE INDEX records_agency_deadline ON records (agency, deadline, rid);
CREATE TABLE console_users (
  name            text PRIMARY KEY,
  role            text NOT NULL,
  ward            text NOT NULL DEFAULT '',
  agency          text NOT NULL DEFAULT '',
  password_hash   text NOT NULL,
  disabled        boolean NOT NULL DEFAULT false,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until_ms bigint NOT NULL DEFAULT 0,
  created_at      text NOT NULL
);
CREATE TABLE console_sessions (
  token_hash text PRIMARY KEY,
  user_name  text NOT NULL,
  csrf       text NOT NULL,
  created_ms bigint NOT NULL,
  last_ms    bigint NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_name);
CREATE TABLE console_access_log (
  id            bigserial PRIMARY KEY,
  user_name     text NOT NULL,
  tracking_code text NOT NULL,
  what          text NOT NULL,
  at            text NOT NULL
);
CREATE TABLE case_notes (
  id            bigserial PRIMARY KEY,
  tracking_code text NOT NULL,
  user_name     text NOT NULL,
  note          text NOT NULL,
  at            text NOT NULL
);
CREATE INDEX case_notes_code ON case_notes (tracking_code, id);
)sql";

// 5: reply templates per category for the console's answers.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE reply_templates (
  id         bigserial PRIMARY KEY,
  category   text NOT NULL,
  title      text NOT NULL,
  body       text NOT NULL,
  updated_at text NOT NULL
);
CREATE INDEX reply_templates_category ON reply_templates (category, title);
)sql";

// 6 (issue #14): the residents' ratings, one row per case (the latest by the kiosk's clock),
// as in SQLite's migration 6.
constexpr std::string_view kMigration6 = R"sql(
CREATE TABLE case_ratings (
  tracking_code text PRIMARY KEY,
  rating        text NOT NULL,
  reopen        integer NOT NULL,
  rated_at      text NOT NULL,
  record_id     text NOT NULL
);
)sql";

// 7 (issue #14): a supplement's or rating's case, as in SQLite's migration 7.
constexpr std::string_view kMigration7 = R"sql(
ALTER TABLE records ADD COLUMN parent_code text NOT NULL DEFAULT '';
CREATE INDEX records_parent ON records (parent_code, created_at) WHERE parent_code <> '';
)sql";

// 8: the console at a city's scale (bench_console, 1,000,000 cases). Search is LIKE '%…%' on
// the folded text: a trigram GIN index (pg_trgm, shipped with the server package; a trusted
// extension, so the database owner may create it; migrate() checks it is available first).
// Each tab's keyset order (status, deadline, rid), also within a ward or an agency. The access
// log keeps an export's filter. ANALYZE: columns added by migrations have no statistics until
// autovacuum gets to them (bench: the case page's supplement lookup by the new parent_code took
// 9 ms instead of 0.05 without them).
constexpr std::string_view kMigration8 = R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX records_search_trgm ON records USING gin (search_text gin_trgm_ops);
CREATE INDEX records_status_deadline ON records (status, deadline, rid);
CREATE INDEX records_ward_status_deadline ON records (ward, status, deadline, rid);
CREATE INDEX records_agency_status_deadline ON records (agency, status, deadline, rid);
CREATE INDEX records_kiosk_rid ON records (kiosk_id, rid);
ALTER TABLE console_access_log ADD COLUMN detail text NOT NULL DEFAULT '';
ANALYZE records;
)sql";

// 9 (issue #13, admin pages): every config version saved from the console, with who and when.
// The served document stays in `config` (one row); this is its history.
constexpr std::string_view kMigration9 = R"sql(
CREATE TABLE config_versions (
  seq       bigint PRIMARY KEY,
  version   text NOT NULL UNIQUE,
  etag      text NOT NULL,
  saved_by  text NOT NULL,
  saved_at  text NOT NULL,
  note      text NOT NULL,
  document  text NOT NULL
);
)sql";

// 10 (issue #13): as SQLite's migration 10 — the SQL, then a C++ step in the same transaction
// repairing what config edits made before left behind (storage/config_repair.hpp).
constexpr std::string_view kMigration10 = R"sql(
CREATE INDEX console_users_agency ON console_users (agency);
)sql";
constexpr int kConfigRepairMigration = 10;

constexpr std::string_view kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4,
                                            kMigration5, kMigration6, kMigration7, kMigration8,
                                            kMigration9, kMigration10};
constexpr int kLatestSchema = static_cast<int>(std::size(kMigrations));

// Advisory lock keys (any constants; only this program takes them).
constexpr std::int64_t kMigrationLock = 0x6b696f736b01;  // "kiosk" 01
constexpr std::int64_t kEventLock = 0x6b696f736b02;

// ---- 2. the libpq layer -------------------------------------------------------------------------

// Thrown inside this file only; every public method turns it into a StorageError value.
struct PgFailure {
    std::string detail;
    bool transient = false;
};

// SQLSTATE classes that mean "try again": connection exceptions (08), serialization failures
// and deadlocks (40001, 40P01), statement timeout or cancel (57014), the server shutting down or
// starting (57P01-57P03), insufficient resources (53), lock not available (55P03).
bool transientState(std::string_view state) {
    return state.starts_with("08") || state.starts_with("53") || state == "40001" ||
           state == "40P01" || state == "57014" || state == "57P01" || state == "57P02" ||
           state == "57P03" || state == "55P03";
}

std::string oneLine(const char* msg) {
    std::string s = msg ? msg : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}

class Params {
public:
    Params& text(std::string_view v) {
        m_values.emplace_back(v);
        m_formats.push_back(0);
        m_null.push_back(false);
        return *this;
    }
    Params& bytes(std::string_view v) {
        m_values.emplace_back(v);
        m_formats.push_back(1);
        m_null.push_back(false);
        return *this;
    }
    Params& int64(std::int64_t v) { return text(std::to_string(v)); }
    Params& null() {
        m_values.emplace_back();
        m_formats.push_back(0);
        m_null.push_back(true);
        return *this;
    }
    Params& optText(const std::string& v) { return v.empty() ? null() : text(v); }
    int size() const { return static_cast<int>(m_values.size()); }

    // Pointers into m_values: valid until the next add.
    void prepare(std::vector<const char*>& values, std::vector<int>& lengths) const {
        values.clear();
        lengths.clear();
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            values.push_back(m_null[i] ? nullptr : m_values[i].data());
            lengths.push_back(static_cast<int>(m_values[i].size()));
        }
    }
    const int* formats() const { return m_formats.data(); }

private:
    std::vector<std::string> m_values;
    std::vector<int> m_formats;
    std::vector<bool> m_null;
};

class PgResult {
public:
    explicit PgResult(PGresult* r) : m_r(r) {}
    ~PgResult() { PQclear(m_r); }
    PgResult(PgResult&& o) noexcept : m_r(o.m_r) { o.m_r = nullptr; }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    int rows() const { return PQntuples(m_r); }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(m_r, row, col),
                           static_cast<std::size_t>(PQgetlength(m_r, row, col)));
    }
    bool isNull(int row, int col) const { return PQgetisnull(m_r, row, col) != 0; }
    std::int64_t int64(int row, int col) const {
        return std::strtoll(PQgetvalue(m_r, row, col), nullptr, 10);
    }
    // bytea in text form: "\x" then hex digits.
    std::string bytes(int row, int col) const {
        const char* v = PQgetvalue(m_r, row, col);
        const std::size_t n = static_cast<std::size_t>(PQgetlength(m_r, row, col));
        if (n < 2 || v[0] != '\\' || v[1] != 'x')
            throw PgFailure{"unexpected bytea encoding", false};
        auto nibble = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        std::string out;
        out.reserve((n - 2) / 2);
        for (std::size_t i = 2; i + 1 < n; i += 2) {
            const int hi = nibble(v[i]), lo = nibble(v[i + 1]);
            if (hi < 0 || lo < 0) throw PgFailure{"bad bytea hex", false};
            out += static_cast<char>(hi * 16 + lo);
        }
        return out;
    }
    std::int64_t affected() const { return std::strtoll(PQcmdTuples(m_r), nullptr, 10); }

private:
    PGresult* m_r;
};

class Conn {
public:
    explicit Conn(PGconn* c) : m_c(c) {}
    ~Conn() { PQfinish(m_c); }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    PGconn* handle() const { return m_c; }
    bool healthy() const {
        return PQstatus(m_c) == CONNECTION_OK && PQtransactionStatus(m_c) == PQTRANS_IDLE;
    }

    PgResult exec(const std::string& sql, const Params& p = Params{}) {
        std::vector<const char*> values;
        std::vector<int> lengths;
        p.prepare(values, lengths);
        PGresult* r = PQexecParams(m_c, sql.c_str(), p.size(), nullptr, values.data(),
                                   lengths.data(), p.formats(), 0);
        return check(r);
    }
    // Several statements without parameters (migrations, BEGIN; SET LOCAL ...).
    void script(const std::string& sql) { check(PQexec(m_c, sql.c_str())); }

    std::string literal(std::string_view v) {
        char* e = PQescapeLiteral(m_c, v.data(), v.size());
        if (!e) throw PgFailure{oneLine(PQerrorMessage(m_c)), PQstatus(m_c) != CONNECTION_OK};
        std::string out(e);
        PQfreemem(e);
        return out;
    }

private:
    PgResult check(PGresult* r) {
        const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgResult(r);
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        std::string detail = oneLine(r ? PQresultErrorMessage(r) : PQerrorMessage(m_c));
        if (detail.empty()) detail = oneLine(PQerrorMessage(m_c));
        const bool lost = PQstatus(m_c) != CONNECTION_OK;
        const bool transient = lost || (state && transientState(state));
        // Only the SQLSTATE and the server's message: statements carry parameters separately,
        // so no record content or contact ends up in an error text.
        if (state) detail = std::string("SQLSTATE ") + state + ": " + detail;
        PQclear(r);
        throw PgFailure{detail.empty() ? "connection lost" : detail, transient};
    }

    PGconn* m_c;
};

// BEGIN ... COMMIT; rolls back in the destructor unless committed.
class Tx {
public:
    explicit Tx(Conn& c) : m_c(c) { m_c.script("BEGIN"); }
    ~Tx() {
        if (!m_done) PQclear(PQexec(m_c.handle(), "ROLLBACK"));
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
        m_c.script("COMMIT");
        m_done = true;
    }

private:
    Conn& m_c;
    bool m_done = false;
};

std::string nowUtc() {
    return platform::clock::formatUtc(platform::clock::now());
}
std::string utcOf(std::int64_t ms) {
    return platform::clock::formatUtc(platform::clock::fromUnixMillis(ms));
}

std::unique_ptr<Conn> connect(const std::string& uri, const OpenOptions& o) {
    // Later keywords override what the URI says (expand_dbname = 1).
    const std::string timeout = std::to_string(std::max(1, o.connectTimeoutS));
    const std::string options = "-c statement_timeout=" + std::to_string(o.statementTimeoutMs) +
                                " -c lock_timeout=" + std::to_string(o.statementTimeoutMs) +
                                " -c idle_in_transaction_session_timeout=60000 -c "
                                "client_encoding=UTF8 -c client_min_messages=warning";
    const char* keys[] = {"dbname", "connect_timeout", "options", "fallback_application_name",
                          nullptr};
    const char* vals[] = {uri.c_str(), timeout.c_str(), options.c_str(), "kiosk-backend", nullptr};
    PGconn* c = PQconnectdbParams(keys, vals, 1);
    if (!c) throw PgFailure{"out of memory", true};
    if (PQstatus(c) != CONNECTION_OK) {
        std::string msg = oneLine(PQerrorMessage(c));
        PQfinish(c);
        // Refused credentials or a missing database will not fix themselves; a server that is
        // down or restarting will.
        const bool permanent = msg.find("authentication") != std::string::npos ||
                               msg.find("password") != std::string::npos ||
                               (msg.find("database") != std::string::npos &&
                                msg.find("does not exist") != std::string::npos) ||
                               (msg.find("role") != std::string::npos &&
                                msg.find("does not exist") != std::string::npos);
        throw PgFailure{"cannot connect to PostgreSQL: " + msg, !permanent};
    }
    return std::make_unique<Conn>(c);
}

constexpr std::string_view kRecordColumns =
    "id, kiosk_id, sequence, tracking_code, type, category, channel, staff_assisted, language, "
    "created_at, "
    "clock_synced, content_digest, prev_hash, hash, payload_format, content, intact, received_at";
constexpr int kRecordColumnCount = 18;

constexpr std::string_view kEventColumns =
    "event_id, tracking_code, status, note, agency, officer, expected_date, updated_at, event_uid, "
    "kiosk_id";

constexpr std::string_view kPublicColumns =
    "tracking_code, kiosk_id, type, category, created_at, received_at";

StoredRecord readRecord(const PgResult& r, int row) {
    StoredRecord s;
    auto& h = s.header;
    h.id = r.text(row, 0);
    h.kioskId = r.text(row, 1);
    h.sequence = static_cast<std::uint64_t>(r.int64(row, 2));
    h.trackingCode = r.text(row, 3);
    h.type = record::parseRecordType(r.text(row, 4)).value_or(record::RecordType::Pakn);
    h.category = r.text(row, 5);
    h.channel = record::parseChannel(r.text(row, 6)).value_or(record::Channel::Kiosk);
    h.staffAssisted = r.int64(row, 7) != 0;
    h.language = r.text(row, 8);
    h.createdAt = r.text(row, 9);
    h.clockSynced = r.int64(row, 10) != 0;
    h.contentDigest = r.text(row, 11);
    h.prevHash = r.text(row, 12);
    h.hash = r.text(row, 13);
    s.payloadFormat = r.text(row, 14);
    s.content = r.bytes(row, 15);
    s.intact = r.int64(row, 16) != 0;
    s.receivedAt = r.text(row, 17);
    return s;
}

StatusEvent readEvent(const PgResult& r, int row) {
    StatusEvent e;
    e.eventId = r.int64(row, 0);
    e.trackingCode = r.text(row, 1);
    e.status = r.text(row, 2);
    e.note = r.text(row, 3);
    e.agency = r.text(row, 4);
    e.officer = r.text(row, 5);
    e.expectedDate = r.text(row, 6);
    e.updatedAt = r.text(row, 7);
    e.uid = r.text(row, 8);
    e.kioskId = r.text(row, 9);
    return e;
}

void addRecordParams(Params& p, const record::Header& h, const std::string& format,
                     const std::string& content, bool intact, const std::string& receivedAt) {
    p.text(h.id).text(h.kioskId).int64(static_cast<std::int64_t>(h.sequence)).text(h.trackingCode);
    p.text(record::typeCode(h.type)).text(h.category).text(record::channelCode(h.channel));
    p.int64(h.staffAssisted ? 1 : 0)
        .text(h.language)
        .text(h.createdAt)
        .int64(h.clockSynced ? 1 : 0);
    p.text(h.contentDigest)
        .text(h.prevHash)
        .text(h.hash)
        .text(format)
        .bytes(content)
        .int64(intact ? 1 : 0);
    p.text(receivedAt);
}

// "INSERT INTO records (...) VALUES ($1..$18),($19..$36),... ON CONFLICT (id) DO NOTHING RETURNING
// id"
std::string multiInsertSql(std::size_t rows) {
    std::string sql = "INSERT INTO records (" + std::string(kRecordColumns) + ") VALUES ";
    int n = 1;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ",(" : "(";
        for (int c = 0; c < kRecordColumnCount; ++c) {
            if (c) sql += ',';
            sql += '$' + std::to_string(n++);
            if (c == 15) sql += "::bytea";
        }
        sql += ')';
    }
    sql += " ON CONFLICT (id) DO NOTHING RETURNING id";
    return sql;
}

// A text[] literal: {"a","b"} with quotes and backslashes escaped.
std::string textArray(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

// Postgres limits one statement to 65,535 parameters; batches are split well below that.
constexpr std::size_t kRowsPerInsert = 500;

}  // namespace

struct PgStorage::Impl {
    std::string uri;
    OpenOptions options;
    std::mutex mutex;
    std::condition_variable freed;
    std::vector<std::unique_ptr<Conn>> idle;
    int open = 0;  // connections in use or idle
    std::atomic<std::uint64_t> nonceCalls{0};

    // A connection for the calling thread until the lease ends. Waits up to poolWaitMs for one.
    class Lease {
    public:
        explicit Lease(Impl& impl) : m_impl(impl) {
            std::unique_lock lock(impl.mutex);
            const auto deadline = std::chrono::steady_clock::now() +
                                  std::chrono::milliseconds(impl.options.poolWaitMs);
            while (impl.idle.empty() && impl.open >= impl.options.poolSize) {
                if (impl.freed.wait_until(lock, deadline) == std::cv_status::timeout &&
                    impl.idle.empty() && impl.open >= impl.options.poolSize)
                    throw PgFailure{"connection pool exhausted", true};
            }
            if (!impl.idle.empty()) {
                m_conn = std::move(impl.idle.back());
                impl.idle.pop_back();
                return;
            }
            ++impl.open;
            lock.unlock();
            try {
                m_conn = connect(impl.uri, impl.options);
            } catch (...) {
                std::lock_guard again(impl.mutex);
                --impl.open;
                impl.freed.notify_one();
                throw;
            }
        }
        ~Lease() {
            // A broken connection (server restarted) or one left inside a transaction is closed:
            // the next request opens a fresh one.
            const bool keep = m_conn && m_conn->healthy();
            const bool lost = m_conn && PQstatus(m_conn->handle()) != CONNECTION_OK;
            std::vector<std::unique_ptr<Conn>> drop;
            {
                std::lock_guard lock(m_impl.mutex);
                if (keep) {
                    m_impl.idle.push_back(std::move(m_conn));
                } else {
                    drop.push_back(std::move(m_conn));
                    --m_impl.open;
                }
                // A lost connection usually means the server restarted: the idle ones are dead
                // too, and each would cost one more failed request before being noticed.
                if (lost) {
                    m_impl.open -= static_cast<int>(m_impl.idle.size());
                    for (auto& c : m_impl.idle) drop.push_back(std::move(c));
                    m_impl.idle.clear();
                }
            }
            m_impl.freed.notify_one();
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Conn& conn() { return *m_conn; }

    private:
        Impl& m_impl;
        std::unique_ptr<Conn> m_conn;
    };

    template <class F>
    auto run(F&& f) -> Result<std::invoke_result_t<F, Conn&>> {
        try {
            Lease l(*this);
            if constexpr (std::is_void_v<std::invoke_result_t<F, Conn&>>) {
                f(l.conn());
                return {};
            } else {
                return f(l.conn());
            }
        } catch (const PgFailure& e) {
            return std::unexpected(StorageError{e.detail, e.transient});
        }
    }
};

int pgLatestSchema() {
    return kLatestSchema;
}

namespace {

int readSchemaVersion(Conn& c) {
    auto t = c.exec("SELECT to_regclass('backend_meta') IS NOT NULL");
    if (t.text(0, 0) != "t") return 0;
    auto v = c.exec("SELECT value FROM backend_meta WHERE key = 'schema_version'");
    return v.rows() ? static_cast<int>(std::strtol(v.text(0, 0).c_str(), nullptr, 10)) : 0;
}

std::string newerMessage(int have) {
    return "the database schema version " + std::to_string(have) +
           " is newer than this kiosk-backend knows (" + std::to_string(kLatestSchema) +
           "); upgrade kiosk-backend";
}

// Migration 10's C++ step (see kMigration10).
void repairFromConfigHistory(Conn& c) {
    std::vector<std::string> history;
    auto h = c.exec("SELECT document FROM config_versions ORDER BY seq", Params{});
    for (int i = 0; i < h.rows(); ++i) history.push_back(h.text(i, 0));
    auto cur = c.exec("SELECT document FROM config WHERE id = 1", Params{});
    const std::string served = cur.rows() ? cur.text(0, 0) : std::string{};
    const ConfigRepair fix = configRepair(history, served);
    for (const auto& [from, to] : fix.agencyRenames) {
        c.exec("UPDATE records SET agency = $1 WHERE agency = $2", Params{}.text(to).text(from));
        c.exec("UPDATE console_users SET agency = $1 WHERE agency = $2",
               Params{}.text(to).text(from));
    }
    for (const auto& [kiosk, ward] : fix.kioskWards)
        c.exec(std::string("UPDATE records SET ward = $1 WHERE kiosk_id = $2 AND ward = '' AND "
                           "parent_code = '' AND ") +
                   std::string(kNotAddition),
               Params{}.text(ward).text(kiosk));
}

void migrate(Conn& c) {
    // Several processes may start at once: one migrates, the others wait and then find nothing to
    // do.
    c.exec("SELECT pg_advisory_lock($1)", Params{}.int64(kMigrationLock));
    struct Unlock {
        Conn& c;
        ~Unlock() {
            try {
                c.exec("SELECT pg_advisory_unlock($1)", Params{}.int64(kMigrationLock));
            } catch (const PgFailure&) {
                // The lock goes with the session if the connection broke.
            }
        }
    } unlock{c};
    c.script("CREATE TABLE IF NOT EXISTS backend_meta (key text PRIMARY KEY, value text NOT NULL)");
    const int have = readSchemaVersion(c);
    // A migration may build an index over every record (minutes at 1,000,000): no statement
    // timeout while migrating; RESET gives the connection's own back afterwards.
    struct NoTimeout {
        Conn& c;
        bool set = false;
        ~NoTimeout() {
            if (!set) return;
            try {
                c.script("RESET statement_timeout; RESET lock_timeout");
            } catch (const PgFailure&) {
                // A broken connection is dropped by the pool anyway.
            }
        }
    } noTimeout{c};
    if (have < kLatestSchema) {
        c.script("SET statement_timeout = 0; SET lock_timeout = 0");
        noTimeout.set = true;
    }
    if (have > kLatestSchema) throw PgFailure{newerMessage(have), false};
    for (int i = have; i < kLatestSchema; ++i) {
        if (kMigrations[i].find("CREATE EXTENSION IF NOT EXISTS pg_trgm") !=
                std::string_view::npos &&
            c.exec("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").rows() == 0)
            throw PgFailure{
                "migration " + std::to_string(i + 1) +
                    " needs the PostgreSQL extension pg_trgm (the console's search index), which "
                    "this server does not have: install the server's contrib modules (Debian: "
                    "postgresql-15 ships it; other builds: postgresql-contrib) and run "
                    "kiosk-backend migrate again",
                false};
        Tx tx(c);
        c.script(std::string(kMigrations[i]));
        if (i + 1 == kConfigRepairMigration) repairFromConfigHistory(c);
        c.exec(
            "INSERT INTO backend_meta (key, value) VALUES ('schema_version', $1) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            Params{}.int64(i + 1));
        tx.commit();
    }
}

}  // namespace

PgStorage::PgStorage(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PgStorage::~PgStorage() = default;

Result<std::unique_ptr<PgStorage>> PgStorage::open(const std::string& uri,
                                                   const OpenOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->uri = uri;
    impl->options = options;
    impl->options.poolSize = std::max(1, options.poolSize);
    try {
        auto c = connect(uri, impl->options);
        if (options.migrate) {
            migrate(*c);
        } else {
            const int have = readSchemaVersion(*c);
            if (have > kLatestSchema) throw PgFailure{newerMessage(have), false};
            if (have < kLatestSchema)
                throw PgFailure{"the database schema is at version " + std::to_string(have) +
                                    " of " + std::to_string(kLatestSchema) +
                                    ": run kiosk-backend migrate",
                                false};
        }
        impl->idle.push_back(std::move(c));
        impl->open = 1;
    } catch (const PgFailure& e) {
        return std::unexpected(StorageError{e.detail, e.transient});
    }
    return std::unique_ptr<PgStorage>(new PgStorage(std::move(impl)));
}

Result<SchemaInfo> PgStorage::schema() {
    return m_impl->run([](Conn& c) {
        SchemaInfo info;
        info.kind = "postgresql";
        info.latest = kLatestSchema;
        info.version = readSchemaVersion(c);
        auto id = c.exec("SELECT value FROM backend_meta WHERE key = 'backend_id'");
        if (id.rows()) info.backendId = id.text(0, 0);
        return info;
    });
}

// ---- 3. kiosks, tokens, nonces
// -------------------------------------------------------------------

Result<std::string> PgStorage::issueEnrolToken(const std::string& kioskId, std::int64_t expiresMs) {
    return m_impl->run([&](Conn& c) {
        const std::string token = newToken();
        c.exec("INSERT INTO enrol_tokens (token_hash, kiosk_id, expires_ms) VALUES ($1, $2, $3)",
               Params{}.text(tokenHash(token)).text(kioskId).int64(expiresMs));
        return token;
    });
}

Result<EnrolOutcome> PgStorage::enrol(const std::string& token, const std::string& kioskId,
                                      const std::string& publicKey, std::int64_t nowMs) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        // FOR UPDATE: two processes enrolling with one token at once take turns.
        auto t = c.exec(
            "SELECT kiosk_id, expires_ms, used_at IS NOT NULL, COALESCE(used_by, '') FROM "
            "enrol_tokens "
            "WHERE token_hash = $1 FOR UPDATE",
            Params{}.text(tokenHash(token)));
        if (t.rows() == 0) return EnrolOutcome::BadToken;
        const std::string boundTo = t.text(0, 0);
        auto k =
            c.exec("SELECT public_key FROM kiosks WHERE kiosk_id = $1", Params{}.text(kioskId));
        if (t.text(0, 2) == "t") {
            // Used already: the same kiosk with the same key is a retry whose reply was lost.
            if (t.text(0, 3) != kioskId || k.rows() == 0) return EnrolOutcome::BadToken;
            return k.text(0, 0) == publicKey ? EnrolOutcome::Enrolled : EnrolOutcome::KeyMismatch;
        }
        if (t.int64(0, 1) < nowMs || (!boundTo.empty() && boundTo != kioskId))
            return EnrolOutcome::BadToken;
        // Re-enrolling with a new key needs the operator to remove the old one first.
        if (k.rows() && k.text(0, 0) != publicKey) return EnrolOutcome::KeyMismatch;
        c.exec(
            "INSERT INTO kiosks (kiosk_id, public_key, enrolled_at) VALUES ($1, $2, $3) ON "
            "CONFLICT (kiosk_id) DO NOTHING",
            Params{}.text(kioskId).text(publicKey).text(nowUtc()));
        c.exec("UPDATE enrol_tokens SET used_at = $1, used_by = $2 WHERE token_hash = $3",
               Params{}.text(nowUtc()).text(kioskId).text(tokenHash(token)));
        tx.commit();
        return EnrolOutcome::Enrolled;
    });
}

Result<std::optional<std::string>> PgStorage::kioskPublicKey(const std::string& kioskId) {
    return m_impl->run([&](Conn& c) -> std::optional<std::string> {
        auto r =
            c.exec("SELECT public_key FROM kiosks WHERE kiosk_id = $1", Params{}.text(kioskId));
        if (!r.rows()) return std::nullopt;
        return r.text(0, 0);
    });
}

Result<std::vector<KioskRow>> PgStorage::kiosks() {
    return m_impl->run([](Conn& c) {
        auto r = c.exec(
            "SELECT kiosk_id, public_key, enrolled_at, last_seen_at, heartbeat FROM kiosks ORDER "
            "BY kiosk_id");
        std::vector<KioskRow> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
        return out;
    });
}

Result<void> PgStorage::recordHeartbeat(const std::string& kioskId, const std::string& json,
                                        std::int64_t nowMs) {
    return m_impl->run([&](Conn& c) {
        c.exec("UPDATE kiosks SET last_seen_at = $1, heartbeat = $2 WHERE kiosk_id = $3",
               Params{}.text(utcOf(nowMs)).text(json).text(kioskId));
    });
}

Result<std::string> PgStorage::issueStaffToken(const std::string& name) {
    return m_impl->run([&](Conn& c) {
        const std::string token = newToken();
        c.exec("INSERT INTO staff_tokens (token_hash, name, created_at) VALUES ($1, $2, $3)",
               Params{}.text(tokenHash(token)).text(name).text(nowUtc()));
        return token;
    });
}

Result<std::optional<std::string>> PgStorage::staffTokenName(const std::string& token) {
    return m_impl->run([&](Conn& c) -> std::optional<std::string> {
        auto r = c.exec("SELECT name FROM staff_tokens WHERE token_hash = $1",
                        Params{}.text(tokenHash(token)));
        if (!r.rows()) return std::nullopt;
        return r.text(0, 0);
    });
}

Result<bool> PgStorage::useNonce(const std::string& kioskId, const std::string& nonce,
                                 std::int64_t nowMs) {
    return m_impl->run([&](Conn& c) {
        // Nonces older than twice the accepted clock skew cannot be replayed any more (their
        // timestamp is refused first), so they are forgotten now and then.
        if (m_impl->nonceCalls.fetch_add(1) % 1000 == 0)
            c.exec("DELETE FROM nonces WHERE seen_ms < $1",
                   Params{}.int64(nowMs - 2 * proto::kMaxClockSkewMs));
        // One round trip; the insert commits durably (a nonce lost in a crash would let a
        // captured request be replayed within the skew window).
        auto r = c.exec(
            "WITH ins AS (INSERT INTO nonces (kiosk_id, nonce, seen_ms) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM ins",
            Params{}.text(kioskId).text(nonce).int64(nowMs));
        return r.int64(0, 0) == 1;
    });
}

// ---- 4. records
// ------------------------------------------------------------------------------------

namespace {

// Inserts `items` (header, format, content, intact, received_at) in one statement per chunk and
// reports for each whether it was created. Items with an id already present (or repeated in
// the same batch) are not created.
template <class Item, class Get>
std::vector<bool> insertRecords(Conn& c, std::span<const Item> items, Get&& get) {
    std::vector<bool> created(items.size(), false);
    for (std::size_t start = 0; start < items.size(); start += kRowsPerInsert) {
        const std::size_t n = std::min(kRowsPerInsert, items.size() - start);
        Params p;
        for (std::size_t i = start; i < start + n; ++i) {
            const auto& [h, format, content, intact, receivedAt] = get(items[i]);
            addRecordParams(p, h, format, content, intact, receivedAt);
        }
        auto r = c.exec(multiInsertSql(n), p);
        std::unordered_set<std::string> ids;
        for (int i = 0; i < r.rows(); ++i) ids.insert(r.text(i, 0));
        for (std::size_t i = start; i < start + n; ++i) {
            auto it = ids.find(std::get<0>(get(items[i])).id);
            if (it != ids.end()) {
                created[i] = true;
                ids.erase(it);  // a second copy of the id in this batch is not "created"
            }
        }
    }
    return created;
}

std::unordered_map<std::string, std::string> storedHashes(Conn& c,
                                                          const std::vector<std::string>& ids) {
    std::unordered_map<std::string, std::string> out;
    if (ids.empty()) return out;
    auto r = c.exec("SELECT id, hash FROM records WHERE id = ANY($1::text[])",
                    Params{}.text(textArray(ids)));
    for (int i = 0; i < r.rows(); ++i) out.emplace(r.text(i, 0), r.text(i, 1));
    return out;
}

void insertConflict(Conn& c, const ConflictRow& k) {
    c.exec(
        "INSERT INTO conflicts (id, kiosk_id, sequence, hash, received_at) VALUES ($1,$2,$3,$4,$5) "
        "ON CONFLICT DO NOTHING",
        Params{}
            .text(k.id)
            .text(k.kioskId)
            .int64(static_cast<std::int64_t>(k.sequence))
            .text(k.hash)
            .text(k.receivedAt));
}

}  // namespace

namespace {

// A status event for the case with this code, inside the caller's transaction, which holds the
// event lock; false when there is no such case.
bool insertEvent(Conn& c, const StatusEvent& e) {
    auto f = c.exec("SELECT kiosk_id FROM records WHERE tracking_code = $1 ORDER BY rid LIMIT 1",
                    Params{}.text(e.trackingCode));
    if (!f.rows()) return false;
    const std::string kiosk = f.text(0, 0);
    c.exec(
        "INSERT INTO status_events (tracking_code, kiosk_id, status, note, agency, officer, "
        "expected_date, updated_at, "
        "event_uid) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        Params{}
            .text(e.trackingCode)
            .text(kiosk)
            .text(e.status)
            .text(e.note)
            .text(e.agency)
            .text(e.officer)
            .text(e.expectedDate)
            .text(e.updatedAt)
            .text(e.uid.empty() ? record::newSaltHex() : e.uid));
    c.exec(
        "UPDATE records SET status = $1, status_updated = $2, agency = CASE WHEN $4 <> '' THEN $4 "
        "ELSE agency END, "
        "deadline = CASE WHEN $5 <> '' THEN $5 ELSE deadline END WHERE tracking_code = $3",
        Params{}
            .text(e.status)
            .text(e.updatedAt)
            .text(e.trackingCode)
            .text(e.agency)
            .text(e.expectedDate));
    return true;
}

}  // namespace

Result<std::vector<IngestResult>> PgStorage::ingest(std::span<const IngestItem> items,
                                                    std::int64_t nowMs) {
    return m_impl->run([&](Conn& c) {
        const std::string at = utcOf(nowMs);
        std::vector<IngestResult> out(items.size());
        if (items.empty()) return out;
        Tx tx(c);
        // Insert-or-nothing on the unique id is the whole deduplication: a concurrent request
        // with the same records waits for this one's row locks, then inserts nothing.
        const auto created = insertRecords(c, items, [&](const IngestItem& it) {
            return std::tuple<const record::Header&, const std::string&, const std::string&, bool,
                              const std::string&>(it.header, it.payloadFormat, it.content,
                                                  it.intact, at);
        });
        // Issue #14: what a new supplement or rating changes on its case, in this transaction.
        bool locked = false;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!created[i]) continue;
            if (const auto& e = items[i].caseEvent) {
                if (!locked) c.exec("SELECT pg_advisory_xact_lock($1)", Params{}.int64(kEventLock));
                locked = true;
                insertEvent(c, *e);
            }
            if (const auto& r = items[i].caseRating)
                c.exec(
                    "INSERT INTO case_ratings (tracking_code, rating, reopen, rated_at, record_id) "
                    "VALUES ($1,$2,$3,$4,$5) ON CONFLICT (tracking_code) DO UPDATE SET rating = "
                    "excluded.rating, "
                    "reopen = excluded.reopen, rated_at = excluded.rated_at, record_id = "
                    "excluded.record_id "
                    "WHERE (excluded.rated_at, excluded.record_id) > (case_ratings.rated_at, "
                    "case_ratings.record_id)",
                    Params{}
                        .text(r->trackingCode)
                        .text(r->rating)
                        .int64(r->reopen ? 1 : 0)
                        .text(r->ratedAt)
                        .text(r->recordId));
        }
        std::vector<std::string> others;
        for (std::size_t i = 0; i < items.size(); ++i)
            if (!created[i]) others.push_back(items[i].header.id);
        const auto hashes = storedHashes(c, others);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (created[i]) continue;
            const auto& h = items[i].header;
            auto it = hashes.find(h.id);
            if (it != hashes.end() && it->second == h.hash) {
                out[i] = {proto::ItemResult::Duplicate, {}};
            } else {
                insertConflict(c, {h.id, h.kioskId, h.sequence, h.hash, at});
                out[i] = {proto::ItemResult::Conflict, "same_id_different_hash"};
            }
        }
        tx.commit();
        return out;
    });
}

Result<std::optional<StoredRecord>> PgStorage::recordById(const std::string& id) {
    return m_impl->run([&](Conn& c) -> std::optional<StoredRecord> {
        auto r = c.exec("SELECT " + std::string(kRecordColumns) + " FROM records WHERE id = $1",
                        Params{}.text(id));
        if (!r.rows()) return std::nullopt;
        return readRecord(r, 0);
    });
}

Result<std::uint64_t> PgStorage::recordCount() {
    return m_impl->run([](Conn& c) {
        return static_cast<std::uint64_t>(c.exec("SELECT count(*) FROM records").int64(0, 0));
    });
}

Result<std::vector<StoredRecord>> PgStorage::kioskRecords(const std::string& kioskId) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec("SELECT " + std::string(kRecordColumns) +
                            " FROM records WHERE kiosk_id = $1 ORDER BY sequence, rid",
                        Params{}.text(kioskId));
        std::vector<StoredRecord> out;
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) out.push_back(readRecord(r, i));
        return out;
    });
}

Result<std::vector<std::string>> PgStorage::kioskIdsWithRecords() {
    return m_impl->run([](Conn& c) {
        auto r = c.exec("SELECT DISTINCT kiosk_id FROM records ORDER BY kiosk_id");
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
        return out;
    });
}

Result<std::vector<ConflictRow>> PgStorage::conflicts(const std::string& kioskId) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "SELECT id, kiosk_id, sequence, hash, received_at FROM conflicts WHERE kiosk_id = $1 "
            "ORDER BY sequence",
            Params{}.text(kioskId));
        std::vector<ConflictRow> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), static_cast<std::uint64_t>(r.int64(i, 2)),
                           r.text(i, 3), r.text(i, 4)});
        return out;
    });
}

// ---- 5. status events, public reads, config
// ------------------------------------------------------

Result<bool> PgStorage::addStatus(const StatusEvent& e) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        // Event ids must commit in order, or a kiosk that pulled up to id N could later miss an
        // event N-1 that committed after its pull. Status updates are officers' actions (few per
        // second), so one lock for all of them costs nothing.
        c.exec("SELECT pg_advisory_xact_lock($1)", Params{}.int64(kEventLock));
        if (!insertEvent(c, e)) return false;
        tx.commit();
        return true;
    });
}

Result<std::optional<StoredRecord>> PgStorage::caseRecordByCode(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) -> std::optional<StoredRecord> {
        auto r = c.exec("SELECT " + std::string(kRecordColumns) +
                            " FROM records WHERE tracking_code = $1 AND category NOT IN "
                            "('supplement', 'rating') "
                            "ORDER BY rid LIMIT 1",
                        Params{}.text(trackingCode));
        if (!r.rows()) return std::nullopt;
        return readRecord(r, 0);
    });
}

Result<std::optional<CaseRating>> PgStorage::caseRating(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) -> std::optional<CaseRating> {
        auto r = c.exec(
            "SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings WHERE "
            "tracking_code = $1",
            Params{}.text(trackingCode));
        if (!r.rows()) return std::nullopt;
        return CaseRating{r.text(0, 0), r.text(0, 1), r.int64(0, 2) != 0, r.text(0, 3),
                          r.text(0, 4)};
    });
}

namespace {

std::vector<CaseRating> readRatings(const PgResult& r) {
    std::vector<CaseRating> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(
            CaseRating{r.text(i, 0), r.text(i, 1), r.int64(i, 2) != 0, r.text(i, 3), r.text(i, 4)});
    return out;
}

}  // namespace

Result<std::vector<StoredRecord>> PgStorage::caseAdditions(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec("SELECT " + std::string(kRecordColumns) +
                            " FROM records WHERE parent_code = $1 AND parent_code <> '' ORDER BY "
                            "created_at, rid",
                        Params{}.text(trackingCode));
        std::vector<StoredRecord> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readRecord(r, i));
        return out;
    });
}

Result<std::vector<StoredRecord>> PgStorage::unlinkedAdditions() {
    return m_impl->run([&](Conn& c) {
        auto r =
            c.exec("SELECT " + std::string(kRecordColumns) +
                   " FROM records WHERE category IN ('supplement', 'rating') AND parent_code = "
                   "'' ORDER BY rid");
        std::vector<StoredRecord> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readRecord(r, i));
        return out;
    });
}

Result<std::vector<CaseRating>> PgStorage::caseRatingsOf(const std::vector<std::string>& codes) {
    return m_impl->run([&](Conn& c) {
        if (codes.empty()) return std::vector<CaseRating>{};
        return readRatings(
            c.exec("SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings "
                   "WHERE tracking_code = ANY($1::text[]) ORDER BY tracking_code",
                   Params{}.text(textArray(codes))));
    });
}

Result<std::vector<CaseRating>> PgStorage::allCaseRatings() {
    return m_impl->run([&](Conn& c) {
        return readRatings(
            c.exec("SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings "
                   "ORDER BY tracking_code"));
    });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> PgStorage::ratingCounts() {
    return m_impl->run([](Conn& c) {
        std::vector<std::pair<std::string, std::int64_t>> out;
        auto r =
            c.exec("SELECT rating, count(*) FROM case_ratings GROUP BY rating ORDER BY rating");
        for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.int64(i, 1));
        out.emplace_back("reopen",
                         c.exec("SELECT count(*) FROM case_ratings WHERE reopen = 1").int64(0, 0));
        return out;
    });
}

Result<std::vector<StatusEvent>> PgStorage::statusSince(const std::string& kioskId,
                                                        std::int64_t cursor, std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r =
            c.exec("SELECT " + std::string(kEventColumns) +
                       " FROM status_events WHERE kiosk_id = $1 AND event_id > $2 ORDER BY "
                       "event_id LIMIT $3",
                   Params{}.text(kioskId).int64(cursor).int64(static_cast<std::int64_t>(limit)));
        std::vector<StatusEvent> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readEvent(r, i));
        return out;
    });
}

namespace {

PublicRecord readPublic(const PgResult& r, int row) {
    PublicRecord p;
    p.trackingCode = r.text(row, 0);
    p.kioskId = r.text(row, 1);
    p.type = record::parseRecordType(r.text(row, 2)).value_or(record::RecordType::Pakn);
    p.category = r.text(row, 3);
    p.createdAt = r.text(row, 4);
    p.receivedAt = r.text(row, 5);
    return p;
}

// The timelines of `records` in one query.
void attachEvents(Conn& c, std::vector<PublicRecord>& records) {
    if (records.empty()) return;
    std::vector<std::string> codes;
    for (const auto& p : records) codes.push_back(p.trackingCode);
    auto r =
        c.exec("SELECT " + std::string(kEventColumns) +
                   " FROM status_events WHERE tracking_code = ANY($1::text[]) ORDER BY event_id",
               Params{}.text(textArray(codes)));
    std::unordered_map<std::string, std::vector<StatusEvent>> by;
    for (int i = 0; i < r.rows(); ++i) {
        auto e = readEvent(r, i);
        by[e.trackingCode].push_back(std::move(e));
    }
    for (auto& p : records)
        if (auto it = by.find(p.trackingCode); it != by.end()) p.events = it->second;
}

}  // namespace

Result<std::optional<PublicRecord>> PgStorage::publicRecord(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) -> std::optional<PublicRecord> {
        auto r = c.exec("SELECT " + std::string(kPublicColumns) +
                            " FROM records WHERE tracking_code = $1 AND category NOT IN "
                            "('supplement', 'rating') ORDER BY rid LIMIT 1",
                        Params{}.text(trackingCode));
        if (!r.rows()) return std::nullopt;
        std::vector<PublicRecord> one{readPublic(r, 0)};
        attachEvents(c, one);
        return one.front();
    });
}

Result<std::vector<PublicRecord>> PgStorage::publicRecords(const RequestFilter& f) {
    return m_impl->run([&](Conn& c) {
        // Values are always parameters; only fixed SQL fragments are chosen here.
        std::string sql = "SELECT " + std::string(kPublicColumns) +
                          " FROM records WHERE category NOT IN ('supplement', 'rating')";
        Params p;
        int n = 0;
        auto param = [&](const std::string& v) {
            p.text(v);
            return "$" + std::to_string(++n);
        };
        if (!f.serviceCode.empty()) sql += " AND category = " + param(f.serviceCode);
        if (f.status == "closed")
            sql += " AND status IN ('answered','closed','rejected','duplicate')";
        if (f.status == "open")
            sql += " AND status NOT IN ('answered','closed','rejected','duplicate')";
        if (!f.startDate.empty()) sql += " AND created_at >= " + param(f.startDate);
        if (!f.endDate.empty()) sql += " AND created_at < " + param(f.endDate);
        sql += " ORDER BY created_at DESC, rid DESC LIMIT " + param(std::to_string(f.limit)) +
               "::bigint";
        auto r = c.exec(sql, p);
        std::vector<PublicRecord> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readPublic(r, i));
        attachEvents(c, out);
        return out;
    });
}

Result<std::optional<ConfigDocument>> PgStorage::config() {
    return m_impl->run([](Conn& c) -> std::optional<ConfigDocument> {
        auto r = c.exec("SELECT version, etag, document FROM config WHERE id = 1");
        if (!r.rows()) return std::nullopt;
        return ConfigDocument{r.text(0, 0), r.text(0, 1), r.text(0, 2)};
    });
}

Result<void> PgStorage::setConfig(const ConfigDocument& d) {
    return m_impl->run([&](Conn& c) {
        c.exec(
            "INSERT INTO config (id, version, etag, document) VALUES (1, $1, $2, $3) ON CONFLICT "
            "(id) DO UPDATE SET "
            "version = excluded.version, etag = excluded.etag, document = excluded.document",
            Params{}.text(d.version).text(d.etag).text(d.document));
    });
}

Result<ConfigSaved> PgStorage::saveConfigVersionWith(const ConfigDocument& d,
                                                     const std::string& expectedVersion,
                                                     const ConfigVersionRow& row,
                                                     const ConfigEffects& effects) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        ConfigSaved out;
        // The config row (or, before the first save, the history table) is locked so two
        // saves at once are serialised: the second one sees the first one's version.
        c.exec("LOCK TABLE config_versions IN EXCLUSIVE MODE", Params{});
        auto cur = c.exec("SELECT version FROM config WHERE id = 1", Params{});
        const std::string served = cur.rows() ? cur.text(0, 0) : std::string{};
        if (served != expectedVersion) return out;
        auto used =
            c.exec("SELECT 1 FROM config_versions WHERE version = $1", Params{}.text(d.version));
        if (used.rows()) return out;
        if (!effects.agencyFrom.empty() && !effects.agencyTo.empty()) {
            out.casesChanged += c.exec("UPDATE records SET agency = $1 WHERE agency = $2",
                                       Params{}.text(effects.agencyTo).text(effects.agencyFrom))
                                    .affected();
            out.usersChanged += c.exec("UPDATE console_users SET agency = $1 WHERE agency = $2",
                                       Params{}.text(effects.agencyTo).text(effects.agencyFrom))
                                    .affected();
        }
        if (!effects.kioskId.empty() && !effects.kioskWard.empty())
            out.casesChanged +=
                c.exec(std::string("UPDATE records SET ward = $1 WHERE kiosk_id = $2 AND ward = "
                                   "'' AND parent_code = '' AND ") +
                           std::string(kNotAddition),
                       Params{}.text(effects.kioskWard).text(effects.kioskId))
                    .affected();
        c.exec(
            "INSERT INTO config (id, version, etag, document) VALUES (1, $1, $2, $3) ON CONFLICT "
            "(id) DO UPDATE SET "
            "version = excluded.version, etag = excluded.etag, document = excluded.document",
            Params{}.text(d.version).text(d.etag).text(d.document));
        c.exec(
            "INSERT INTO config_versions (seq, version, etag, saved_by, saved_at, note, document) "
            "VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM config_versions), $1, $2, $3, $4, "
            "$5, $6)",
            Params{}
                .text(d.version)
                .text(d.etag)
                .text(row.savedBy)
                .text(row.savedAt)
                .text(row.note)
                .text(d.document));
        tx.commit();
        out.saved = true;
        return out;
    });
}

Result<std::vector<ConfigVersionRow>> PgStorage::configHistory(std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "SELECT seq, version, etag, saved_by, saved_at, note, document FROM config_versions "
            "ORDER BY seq DESC LIMIT $1",
            Params{}.int64(static_cast<std::int64_t>(limit)));
        std::vector<ConfigVersionRow> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                           r.text(i, 5), r.text(i, 6)});
        return out;
    });
}

// ---- 6. copy
// ------------------------------------------------------------------------------------------

Result<BackendStorage::RecordPage> PgStorage::recordsAfter(std::int64_t cursor, std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec("SELECT " + std::string(kRecordColumns) +
                            ", rid FROM records WHERE rid > $1 ORDER BY rid LIMIT $2",
                        Params{}.int64(cursor).int64(static_cast<std::int64_t>(limit)));
        RecordPage page;
        page.next = cursor;
        for (int i = 0; i < r.rows(); ++i) {
            page.records.push_back(readRecord(r, i));
            page.next = r.int64(i, kRecordColumnCount);
        }
        return page;
    });
}

Result<std::vector<StatusEvent>> PgStorage::eventsAfter(std::int64_t eventId, std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec("SELECT " + std::string(kEventColumns) +
                            " FROM status_events WHERE event_id > $1 ORDER BY event_id LIMIT $2",
                        Params{}.int64(eventId).int64(static_cast<std::int64_t>(limit)));
        std::vector<StatusEvent> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readEvent(r, i));
        return out;
    });
}

Result<std::vector<ConflictRow>> PgStorage::allConflicts() {
    return m_impl->run([](Conn& c) {
        auto r = c.exec(
            "SELECT id, kiosk_id, sequence, hash, received_at FROM conflicts ORDER BY kiosk_id, "
            "sequence, id, hash");
        std::vector<ConflictRow> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), static_cast<std::uint64_t>(r.int64(i, 2)),
                           r.text(i, 3), r.text(i, 4)});
        return out;
    });
}

Result<std::vector<TokenRow>> PgStorage::enrolTokens() {
    return m_impl->run([](Conn& c) {
        auto r = c.exec(
            "SELECT token_hash, kiosk_id, expires_ms, COALESCE(used_at, ''), COALESCE(used_by, '') "
            "FROM enrol_tokens");
        std::vector<TokenRow> out;
        for (int i = 0; i < r.rows(); ++i) {
            TokenRow t;
            t.tokenHash = r.text(i, 0);
            t.kioskId = r.text(i, 1);
            t.expiresMs = r.int64(i, 2);
            t.usedAt = r.text(i, 3);
            t.usedBy = r.text(i, 4);
            out.push_back(std::move(t));
        }
        return out;
    });
}

Result<std::vector<TokenRow>> PgStorage::staffTokens() {
    return m_impl->run([](Conn& c) {
        auto r = c.exec("SELECT token_hash, name, created_at FROM staff_tokens");
        std::vector<TokenRow> out;
        for (int i = 0; i < r.rows(); ++i) {
            TokenRow t;
            t.tokenHash = r.text(i, 0);
            t.name = r.text(i, 1);
            t.createdAt = r.text(i, 2);
            out.push_back(std::move(t));
        }
        return out;
    });
}

Result<void> PgStorage::copyIdentities(const std::vector<KioskRow>& kiosks,
                                       const std::vector<TokenRow>& enrol,
                                       const std::vector<TokenRow>& staff) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        for (const auto& k : kiosks)
            c.exec(
                "INSERT INTO kiosks (kiosk_id, public_key, enrolled_at, last_seen_at, heartbeat) "
                "VALUES ($1,$2,$3,$4,$5) "
                "ON CONFLICT (kiosk_id) DO NOTHING",
                Params{}
                    .text(k.kioskId)
                    .text(k.publicKey)
                    .text(k.enrolledAt)
                    .text(k.lastSeenAt)
                    .text(k.heartbeat));
        for (const auto& t : enrol)
            c.exec(
                "INSERT INTO enrol_tokens (token_hash, kiosk_id, expires_ms, used_at, used_by) "
                "VALUES ($1,$2,$3,$4,$5) "
                "ON CONFLICT (token_hash) DO NOTHING",
                Params{}
                    .text(t.tokenHash)
                    .text(t.kioskId)
                    .int64(t.expiresMs)
                    .optText(t.usedAt)
                    .optText(t.usedAt.empty() ? std::string{} : t.usedBy));
        for (const auto& t : staff)
            c.exec(
                "INSERT INTO staff_tokens (token_hash, name, created_at) VALUES ($1,$2,$3) ON "
                "CONFLICT DO NOTHING",
                Params{}.text(t.tokenHash).text(t.name).text(t.createdAt));
        tx.commit();
    });
}

Result<CopyProgress> PgStorage::copyProgress(const std::string& sourceId) {
    return m_impl->run([&](Conn& c) {
        auto r =
            c.exec("SELECT record_cursor, event_cursor FROM copy_progress WHERE source_id = $1",
                   Params{}.text(sourceId));
        CopyProgress p;
        if (r.rows()) p = {r.int64(0, 0), r.int64(0, 1)};
        return p;
    });
}

Result<void> PgStorage::copyIn(const CopyBatch& b) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        const std::span<const StoredRecord> records(b.records);
        const auto created = insertRecords(c, records, [](const StoredRecord& r) {
            return std::tuple<const record::Header&, const std::string&, const std::string&, bool,
                              const std::string&>(r.header, r.payloadFormat, r.content, r.intact,
                                                  r.receivedAt);
        });
        std::vector<std::string> others;
        for (std::size_t i = 0; i < records.size(); ++i)
            if (!created[i]) others.push_back(records[i].header.id);
        const auto hashes = storedHashes(c, others);
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (created[i]) continue;
            const auto& h = records[i].header;
            if (auto it = hashes.find(h.id); it == hashes.end() || it->second != h.hash)
                insertConflict(c, {h.id, h.kioskId, h.sequence, h.hash, records[i].receivedAt});
        }
        for (const auto& k : b.conflicts) insertConflict(c, k);
        if (!b.events.empty()) {
            c.exec("SELECT pg_advisory_xact_lock($1)", Params{}.int64(kEventLock));
            for (const auto& e : b.events) {
                auto r = c.exec(
                    "INSERT INTO status_events (tracking_code, kiosk_id, status, note, agency, "
                    "officer, expected_date, "
                    "updated_at, event_uid) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT "
                    "(event_uid) DO NOTHING",
                    Params{}
                        .text(e.trackingCode)
                        .text(e.kioskId)
                        .text(e.status)
                        .text(e.note)
                        .text(e.agency)
                        .text(e.officer)
                        .text(e.expectedDate)
                        .text(e.updatedAt)
                        .text(e.uid));
                if (r.affected() == 1)
                    c.exec(
                        "UPDATE records SET status = $1, status_updated = $2 WHERE tracking_code = "
                        "$3",
                        Params{}.text(e.status).text(e.updatedAt).text(e.trackingCode));
            }
        }
        c.exec(
            "INSERT INTO copy_progress (source_id, record_cursor, event_cursor) VALUES ($1,$2,$3) "
            "ON CONFLICT (source_id) "
            "DO UPDATE SET record_cursor = excluded.record_cursor, event_cursor = "
            "excluded.event_cursor",
            Params{}.text(b.sourceId).int64(b.recordCursor).int64(b.eventCursor));
        tx.commit();
    });
}

// ---- 7. the officers' console
// ---------------------------------------------------------------------

namespace {

CaseRow readCase(const PgResult& r, int i) {
    CaseRow c;
    c.rid = r.int64(i, 0);
    c.trackingCode = r.text(i, 1);
    c.kioskId = r.text(i, 2);
    c.type = r.text(i, 3);
    c.category = r.text(i, 4);
    c.channel = r.text(i, 5);
    c.createdAt = r.text(i, 6);
    c.receivedAt = r.text(i, 7);
    c.status = r.text(i, 8);
    c.statusUpdated = r.text(i, 9);
    c.ward = r.text(i, 10);
    c.agency = r.text(i, 11);
    c.deadline = r.text(i, 12);
    return c;
}

constexpr std::string_view kUserColumns =
    "name, role, ward, agency, password_hash, disabled, failed_logins, locked_until_ms, created_at";

ConsoleUser readUser(const PgResult& r, int i) {
    ConsoleUser u;
    u.name = r.text(i, 0);
    u.role = r.text(i, 1);
    u.ward = r.text(i, 2);
    u.agency = r.text(i, 3);
    u.passwordHash = r.text(i, 4);
    u.disabled = r.text(i, 5) == "t";
    u.failedLogins = static_cast<int>(r.int64(i, 6));
    u.lockedUntilMs = r.int64(i, 7);
    u.createdAt = r.text(i, 8);
    return u;
}

const char* pgBool(bool b) {
    return b ? "true" : "false";
}

}  // namespace

Result<BackendStorage::IndexPage> PgStorage::recordIndexAfter(std::int64_t cursor,
                                                              std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "SELECT id, ward, agency, deadline, status, status_updated, search_text, parent_code, "
            "rid FROM records WHERE rid > $1 ORDER BY rid LIMIT $2",
            Params{}.int64(cursor).int64(static_cast<std::int64_t>(limit)));
        IndexPage page;
        page.next = cursor;
        for (int i = 0; i < r.rows(); ++i) {
            page.rows.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                                 r.text(i, 4), r.text(i, 5), r.text(i, 6), r.text(i, 7)});
            page.next = r.int64(i, 8);
        }
        return page;
    });
}

// As SQLite's: every SET expression sees the row as it was before this update.
Result<std::int64_t> PgStorage::copyIndexIn(std::span<const RecordIndexRow> rows) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        std::int64_t changed = 0;
        for (const auto& x : rows)
            changed +=
                c.exec(
                     "UPDATE records SET "
                     "ward = CASE WHEN ward = '' THEN $2 ELSE ward END, "
                     "search_text = CASE WHEN search_text = '' THEN $7 ELSE search_text END, "
                     "parent_code = CASE WHEN parent_code = '' THEN $8 ELSE parent_code END, "
                     "agency = CASE WHEN status_updated <= $6 THEN $3 ELSE agency END, "
                     "deadline = CASE WHEN (status_updated <= $6 OR deadline = '') AND $4 <> '' "
                     "THEN $4 ELSE deadline END, "
                     "status = CASE WHEN status_updated <= $6 THEN $5 ELSE status END, "
                     "status_updated = CASE WHEN status_updated <= $6 THEN $6 ELSE "
                     "status_updated END "
                     "WHERE id = $1",
                     Params{}
                         .text(x.recordId)
                         .text(x.ward)
                         .text(x.agency)
                         .text(x.deadline)
                         .text(x.status)
                         .text(x.statusUpdated)
                         .text(x.searchText)
                         .text(x.parentCode))
                    .affected();
        tx.commit();
        return changed;
    });
}

Result<CopyExtras> PgStorage::copyExtras() {
    return m_impl->run([&](Conn& c) {
        CopyExtras x;
        auto r = c.exec(
            "SELECT tracking_code, rating, reopen, rated_at, record_id FROM case_ratings ORDER BY "
            "tracking_code",
            Params{});
        for (int i = 0; i < r.rows(); ++i)
            x.ratings.push_back(
                {r.text(i, 0), r.text(i, 1), r.int64(i, 2) != 0, r.text(i, 3), r.text(i, 4)});
        auto n = c.exec("SELECT tracking_code, user_name, note, at FROM case_notes ORDER BY id",
                        Params{});
        for (int i = 0; i < n.rows(); ++i)
            x.notes.push_back({n.text(i, 0), n.text(i, 1), n.text(i, 2), n.text(i, 3)});
        auto a = c.exec(
            "SELECT user_name, tracking_code, what, at, detail FROM console_access_log ORDER BY id",
            Params{});
        for (int i = 0; i < a.rows(); ++i)
            x.accessLog.push_back(
                {a.text(i, 0), a.text(i, 1), a.text(i, 2), a.text(i, 3), a.text(i, 4)});
        auto t =
            c.exec("SELECT id, category, title, body, updated_at FROM reply_templates ORDER BY id",
                   Params{});
        for (int i = 0; i < t.rows(); ++i)
            x.templates.push_back(
                {t.int64(i, 0), t.text(i, 1), t.text(i, 2), t.text(i, 3), t.text(i, 4)});
        auto v = c.exec(
            "SELECT seq, version, etag, saved_by, saved_at, note, document FROM config_versions "
            "ORDER BY seq",
            Params{});
        for (int i = 0; i < v.rows(); ++i)
            x.configVersions.push_back({v.int64(i, 0), v.text(i, 1), v.text(i, 2), v.text(i, 3),
                                        v.text(i, 4), v.text(i, 5), v.text(i, 6)});
        return x;
    });
}

Result<CopyExtrasCount> PgStorage::copyExtrasIn(const CopyExtras& x) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        CopyExtrasCount out;
        for (const auto& r : x.ratings)
            out.ratings +=
                c.exec(
                     "INSERT INTO case_ratings (tracking_code, rating, reopen, rated_at, "
                     "record_id) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (tracking_code) DO UPDATE "
                     "SET rating = excluded.rating, reopen = excluded.reopen, rated_at = "
                     "excluded.rated_at, record_id = excluded.record_id WHERE "
                     "(excluded.rated_at, excluded.record_id) > (case_ratings.rated_at, "
                     "case_ratings.record_id)",
                     Params{}
                         .text(r.trackingCode)
                         .text(r.rating)
                         .int64(r.reopen ? 1 : 0)
                         .text(r.ratedAt)
                         .text(r.recordId))
                    .affected();
        for (const auto& n : x.notes)
            out.notes +=
                c.exec(
                     "INSERT INTO case_notes (tracking_code, user_name, note, at) SELECT "
                     "$1::text, $2::text, $3::text, $4::text WHERE NOT EXISTS (SELECT 1 FROM "
                     "case_notes WHERE tracking_code = $1 AND user_name = $2 AND note = $3 AND "
                     "at = $4)",
                     Params{}.text(n.trackingCode).text(n.userName).text(n.note).text(n.at))
                    .affected();
        for (const auto& a : x.accessLog)
            out.accessLog +=
                c.exec(
                     "INSERT INTO console_access_log (user_name, tracking_code, what, at, "
                     "detail) SELECT $1::text, $2::text, $3::text, $4::text, $5::text WHERE NOT "
                     "EXISTS (SELECT 1 FROM console_access_log WHERE user_name = $1 AND "
                     "tracking_code = $2 AND what = $3 AND at = $4 AND detail = $5)",
                     Params{}
                         .text(a.userName)
                         .text(a.trackingCode)
                         .text(a.what)
                         .text(a.at)
                         .text(a.detail))
                    .affected();
        for (const auto& t : x.templates)
            out.templates +=
                c.exec(
                     "INSERT INTO reply_templates (category, title, body, updated_at) SELECT "
                     "$1::text, $2::text, $3::text, $4::text WHERE NOT EXISTS (SELECT 1 FROM "
                     "reply_templates WHERE category = $1 AND title = $2)",
                     Params{}.text(t.category).text(t.title).text(t.body).text(t.updatedAt))
                    .affected();
        for (const auto& v : x.configVersions)
            out.configVersions +=
                c.exec(
                     "INSERT INTO config_versions (seq, version, etag, saved_by, saved_at, "
                     "note, document) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING",
                     Params{}
                         .int64(v.seq)
                         .text(v.version)
                         .text(v.etag)
                         .text(v.savedBy)
                         .text(v.savedAt)
                         .text(v.note)
                         .text(v.document))
                    .affected();
        tx.commit();
        return out;
    });
}

Result<void> PgStorage::indexCases(std::span<const CaseIndex> items) {
    return m_impl->run([&](Conn& c) {
        Tx tx(c);
        for (const auto& it : items)
            c.exec(
                "UPDATE records SET ward = $1, search_text = $2, "
                "deadline = CASE WHEN deadline = '' THEN $3 ELSE deadline END, parent_code = $5 "
                "WHERE id = $4",
                Params{}
                    .text(it.ward)
                    .text(it.searchText)
                    .text(it.deadline)
                    .text(it.recordId)
                    .text(it.parentCode));
        tx.commit();
    });
}

Result<std::vector<CaseRow>> PgStorage::cases(const CaseQuery& q) {
    return m_impl->run([&](Conn& c) {
        const auto built = buildCaseSql(q, [](int n) { return "$" + std::to_string(n); });
        Params p;
        for (const auto& v : built.params) p.text(v);
        auto r = c.exec(built.sql, p);
        std::vector<CaseRow> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readCase(r, i));
        return out;
    });
}

Result<std::optional<CaseRow>> PgStorage::caseByCode(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) -> std::optional<CaseRow> {
        auto r = c.exec("SELECT " + std::string(kCaseColumns) +
                            " FROM records WHERE tracking_code = $1 AND " +
                            std::string(kNotAddition) + " ORDER BY rid LIMIT 1",
                        Params{}.text(trackingCode));
        if (!r.rows()) return std::nullopt;
        return readCase(r, 0);
    });
}

Result<std::optional<StoredRecord>> PgStorage::recordByCode(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) -> std::optional<StoredRecord> {
        auto r = c.exec("SELECT " + std::string(kRecordColumns) +
                            " FROM records WHERE tracking_code = $1 ORDER BY rid LIMIT 1",
                        Params{}.text(trackingCode));
        if (!r.rows()) return std::nullopt;
        return readRecord(r, 0);
    });
}

Result<bool> PgStorage::addConsoleUser(const ConsoleUser& u) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec("INSERT INTO console_users (" + std::string(kUserColumns) +
                            ") VALUES ($1,$2,$3,$4,$5,$6,0,0,$7) ON CONFLICT (name) DO NOTHING",
                        Params{}
                            .text(u.name)
                            .text(u.role)
                            .text(u.ward)
                            .text(u.agency)
                            .text(u.passwordHash)
                            .text(pgBool(u.disabled))
                            .text(u.createdAt.empty() ? nowUtc() : u.createdAt));
        return r.affected() == 1;
    });
}

Result<std::optional<ConsoleUser>> PgStorage::consoleUser(const std::string& name) {
    return m_impl->run([&](Conn& c) -> std::optional<ConsoleUser> {
        auto r =
            c.exec("SELECT " + std::string(kUserColumns) + " FROM console_users WHERE name = $1",
                   Params{}.text(name));
        if (!r.rows()) return std::nullopt;
        return readUser(r, 0);
    });
}

Result<std::vector<ConsoleUser>> PgStorage::consoleUsers() {
    return m_impl->run([&](Conn& c) {
        auto r =
            c.exec("SELECT " + std::string(kUserColumns) + " FROM console_users ORDER BY name");
        std::vector<ConsoleUser> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readUser(r, i));
        return out;
    });
}

Result<bool> PgStorage::updateConsoleUser(const ConsoleUser& u) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "UPDATE console_users SET role = $1, ward = $2, agency = $3, password_hash = $4, "
            "disabled = $5, "
            "failed_logins = CASE WHEN $6 THEN failed_logins ELSE 0 END, "
            "locked_until_ms = CASE WHEN $7 THEN locked_until_ms ELSE 0 END WHERE name = $8",
            Params{}
                .text(u.role)
                .text(u.ward)
                .text(u.agency)
                .text(u.passwordHash)
                .text(pgBool(u.disabled))
                .text(pgBool(u.failedLogins > 0))
                .text(pgBool(u.lockedUntilMs > 0))
                .text(u.name));
        return r.affected() == 1;
    });
}

Result<void> PgStorage::noteLogin(const std::string& name, bool success, int maxFailures,
                                  std::int64_t lockUntilMs) {
    return m_impl->run([&](Conn& c) {
        if (success) {
            c.exec("UPDATE console_users SET failed_logins = 0 WHERE name = $1",
                   Params{}.text(name));
            return;
        }
        c.exec(
            "UPDATE console_users SET "
            "locked_until_ms = CASE WHEN failed_logins + 1 >= $1::integer THEN $2::bigint ELSE "
            "locked_until_ms END, "
            "failed_logins = CASE WHEN failed_logins + 1 >= $1::integer THEN 0 ELSE failed_logins "
            "+ 1 END "
            "WHERE name = $3",
            Params{}.int64(maxFailures).int64(lockUntilMs).text(name));
    });
}

Result<void> PgStorage::addConsoleSession(const ConsoleSession& x) {
    return m_impl->run([&](Conn& c) {
        c.exec(
            "INSERT INTO console_sessions (token_hash, user_name, csrf, created_ms, last_ms) "
            "VALUES ($1,$2,$3,$4,$5)",
            Params{}
                .text(x.tokenHash)
                .text(x.userName)
                .text(x.csrf)
                .int64(x.createdMs)
                .int64(x.lastMs));
    });
}

Result<std::optional<ConsoleSession>> PgStorage::consoleSession(const std::string& tokenHash) {
    return m_impl->run([&](Conn& c) -> std::optional<ConsoleSession> {
        auto r = c.exec(
            "SELECT token_hash, user_name, csrf, created_ms, last_ms FROM console_sessions WHERE "
            "token_hash = $1",
            Params{}.text(tokenHash));
        if (!r.rows()) return std::nullopt;
        return ConsoleSession{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.int64(0, 3),
                              r.int64(0, 4)};
    });
}

Result<void> PgStorage::touchConsoleSession(const std::string& tokenHash, std::int64_t nowMs) {
    return m_impl->run([&](Conn& c) {
        c.exec("UPDATE console_sessions SET last_ms = $1 WHERE token_hash = $2",
               Params{}.int64(nowMs).text(tokenHash));
    });
}

Result<void> PgStorage::deleteConsoleSession(const std::string& tokenHash) {
    return m_impl->run([&](Conn& c) {
        c.exec("DELETE FROM console_sessions WHERE token_hash = $1", Params{}.text(tokenHash));
    });
}

Result<void> PgStorage::deleteUserSessions(const std::string& userName) {
    return m_impl->run([&](Conn& c) {
        c.exec("DELETE FROM console_sessions WHERE user_name = $1", Params{}.text(userName));
    });
}

Result<void> PgStorage::addAccessLog(const AccessLogRow& row) {
    return m_impl->run([&](Conn& c) {
        c.exec(
            "INSERT INTO console_access_log (user_name, tracking_code, what, at, detail) VALUES "
            "($1,$2,$3,$4,$5)",
            Params{}
                .text(row.userName)
                .text(row.trackingCode)
                .text(row.what)
                .text(row.at.empty() ? nowUtc() : row.at)
                .text(row.detail));
    });
}

Result<std::vector<AccessLogRow>> PgStorage::accessLog(std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "SELECT user_name, tracking_code, what, at, detail FROM console_access_log ORDER BY id "
            "DESC LIMIT $1",
            Params{}.int64(static_cast<std::int64_t>(limit)));
        std::vector<AccessLogRow> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
        return out;
    });
}

Result<void> PgStorage::addCaseNote(const CaseNote& n) {
    return m_impl->run([&](Conn& c) {
        c.exec("INSERT INTO case_notes (tracking_code, user_name, note, at) VALUES ($1,$2,$3,$4)",
               Params{}
                   .text(n.trackingCode)
                   .text(n.userName)
                   .text(n.note)
                   .text(n.at.empty() ? nowUtc() : n.at));
    });
}

Result<std::vector<CaseNote>> PgStorage::caseNotes(const std::string& trackingCode) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "SELECT tracking_code, user_name, note, at FROM case_notes WHERE tracking_code = $1 "
            "ORDER BY id",
            Params{}.text(trackingCode));
        std::vector<CaseNote> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)});
        return out;
    });
}

Result<std::vector<ReplyTemplate>> PgStorage::replyTemplates(const std::string& category) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec(
            "SELECT id, category, title, body, updated_at FROM reply_templates "
            "WHERE $1 = '' OR category = $1 OR category = '' ORDER BY title, id",
            Params{}.text(category));
        std::vector<ReplyTemplate> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
        return out;
    });
}

Result<std::optional<ReplyTemplate>> PgStorage::replyTemplate(std::int64_t id) {
    return m_impl->run([&](Conn& c) -> std::optional<ReplyTemplate> {
        auto r = c.exec(
            "SELECT id, category, title, body, updated_at FROM reply_templates WHERE id = $1",
            Params{}.int64(id));
        if (!r.rows()) return std::nullopt;
        return ReplyTemplate{r.int64(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.text(0, 4)};
    });
}

Result<bool> PgStorage::putReplyTemplate(const ReplyTemplate& t) {
    return m_impl->run([&](Conn& c) {
        if (t.id == 0) {
            c.exec(
                "INSERT INTO reply_templates (category, title, body, updated_at) VALUES "
                "($1,$2,$3,$4)",
                Params{}.text(t.category).text(t.title).text(t.body).text(nowUtc()));
            return true;
        }
        auto r = c.exec(
            "UPDATE reply_templates SET category = $1, title = $2, body = $3, updated_at = $4 "
            "WHERE id = $5",
            Params{}.text(t.category).text(t.title).text(t.body).text(nowUtc()).int64(t.id));
        return r.affected() == 1;
    });
}

Result<void> PgStorage::deleteReplyTemplate(std::int64_t id) {
    return m_impl->run(
        [&](Conn& c) { c.exec("DELETE FROM reply_templates WHERE id = $1", Params{}.int64(id)); });
}

Result<std::vector<CaseRow>> PgStorage::casesAfter(std::int64_t afterRid, std::size_t limit) {
    return m_impl->run([&](Conn& c) {
        auto r =
            c.exec("SELECT " + std::string(kCaseColumns) + " FROM records WHERE rid > $1 AND " +
                       std::string(kNotAddition) + " ORDER BY rid LIMIT $2",
                   Params{}.int64(afterRid).int64(static_cast<std::int64_t>(limit)));
        std::vector<CaseRow> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(readCase(r, i));
        return out;
    });
}

Result<std::vector<std::pair<std::int64_t, std::string>>> PgStorage::caseContents(
    std::span<const std::int64_t> rids) {
    return m_impl->run([&](Conn& c) {
        std::vector<std::pair<std::int64_t, std::string>> out;
        if (rids.empty()) return out;
        std::string list = "{";
        for (std::size_t i = 0; i < rids.size(); ++i)
            list += (i ? "," : "") + std::to_string(rids[i]);
        list += "}";
        auto r =
            c.exec("SELECT rid, content FROM records WHERE rid = ANY($1::bigint[]) ORDER BY rid",
                   Params{}.text(list));
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.int64(i, 0), r.bytes(i, 1));
        return out;
    });
}

Result<BackendStorage::RecordStamp> PgStorage::kioskRecordStamp(const std::string& kioskId) {
    return m_impl->run([&](Conn& c) {
        auto r = c.exec("SELECT count(*), coalesce(max(rid), 0) FROM records WHERE kiosk_id = $1",
                        Params{}.text(kioskId));
        return RecordStamp{static_cast<std::uint64_t>(r.int64(0, 0)), r.int64(0, 1)};
    });
}

}  // namespace ksync::backend
