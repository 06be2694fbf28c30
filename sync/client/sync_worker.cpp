#include "client/sync_worker.hpp"

#include "clock/clock.hpp"

namespace ksync::client {

SyncWorker::SyncWorker(store::DataDir dir, SyncWorkerOptions options, Callback onEvent)
    : m_dir(std::move(dir)), m_options(std::move(options)), m_onEvent(std::move(onEvent)) {}

SyncWorker::~SyncWorker() {
    stop();
}

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
        m_refresh = true;
    }
    m_cv.notify_all();
}

void SyncWorker::refresh() {
    {
        std::lock_guard lock(m_mutex);
        m_refresh = true;
    }
    m_cv.notify_all();
}

SyncSnapshot SyncWorker::snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

SyncWorker::Woken SyncWorker::waitUntil(std::chrono::steady_clock::time_point deadline,
                                        bool wakeCutsShort) {
    std::unique_lock lock(m_mutex);
    m_cv.wait_until(lock, deadline,
                    [&] { return m_stopping || m_refresh || (wakeCutsShort && m_woken); });
    if (m_stopping) return Woken::Stop;
    if (wakeCutsShort && m_woken) return Woken::Due;  // the pass re-reads everything
    if (m_refresh) {
        m_refresh = false;
        return Woken::Refresh;
    }
    return Woken::Due;
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

namespace {

// What the snapshot shows of the queue, read on the worker thread from its own connection.
void readQueue(store::Store& st, SyncSnapshot& snap) {
    if (auto stats = st.outboxStats()) {
        snap.queued = stats->queued;
        snap.quarantined = stats->quarantined;
        snap.oldestQueuedMs = stats->oldestQueuedMs;
        snap.oldestQueuedSeq = stats->oldestQueuedSeq;
        snap.lastSeq = stats->lastSeq;
        snap.refused.clear();
        if (stats->quarantined > 0)
            if (auto q = st.quarantined()) {
                for (auto it = q->rbegin();
                     it != q->rend() && snap.refused.size() < SyncSnapshot::kShownRefusals; ++it) {
                    const auto e = parseStoredError(it->outboxError);
                    snap.refused.push_back({it->trackingCode, e ? e->code : it->outboxError,
                                            e ? e->detail : std::string{}});
                }
            }
        snap.oldestQueuedAgeMs.reset();
        if (stats->oldestQueuedMs)
            snap.oldestQueuedAgeMs = std::max<std::int64_t>(
                0, platform::clock::unixMillis(platform::clock::now()) - *stats->oldestQueuedMs);
    }
    if (auto c = st.state("last_contact"); c && *c) snap.lastContact = **c;
}

}  // namespace

void SyncWorker::run() {
    Backoff backoff(m_options.backoff);
    std::optional<SyncClient> client;
    // Without a client (no backend, or it cannot open yet) the snapshot reads through this one.
    std::optional<store::Store> own;
    auto queueStore = [&]() -> store::Store* {
        if (client) return &client->store();
        if (!own)
            if (auto opened =
                    store::Store::open(m_dir.database(), store::Store::Open::ExistingOnly))
                own.emplace(std::move(*opened));
        return own ? &*own : nullptr;
    };
    auto setSnapshot = [&](const SyncSnapshot& snap) {
        std::lock_guard lock(m_mutex);
        m_snapshot = snap;
    };

    // Before the first pass (which may wait for a timeout): what the store holds, so the staff
    // panel has numbers at once.
    SyncSnapshot snap;
    snap.phase = m_options.runPasses ? SyncSnapshot::Phase::Starting : SyncSnapshot::Phase::Idle;
    if (auto* st = queueStore()) {
        readQueue(*st, snap);
        if (auto e = st->state("last_error"); e && *e) {
            const auto parsed = parseStoredError(**e);
            snap.lastError = parsed ? parsed->code : **e;
            snap.lastErrorDetail = parsed ? parsed->detail : std::string{};
        }
    }
    setSnapshot(snap);
    publish(SyncEvent::Kind::Refreshed, {});

    int failures = 0;
    while (true) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) break;
            m_woken = false;  // this pass will see every record created so far
            m_refresh = false;
            m_snapshot.phase = SyncSnapshot::Phase::Syncing;
        }
        PassReport report;
        if (m_options.runPasses && !client) {
            auto opened = SyncClient::open(m_dir, m_options.client);
            if (opened) {
                client.emplace(std::move(*opened));
                own.reset();
                if (auto r = client->recover(); !r) report.error = r.error();
            } else {
                report.error = opened.error();
            }
        }
        if (client && !report.error) report = client->runPass();

        // The same numbers as kioskctl status: the queue read back from the store after the pass.
        snap = SyncSnapshot{};
        snap.failuresInARow = report.error ? failures + 1 : 0;
        snap.linkUp = m_options.runPasses && !report.error;
        if (report.error) {
            const StoredError e = report.error->stored();
            snap.lastError = e.code;
            snap.lastErrorDetail = e.detail;
        }
        if (client) snap.enrolled = client->enrolled();
        if (auto* st = queueStore()) readQueue(*st, snap);
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
        setSnapshot(snap);
        publish(m_options.runPasses ? SyncEvent::Kind::PassFinished : SyncEvent::Kind::Refreshed,
                report);
        if (report.statusUpdates > 0) publish(SyncEvent::Kind::StatusUpdated, report);
        if (report.configChanged) publish(SyncEvent::Kind::ConfigChanged, report);

        // Sleep until the next pass is due; a refresh in between re-reads the queue only.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay);
        Woken w;
        while ((w = waitUntil(deadline, wakeCutsShort)) == Woken::Refresh) {
            if (auto* st = queueStore()) readQueue(*st, snap);
            setSnapshot(snap);
            publish(SyncEvent::Kind::Refreshed, {});
        }
        if (w == Woken::Stop) break;
    }
}

}  // namespace ksync::client
