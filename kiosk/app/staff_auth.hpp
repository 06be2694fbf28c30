#pragma once
// StaffAuth: checks a staff PIN against the Argon2id hash in kiosk.toml on the background
// worker (a few hundred milliseconds: not on the UI thread) and answers PinChecked. When the
// worker is full the answer is "busy", which the flow does not count as a wrong PIN.
//
// Thread-safety: check() on the UI thread.
#include <string>

#include "app/background.hpp"
#include "app/main_queue.hpp"
#include "store/store.hpp"

namespace kiosk::app {

class StaffAuth {
public:
    StaffAuth(const ksync::store::KioskSettings& settings, BackgroundWorker& worker,
              MainQueue& queue)
        : m_settings(settings), m_worker(worker), m_queue(queue) {}
    void check(const std::string& pin);

private:
    const ksync::store::KioskSettings& m_settings;
    BackgroundWorker& m_worker;
    MainQueue& m_queue;
};

}  // namespace kiosk::app
