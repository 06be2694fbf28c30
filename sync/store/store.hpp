#pragma once
// The kiosk's local database: records (with the hash chain), the outbox, the status cache,
// the config cache and sync bookkeeping, in one SQLite file (WAL mode).
//
// Thread-safety: a Store is one SQLite connection and belongs to one thread. The UI thread
// and the sync worker each open their own Store on the same file; two processes may too
// (writes take the lock with BEGIN IMMEDIATE and wait on a 5 s busy timeout).
//
// Errors: every public function returns its result or a StoreError value and never throws:
// SQLite failures are classified by their code, a damaged stored value (a counter that is not a
// number) is ErrorKind::Corrupt, anything else thrown inside is ErrorKind::Io.
// StoreError::messageKey() names a Vietnamese message in assets/strings; `detail` is for logs
// and never contains personal data.
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "record/record.hpp"
#include "record/validation.hpp"

namespace ksync::store {

enum class ErrorKind {
    NotInitialised,
    NewerSchema,
    DiskFull,
    ReadOnly,
    Busy,
    Corrupt,
    Io,
    NotFound,
    Invalid
};

struct StoreError {
    ErrorKind kind = ErrorKind::Io;
    std::string detail;  // technical, no personal data
    int found = 0;       // NewerSchema: the file's schema version
    int supported = 0;   // NewerSchema: the newest this build knows
    std::string_view messageKey() const;
    bool transient() const { return kind == ErrorKind::Busy; }
};

template <class T>
using Result = std::expected<T, StoreError>;

// sync_state key of the backend's public key (base64 Ed25519): pinned by `kioskctl init
// --backend-key` or learnt at enrolment. Content is sealed to it.
inline constexpr std::string_view kStateBackendKey = "backend_public_key";
// sync_state key of the status pull cursor (opaque to the kiosk; a number in practice).
inline constexpr std::string_view kStateStatusCursor = "status_cursor";

struct RecordSummary {
    std::uint64_t seq = 0;
    std::string trackingCode;
    record::RecordType type = record::RecordType::Pakn;
    std::string category;
    std::string createdAt;
    std::string outboxState;    // queued / sending / uploaded / quarantined
    std::string backendStatus;  // latest status from the backend, empty if none yet
    std::string outboxError;    // outbox.last_error as stored (a code, sync_error.hpp), or ""
};

struct OutboxItem {
    record::Header header;
    std::string
        contentFormat;    // "sealed:<inner>", or "plain" before the kiosk knew the backend key
    std::string content;  // bytes as stored
    int attempts = 0;
};

struct OutboxStats {
    std::int64_t queued = 0;  // queued + sending (not yet acknowledged)
    std::int64_t uploaded = 0;
    std::int64_t quarantined = 0;
    std::optional<std::int64_t> oldestQueuedMs;   // unix ms when the oldest unsent record was made
    std::optional<std::int64_t> oldestQueuedSeq;  // the sequence of the oldest unsent record
    std::int64_t lastSeq = 0;                     // the newest record in the outbox (0: none)
};

struct StatusUpdate {
    std::string trackingCode;
    std::string status;  // received, forwarded, needs_info, answered, closed, rejected, duplicate
    std::string note;
    std::string agency;
    std::string officer;
    std::string expectedDate;  // YYYY-MM-DD or empty
    std::string updatedAt;     // RFC 3339 UTC
};

struct CachedConfig {
    std::string version;
    std::string etag;
    std::string document;  // JSON
    std::string fetchedAt;
};

// What a return bundle (USB, sync/client/bundle.hpp) changes, applied in one transaction.
struct ReturnApply {
    std::vector<std::uint64_t> acknowledged;                        // queued/sending -> uploaded
    std::string acknowledgedAt;                                     // RFC 3339 UTC
    std::vector<std::pair<std::uint64_t, std::string>> quarantine;  // sequence, reason in words
    std::vector<StatusUpdate> statuses;
    std::optional<std::string> statusCursor;  // set only when it moves forward
    std::optional<CachedConfig> config;       // replaces the cached config
    std::optional<std::pair<std::string, std::string>> dictionary;  // name, bytes: installed
    std::vector<std::pair<std::string, std::string>> state;         // sync_state keys, written last
};
// What it changed; all zero (and nothing written) when the bundle brought nothing new.
struct ReturnApplied {
    std::size_t acknowledged = 0;
    std::size_t quarantined = 0;
    std::size_t newStatuses = 0;
    bool cursorMoved = false;
    bool configTaken = false;
    bool dictionaryTaken = false;
    bool nothingNew() const {
        return !acknowledged && !quarantined && !newStatuses && !cursorMoved && !configTaken &&
               !dictionaryTaken;
    }
};

struct VerifyProblem {
    std::uint64_t seq = 0;
    std::string reason;  // English, technical, no personal data
};

struct VerifyReport {
    std::string integrity;  // "ok" or SQLite's complaint
    std::uint64_t records = 0;
    std::vector<VerifyProblem> problems;
    bool ok() const { return integrity == "ok" && problems.empty(); }
};

// What this kiosk can say about a receipt secret (issue #14). Only the kiosk that made the case
// knows its verifier; any other kiosk says NotHere and leaves the check to the backend.
enum class ProofCheck { Match, Mismatch, OldReceipt, NotHere };
std::string_view proofCheckCode(ProofCheck c);  // "match" / "mismatch" / "old_receipt" / "not_here"

class Store {
public:
    enum class Open { CreateOrMigrate, ExistingOnly };

