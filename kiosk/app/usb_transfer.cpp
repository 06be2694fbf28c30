#include "app/usb_transfer.hpp"

#include "client/bundle.hpp"
#include "log/log.hpp"

namespace kiosk::app {

namespace log = platform::log;

void UsbTransfer::busy() {
    log::warn("usb", "not started: background worker busy");
    m_queue.post(core::intent::UsbDone{false, "kiosk.busy", {}});
}

void UsbTransfer::exportBundle() {
    const auto dir = m_dir;
    const std::string usb = m_settings.usbPath;
    MainQueue* queue = &m_queue;
    ksync::client::ExportOptions options;
    options.printerState = m_printerState;
    const bool taken = m_worker.post([dir, usb, options, queue] {
        auto r = ksync::client::exportBundle(dir, usb, options);
        if (!r) {
            log::warn("usb", "export refused: " +
                                 std::string(ksync::proto::bundleRefusalCode(r.error().refusal)) +
                                 ": " + r.error().detail);
            queue->post(
                core::intent::UsbDone{false, ksync::client::bundleMessageKey(r.error()), {}});
            return;
        }
        log::info("usb", "exported " + std::to_string(r->records) + " records");
        queue->post(core::intent::UsbDone{
            true, "bundle.exported", {{"records", std::to_string(r->records)}, {"file", r->file}}});
    });
    if (!taken) busy();
}

void UsbTransfer::importBundle() {
    const auto dir = m_dir;
    const std::string usb = m_settings.usbPath;
    MainQueue* queue = &m_queue;
    const bool taken = m_worker.post([dir, usb, queue] {
        auto file = ksync::client::findReturnBundle(dir, usb);
        auto r = file ? ksync::client::importBundle(dir, *file) : std::unexpected(file.error());
        if (!r) {
            log::warn("usb", "import refused: " +
                                 std::string(ksync::proto::bundleRefusalCode(r.error().refusal)) +
                                 ": " + r.error().detail);
            queue->post(
                core::intent::UsbDone{false, ksync::client::bundleMessageKey(r.error()), {}});
            return;
        }
        log::info("usb", "imported: " + std::to_string(r->acknowledged) + " acknowledged, " +
                             std::to_string(r->statusUpdates) + " status updates");
        queue->post(core::intent::UsbDone{true,
                                          "bundle.imported_kiosk",
                                          {{"acked", std::to_string(r->acknowledged)},
                                           {"quarantined", std::to_string(r->quarantined)},
                                           {"updates", std::to_string(r->statusUpdates)},
                                           {"queued", std::to_string(r->stillQueued)}},
                                          r->configTaken});
    });
    if (!taken) busy();
}

}  // namespace kiosk::app
