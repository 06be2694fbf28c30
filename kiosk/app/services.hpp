#pragma once
// Services: carries out the flow core's effects and reports results back as intents through
// the MainQueue. It owns the kiosk's shared state (settings, config, string tables, the store)
// and routes each effect to the part that does that job:
//   * Recorder (recording.hpp)       — commit a validated draft, make its receipt;
//   * AdditionDesk (additions.hpp)   — a receipt secret's check, a supplement's or rating's
//                                      commit (issue #14; on the BackgroundWorker);
//   * ReceiptDesk (receipts.hpp)     — receipts of this run, printing, the printer's state;
//   * StatusLookup (status_lookup.hpp) — a tracking code, offline from the cache, else online;
//   * StaffAuth (staff_auth.hpp)     — the staff PIN;
//   * UsbTransfer (usb_transfer.hpp) — the staff panel's USB bundles;
//   * speech (platform/tts's SpeechWorker).
// Slow work (PIN checks, online lookups, USB bundles) goes through one bounded
// BackgroundWorker (background.hpp); printing and speech have their own queues.
//
// Thread-safety: run() and the accessors are UI-thread only (printerStateKey() and
// lastPrinterKey(): any thread).
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/additions.hpp"
#include "app/background.hpp"
#include "app/main_queue.hpp"
#include "app/receipts.hpp"
#include "app/recording.hpp"
#include "app/staff_auth.hpp"
#include "app/status_lookup.hpp"
#include "app/usb_transfer.hpp"
#include "core/flow_types.hpp"
#include "proto/backend_config.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"
#include "text/strings.hpp"
#include "tts/speech_worker.hpp"

namespace kiosk::app {

struct ServicesOptions {
    ksync::store::DataDir dir;
    std::string printerUri;     // empty: the one in kiosk.toml
    std::string speechWavPath;  // non-empty: speech goes to this WAV file instead of the device
};

class Services {
public:
    // Opens the store, loads settings and config, starts the print queue and speech worker.
    // Error: a one-line reason (English, no personal data).
    static std::expected<std::unique_ptr<Services>, std::string> create(
        const ServicesOptions& options, MainQueue& queue);
    ~Services();
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    // Carries out one effect for the current state (UI thread). ExitApp and ResetInputs are the
    // shell's business and ignored here.
    void run(const core::Effect& effect, const core::State& state);

    // Called after each stored record (e.g. to wake the sync worker).
    void setOnRecordStored(std::function<void()> f);

    const ksync::proto::BackendConfig& config() const { return m_config; }
    const ksync::store::KioskSettings& settings() const { return m_settings; }
    const platform::text::Strings& strings(const std::string& lang) const {
        return lang == "en" ? m_en : m_vi;
    }
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
    void speak(std::string text);

    // Declaration order is destruction order reversed: the worker stops (joining a running
    // USB job, which asks the receipt desk for the printer's state) before the desk, the
    // speech worker and the store go.
    ServicesOptions m_options;
    MainQueue& m_queue;
    ksync::store::KioskSettings m_settings;
    ksync::proto::BackendConfig m_config;
    platform::text::Strings m_vi;
    platform::text::Strings m_en;
    std::optional<ksync::store::Store> m_store;
    std::unique_ptr<ReceiptDesk> m_receipts;
    std::unique_ptr<platform::tts::SpeechWorker> m_speech;
    std::unique_ptr<BackgroundWorker> m_worker;
    std::unique_ptr<Recorder> m_recorder;
    std::unique_ptr<AdditionDesk> m_additions;  // issue #14
    std::unique_ptr<StatusLookup> m_lookup;
    std::unique_ptr<StaffAuth> m_staff;
    std::unique_ptr<UsbTransfer> m_usb;
    std::function<void()> m_onRecordStored;
};

}  // namespace kiosk::app
