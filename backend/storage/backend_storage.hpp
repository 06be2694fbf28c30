#pragma once
// The city backend's storage: one interface, two implementations — SQLite (a ward, a demo; the
// embedded default) and PostgreSQL (a city; several backend processes on one database). The
// contract suite (tests/backend/test_storage_contract.cpp) runs the same tests on both.
//
// Thread-safety: every method may be called from any thread at the same time (the HTTP
// server calls them from its worker pool); implementations serialise writes themselves.
// Several processes may share one PostgreSQL database: nothing that matters is kept in memory.
// Errors: values (StorageError); `detail` is technical English and never holds personal data.
// `transient` errors (busy, locked, connection lost, statement timeout, pool exhausted) mean
// "try again": the HTTP layer answers 503 with Retry-After and the kiosk retries.
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "proto/protocol.hpp"
#include "record/record.hpp"

namespace ksync::backend {

struct StorageError {
    std::string detail;
    bool transient = false;  // busy/locked: the caller may answer 503 and let the kiosk retry
};

template <class T>
using Result = std::expected<T, StorageError>;

struct StatusEvent {
    std::int64_t eventId = 0;  // this database's order (the kiosks' pull cursor)
    std::string uid;      // globally unique (random hex); kept by `copy`, so copies are idempotent
    std::string kioskId;  // the kiosk that made the record (filled in by the storage)
    std::string trackingCode;
    std::string status;
    std::string note;
    std::string agency;
    std::string officer;
    std::string expectedDate;  // YYYY-MM-DD or empty
    std::string updatedAt;     // RFC 3339 UTC
};

// A resident's rating of a case's answer (issue #14): one row per case, the latest by the
// kiosk's time replacing earlier ones. The comment and reopen reason stay in the rating record's
// content; this row is what is counted.
struct CaseRating {
    std::string trackingCode;  // the case
    std::string rating;        // record::kRating*
    bool reopen = false;
    std::string ratedAt;   // the rating record's created_at (kiosk clock)
    std::string recordId;  // the rating record
};

// One record to store. The HTTP layer has decoded the payload and checked the hashes.
struct IngestItem {
    record::Header header;
    std::string payloadFormat;  // as received
    std::string content;        // canonical content bytes (decoded payload)
    bool intact =
        true;  // false: the hash or content digest does not match (kept, flagged by audit)
    // Written in the same transaction, only when this item is newly created (issue #14): a
    // supplement's status event on its case, a rating's row (replacing an older one).
    std::optional<StatusEvent> caseEvent = std::nullopt;
    std::optional<CaseRating> caseRating = std::nullopt;
};

struct IngestResult {
    proto::ItemResult result = proto::ItemResult::Created;
    std::string reason;  // for conflicts
};

struct StoredRecord {
    record::Header header;
    std::string payloadFormat;
    std::string content;
    std::string receivedAt;
    bool intact = true;
};

// What the public page and Open311 may show: no content, no contact.
struct PublicRecord {
    std::string trackingCode;
    std::string kioskId;
    record::RecordType type = record::RecordType::Pakn;
    std::string category;
    std::string createdAt;
    std::string receivedAt;
    std::vector<StatusEvent> events;  // oldest first
};

struct ConfigDocument {
    std::string version;
    std::string etag;  // quoted, as sent in the ETag header
    std::string document;
};

// One saved version of the config document (the console's admin pages; kept forever).
struct ConfigVersionRow {
    std::int64_t seq = 0;  // 1, 2, … in order of saving
    std::string version;
    std::string etag;
    std::string savedBy;  // console user name, or "cli"
    std::string savedAt;  // RFC 3339 UTC
    std::string note;     // what was changed, in the admin's words or the page's
    std::string document;
};

// What a config version changes besides the document (the admin pages), written in the same
// transaction as the version, so no reader ever sees the new document with the old cases.
struct ConfigEffects {
    // An agency renamed: cases whose current agency is `agencyFrom` and the agency officers
    // scoped to it take `agencyTo` (both non-empty). Status events already sent keep the name
    // they were sent with (they are history; kiosks and Open311 have them).
    std::string agencyFrom, agencyTo;
    // A kiosk's ward set: that kiosk's cases without a ward take `kioskWard` (both non-empty).
    // Cases that have a ward keep it (nobody's work is moved); supplements and ratings are not
    // cases.
    std::string kioskId, kioskWard;
};

struct ConfigSaved {
    bool saved = false;             // false: another version was saved first (nothing written)
    std::int64_t casesChanged = 0;  // cases renamed or given the kiosk's ward
    std::int64_t usersChanged = 0;  // agency officers following a rename
};

struct KioskRow {
    std::string kioskId;
    std::string publicKey;  // base64
    std::string enrolledAt;
    std::string lastSeenAt;
    std::string heartbeat;  // JSON of the last heartbeat, may be empty
};

struct ConflictRow {
    std::string id;
    std::string kioskId;
    std::uint64_t sequence = 0;
    std::string hash;
    std::string receivedAt;
};

// A token whose enrolment reply was lost can be used again by the same kiosk with the same
// key (the kiosk retries): that is Enrolled, not BadToken. Another key is still refused.
enum class EnrolOutcome { Enrolled, BadToken, KeyMismatch };

struct SchemaInfo {
    int version = 0;        // migrations applied
    int latest = 0;         // migrations this program knows
    std::string backendId;  // random, made by the first migration: names this database in `copy`
    std::string kind;       // "sqlite" or "postgresql"
};

// Token rows as stored (hashes only), for `copy`.
struct TokenRow {
    std::string tokenHash;
    std::string kioskId;  // enrolment: bound kiosk (may be empty); staff: empty
    std::int64_t expiresMs = 0;
    std::string usedAt, usedBy;   // enrolment
    std::string name, createdAt;  // staff
};

// One batch of `copy`, applied in one transaction together with the progress it reaches, so
// a copy killed at any point resumes where the last committed batch ended and repeats nothing.
struct CopyBatch {
    std::string sourceId;  // SchemaInfo::backendId of the source
    std::vector<StoredRecord>
        records;  // by id: an existing id is skipped (a different hash: conflict row)
    std::vector<StatusEvent> events;  // by uid: an existing uid is skipped
    std::vector<ConflictRow> conflicts;
    std::int64_t recordCursor = 0;  // source positions after this batch
    std::int64_t eventCursor = 0;
};
// The console's columns of a record (issue #13), carried by `copy` after the records and events:
// a copied case stays in its ward's inbox, with its agency, deadline, search text and the link
// of a supplement or rating to its case.
struct RecordIndexRow {
    std::string recordId, ward, agency, deadline, status, statusUpdated, searchText, parentCode;
};

struct CopyProgress {
    std::int64_t recordCursor = 0;
    std::int64_t eventCursor = 0;
};

struct RequestFilter {
    std::string serviceCode;  // category, empty: any
    std::string status;       // "open" / "closed" / empty
    std::string startDate, endDate;
    std::size_t limit = 200;
};

// --- the officers' console (backend/console) ----------------------------------------------------
// What the service derives from a record's opened content at ingest: the case's ward, its
// reply deadline (YYYY-MM-DD) and the diacritics-folded search text (title, body, address).
struct CaseIndex {
    std::string recordId;
    std::string ward;
    std::string deadline;
    std::string searchText;
    std::string parentCode = {};  // a supplement or rating: its case's code (issue #14); "" a case
};

struct ConsoleUser {
    std::string name;          // login name, unique
    std::string role;          // ward, agency, supervisor, admin
    std::string ward, agency;  // scope of ward and agency officers
    std::string passwordHash;  // crypto_pwhash_str (Argon2id)
    bool disabled = false;
    int failedLogins = 0;
    std::int64_t lockedUntilMs = 0;
    std::string createdAt;
};

struct ConsoleSession {
    std::string tokenHash;  // SHA-256 hex of the cookie value
    std::string userName;
    std::string csrf;
    std::int64_t createdMs = 0;
    std::int64_t lastMs = 0;
};

// Who saw a resident's contact details (or otherwise opened personal data), for supervisors.
struct AccessLogRow {
    std::string userName;
    std::string trackingCode;
    std::string what;         // "contact", "export", "export_contact"
    std::string at;           // RFC 3339 UTC
    std::string detail = {};  // an export's filter (query string); no personal data
};

// An internal note on a case (never published, never sent to kiosks).
struct CaseNote {
    std::string trackingCode;
    std::string userName;
    std::string note;
    std::string at;
};

// A reply template (admins edit them; officers insert one into an answer). category "" = any.
struct ReplyTemplate {
    std::int64_t id = 0;  // 0: a new one
    std::string category;
    std::string title;
    std::string body;
    std::string updatedAt;
};

// The inbox query. Every value is bound as a parameter; empty means "any".
struct CaseQuery {
    std::string scopeWard, scopeAgency;  // role scope (a ward or agency officer)
    std::string ward, category, type, status, kiosk, channel;
    std::string createdFrom, createdTo;  // YYYY-MM-DD, local dates compared on created_at's prefix
    std::vector<std::string> statusIn;   // the tab's statuses (empty: any)
    bool openOnly = false;               // not answered, closed, rejected, duplicate
    std::string deadlineFrom, deadlineTo;  // inclusive YYYY-MM-DD bounds on the deadline
    std::string search;                    // already folded (foldForSearch)
    // Keyset: rows after (afterDeadline, afterRid) in (deadline, rid) order.
    bool hasCursor = false;
    std::string afterDeadline;
    std::int64_t afterRid = 0;
    std::size_t limit = 50;
};

struct CaseRow {
    std::int64_t rid = 0;
    std::string trackingCode, kioskId, type, category, channel, createdAt, receivedAt;
    std::string status, statusUpdated, ward, agency, deadline;
};

// The console's small tables, carried by `copy` in one transaction (each row once: rows already
// in the target are left alone). Console accounts and sessions are not carried (a ward's admin
// must not become the city's); see README "Moving a ward into the city's database".
struct CopyExtras {
    std::vector<CaseRating> ratings;               // by case: the later rating wins
    std::vector<CaseNote> notes;                   // oldest first; the same row is kept once
    std::vector<AccessLogRow> accessLog;           // oldest first; the same row is kept once
    std::vector<ReplyTemplate> templates;          // by (category, title): existing ones kept
    std::vector<ConfigVersionRow> configVersions;  // oldest first, seq kept; by version
};
struct CopyExtrasCount {
    std::int64_t ratings = 0, notes = 0, accessLog = 0, templates = 0, configVersions = 0;
};

class BackendStorage {
public:
    virtual ~BackendStorage() = default;

