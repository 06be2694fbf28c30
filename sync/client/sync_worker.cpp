#include "client/sync_worker.hpp"

#include "clock/clock.hpp"

namespace ksync::client {

SyncWorker::SyncWorker(store::DataDir dir, SyncWorkerOptions options, Callback onEvent)
    : m_dir(std::move(dir)), m_options(std::move(options)), m_onEvent(std::move(onEvent)) {}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stopping = false;
    m_snapshot.phase = SyncSnapshot::Phase::Starting;
    m_thread = std::thread([this] { run(); });
}

void SyncWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    std::lock_guard lock(m_mutex);
    m_snapshot.phase = SyncSnapshot::Phase::Stopped;
}

void SyncWorker::wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_all();
}

SyncSnapshot SyncWorker::snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

bool SyncWorker::waitFor(std::int64_t ms, bool wakeCutsShort) {
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return m_stopping || (wakeCutsShort && m_woken); });
    if (wakeCutsShort) m_woken = false;
    return !m_stopping;
}

void SyncWorker::publish(SyncEvent::Kind kind, const PassReport& report) {
    if (!m_onEvent) return;
    SyncEvent e;
    e.kind = kind;
    e.snapshot = snapshot();
    e.report = report;
    m_onEvent(e);
}

namespace {

// Every class is retried (the worker never gives up on a record); the class decides the cap.
std::int64_t retryDelayMs(Backoff& backoff, int failures, const SyncError& e) {
    switch (e.errorClass()) {
        case ErrorClass::Transient:
            // A link that is down is probed on the short cap; a backend that errs or is busy
            // waits out the long one.
            return backoff.delayMs(failures, e.retryAfterMs, e.linkDown());
        case ErrorClass::Permanent:
        case ErrorClass::Auth:
            // Waits for a fix (kiosk.toml, TLS, the database, enrolment) on the long cap, so a
            // fix is picked up without a restart and a refusing backend is not hammered.
            return backoff.delayMs(failures, e.retryAfterMs, false);
    }
    return backoff.delayMs(failures, e.retryAfterMs, false);
}

}  // namespace

void SyncWorker::run() {
    Backoff backoff(m_options.backoff);
    std::optional<SyncClient> client;
    int failures = 0;
    while (true) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) break;
            m_woken = false;  // this pass will see every record created so far
            m_snapshot.phase = SyncSnapshot::Phase::Syncing;
        }
        PassReport report;
        if (!client) {
            auto opened = SyncClient::open(m_dir, m_options.client);
            if (opened) {
                client.emplace(std::move(*opened));
                if (auto r = client->recover(); !r) report.error = r.error();
            } else {
                report.error = opened.error();
            }
        }
        if (client && !report.error) report = client->runPass();

        // Snapshot for the staff panel, read back from the store so it matches kioskctl status.
        SyncSnapshot snap;
        snap.failuresInARow = report.error ? failures + 1 : 0;
        snap.linkUp = !report.error;
        if (report.error) {
            const StoredError e = report.error->stored();
            snap.lastError = e.code;
            snap.lastErrorDetail = e.detail;
        }
        if (client) {
            snap.enrolled = client->enrolled();
            auto& st = client->store();
            if (auto stats = st.outboxStats()) {
                snap.queued = stats->queued;
                snap.quarantined = stats->quarantined;
                if (stats->oldestQueuedMs)
                    snap.oldestQueuedAgeMs =
                        std::max<std::int64_t>(0, platform::clock::unixMillis(platform::clock::now()) - *stats->oldestQueuedMs);
            }
            if (auto c = st.state("last_contact"); c && *c) snap.lastContact = **c;
        }
        std::int64_t delay = m_options.idlePollMs;
        bool wakeCutsShort = true;
        if (report.error) {
            ++failures;
            delay = retryDelayMs(backoff, failures, *report.error);
            wakeCutsShort = false;
        } else {
            failures = 0;
        }
        snap.phase = report.error ? SyncSnapshot::Phase::Waiting : SyncSnapshot::Phase::Idle;
        snap.nextAttemptInMs = delay;
        {
            std::lock_guard lock(m_mutex);
            m_snapshot = snap;
        }
        publish(SyncEvent::Kind::PassFinished, report);
        if (report.statusUpdates > 0) publish(SyncEvent::Kind::StatusUpdated, report);
        if (report.configChanged) publish(SyncEvent::Kind::ConfigChanged, report);
        // A store that cannot be opened (not initialised) is re-tried on the same schedule.
        if (!client && report.error && report.error->kind == SyncErrorKind::Storage) client.reset();
        if (!waitFor(delay, wakeCutsShort)) break;
    }
}

}  // namespace ksync::client
