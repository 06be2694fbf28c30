#pragma once
// BackgroundWorker: the kiosk's one thread for slow work that must not block the UI thread —
// staff PIN checks (Argon2, a few hundred ms), online status lookups (up to a few seconds),
// USB bundles (seconds for weeks of records). Jobs run one at a time in the order posted.
//
// Bounded: at most `capacity` jobs wait. post() refuses a job when the queue is full, and the
// caller answers the UI at once (a resident tapping "look up" twenty times on a dead link does
// not queue twenty lookups). A job must report its own result (through the MainQueue); the
// worker knows nothing about what a job does.
//
// Thread-safety: post() from any thread. The destructor stops taking jobs, lets the running
// one finish, drops the waiting ones and joins the thread. Jobs must not throw; one that does
// is logged and the worker goes on.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kiosk::app {

class BackgroundWorker {
public:
    using Job = std::function<void()>;
    explicit BackgroundWorker(std::size_t capacity = 8);
    ~BackgroundWorker();
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    // false: the queue is full (or the worker is stopping); the job was not taken.
    [[nodiscard]] bool post(Job job);
    // Jobs waiting, not counting the one running.
    std::size_t waiting() const;

private:
    void run();

    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace kiosk::app
