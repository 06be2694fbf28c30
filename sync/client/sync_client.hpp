#pragma once
// One kiosk's side of protocol v1 (docs/PROTOCOL.md): enrolment, and sync passes that upload
// the outbox oldest first (one batch in flight, each acknowledgement written back before the
// next batch), pull status updates and the config, and send a heartbeat.
//
// Only a response signed by the backend's key (learned at enrolment) for this very request
// can change local state (acknowledge, quarantine, status, config). Anything else — a captive
// portal's login page, a proxy's error, garbage — is a transient error and changes nothing.
//
// Thread-safety: a SyncClient owns its own SQLite connection, curl handle and zstd contexts and
// belongs to the one thread that opened it (the sync worker's, or kioskctl's main thread).
// Errors: values (SyncError), never exceptions.
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/http_transport.hpp"
#include "client/sync_error.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"

namespace ksync::client {

struct SyncClientOptions {
    TransportOptions transport;  // baseUrl and caBundle default to kiosk.toml's
    // Up to 250 records or 256 KiB of stored (sealed, compressed) content per batch.
    // A batch of 250 typical records is ~90 KB on the wire (sealed, zstd body): ~3 s at 256 kbit/s,
    // so one round trip of 300 ms per batch costs ~10 %; a cut link loses at most one batch's time.
    std::size_t batchRecords = 250;
    std::size_t batchBytes = 256 * 1024;
    std::size_t maxBatchesPerPass = 10000;
    std::int64_t healthEveryMs = 60 * 1000;  // a health check when the last contact is older
    std::int64_t configEveryMs = 15 * 60 * 1000;
    std::int64_t heartbeatEveryMs = 5 * 60 * 1000;
    std::string appVersion = "0.1.0";
    std::function<std::string()> printerState;  // called on the sync thread; default "unknown"
};

struct PassReport {
    std::size_t batches = 0;
    std::size_t uploaded = 0;     // acknowledged (created or duplicate)
    std::size_t duplicates = 0;   // of which the backend already had
    std::size_t quarantined = 0;  // conflicts and permanent rejections, for staff
    std::size_t statusUpdates = 0;
    bool configChanged = false;
    bool contacted = false;  // at least one verified backend response
    std::optional<SyncError> error;
    bool ok() const { return !error.has_value(); }
};

// Where the kiosk keeps its secret key (mode 0600).
std::filesystem::path deviceKeyFile(const store::DataDir& dir);

class SyncClient {
public:
    // Reads kiosk.toml and the device key and opens the kiosk's database (its own connection).
    // Fails with BadConfig (no/bad settings or URL), NotEnrolled (no key pair) or Storage.
    static std::expected<SyncClient, SyncError> open(const store::DataDir& dir,
                                                     SyncClientOptions options = {});
    SyncClient(SyncClient&&) noexcept;
    SyncClient& operator=(SyncClient&&) noexcept;
    ~SyncClient();

    // Registers this kiosk's public key with the backend using a one-time token; remembers the
    // backend's public key. Returns the backend key's fingerprint.
    std::expected<std::string, SyncError> enroll(const std::string& token);
    bool enrolled();

    // Puts records left `sending` by a crash back in the queue. Call once before the first pass.
    std::expected<std::int64_t, SyncError> recover();

    // One pass: health (when due), upload until the queue is empty or an error, status pull,
    // config (when due) and heartbeat (when due). Records the outcome in sync_state
    // (last_contact; last_error as a stored code, StoredError::text(), "" after a good pass).
    PassReport runPass();

    store::Store& store();
    const std::string& kioskId() const;

private:
    SyncClient();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace ksync::client
