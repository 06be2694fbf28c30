#pragma once
// StatusLookup: a resident's tracking code, looked up. This kiosk's own records and the status
// cache answer at once, offline too. Any other code is remembered for the next USB bundle and,
// when a backend is configured, asked of the backend's public status endpoint on the
// background worker (any failure — offline, a captive portal's HTML, a timeout — reads as
// "not found here"; the screen then says where else to look).
//
// Thread-safety: lookup() on the UI thread; the online half runs on the background worker and
// touches only the MainQueue.
#include <string>

#include "app/background.hpp"
#include "app/main_queue.hpp"
#include "client/http_transport.hpp"
#include "store/store.hpp"

namespace kiosk::app {

class StatusLookup {
public:
    StatusLookup(ksync::store::Store& store, const ksync::store::KioskSettings& settings,
                 BackgroundWorker& worker, MainQueue& queue)
        : m_store(store), m_settings(settings), m_worker(worker), m_queue(queue) {}

    void lookup(const std::string& code);
    // The backend's public timeline of `code` (blocking; found=false on any failure).
    static core::intent::StatusLoaded fetchPublic(const ksync::client::TransportOptions& opts,
                                                  const std::string& code);

private:
    ksync::store::Store& m_store;
    const ksync::store::KioskSettings& m_settings;
    BackgroundWorker& m_worker;
    MainQueue& m_queue;
};

}  // namespace kiosk::app
