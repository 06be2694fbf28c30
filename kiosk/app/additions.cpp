#include "app/additions.hpp"

#include "app/receipt_builder.hpp"
#include "clock/clock.hpp"
#include "log/log.hpp"
#include "store/additions.hpp"
#include "store/store.hpp"

namespace kiosk::app {

namespace log = platform::log;
using ksync::store::ProofCheck;
using ksync::store::Store;

namespace {

core::ProofResult resultOf(ProofCheck c) {
    switch (c) {
        case ProofCheck::Match:
            return core::ProofResult::Match;
        case ProofCheck::Mismatch:
            return core::ProofResult::Mismatch;
        case ProofCheck::OldReceipt:
            return core::ProofResult::OldReceipt;
        case ProofCheck::NotHere:
            return core::ProofResult::NotHere;
    }
    return core::ProofResult::NotHere;
}

}  // namespace

void AdditionDesk::check(const std::string& code, const std::string& compactSecret) {
    MainQueue* queue = &m_queue;
    const bool taken = m_worker.post([db = m_database, code, compactSecret, queue] {
        auto store = Store::open(db, Store::Open::ExistingOnly);
        if (!store) {
            log::error("store", "proof not checked: " + std::string(store.error().messageKey()));
            queue->post(core::intent::ProofChecked{code, core::ProofResult::Busy});
            return;
        }
        auto check = store->checkProof(code, compactSecret);
        if (!check) {
            log::error("store", "proof not checked: " + std::string(check.error().messageKey()));
            queue->post(core::intent::ProofChecked{code, core::ProofResult::Busy});
            return;
        }
        log::info("store", "receipt secret for " + code + ": " +
                               std::string(ksync::store::proofCheckCode(*check)));
        queue->post(core::intent::ProofChecked{code, resultOf(*check)});
    });
    if (!taken) {
        log::warn("store", "proof check not started: background worker busy");
        m_queue.post(core::intent::ProofChecked{code, core::ProofResult::Busy});
    }
}

void AdditionDesk::store(const ksync::record::ValidDraft& draft) {
    MainQueue* queue = &m_queue;
    const auto* settings = &m_settings;
    const auto* config = &m_config;
    const auto* onStored = &m_onStored;
    const bool taken = m_worker.post([db = m_database, draft, queue, settings, config, onStored] {
        auto store = Store::open(db, Store::Open::ExistingOnly);
        if (!store) {
            log::error("store", "addition not stored: " + std::string(store.error().messageKey()));
            queue->post(core::intent::AdditionFailed{std::string(store.error().messageKey())});
            return;
        }
        const auto now = platform::clock::now();
        auto out = ksync::store::commitAddition(*store, draft, settings->kioskId,
                                                platform::clock::formatUtc(now),
                                                platform::clock::isSystemClockSynchronised());
        if (!out) {
            log::error("store", "addition not stored: " + std::string(out.error().messageKey()));
            queue->post(core::intent::AdditionFailed{std::string(out.error().messageKey())});
            return;
        }
        if (!out->record) {
            log::info("store", "addition for " + draft.content.parentCode + " refused: " +
                                   std::string(ksync::store::proofCheckCode(out->check)));
            queue->post(core::intent::AdditionFailed{"", resultOf(out->check)});
            return;
        }
        const auto& rec = *out->record;
        core::AdditionReceiptInfo info;
        info.kind = draft.content.kind == ksync::record::RecordKind::Rating
                        ? core::AdditionKind::Rating
                        : core::AdditionKind::Supplement;
        info.parentCode = draft.content.parentCode;
        info.ownCode = rec.header.trackingCode;
        info.sequence = static_cast<std::int64_t>(rec.header.sequence);
        info.proofCheckedHere = out->check == ProofCheck::Match;
        info.rating = draft.content.rating;
        info.reopen = draft.content.reopen;
        info.createdAtLocal = receiptInfoFor(platform::print::makeReceipt(receiptInputFor(
                                                 rec, *settings, *config, draft.language)))
                                  .createdAtLocal;
        log::info("store", "stored " + std::string(ksync::record::kindCode(draft.content.kind)) +
                               " " + rec.header.trackingCode + " for " + info.parentCode);
        queue->post(core::intent::AdditionStored{std::move(info)});
        if (*onStored) (*onStored)();
    });
    if (!taken) {
        log::warn("store", "addition not stored: background worker busy");
        m_queue.post(core::intent::AdditionFailed{"kiosk.busy"});
    }
}

}  // namespace kiosk::app
