#pragma once
// Committing what a resident adds to a case later (issue #14): a supplement or a rating. One
// code path for every caller (the kiosk's screens through kiosk/app, `kioskctl supplement` and
// `kioskctl rate`): the receipt secret is checked against the verifier this kiosk kept when it
// made the case, and only a secret that matches, or a case this kiosk does not know (the
// backend checks it on upload), is committed — through Store::createRecord, so the addition is
// hash-chained, sealed and queued exactly like a case.
//
// Thread-safety: as Store (the caller's connection, on the caller's thread).
#include <optional>
#include <string_view>

#include "record/record.hpp"
#include "record/validation.hpp"
#include "store/store.hpp"

namespace ksync::store {

struct AdditionOutcome {
    ProofCheck check = ProofCheck::NotHere;
    // The committed record (plain content) for Match and NotHere; nullopt when refused
    // (Mismatch, OldReceipt): nothing of the attempt was written.
    std::optional<record::Record> record;
};

// Precondition: `valid` came from validateSupplement or validateRating.
Result<AdditionOutcome> commitAddition(Store& store, const record::ValidDraft& valid,
                                       std::string_view kioskId, std::string_view createdAtUtc,
                                       bool clockSynced);

}  // namespace ksync::store
