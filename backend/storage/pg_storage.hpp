#pragma once
// BackendStorage over PostgreSQL 15 through libpq: the city's database, shared by several
// kiosk-backend processes. Nothing that matters is kept in memory: nonces, tokens, kiosks and
// records are all rows, so a request may land on any process.
//
// Connections: a pool of at most `poolSize` per process, opened on demand. A request that finds
// none free within `poolWaitMs` gets a transient error (503), never a hang; every statement runs
// under `statement_timeout`. A connection that broke (the server restarted, the network
// dropped) is thrown away and the next request opens a new one: the process reconnects by itself.
//
// Exactly once: records are inserted with INSERT ... ON CONFLICT (id) DO NOTHING inside one
// transaction per batch; there is no check-then-insert. Status events are appended under a
// transaction-scoped advisory lock, so their ids commit in order and a kiosk's pull cursor
// never skips an event that committed late.
//
// Thread-safety: all methods may be called from any thread at the same time.
#include <memory>
#include <string>

#include "storage/backend_storage.hpp"
#include "storage/open_storage.hpp"

namespace ksync::backend {

class PgStorage final : public BackendStorage {
public:
    // Connects, checks the schema version (a newer one is refused) and, with options.migrate,
    // applies pending migrations under an advisory lock (several processes may start at once).
    static Result<std::unique_ptr<PgStorage>> open(const std::string& uri,
                                                   const OpenOptions& options);
    ~PgStorage() override;

    Result<SchemaInfo> schema() override;
    Result<std::string> issueEnrolToken(const std::string& kioskId,
                                        std::int64_t expiresMs) override;
    Result<EnrolOutcome> enrol(const std::string& token, const std::string& kioskId,
                               const std::string& publicKey, std::int64_t nowMs) override;
    Result<std::optional<std::string>> kioskPublicKey(const std::string& kioskId) override;
    Result<std::vector<KioskRow>> kiosks() override;
    Result<void> recordHeartbeat(const std::string& kioskId, const std::string& json,
                                 std::int64_t nowMs) override;
    Result<std::string> issueStaffToken(const std::string& name) override;
    Result<std::optional<std::string>> staffTokenName(const std::string& token) override;
    Result<bool> useNonce(const std::string& kioskId, const std::string& nonce,
                          std::int64_t nowMs) override;
    Result<std::vector<IngestResult>> ingest(std::span<const IngestItem> items,
                                             std::int64_t nowMs) override;
    Result<std::optional<StoredRecord>> recordById(const std::string& id) override;
    Result<std::uint64_t> recordCount() override;
    Result<std::vector<StoredRecord>> kioskRecords(const std::string& kioskId) override;
    Result<std::vector<std::string>> kioskIdsWithRecords() override;
    Result<std::vector<ConflictRow>> conflicts(const std::string& kioskId) override;
    Result<bool> addStatus(const StatusEvent& e) override;
    Result<std::vector<StatusEvent>> statusSince(const std::string& kioskId, std::int64_t cursor,
                                                 std::size_t limit) override;
    Result<std::optional<PublicRecord>> publicRecord(const std::string& trackingCode) override;
    Result<std::vector<PublicRecord>> publicRecords(const RequestFilter& f) override;
    Result<std::optional<StoredRecord>> caseRecordByCode(const std::string& trackingCode) override;
    Result<std::optional<CaseRating>> caseRating(const std::string& trackingCode) override;
    Result<std::vector<std::pair<std::string, std::int64_t>>> ratingCounts() override;
    Result<std::vector<StoredRecord>> caseAdditions(const std::string& trackingCode) override;
    Result<std::vector<StoredRecord>> unlinkedAdditions() override;
    Result<std::vector<CaseRating>> caseRatingsOf(const std::vector<std::string>& codes) override;
    Result<std::vector<CaseRating>> allCaseRatings() override;
    Result<std::optional<ConfigDocument>> config() override;
    Result<void> setConfig(const ConfigDocument& c) override;
    Result<ConfigSaved> saveConfigVersionWith(const ConfigDocument& c,
                                              const std::string& expectedVersion,
                                              const ConfigVersionRow& row,
                                              const ConfigEffects& effects) override;
    Result<std::vector<ConfigVersionRow>> configHistory(std::size_t limit) override;
    Result<RecordPage> recordsAfter(std::int64_t cursor, std::size_t limit) override;
    Result<std::vector<StatusEvent>> eventsAfter(std::int64_t eventId, std::size_t limit) override;
    Result<std::vector<ConflictRow>> allConflicts() override;
    Result<std::vector<TokenRow>> enrolTokens() override;
    Result<std::vector<TokenRow>> staffTokens() override;
    Result<void> copyIdentities(const std::vector<KioskRow>& kiosks,
                                const std::vector<TokenRow>& enrol,
                                const std::vector<TokenRow>& staff) override;
    Result<CopyProgress> copyProgress(const std::string& sourceId) override;
    Result<void> copyIn(const CopyBatch& batch) override;
    Result<IndexPage> recordIndexAfter(std::int64_t cursor, std::size_t limit) override;
    Result<std::int64_t> copyIndexIn(std::span<const RecordIndexRow> rows) override;
    Result<CopyExtras> copyExtras() override;
    Result<CopyExtrasCount> copyExtrasIn(const CopyExtras& x) override;
    Result<void> indexCases(std::span<const CaseIndex> items) override;
    Result<std::vector<CaseRow>> cases(const CaseQuery& q) override;
    Result<std::optional<CaseRow>> caseByCode(const std::string& trackingCode) override;
    Result<std::optional<StoredRecord>> recordByCode(const std::string& trackingCode) override;
    Result<bool> addConsoleUser(const ConsoleUser& u) override;
    Result<std::optional<ConsoleUser>> consoleUser(const std::string& name) override;
    Result<std::vector<ConsoleUser>> consoleUsers() override;
    Result<bool> updateConsoleUser(const ConsoleUser& u) override;
    Result<void> noteLogin(const std::string& name, bool success, int maxFailures,
                           std::int64_t lockUntilMs) override;
    Result<void> addConsoleSession(const ConsoleSession& s) override;
    Result<std::optional<ConsoleSession>> consoleSession(const std::string& tokenHash) override;
    Result<void> touchConsoleSession(const std::string& tokenHash, std::int64_t nowMs) override;
    Result<void> deleteConsoleSession(const std::string& tokenHash) override;
    Result<void> deleteUserSessions(const std::string& userName) override;
    Result<void> addAccessLog(const AccessLogRow& row) override;
    Result<std::vector<AccessLogRow>> accessLog(std::size_t limit) override;
    Result<void> addCaseNote(const CaseNote& n) override;
    Result<std::vector<CaseNote>> caseNotes(const std::string& trackingCode) override;
    Result<std::vector<CaseRow>> casesAfter(std::int64_t afterRid, std::size_t limit) override;
    Result<std::vector<ReplyTemplate>> replyTemplates(const std::string& category) override;
    Result<std::optional<ReplyTemplate>> replyTemplate(std::int64_t id) override;
    Result<bool> putReplyTemplate(const ReplyTemplate& t) override;
    Result<void> deleteReplyTemplate(std::int64_t id) override;
    Result<std::vector<std::pair<std::int64_t, std::string>>> caseContents(
        std::span<const std::int64_t> rids) override;
    Result<RecordStamp> kioskRecordStamp(const std::string& kioskId) override;

    struct Impl;

private:
    explicit PgStorage(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The number of migrations this program knows (the same numbering as SQLite's).
int pgLatestSchema();

}  // namespace ksync::backend
