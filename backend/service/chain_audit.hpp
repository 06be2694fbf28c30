#pragma once
// The backend's check of one kiosk's hash chain: sequence numbers from 1 without gaps, one
// record per sequence (no forks), each prev_hash equal to the previous record's hash, and each
// record's hash and content digest recomputed from what was received (altered records).
// Pure; safe from any thread.
#include <string>
#include <vector>

#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct AuditProblem {
    std::string kioskId;
    std::uint64_t sequence = 0;
    std::string kind;    // gap, fork, broken_link, altered, conflict
    std::string detail;  // English, technical; ids and hashes only, never content
};

struct KioskAudit {
    std::string kioskId;
    std::uint64_t records = 0;
    std::uint64_t maxSequence = 0;
    std::vector<AuditProblem> problems;
};

// `records` sorted by sequence (as BackendStorage::kioskRecords returns them).
KioskAudit auditChain(const std::string& kioskId, const std::vector<StoredRecord>& records,
                      const std::vector<ConflictRow>& conflicts);

}  // namespace ksync::backend
