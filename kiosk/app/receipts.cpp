#include "app/receipts.hpp"

#include "app/receipt_builder.hpp"
#include "clock/clock.hpp"
#include "log/log.hpp"
#include "record/tracking_code.hpp"

namespace kiosk::app {

namespace print = platform::print;
namespace log = platform::log;

ReceiptDesk::ReceiptDesk(ksync::store::Store& store, const ksync::store::KioskSettings& settings,
                         const ksync::proto::BackendConfig& config, MainQueue& queue)
    : m_store(store), m_settings(settings), m_config(config), m_queue(queue) {}

ReceiptDesk::~ReceiptDesk() {
    m_printQueue.reset();
}

std::expected<std::unique_ptr<ReceiptDesk>, std::string> ReceiptDesk::create(
    const std::string& printerUri, const platform::text::Strings& vi, ksync::store::Store& store,
    const ksync::store::KioskSettings& settings, const ksync::proto::BackendConfig& config,
    MainQueue& queue) {
    std::unique_ptr<ReceiptDesk> desk(new ReceiptDesk(store, settings, config, queue));
    auto printer = print::makePrinter(printerUri);
    if (!printer) return std::unexpected("printer: " + printer.error().detail);
    auto renderer = print::ReceiptRenderer::create(vi);
    if (!renderer) return std::unexpected("receipt renderer: " + renderer.error().detail);
    desk->m_testLabel = vi.get("staff.test_slip");
    desk->m_additionLabel = vi.get("supplement.receipt_title");
    ReceiptDesk* self = desk.get();
    desk->m_printQueue = std::make_unique<print::PrintQueue>(
        std::move(*printer), std::move(*renderer),
        [self](const print::PrintEvent& e) { self->onPrintEvent(e); });
    return desk;
}

void ReceiptDesk::remember(const print::Receipt& receipt) {
    m_receipts[receipt.trackingCode] = receipt;
}

std::optional<print::Receipt> ReceiptDesk::receiptFor(const std::string& code) {
    if (auto it = m_receipts.find(code); it != m_receipts.end()) return it->second;
    auto rec = m_store.findByCode(code);
    if (!rec || !*rec) return std::nullopt;
    return print::makeReceipt(receiptInputFor(**rec, m_settings, m_config, "vi"));
}

void ReceiptDesk::print(const std::string& code) {
    auto receipt = receiptFor(code);
    if (!receipt) {
        m_queue.post(core::intent::PrintFailed{"store.not_found"});
        return;
    }
    m_printQueue->submit(*receipt);
}

void ReceiptDesk::printTest() {
    ksync::record::Record r;
    r.header.type = ksync::record::RecordType::Pakn;
    const std::string kiosk = ksync::record::isValidKioskId(m_settings.kioskId)
                                  ? m_settings.kioskId
                                  : std::string("0000");
    // The last sequence a code can hold: no real receipt of this kiosk comes near it.
    r.header.trackingCode = ksync::record::makeTrackingCode(r.header.type, kiosk, 999999);
    r.header.createdAt = platform::clock::formatUtc(platform::clock::now());
    auto in = receiptInputFor(r, m_settings, m_config, "vi");
    in.category = m_testLabel;
    m_printQueue->submit(print::makeReceipt(in));
}

void ReceiptDesk::printAddition(const core::AdditionReceiptInfo& info) {
    auto code = ksync::record::parseTrackingCode(info.parentCode);
    if (!code) {
        m_queue.post(core::intent::PrintFailed{"store.not_found"});
        return;
    }
    // Its own title, the case's code and QR (its tracking page, without any secret). No
    // content, no contact, no reply date.
    ksync::record::Record r;
    r.header.type = code->type;
    r.header.trackingCode = info.parentCode;
    r.header.createdAt = platform::clock::formatUtc(platform::clock::now());
    auto in = receiptInputFor(r, m_settings, m_config, "vi");
    in.secretText.clear();
    in.trackingUrl = trackingUrl(m_config, info.parentCode);
    std::string label = m_additionLabel;
    if (auto at = label.find("{code}"); at != std::string::npos)
        label.replace(at, 6, info.parentCode);
    in.slipTitle = label;
    m_printQueue->submit(print::makeReceipt(in));
}

void ReceiptDesk::printAnswer(const std::string& code,
                              const std::vector<core::StatusEntry>& timeline) {
    auto slip =
        answerSlipFor(code, timeline, m_settings, m_config, std::chrono::system_clock::now());
    if (!slip) {
        m_queue.post(core::intent::PrintFailed{"track.no_answer"});
        return;
    }
    m_printQueue->submit(std::move(*slip));
}

void ReceiptDesk::onPrintEvent(const print::PrintEvent& e) {
    using Kind = print::PrintEvent::Kind;
    {
        std::lock_guard lock(m_printerMutex);
        m_printerKey = print::messageKey(e.status.state);
    }
    if (e.kind == Kind::Printed) {
        log::info("print", "printed " + e.trackingCode);
        m_queue.post(core::intent::Printed{});
    } else if (e.kind == Kind::Failed) {
        log::warn("print",
                  "failed " + e.trackingCode + ": " + (e.error ? e.error->detail : std::string{}));
        m_queue.post(core::intent::PrintFailed{e.error ? print::messageKey(*e.error)
                                                       : std::string("printer.error.io")});
    }
}

void ReceiptDesk::requestStatus() {
    m_printQueue->requestStatus();
}

std::string ReceiptDesk::printerStateKey() {
    std::lock_guard lock(m_printerMutex);
    return m_printerKey.empty() ? std::string("unknown") : m_printerKey;
}

std::string ReceiptDesk::lastPrinterKey() {
    std::lock_guard lock(m_printerMutex);
    return m_printerKey;
}

}  // namespace kiosk::app
