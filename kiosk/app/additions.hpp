#pragma once
// AdditionDesk (issue #14): what a resident adds to a case at the kiosk — the receipt secret's
// check and the commit of a supplement or rating — off the UI thread, on the BackgroundWorker.
// Each job opens its own Store on the kiosk's database (a Store belongs to one thread) and
// goes through ksync::store::commitAddition, the same code path as `kioskctl supplement` and
// `kioskctl rate`. Results come back as intents: ProofChecked, AdditionStored, AdditionFailed.
// A job the worker cannot take is answered at once (ProofResult::Busy / kiosk.busy).
//
// Thread-safety: check() and store() on the UI thread; the on-stored callback runs on the
// worker thread (the sync worker's wake() may be called from any thread).
#include <filesystem>
#include <functional>
#include <string>

#include "app/background.hpp"
#include "app/main_queue.hpp"
#include "proto/backend_config.hpp"
#include "record/validation.hpp"
#include "store/data_dir.hpp"

namespace kiosk::app {

class AdditionDesk {
public:
    // `settings`, `config`, `worker` and `queue` must outlive the desk (Services owns them).
    AdditionDesk(std::filesystem::path database, const ksync::store::KioskSettings& settings,
                 const ksync::proto::BackendConfig& config, BackgroundWorker& worker,
                 MainQueue& queue)
        : m_database(std::move(database)),
          m_settings(settings),
          m_config(config),
          m_worker(worker),
          m_queue(queue) {}

    void check(const std::string& code, const std::string& compactSecret);
    void store(const ksync::record::ValidDraft& draft);
    void setOnStored(std::function<void()> f) { m_onStored = std::move(f); }

private:
    std::filesystem::path m_database;
    const ksync::store::KioskSettings& m_settings;
    const ksync::proto::BackendConfig& m_config;
    BackgroundWorker& m_worker;
    MainQueue& m_queue;
    std::function<void()> m_onStored;
};

}  // namespace kiosk::app
