#include "store/store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <nlohmann/json.hpp>

#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "record/receipt_proof.hpp"
#include "record/text.hpp"
#include "store/migrations.hpp"
#include "store/store_impl.hpp"

namespace ksync::store {

using record::Record;

std::string_view StoreError::messageKey() const {
    switch (kind) {
        case ErrorKind::NotInitialised:
            return "ctl.not_initialised";
        case ErrorKind::NewerSchema:
            return "store.newer_schema";
        case ErrorKind::DiskFull:
            return "store.disk_full";
        case ErrorKind::ReadOnly:
            return "store.read_only";
        case ErrorKind::Busy:
            return "store.busy";
        case ErrorKind::Corrupt:
            return "store.corrupt";
        case ErrorKind::NotFound:
            return "store.not_found";
        case ErrorKind::Io:
        case ErrorKind::Invalid:
            return "store.io_error";
    }
    return "store.io_error";
}

StoreError classify(const SqliteError& e) {
    const int err = e.sysErrno();
    ErrorKind kind = ErrorKind::Io;
    switch (e.code()) {
        case SQLITE_FULL:
            kind = ErrorKind::DiskFull;
            break;
        case SQLITE_READONLY:
            kind = ErrorKind::ReadOnly;
            break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            kind = ErrorKind::Busy;
            break;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            kind = ErrorKind::Corrupt;
            break;
        case SQLITE_CONSTRAINT:
            kind = ErrorKind::Invalid;
            break;
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            kind = err == ENOSPC || err == EDQUOT                       ? ErrorKind::DiskFull
                   : err == EROFS || err == EACCES || err == EPERM      ? ErrorKind::ReadOnly
                   : e.code() == SQLITE_PERM || e.code() == SQLITE_AUTH ? ErrorKind::ReadOnly
                                                                        : ErrorKind::Io;
            break;
        default:
            break;
    }
    return StoreError{kind, e.what(), 0, 0};
}

record::Header readHeader(const Stmt& s, int c) {
    record::Header h;
    h.sequence = static_cast<std::uint64_t>(s.int64(c + 0));
    h.id = s.text(c + 1);
    h.trackingCode = s.text(c + 2);
    h.kioskId = s.text(c + 3);
    h.type = record::parseRecordType(s.text(c + 4)).value_or(record::RecordType::Pakn);
    h.category = s.text(c + 5);
    h.channel = record::parseChannel(s.text(c + 6)).value_or(record::Channel::Kiosk);
    h.staffAssisted = s.int64(c + 7) != 0;
    h.language = s.text(c + 8);
    h.createdAt = s.text(c + 9);
    h.clockSynced = s.int64(c + 10) != 0;
    h.contentDigest = s.text(c + 11);
    h.prevHash = s.text(c + 12);
    h.hash = s.text(c + 13);
    return h;
}

namespace {

int userVersion(const Db& db) {
    Stmt s(db, "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.int64(0)) : 0;
}

void migrate(Db& db) {
    const auto all = migrations();
    while (true) {
        Transaction tx(db);  // re-read under the write lock: another process may have migrated
        const int v = userVersion(db);
        if (v >= static_cast<int>(all.size())) return;
        db.exec(all[static_cast<size_t>(v)]);
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
    }
}

std::optional<Record> readRecord(const Stmt& s) {
    Record r;
    r.header = readHeader(s, 0);
    const std::string format = s.text(kHeaderColumnCount);
    if (format == "plain") {
        auto content = record::decodeContent(s.blob(kHeaderColumnCount + 1));
        if (content) r.content = std::move(*content);
    } else {
        r.sealed = true;
    }
    return r;
}

std::string selectRecordSql(std::string_view where) {
    return "SELECT " + std::string(kHeaderColumns) +
           ", r.content_format, r.content FROM records r " + std::string(where);
}

// Puts synchronous=FULL on the connection for the life of the object.
class FullSync {
public:
    explicit FullSync(Db& db) : m_db(db) { m_db.exec("PRAGMA synchronous=FULL"); }
    ~FullSync() {
        sqlite3_exec(m_db.handle(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
    }
    FullSync(const FullSync&) = delete;
    FullSync& operator=(const FullSync&) = delete;

private:
    Db& m_db;
};

std::optional<std::string> metaValue(const Db& db, std::string_view key) {
    Stmt s(db, "SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    if (s.step()) return s.text(0);
    return std::nullopt;
}

void setMeta(const Db& db, std::string_view key, std::string_view value) {
    Stmt s(db,
           "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
           "excluded.value");
    s.bind(1, key).bind(2, value).run();
}

std::optional<std::string> syncState(const Db& db, std::string_view key) {
    Stmt s(db, "SELECT value FROM sync_state WHERE key = ?");
    s.bind(1, key);
    if (s.step()) return s.text(0);
    return std::nullopt;
}

// The key content is sealed to, when the kiosk knows it. The value was checked when it was
// written (kioskctl init, enrolment); a damaged one counts as none (records stay plain and
// `kioskctl status` says so).
std::optional<platform::keys::SealingKey> sealingKey(const Db& db) {
    auto b64 = syncState(db, kStateBackendKey);
    if (!b64 || b64->empty()) return std::nullopt;
    auto key = platform::keys::SealingKey::fromPublicKeyBase64(*b64);
    if (!key) return std::nullopt;
    return std::move(*key);
}

std::string dictionaryName(const Db& db) {
    Stmt s(db, "SELECT document FROM config_cache WHERE id = 1");
    if (s.step()) {
        auto j = nlohmann::json::parse(s.text(0), nullptr, false);
        if (j.is_object() && j.contains("payload_dictionary") &&
            j["payload_dictionary"].is_string())
            return j["payload_dictionary"].get<std::string>();
    }
    return "v1";
}

constexpr std::string_view kUnsealed = "content_format NOT LIKE 'sealed:%'";

std::map<std::string, std::string> installedDictionaries(const Db& db) {
    std::map<std::string, std::string> out;
    Stmt s(db, "SELECT name, bytes FROM payload_dictionaries");
    while (s.step()) out.emplace(s.text(0), s.blob(1));
    return out;
}

}  // namespace

proto::PayloadCodec& Store::Impl::payloadCodec(std::string_view wanted) {
    if (codec && (wanted.empty() || codec->hasDictionary(wanted))) return *codec;
    if (codec) {
        Stmt s(db, "SELECT 1 FROM payload_dictionaries WHERE name = ?");
        s.bind(1, wanted);
        if (!s.step()) return *codec;  // not installed anywhere: plain zstd, as before
    }
    // A damaged row (written by hand) must not stop the kiosk from recording: shipped only.
    std::shared_ptr<const proto::Dictionaries> dicts;
    try {
        dicts = proto::Dictionaries::shippedWith(installedDictionaries(db));
    } catch (const std::runtime_error&) {
        dicts = proto::Dictionaries::shipped();
    }
    codec.emplace(std::move(dicts));
    return *codec;
}

Result<std::vector<std::string>> Store::dictionaryNames() {
    return guarded([&] {
        auto names = proto::Dictionaries::shipped()->names();
        for (auto& [name, bytes] : installedDictionaries(m_impl->db))
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        return names;
    });
}

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

int Store::schemaVersion() const {
    return m_impl->schemaVersion;
}

Result<Store> Store::open(const std::filesystem::path& file, Open mode) {
    std::error_code ec;
    if (mode == Open::ExistingOnly && !std::filesystem::exists(file, ec))
        return std::unexpected(
            StoreError{ErrorKind::NotInitialised, "no database at " + file.string()});
    auto opened = guarded([&]() -> Result<Store> {
        auto impl = std::make_unique<Impl>();
        impl->db =
            Db(file, mode == Open::ExistingOnly ? Db::Mode::ReadWrite : Db::Mode::ReadWriteCreate);
        Db& db = impl->db;
        db.exec("PRAGMA busy_timeout = 5000");
        db.exec("PRAGMA foreign_keys = ON");
        // Freed and overwritten content is zeroed in the file, not left in free pages.
        db.exec("PRAGMA secure_delete = ON");
        // Look before touching anything: a newer file must stay exactly as it is.
        const int found = userVersion(db);
        if (found > latestSchemaVersion()) {
            return std::unexpected(StoreError{ErrorKind::NewerSchema,
                                              "schema " + std::to_string(found), found,
                                              latestSchemaVersion()});
        }
        {
            Stmt wal(db, "PRAGMA journal_mode = WAL");
            wal.step();
        }
        db.exec("PRAGMA synchronous = NORMAL");
        migrate(db);
        impl->schemaVersion = userVersion(db);
        return Store(std::move(impl));
    });
    // On a read-only folder SQLite fails to create the WAL index ("unable to open database
    // file") and the errno it keeps is that of its read-only fallback (ENOENT): ask the folder
    // itself, so the operator reads "read-only" rather than "write error".
    if (!opened && opened.error().kind == ErrorKind::Io) {
        const auto folder =
            file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
        if (::access(folder.c_str(), W_OK) != 0 &&
            (errno == EROFS || errno == EACCES || errno == EPERM))
            opened.error().kind = ErrorKind::ReadOnly;
    }
    return opened;
}

Result<Record> Store::createRecord(const record::ValidDraft& draft, std::string_view kioskId,
                                   std::string_view createdAtUtc, bool clockSynced) {
    assert(record::isValidKioskId(kioskId));
    return guarded([&]() -> Result<Record> {
        Db& db = m_impl->db;
        FullSync full(db);
        Transaction tx(db);
        std::uint64_t last = 0;
        {
            Stmt s(db, "SELECT COALESCE(MAX(seq), 0) FROM records");
            if (s.step()) last = static_cast<std::uint64_t>(s.int64(0));
        }
        // Never reuse a sequence number, even if rows were removed behind our back. A damaged
        // counter stops the commit: guessing a number could hand out one already printed.
        const auto metaLast = parseStoredU64(metaValue(db, "last_seq").value_or("0"));
        if (!metaLast)
            return std::unexpected(StoreError{ErrorKind::Corrupt, "meta last_seq is not a number"});
        const std::string prevHash =
            metaValue(db, "last_hash").value_or(std::string(record::kGenesisHash));
        const std::uint64_t seq = std::max(last, *metaLast) + 1;

        Record r;
        record::Header& h = r.header;
        h.id = record::newUuid();
        h.kioskId = std::string(kioskId);
        h.sequence = seq;
        h.trackingCode = record::makeTrackingCode(draft.type, kioskId, seq);
        h.type = draft.type;
        h.category = draft.category;
        h.channel = draft.channel;
        h.staffAssisted = draft.staffAssisted;
        h.language = draft.language;
        h.createdAt = std::string(createdAtUtc);
        h.clockSynced = clockSynced;
        h.prevHash = prevHash;
        r.content = draft.content;
        r.content.salt = record::newSaltHex();
        // A new case gets its receipt secret here; only the verifier is kept (in the sealed
        // content for the backend, in proof_verifier for this kiosk's own check).
        if (r.content.kind == record::RecordKind::Case) {
            r.receiptSecret = record::newReceiptSecret();
            r.content.proofVerifier = record::makeVerifier(r.receiptSecret);
        }
        record::seal(r);
        std::string format = "plain";
        std::string stored = record::encodeContent(r.content);
        if (auto key = sealingKey(db)) {
            auto sealed = m_impl->payloadCodec(dictionaryName(db))
                              .encodeSealed(stored, dictionaryName(db), *key);
            format = std::move(sealed.format);
            stored = std::move(sealed.bytes);
        }

        Stmt ins(db,
                 "INSERT INTO records(seq, id, tracking_code, kiosk_id, type, category, channel, "
                 "staff_assisted, "
                 "language, created_at, clock_synced, content_digest, prev_hash, hash, "
                 "content_format, content) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        ins.bind(1, static_cast<std::int64_t>(seq))
            .bind(2, h.id)
            .bind(3, h.trackingCode)
            .bind(4, h.kioskId)
            .bind(5, record::typeCode(h.type))
            .bind(6, h.category)
            .bind(7, record::channelCode(h.channel))
            .bind(8, std::int64_t{h.staffAssisted})
            .bind(9, h.language)
            .bind(10, h.createdAt)
            .bind(11, std::int64_t{h.clockSynced})
            .bind(12, h.contentDigest)
            .bind(13, h.prevHash)
            .bind(14, h.hash)
            .bind(15, format)
            .bindBlob(16, stored)
            .run();
        {
            Stmt extra(db, "UPDATE records SET proof_verifier = ?, parent_code = ? WHERE seq = ?");
            extra.bind(1, r.content.proofVerifier)
                .bind(2, r.content.parentCode)
                .bind(3, static_cast<std::int64_t>(seq))
                .run();
        }
        Stmt out(db, "INSERT INTO outbox(seq, state, created_ms) VALUES (?, 'queued', ?)");
        out.bind(1, static_cast<std::int64_t>(seq))
            .bind(2, platform::clock::unixMillis(platform::clock::now()))
            .run();
        setMeta(db, "last_seq", std::to_string(seq));
        setMeta(db, "last_hash", h.hash);
        tx.commit();
        return r;
    });
}

Result<std::size_t> Store::sealPlainRecords() {
    return guarded([&]() -> std::size_t {
        Db& db = m_impl->db;
        std::size_t sealed = 0;
        // Called before every upload: almost always nothing to do, which a read (through the
        // partial index) tells without taking the write lock the UI's commits need.
        {
            Stmt any(db, "SELECT 1 FROM records WHERE " + std::string(kUnsealed) + " LIMIT 1");
            if (!any.step()) return sealed;
        }
        while (true) {
            // Small transactions: the kiosk's UI may be committing a record at the same time.
            Transaction tx(db);
            auto key = sealingKey(db);
            if (!key) return sealed;
            const std::string dict = dictionaryName(db);
            std::vector<std::pair<std::int64_t, std::string>> rows;
            {
                Stmt s(db, "SELECT seq, content FROM records WHERE " + std::string(kUnsealed) +
                               " AND content_format = 'plain' ORDER BY seq LIMIT 200");
                while (s.step()) rows.emplace_back(s.int64(0), s.blob(1));
            }
            if (rows.empty()) break;
            Stmt up(db,
                    "UPDATE records SET content_format = ?, content = ? WHERE seq = ? AND "
                    "content_format = 'plain'");
            for (auto& [seq, plain] : rows) {
                auto enc = m_impl->payloadCodec(dict).encodeSealed(plain, dict, *key);
                up.reset();
                up.bind(1, enc.format).bindBlob(2, enc.bytes).bind(3, seq).run();
                ++sealed;
            }
            tx.commit();
        }
        // The old pages may still sit in the WAL: copy the log back and cut it to zero bytes.
        if (sealed > 0) {
            Stmt cp(db, "PRAGMA wal_checkpoint(TRUNCATE)");
            cp.step();
        }
        return sealed;
    });
}

Result<void> Store::backupTo(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::exists(file, ec))
        return std::unexpected(
            StoreError{ErrorKind::Invalid, "backup target exists: " + file.string()});
    if (auto sealed = sealPlainRecords(); !sealed) return std::unexpected(sealed.error());
    return guarded([&] {
        Stmt s(m_impl->db, "VACUUM INTO ?");
        s.bind(1, file.string()).run();
    });
}

Result<std::uint64_t> Store::unsealedCount() {
    return guarded([&] {
        Stmt s(m_impl->db, "SELECT COUNT(*) FROM records WHERE " + std::string(kUnsealed));
        s.step();
        return static_cast<std::uint64_t>(s.int64(0));
    });
}

Result<std::string> Store::payloadDictionary() {
    return guarded([&] { return dictionaryName(m_impl->db); });
}

std::string_view proofCheckCode(ProofCheck c) {
    switch (c) {
        case ProofCheck::Match:
            return "match";
        case ProofCheck::Mismatch:
            return "mismatch";
        case ProofCheck::OldReceipt:
            return "old_receipt";
        case ProofCheck::NotHere:
            return "not_here";
    }
    return "not_here";
}

Result<ProofCheck> Store::checkProof(std::string_view trackingCode, std::string_view secret) {
    return guarded([&]() -> Result<ProofCheck> {
        Stmt s(m_impl->db,
               "SELECT proof_verifier FROM records WHERE tracking_code = ? AND category NOT IN "
               "('supplement', 'rating')");
        s.bind(1, trackingCode);
        if (!s.step()) return ProofCheck::NotHere;
        const std::string verifier = s.text(0);
        if (verifier.empty()) return ProofCheck::OldReceipt;
        return record::checkVerifier(verifier, secret) ? ProofCheck::Match : ProofCheck::Mismatch;
    });
}

Result<std::optional<std::string>> Store::parentCodeOf(std::uint64_t seq) {
    return guarded([&]() -> Result<std::optional<std::string>> {
        Stmt s(m_impl->db, "SELECT parent_code FROM records WHERE seq = ?");
        s.bind(1, static_cast<std::int64_t>(seq));
        if (!s.step() || s.text(0).empty()) return std::optional<std::string>{};
        return std::optional<std::string>(s.text(0));
    });
}

Result<std::optional<Record>> Store::findByCode(std::string_view trackingCode) {
    return guarded([&]() -> std::optional<Record> {
        Stmt s(m_impl->db, selectRecordSql("WHERE r.tracking_code = ?"));
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return readRecord(s);
    });
}

Result<std::optional<Record>> Store::findBySeq(std::uint64_t seq) {
    return guarded([&]() -> std::optional<Record> {
        Stmt s(m_impl->db, selectRecordSql("WHERE r.seq = ?"));
        s.bind(1, static_cast<std::int64_t>(seq));
        if (!s.step()) return std::nullopt;
        return readRecord(s);
    });
}

namespace {

std::vector<RecordSummary> readSummaries(Stmt& s) {
    std::vector<RecordSummary> out;
    while (s.step()) {
        RecordSummary r;
        r.seq = static_cast<std::uint64_t>(s.int64(0));
        r.trackingCode = s.text(1);
        r.type = record::parseRecordType(s.text(2)).value_or(record::RecordType::Pakn);
        r.category = s.text(3);
        r.createdAt = s.text(4);
        r.outboxState = s.text(5);
        r.backendStatus = s.text(6);
        r.outboxError = s.text(7);
        out.push_back(std::move(r));
    }
    return out;
}

constexpr std::string_view kSummarySql =
    "SELECT r.seq, r.tracking_code, r.type, r.category, r.created_at, COALESCE(o.state, ''), "
    "COALESCE(l.status, ''), COALESCE(o.last_error, '') FROM records r LEFT JOIN outbox o ON "
    "o.seq = r.seq "
    "LEFT JOIN status_latest l ON l.tracking_code = r.tracking_code ";

}  // namespace

Result<std::vector<RecordSummary>> Store::listRecords(std::size_t limit, std::size_t offset) {
    return guarded([&] {
        Stmt s(m_impl->db, std::string(kSummarySql) + "ORDER BY r.seq DESC LIMIT ? OFFSET ?");
        s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
        return readSummaries(s);
    });
}

Result<std::optional<RecordSummary>> Store::summaryByCode(std::string_view trackingCode) {
    return guarded([&]() -> std::optional<RecordSummary> {
        Stmt s(m_impl->db, std::string(kSummarySql) + "WHERE r.tracking_code = ?");
        s.bind(1, trackingCode);
        auto rows = readSummaries(s);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

Result<std::vector<RecordSummary>> Store::quarantined() {
    return guarded([&] {
        Stmt s(m_impl->db,
               std::string(kSummarySql) + "WHERE o.state = 'quarantined' ORDER BY r.seq");
        return readSummaries(s);
    });
}

Result<std::uint64_t> Store::recordCount() {
    return guarded([&] {
        Stmt s(m_impl->db, "SELECT COUNT(*) FROM records");
        s.step();
        return static_cast<std::uint64_t>(s.int64(0));
    });
}

Result<void> Store::applyStatus(const StatusUpdate& u) {
    return guarded([&] {
        Transaction tx(m_impl->db);
        insertStatus(m_impl->db, u);
        tx.commit();
    });
}

namespace {
StatusUpdate readStatus(const Stmt& s) {
    return StatusUpdate{s.text(0), s.text(1), s.text(2), s.text(3),
                        s.text(4), s.text(5), s.text(6)};
}
}  // namespace

Result<std::optional<StatusUpdate>> Store::latestStatus(std::string_view trackingCode) {
    return guarded([&]() -> std::optional<StatusUpdate> {
        Stmt s(m_impl->db,
               "SELECT tracking_code, status, note, agency, officer, expected_date, updated_at "
               "FROM status_latest "
               "WHERE tracking_code = ?");
        s.bind(1, trackingCode);
        if (!s.step()) return std::nullopt;
        return readStatus(s);
    });
}

Result<std::vector<StatusUpdate>> Store::statusHistory(std::string_view trackingCode) {
    return guarded([&] {
        Stmt s(m_impl->db,
               "SELECT tracking_code, status, note, agency, officer, expected_date, updated_at "
               "FROM status_events "
               "WHERE tracking_code = ? ORDER BY updated_at, rowid");
        s.bind(1, trackingCode);
        std::vector<StatusUpdate> out;
        while (s.step()) out.push_back(readStatus(s));
        return out;
    });
}

Result<void> Store::saveConfig(const CachedConfig& c) {
    return guarded([&] {
        Stmt s(m_impl->db,
               "INSERT INTO config_cache(id, version, etag, document, fetched_at) VALUES (1, ?, ?, "
               "?, ?) "
               "ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag, "
               "document = excluded.document, fetched_at = excluded.fetched_at");
        s.bind(1, c.version).bind(2, c.etag).bind(3, c.document).bind(4, c.fetchedAt).run();
    });
}

Result<std::optional<CachedConfig>> Store::config() {
    return guarded([&]() -> std::optional<CachedConfig> {
        Stmt s(m_impl->db,
               "SELECT version, etag, document, fetched_at FROM config_cache WHERE id = 1");
        if (!s.step()) return std::nullopt;
        return CachedConfig{s.text(0), s.text(1), s.text(2), s.text(3)};
    });
}

Result<void> Store::setState(std::string_view key, std::string_view value) {
    return guarded([&] {
        Stmt s(m_impl->db,
               "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
               "value = excluded.value");
        s.bind(1, key).bind(2, value).run();
    });
}

Result<std::optional<std::string>> Store::state(std::string_view key) {
    return guarded([&]() -> std::optional<std::string> {
        Stmt s(m_impl->db, "SELECT value FROM sync_state WHERE key = ?");
        s.bind(1, key);
        if (!s.step()) return std::nullopt;
        return s.text(0);
    });
}

}  // namespace ksync::store
