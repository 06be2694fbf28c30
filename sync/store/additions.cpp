#include "store/additions.hpp"

namespace ksync::store {

Result<AdditionOutcome> commitAddition(Store& store, const record::ValidDraft& valid,
                                       std::string_view kioskId, std::string_view createdAtUtc,
                                       bool clockSynced) {
    auto check = store.checkProof(valid.content.parentCode, valid.content.proof);
    if (!check) return std::unexpected(check.error());
    AdditionOutcome out;
    out.check = *check;
    if (*check == ProofCheck::Mismatch || *check == ProofCheck::OldReceipt) return out;
    auto rec = store.createRecord(valid, kioskId, createdAtUtc, clockSynced);
    if (!rec) return std::unexpected(rec.error());
    out.record = std::move(*rec);
    return out;
}

}  // namespace ksync::store
