#pragma once
// UsbTransfer: the staff panel's USB buttons (docs/USB.md). Export writes every record not yet
// acknowledged into one signed bundle on the stick; import applies the backend's return
// bundle. Both run on the background worker with their own database connection (weeks of
// records take seconds) and answer UsbDone.
//
// Thread-safety: exportBundle() and importBundle() on the UI thread.
#include <functional>
#include <string>

#include "app/background.hpp"
#include "app/main_queue.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"

namespace kiosk::app {

class UsbTransfer {
public:
    // `printerState` gives the printer's state for the bundle's heartbeat (any thread).
    UsbTransfer(ksync::store::DataDir dir, const ksync::store::KioskSettings& settings,
                BackgroundWorker& worker, MainQueue& queue,
                std::function<std::string()> printerState)
        : m_dir(std::move(dir)),
          m_settings(settings),
          m_worker(worker),
          m_queue(queue),
          m_printerState(std::move(printerState)) {}
    void exportBundle();
    void importBundle();

private:
    void busy();
    ksync::store::DataDir m_dir;
    const ksync::store::KioskSettings& m_settings;
    BackgroundWorker& m_worker;
    MainQueue& m_queue;
    std::function<std::string()> m_printerState;
};

}  // namespace kiosk::app
