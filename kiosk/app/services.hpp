#pragma once
// Services: carries out the flow core's effects — store the record, build and print the
// receipt, speak, look up statuses, check the staff PIN — and reports results back as intents
// through the MainQueue. The UI thread calls run(); printing, speech and PIN checks happen on
// their own threads and post their answers.
//
// Thread-safety: run() and the accessors are UI-thread only (printerStateKey() and
// lastPrinterKey(): any thread). The worker threads only touch the MainQueue and the
// printer-state snapshot (guarded by a mutex).
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/main_queue.hpp"
#include "client/http_transport.hpp"
#include "core/flow_types.hpp"
#include "print/print_queue.hpp"
#include "proto/backend_config.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"
#include "text/strings.hpp"
#include "tts/speech_worker.hpp"

namespace kiosk::app {

struct ServicesOptions {
    ksync::store::DataDir dir;
    std::string printerUri;      // empty: the one in kiosk.toml
    std::string speechWavPath;   // non-empty: speech goes to this WAV file instead of the device
};

class Services {
public:
    // Opens the store, loads settings and config, starts the print queue and speech worker.
    // Error: a one-line reason (English, no personal data).
    static std::expected<std::unique_ptr<Services>, std::string> create(const ServicesOptions& options, MainQueue& queue);
    ~Services();
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    // Carries out one effect for the current state (UI thread). ExitApp and ResetInputs are the
    // shell's business and ignored here.
    void run(const core::Effect& effect, const core::State& state);

    // Called after each stored record (e.g. to wake the sync worker).
    void setOnRecordStored(std::function<void()> f) { m_onRecordStored = std::move(f); }

    const ksync::proto::BackendConfig& config() const { return m_config; }
    const ksync::store::KioskSettings& settings() const { return m_settings; }
    const platform::text::Strings& strings(const std::string& lang) const { return lang == "en" ? m_en : m_vi; }
    ksync::store::Store& store() { return *m_store; }
    // Re-reads the config cache (after sync brought a new one).
    void reloadConfig();
    // printer.state.* of the last status answer (any thread; for the sync heartbeat), "unknown"
    // before the first; lastPrinterKey() gives "" then (the staff panel hides the line).
    std::string printerStateKey();
    std::string lastPrinterKey();
    void requestPrinterStatus();

private:
    Services(const ServicesOptions& options, MainQueue& queue);
    void storeRecord(const ksync::record::ValidDraft& draft);
    void printReceipt(const std::string& code);
    void lookupStatus(const std::string& code);
    void checkPin(const std::string& pin);
    void usbExport();
    void usbImport();
    void speak(std::string text);
    static core::intent::StatusLoaded fetchPublicStatus(const ksync::client::TransportOptions& opts, const std::string& code);
    std::optional<platform::print::Receipt> receiptFor(const std::string& code);
    void onPrintEvent(const platform::print::PrintEvent& e);

    ServicesOptions m_options;
    MainQueue& m_queue;
    ksync::store::KioskSettings m_settings;
    ksync::proto::BackendConfig m_config;
    platform::text::Strings m_vi;
    platform::text::Strings m_en;
    std::optional<ksync::store::Store> m_store;
    std::unique_ptr<platform::print::PrintQueue> m_printQueue;
    std::unique_ptr<platform::tts::SpeechWorker> m_speech;
    std::map<std::string, platform::print::Receipt> m_receipts;  // masked receipts of this run, for reprints
    std::function<void()> m_onRecordStored;
    std::mutex m_printerMutex;
    std::string m_printerKey;  // printer.state.* from the last status answer
    std::vector<std::thread> m_background;  // PIN checks and online status lookups; joined at exit
};

}  // namespace kiosk::app
