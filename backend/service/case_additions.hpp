#pragma once
// Supplements and ratings at ingest (issue #14): private to backend/service. A record's content
// says what it is (record::RecordKind); a supplement or rating must carry the receipt secret of
// the case it names, checked against the verifier in that case's content. What a good one
// changes on the case (a status event, a rating row) travels in the IngestItem so the storage
// writes it in the same transaction as the record, only when the record is new.
#include <map>
#include <optional>
#include <span>
#include <string>

#include "record/record.hpp"
#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct AdditionRefusal {
    std::string reason;  // short English code, e.g. "proof_mismatch" (docs/PROTOCOL.md)
    bool retry =
        false;  // true: the case is not here yet ("unknown_case"); the kiosk keeps it queued
};

// The note on the status event a good supplement adds (public: no content of the supplement).
inline constexpr std::string_view kSupplementNote =
    "Người dân đã bổ sung thông tin; hồ sơ tiếp tục được xử lý.";

// The note on the status event that a reopen request adds, before the resident's reason.
inline constexpr std::string_view kReopenNote =
    "Người dân chưa hài lòng với kết quả và đề nghị xem xét lại. Lý do:";

// Checks `content` against `in.header` and, for a supplement or rating, the proof against the
// case (first among `batchCases`, the verifiers of cases earlier in the same batch by code, then
// the storage); sets in.caseEvent / in.caseRating. nullopt: store it.
// A rating "chưa hài lòng" that asks to reopen a decided case (answered, closed, rejected,
// duplicate) gets a status event back to processing (the status before the decision, with its
// agency and officer; `received` if none) with kReopenNote and the reason, unless a later
// rating of the case is already stored. dropSupersededReopens does the same within a batch.
Result<std::optional<AdditionRefusal>> prepareAddition(
    BackendStorage& storage, const record::Content& content, IngestItem& in,
    const std::map<std::string, std::string>& batchCases, std::int64_t nowMs);

// Within one batch: a reopen event whose rating is not the case's latest rating in the batch is
// dropped (the later rating replaces it), so one batch reopens a case at most once.
void dropSupersededReopens(std::span<IngestItem> items);

}  // namespace ksync::backend
