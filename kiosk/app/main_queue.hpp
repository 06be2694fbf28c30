#pragma once
// MainQueue: how other threads (printing, speech, sync) hand results to the UI thread.
// post() may be called from any thread; drain() and takeSyncSnapshot() only from the UI thread,
// once per frame. After post() the waker runs (glfwPostEmptyEvent in the real app) so an idle
// event loop wakes up at once. No lock is held while the waker or the UI runs.
//
// Intents are queued in order. The sync worker's snapshot is state, not an event: only the
// newest one matters, so a newer one replaces one the UI has not taken yet.
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "client/sync_worker.hpp"
#include "core/flow_types.hpp"

namespace kiosk::app {

class MainQueue {
public:
    using Waker = std::function<void()>;
    void setWaker(Waker w) {
        std::lock_guard lock(m_mutex);
        m_waker = std::move(w);
    }
    void post(core::Intent intent) {
        Waker w;
        {
            std::lock_guard lock(m_mutex);
            m_items.push_back(std::move(intent));
            w = m_waker;
        }
        if (w) w();
    }
    void post(ksync::client::SyncSnapshot snapshot) {
        Waker w;
        {
            std::lock_guard lock(m_mutex);
            m_sync = std::move(snapshot);
            w = m_waker;
        }
        if (w) w();
    }
    std::vector<core::Intent> drain() {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_items, {});
    }
    // The newest snapshot posted since the last call, if any.
    std::optional<ksync::client::SyncSnapshot> takeSyncSnapshot() {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_sync, std::nullopt);
    }

private:
    std::mutex m_mutex;
    std::vector<core::Intent> m_items;
    std::optional<ksync::client::SyncSnapshot> m_sync;
    Waker m_waker;
};

}  // namespace kiosk::app
