#pragma once
// The kiosk's background sync worker: its own thread, its own SQLite connection (through
// SyncClient), running sync passes with backoff and never giving up.
//
// Thread-safety:
//   * start(), stop() — the owning (UI) thread.
//   * wake(), refresh(), snapshot() — any thread.
//   * The event callback runs on the worker thread. It must return quickly and must not call
//     into the UI: push the event onto the UI's queue (the kiosk posts its snapshot to the
//     MainQueue, which wakes the event loop).
//
// Scheduling: after a successful pass the worker sleeps `idlePollMs` (status and config
// polling) unless wake() says a new record is waiting — then it runs at once. After a failed
// pass it sleeps the backoff delay (exponential, full jitter, cap, Retry-After), and wake()
// does not cut that short: a dead link is not hammered once per new record.
//
// The snapshot is the one source of sync state for the UI: it is published (event Refreshed)
// once at start, read from the store, before the first pass; after every pass; and whenever
// wake() or refresh() asks while the worker sleeps — then it re-reads the queue from its own
// connection and sleeps on, without a pass. The UI thread never reads the store for it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/backoff.hpp"
#include "client/sync_client.hpp"

namespace ksync::client {

struct SyncSnapshot {
    enum class Phase { Stopped, Starting, Syncing, Idle, Waiting };
    Phase phase = Phase::Stopped;
    bool enrolled = false;
    bool linkUp = false;      // the last pass reached the backend and finished
    std::string lastContact;  // RFC 3339 UTC, empty: never
    // The last pass's error as a code (sync_error.hpp; the UI words it), empty: none. Before the
    // first pass: what the store holds, which in a database of an older version may be a
    // sentence in words (parseStoredError() says no; shown as it is).
    std::string lastError;
    std::string lastErrorDetail;                    // technical, no personal data
    std::int64_t queued = 0;                        // records not yet acknowledged
    std::optional<std::int64_t> oldestQueuedMs;     // unix ms when the oldest of them was made
    std::optional<std::int64_t> oldestQueuedAgeMs;  // its age when the snapshot was taken
    std::int64_t quarantined = 0;                   // need staff
    // The newest refused records (at most kShownRefusals), with the reason as stored
    // (outbox.last_error: a code and its detail, e.g. record.rejected + proof_mismatch).
    struct Refusal {
        std::string trackingCode;
        std::string code;
        std::string detail;
        bool operator==(const Refusal&) const = default;
    };
    static constexpr std::size_t kShownRefusals = 3;
    std::vector<Refusal> refused;
    // Whether a record has reached the backend: the snapshot has seen it (lastSeq >= its
    // sequence) and no older-or-equal one waits (oldestQueuedSeq > its sequence, or none waits).
    std::optional<std::int64_t> oldestQueuedSeq;
    std::int64_t lastSeq = 0;
    bool acknowledged(std::int64_t seq) const {
        return lastSeq >= seq && (!oldestQueuedSeq || *oldestQueuedSeq > seq);
    }
    std::int64_t nextAttemptInMs = 0;  // while Waiting
    int failuresInARow = 0;
};

struct SyncEvent {
    // Refreshed: the queue was re-read without a pass (at start, after wake() or refresh()).
    enum class Kind { PassFinished, StatusUpdated, ConfigChanged, Refreshed };
    Kind kind = Kind::PassFinished;
    SyncSnapshot snapshot;
    PassReport report;
};

struct SyncWorkerOptions {
    SyncClientOptions client;
    BackoffPolicy backoff;
    std::int64_t idlePollMs = 5 * 60 * 1000;
    // false: no backend is configured (a kiosk that moves its records by USB stick only). No
    // pass is run; the worker still keeps the snapshot of the queue for the staff panel.
    bool runPasses = true;
};

class SyncWorker {
public:
    using Callback = std::function<void(const SyncEvent&)>;
    SyncWorker(store::DataDir dir, SyncWorkerOptions options, Callback onEvent = {});
    ~SyncWorker();  // stops
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();
    // Asks the worker to finish its current request (bounded by the transport timeouts) and
    // joins it. Records in flight stay `sending` in the store only if the process dies; a clean
    // stop leaves them queued.
    void stop();
    // A new record is in the outbox: sync now if the link is up; else refresh().
    void wake();
    // The queue changed in another way (a USB import, the staff panel opening): re-read it and
    // publish a Refreshed snapshot soon, without a pass and without cutting a backoff short.
    void refresh();
    SyncSnapshot snapshot() const;

private:
    enum class Woken { Stop, Due, Refresh };
    void run();
    void publish(SyncEvent::Kind kind, const PassReport& report);
    Woken waitUntil(std::chrono::steady_clock::time_point deadline, bool wakeCutsShort);

    store::DataDir m_dir;
    SyncWorkerOptions m_options;
    Callback m_onEvent;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    bool m_woken = false;
    bool m_refresh = false;
    SyncSnapshot m_snapshot;
    std::thread m_thread;
};

}  // namespace ksync::client
