#pragma once
// The kiosk's background sync worker: its own thread, its own SQLite connection (through
// SyncClient), running sync passes with backoff and never giving up.
//
// Thread-safety:
//   * start(), stop() — the owning (UI) thread.
//   * wake(), snapshot() — any thread.
//   * The event callback runs on the worker thread. It must return quickly and must not call
//     into the UI: push the event onto the UI's queue and call glfwPostEmptyEvent().
//
// Scheduling: after a successful pass the worker sleeps `idlePollMs` (status and config
// polling) unless wake() says a new record is waiting — then it runs at once. After a failed
// pass it sleeps the backoff delay (exponential, full jitter, cap, Retry-After), and wake()
// does not cut that short: a dead link is not hammered once per new record.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/backoff.hpp"
#include "client/sync_client.hpp"

namespace ksync::client {

struct SyncSnapshot {
    enum class Phase { Stopped, Starting, Syncing, Idle, Waiting };
    Phase phase = Phase::Stopped;
    bool enrolled = false;
    bool linkUp = false;              // the last pass reached the backend and finished
    std::string lastContact;          // RFC 3339 UTC, empty: never
    std::string lastError;            // a stored error code (sync_error.hpp), empty: none
    std::string lastErrorDetail;      // technical, no personal data
    std::int64_t queued = 0;          // records not yet acknowledged
    std::optional<std::int64_t> oldestQueuedAgeMs;
    std::int64_t quarantined = 0;     // need staff
    std::int64_t nextAttemptInMs = 0; // while Waiting
    int failuresInARow = 0;
};

struct SyncEvent {
    enum class Kind { PassFinished, StatusUpdated, ConfigChanged };
    Kind kind = Kind::PassFinished;
    SyncSnapshot snapshot;
    PassReport report;
};

struct SyncWorkerOptions {
    SyncClientOptions client;
    BackoffPolicy backoff;
    std::int64_t idlePollMs = 5 * 60 * 1000;
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
    // A new record is in the outbox: sync now if the link is up.
    void wake();
    SyncSnapshot snapshot() const;

private:
    void run();
    void publish(SyncEvent::Kind kind, const PassReport& report);
    bool waitFor(std::int64_t ms, bool wakeCutsShort);  // false: stopping

    store::DataDir m_dir;
    SyncWorkerOptions m_options;
    Callback m_onEvent;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    bool m_woken = false;
    SyncSnapshot m_snapshot;
    std::thread m_thread;
};

}  // namespace ksync::client
