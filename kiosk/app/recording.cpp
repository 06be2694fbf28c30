#include "app/recording.hpp"

#include "app/receipt_builder.hpp"
#include "clock/clock.hpp"
#include "log/log.hpp"

namespace kiosk::app {

namespace log = platform::log;

void Recorder::store(const ksync::record::ValidDraft& draft) {
    const auto now = platform::clock::now();
    auto rec = m_store.createRecord(draft, m_settings.kioskId, platform::clock::formatUtc(now),
                                    platform::clock::isSystemClockSynchronised());
    if (!rec) {
        log::error("store", "record not stored: " + std::string(rec.error().messageKey()));
        m_queue.post(core::intent::StoreFailed{std::string(rec.error().messageKey())});
        return;
    }
    const auto receipt =
        platform::print::makeReceipt(receiptInputFor(*rec, m_settings, m_config, draft.language));
    m_receipts.remember(receipt);
    log::info("store", "stored " + rec->header.trackingCode);
    auto info = receiptInfoFor(receipt);
    info.sequence = static_cast<std::int64_t>(rec->header.sequence);
    m_queue.post(core::intent::Stored{std::move(info)});
    if (m_onStored) m_onStored();
}

}  // namespace kiosk::app