    // --- schema -----------------------------------------------------------------------------
    virtual Result<SchemaInfo> schema() = 0;

    // --- kiosks and tokens ----------------------------------------------------------------
    // A one-time enrolment token (returned in clear once; only its hash is kept).
    virtual Result<std::string> issueEnrolToken(const std::string& kioskId,
                                                std::int64_t expiresMs) = 0;
    virtual Result<EnrolOutcome> enrol(const std::string& token, const std::string& kioskId,
                                       const std::string& publicKey, std::int64_t nowMs) = 0;
    virtual Result<std::optional<std::string>> kioskPublicKey(const std::string& kioskId) = 0;
    virtual Result<std::vector<KioskRow>> kiosks() = 0;
    virtual Result<void> recordHeartbeat(const std::string& kioskId, const std::string& json,
                                         std::int64_t nowMs) = 0;
    // Staff API tokens (for POST /api/v1/staff/updates).
    virtual Result<std::string> issueStaffToken(const std::string& name) = 0;
    virtual Result<std::optional<std::string>> staffTokenName(const std::string& token) = 0;

    // Remembers (kiosk, nonce); false when it was seen before (a replay).
    virtual Result<bool> useNonce(const std::string& kioskId, const std::string& nonce,
                                  std::int64_t nowMs) = 0;

