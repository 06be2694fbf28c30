#pragma once
// Recorder: commits a resident's validated draft as a record (record + outbox in one
// transaction, sealed if the backend key is known), makes its receipt from the plain record
// before anything else happens to the content, and tells the UI (Stored / StoreFailed) and the
// sync worker (the on-stored callback).
//
// Thread-safety: UI thread only.
#include <functional>

#include "app/main_queue.hpp"
#include "app/receipts.hpp"
#include "proto/backend_config.hpp"
#include "record/validation.hpp"
#include "store/store.hpp"

namespace kiosk::app {

class Recorder {
public:
    Recorder(ksync::store::Store& store, const ksync::store::KioskSettings& settings,
             const ksync::proto::BackendConfig& config, ReceiptDesk& receipts, MainQueue& queue)
        : m_store(store),
          m_settings(settings),
          m_config(config),
          m_receipts(receipts),
          m_queue(queue) {}

    void store(const ksync::record::ValidDraft& draft);
    void setOnStored(std::function<void()> f) { m_onStored = std::move(f); }

private:
    ksync::store::Store& m_store;
    const ksync::store::KioskSettings& m_settings;
    const ksync::proto::BackendConfig& m_config;
    ReceiptDesk& m_receipts;
    MainQueue& m_queue;
    std::function<void()> m_onStored;
};

}  // namespace kiosk::app
