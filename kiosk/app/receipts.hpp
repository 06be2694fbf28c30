#pragma once
// ReceiptDesk: the receipts of this kiosk and the printer they go to. Keeps the masked
// receipts made in this run (a reprint shows the masked contact as first printed), rebuilds
// older ones from the store (sealed content: the slip says the contact cannot be shown),
// submits them to the print queue and remembers the printer's last state.
//
// Thread-safety: remember(), print() and requestStatus() on the UI thread. printerStateKey()
// and lastPrinterKey() from any thread (the print worker writes the state under a mutex).
#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/main_queue.hpp"
#include "print/print_queue.hpp"
#include "proto/backend_config.hpp"
#include "store/store.hpp"
#include "text/strings.hpp"

namespace kiosk::app {

class ReceiptDesk {
public:
    // `store`, `settings` and `config` must outlive the desk (Services owns all four).
    static std::expected<std::unique_ptr<ReceiptDesk>, std::string> create(
        const std::string& printerUri, const platform::text::Strings& vi,
        ksync::store::Store& store, const ksync::store::KioskSettings& settings,
        const ksync::proto::BackendConfig& config, MainQueue& queue);
    ~ReceiptDesk();
    ReceiptDesk(const ReceiptDesk&) = delete;
    ReceiptDesk& operator=(const ReceiptDesk&) = delete;

    void remember(const platform::print::Receipt& receipt);
    // Prints (or reprints) the receipt of `code`; the answer comes back as Printed/PrintFailed.
    void print(const std::string& code);
    // Prints the published answer in `timeline` (*In kết quả*); PrintFailed when there is none.
    void printAnswer(const std::string& code, const std::vector<core::StatusEntry>& timeline);
    // A sample slip for the staff panel's test print (marked as not a real receipt); the
    // answer comes back as Printed/PrintFailed.
    void printTest();
    // The small slip of a committed supplement (issue #14): "Đã bổ sung thông tin cho PAKN-…",
    // its time, and the case's QR back to its tracking page; Printed / PrintFailed.
    void printAddition(const core::AdditionReceiptInfo& info);
    void requestStatus();
    // printer.state.* of the last status answer; "unknown" before the first.
    std::string printerStateKey();
    // The same, but "" before the first (the staff panel hides the line).
    std::string lastPrinterKey();

private:
    ReceiptDesk(ksync::store::Store& store, const ksync::store::KioskSettings& settings,
                const ksync::proto::BackendConfig& config, MainQueue& queue);
    std::optional<platform::print::Receipt> receiptFor(const std::string& code);
    void onPrintEvent(const platform::print::PrintEvent& e);  // print worker thread

    ksync::store::Store& m_store;
    const ksync::store::KioskSettings& m_settings;
    const ksync::proto::BackendConfig& m_config;
    MainQueue& m_queue;
    std::map<std::string, platform::print::Receipt> m_receipts;  // masked receipts of this run
    std::string m_testLabel;      // printed in place of the category on a test slip
    std::string m_additionLabel;  // supplement.receipt_title, with {code}
    std::mutex m_printerMutex;
    std::string m_printerKey;
    // Last: destroyed first, so the print worker stops before the members it writes die.
    std::unique_ptr<platform::print::PrintQueue> m_printQueue;
};

}  // namespace kiosk::app