    // Opens (creating and migrating when allowed) the database file. A file written by a newer
    // schema is refused with ErrorKind::NewerSchema and left untouched.
    static Result<Store> open(const std::filesystem::path& file, Open mode = Open::CreateOrMigrate);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    int schemaVersion() const;

    // --- records -------------------------------------------------------------------------
    // In one transaction: the next sequence number, the tracking code, the hash-chain link,
    // the record and its outbox row. Durable (synchronous=FULL) when it returns. When the
    // backend key is known (kStateBackendKey), the content is compressed and sealed to it before
    // it is written: the file never holds it in plain form. The returned Record carries the plain
    // content (for the receipt, which is made from it before it is dropped).
    Result<record::Record> createRecord(const record::ValidDraft& draft, std::string_view kioskId,
                                        std::string_view createdAtUtc, bool clockSynced);
    // Seals every record still stored in plain form (made before the kiosk knew the backend
    // key), then checkpoints the WAL so no plain page survives in it (secure_delete is on).
    // Returns how many were sealed; 0 when there is no key yet.
    Result<std::size_t> sealPlainRecords();
    Result<std::uint64_t> unsealedCount();
    // The payload dictionary the backend's config names ("v1" by default).
    Result<std::string> payloadDictionary();
    // The payload dictionaries this kiosk can compress with: shipped, then installed.
    Result<std::vector<std::string>> dictionaryNames();
    // A case's code and a secret against the verifier this kiosk kept when it made the case
    // (schema v4). Supplements and ratings are never cases to check against.
    Result<ProofCheck> checkProof(std::string_view trackingCode, std::string_view secret);
    // The case a supplement or rating belongs to (kept in plain on this kiosk: the content
    // itself is sealed); nullopt for a case.
    Result<std::optional<std::string>> parentCodeOf(std::uint64_t seq);
    Result<std::optional<record::Record>> findByCode(std::string_view trackingCode);
    Result<std::optional<record::Record>> findBySeq(std::uint64_t seq);
    Result<std::optional<RecordSummary>> summaryByCode(std::string_view trackingCode);
    // Newest first.
    Result<std::vector<RecordSummary>> listRecords(std::size_t limit, std::size_t offset = 0);
    Result<std::uint64_t> recordCount();

    // --- outbox (sync worker) ------------------------------------------------------------
    // Records whose turn it is (queued, next attempt due), oldest first, at most maxRecords
    // and about maxBytes of content (always at least one). They are marked `sending`.
    Result<std::vector<OutboxItem>> claimBatch(std::size_t maxRecords, std::size_t maxBytes,
                                               std::int64_t nowMs);
    Result<void> markUploaded(std::span<const std::uint64_t> seqs, std::string_view atUtc);
    // Back to queued with attempts+1, the error in words (no personal data) and the next time.
    Result<void> markRetry(std::span<const std::uint64_t> seqs, std::string_view error,
                           std::int64_t nextAttemptMs);
    Result<void> quarantine(std::uint64_t seq, std::string_view reason);
    // Staff: put a quarantined record back in the queue.
    Result<void> requeue(std::uint64_t seq);
    // After a crash: anything left `sending` goes back to `queued` (the backend deduplicates).
    Result<std::int64_t> recoverSending();
    Result<OutboxStats> outboxStats();
    Result<std::vector<RecordSummary>> quarantined();
    // Every record not yet acknowledged (queued or sending), oldest first, not claimed: what a
    // USB bundle carries. They stay queued until an acknowledgement arrives (link or bundle).
    Result<std::vector<OutboxItem>> unacknowledged();
    // A return bundle's changes in one transaction (all or nothing). When nothing in it is new
    // (every acknowledgement known, every status event stored, the cursor not moving, no config)
    // it writes nothing, not even `state`, and returns all zero.
    Result<ReturnApplied> applyReturn(const ReturnApply& a);

    // --- status cache --------------------------------------------------------------------
    // Adds the event (idempotent) and moves the latest status forward if it is newer.
    Result<void> applyStatus(const StatusUpdate& u);
    Result<std::optional<StatusUpdate>> latestStatus(std::string_view trackingCode);
    Result<std::vector<StatusUpdate>> statusHistory(std::string_view trackingCode);  // oldest first

    // --- config cache and small key/value state ------------------------------------------
    Result<void> saveConfig(const CachedConfig& c);
    Result<std::optional<CachedConfig>> config();
    Result<void> setState(std::string_view key, std::string_view value);
    Result<std::optional<std::string>> state(std::string_view key);

    // --- integrity -----------------------------------------------------------------------
    // SQLite's integrity check, then the hash chain from sequence 1: gaps, a missing tail,
    // broken links, altered headers or content.
    Result<VerifyReport> verify();

    // A consistent copy of the database in one file (VACUUM INTO: no free pages, no WAL), made
    // while the kiosk runs. Plain content is never in it once the backend key is known: records
    // still plain are sealed first. Refuses to overwrite an existing file.
    Result<void> backupTo(const std::filesystem::path& file);

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace ksync::store
