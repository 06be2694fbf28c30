#pragma once
// Supplements and ratings at ingest (issue #14): private to backend/service. A record's content
// says what it is (record::RecordKind); a supplement or rating must carry the receipt secret of
// the case it names, checked against the verifier in that case's content. What a good one
// changes on the case (a status event, a rating row) travels in the IngestItem so the storage
// writes it in the same transaction as the record, only when the record is new.
#include <map>
#include <optional>
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

// Checks `content` against `in.header` and, for a supplement or rating, the proof against the
// case (first among `batchCases`, the verifiers of cases earlier in the same batch by code, then
// the storage); sets in.caseEvent / in.caseRating. nullopt: store it.
Result<std::optional<AdditionRefusal>> prepareAddition(
    BackendStorage& storage, const record::Content& content, IngestItem& in,
    const std::map<std::string, std::string>& batchCases, std::int64_t nowMs);

}  // namespace ksync::backend