    // --- records ----------------------------------------------------------------------------
    // All items in one transaction: insert by unique id; the same id with the same hash is a
    // duplicate, with another hash a conflict (recorded, never overwritten).
    virtual Result<std::vector<IngestResult>> ingest(std::span<const IngestItem> items,
                                                     std::int64_t nowMs) = 0;
    virtual Result<std::optional<StoredRecord>> recordById(const std::string& id) = 0;
    virtual Result<std::uint64_t> recordCount() = 0;
    // Every record of `kioskId` by sequence (then id), for the chain audit.
    virtual Result<std::vector<StoredRecord>> kioskRecords(const std::string& kioskId) = 0;
    virtual Result<std::vector<std::string>> kioskIdsWithRecords() = 0;
    virtual Result<std::vector<ConflictRow>> conflicts(const std::string& kioskId) = 0;

    // --- status -----------------------------------------------------------------------------
    // Appends an event for the record with this canonical code; false when no such record.
    virtual Result<bool> addStatus(const StatusEvent& e) = 0;
    // Events of this kiosk's records after `cursor` (an event id), oldest first.
    virtual Result<std::vector<StatusEvent>> statusSince(const std::string& kioskId,
                                                         std::int64_t cursor,
                                                         std::size_t limit) = 0;
    // Supplements and ratings (category "supplement" / "rating") are not cases: publicRecord and
    // publicRecords never return them.
    virtual Result<std::optional<PublicRecord>> publicRecord(const std::string& trackingCode) = 0;
    virtual Result<std::vector<PublicRecord>> publicRecords(const RequestFilter& f) = 0;

