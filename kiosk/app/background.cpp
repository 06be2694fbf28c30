#include "app/background.hpp"

#include <exception>

#include "log/log.hpp"

namespace kiosk::app {

BackgroundWorker::BackgroundWorker(std::size_t capacity)
    : m_capacity(capacity == 0 ? 1 : capacity) {
    m_thread = std::thread([this] { run(); });
}

BackgroundWorker::~BackgroundWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_jobs.clear();
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

bool BackgroundWorker::post(Job job) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_jobs.size() >= m_capacity) return false;
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_one();
    return true;
}

std::size_t BackgroundWorker::waiting() const {
    std::lock_guard lock(m_mutex);
    return m_jobs.size();
}

void BackgroundWorker::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping) return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        try {
            job();
        } catch (const std::exception& e) {
            platform::log::error("background", std::string("job failed: ") + e.what());
        } catch (...) {
            platform::log::error("background", "job failed");
        }
    }
}

}  // namespace kiosk::app