    // --- issue #14: cases, supplements, ratings -------------------------------------------
    // The case (not a supplement or rating) with this canonical code, content included.
    virtual Result<std::optional<StoredRecord>> caseRecordByCode(
        const std::string& trackingCode) = 0;
    virtual Result<std::optional<CaseRating>> caseRating(const std::string& trackingCode) = 0;
    // How many cases have each rating now (key record::kRating*), and how many ask to reopen
    // (key "reopen").
    virtual Result<std::vector<std::pair<std::string, std::int64_t>>> ratingCounts() = 0;
    // A case's supplements and ratings (records linked to it by indexCases' parentCode), content
    // included, oldest first by the kiosk's created_at.
    virtual Result<std::vector<StoredRecord>> caseAdditions(const std::string& trackingCode) = 0;
    // Supplements and ratings not linked to their case yet (stored before migration 7), for the
    // service to link once at start (they are few: ratings came shortly before the link).
    virtual Result<std::vector<StoredRecord>> unlinkedAdditions() = 0;
    // The rating rows of these cases (absent: not rated), in one query.
    virtual Result<std::vector<CaseRating>> caseRatingsOf(
        const std::vector<std::string>& codes) = 0;
    // Every rating row (the statistics).
    virtual Result<std::vector<CaseRating>> allCaseRatings() = 0;

    // --- config -----------------------------------------------------------------------------
    virtual Result<std::optional<ConfigDocument>> config() = 0;
    virtual Result<void> setConfig(const ConfigDocument& c) = 0;
    // Serves `c` and keeps it in the history (seq, who, when, note), in one transaction, but
    // only while the served version is still `expectedVersion` ("" when none is stored, i.e.
    // the shipped default is served). false: someone saved another version first (nothing
    // written). `row.seq` and `row.document` are ignored (taken from `c` and the history).
    Result<bool> saveConfigVersion(const ConfigDocument& c, const std::string& expectedVersion,
                                   const ConfigVersionRow& row) {
        auto r = saveConfigVersionWith(c, expectedVersion, row, {});
        if (!r) return std::unexpected(r.error());
        return r->saved;
    }
    // The same, with what the change means for stored cases and accounts, in the same
    // transaction (nothing of it when the save is refused).
    virtual Result<ConfigSaved> saveConfigVersionWith(const ConfigDocument& c,
                                                      const std::string& expectedVersion,
                                                      const ConfigVersionRow& row,
                                                      const ConfigEffects& effects) = 0;
    // Newest first, documents included.
    virtual Result<std::vector<ConfigVersionRow>> configHistory(std::size_t limit) = 0;

    // --- copy (kiosk-backend copy: a ward's database into the city's) ----------------------
    // Records in storage order after `cursor` (an opaque position; 0 = the start), with the
    // position of the last one in `next`.
    struct RecordPage {
        std::vector<StoredRecord> records;
        std::int64_t next = 0;
    };
    virtual Result<RecordPage> recordsAfter(std::int64_t cursor, std::size_t limit) = 0;
    // Status events after `eventId`, oldest first, with kioskId and uid filled in.
    virtual Result<std::vector<StatusEvent>> eventsAfter(std::int64_t eventId,
                                                         std::size_t limit) = 0;
    virtual Result<std::vector<ConflictRow>> allConflicts() = 0;
    virtual Result<std::vector<TokenRow>> enrolTokens() = 0;
    virtual Result<std::vector<TokenRow>> staffTokens() = 0;
    // Kiosks and tokens that the target does not have yet (existing rows are left alone).
    virtual Result<void> copyIdentities(const std::vector<KioskRow>& kiosks,
                                        const std::vector<TokenRow>& enrol,
                                        const std::vector<TokenRow>& staff) = 0;
    virtual Result<CopyProgress> copyProgress(const std::string& sourceId) = 0;
    virtual Result<void> copyIn(const CopyBatch& batch) = 0;
    // The console's columns of the records after row `cursor`, in row order (`next`: the last).
    struct IndexPage {
        std::vector<RecordIndexRow> rows;
        std::int64_t next = 0;
    };
    virtual Result<IndexPage> recordIndexAfter(std::int64_t cursor, std::size_t limit) = 0;
    // Applies a source's console columns to the records with these ids, in one transaction:
    // ward, search text and case link where the target has none; status, agency and deadline
    // unless the target's status is newer (a city officer acted after the copy). Idempotent.
    // Returns how many records changed.
    virtual Result<std::int64_t> copyIndexIn(std::span<const RecordIndexRow> rows) = 0;
    virtual Result<CopyExtras> copyExtras() = 0;  // every row of the small console tables
    virtual Result<CopyExtrasCount> copyExtrasIn(const CopyExtras& x) = 0;  // one transaction
    // --- the officers' console --------------------------------------------------------------
    virtual Result<void> indexCases(std::span<const CaseIndex> items) = 0;
    virtual Result<std::vector<CaseRow>> cases(const CaseQuery& q) = 0;
    virtual Result<std::optional<CaseRow>> caseByCode(const std::string& trackingCode) = 0;
    virtual Result<std::optional<StoredRecord>> recordByCode(const std::string& trackingCode) = 0;
    virtual Result<bool> addConsoleUser(const ConsoleUser& u) = 0;  // false: the name is taken
    virtual Result<std::optional<ConsoleUser>> consoleUser(const std::string& name) = 0;
    virtual Result<std::vector<ConsoleUser>> consoleUsers() = 0;
    // Replaces role, ward, agency, password hash and disabled of the user with this name.
    virtual Result<bool> updateConsoleUser(const ConsoleUser& u) = 0;
    // One login attempt, atomically: success clears the counter; a failure counts, and the
    // `maxFailures`-th in a row locks the account until `lockUntilMs` (and restarts the count).
    virtual Result<void> noteLogin(const std::string& name, bool success, int maxFailures,
                                   std::int64_t lockUntilMs) = 0;
    virtual Result<void> addConsoleSession(const ConsoleSession& s) = 0;
    virtual Result<std::optional<ConsoleSession>> consoleSession(const std::string& tokenHash) = 0;
    virtual Result<void> touchConsoleSession(const std::string& tokenHash, std::int64_t nowMs) = 0;
    virtual Result<void> deleteConsoleSession(const std::string& tokenHash) = 0;
    virtual Result<void> deleteUserSessions(const std::string& userName) = 0;
    virtual Result<void> addAccessLog(const AccessLogRow& row) = 0;
    virtual Result<std::vector<AccessLogRow>> accessLog(std::size_t limit) = 0;  // newest first
    virtual Result<void> addCaseNote(const CaseNote& n) = 0;
    virtual Result<std::vector<CaseNote>> caseNotes(
        const std::string& trackingCode) = 0;  // oldest first
    // Every case after row `afterRid` in row order (statistics, export: a scan in pages).
    virtual Result<std::vector<CaseRow>> casesAfter(std::int64_t afterRid, std::size_t limit) = 0;
    // Templates of `category` and those for any category ("" gives all), by title.
    virtual Result<std::vector<ReplyTemplate>> replyTemplates(const std::string& category) = 0;
    virtual Result<std::optional<ReplyTemplate>> replyTemplate(std::int64_t id) = 0;
    // Inserts (id 0) or replaces (id > 0; false when there is no such template).
    virtual Result<bool> putReplyTemplate(const ReplyTemplate& t) = 0;
    virtual Result<void> deleteReplyTemplate(std::int64_t id) = 0;
    // The stored content of these rows (rid, canonical content bytes), in rid order; rids that
    // are not there are left out. One query per export page (the contact column).
    virtual Result<std::vector<std::pair<std::int64_t, std::string>>> caseContents(
        std::span<const std::int64_t> rids) = 0;
    // How many records this kiosk has and its newest row (rid; 0 when none). Records are never
    // changed or removed, so a chain audit stays valid while this stays the same.
    struct RecordStamp {
        std::uint64_t count = 0;
        std::int64_t maxRid = 0;
        bool operator==(const RecordStamp&) const = default;
    };
    virtual Result<RecordStamp> kioskRecordStamp(const std::string& kioskId) = 0;
};

}  // namespace ksync::backend
