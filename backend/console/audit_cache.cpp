#include "console/audit_cache.hpp"

#include "service/chain_audit.hpp"

namespace ksync::backend {

std::expected<std::size_t, StorageError> ChainAuditCache::problems(BackendStorage& storage,
                                                                   const std::string& kioskId) {
    auto stamp = storage.kioskRecordStamp(kioskId);
    if (!stamp) return std::unexpected(stamp.error());
    auto conf = storage.conflicts(kioskId);
    if (!conf) return std::unexpected(conf.error());
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_entries.find(kioskId); it != m_entries.end() &&
                                               it->second.stamp == *stamp &&
                                               it->second.conflicts == conf->size())
            return it->second.problems;
    }
    auto recs = storage.kioskRecords(kioskId);
    if (!recs) return std::unexpected(recs.error());
    const auto audit = auditChain(kioskId, *recs, *conf);
    std::lock_guard lock(m_mutex);
    ++m_audits;
    // Kept only when what was read is what the stamp describes (a record stored in between
    // makes the next view audit again).
    if (recs->size() == stamp->count) {
        if (m_entries.size() >= kMaxKiosks) m_entries.clear();
        m_entries[kioskId] = {*stamp, conf->size(), audit.problems.size()};
    }
    return audit.problems.size();
}

std::size_t ChainAuditCache::audits() const {
    std::lock_guard lock(m_mutex);
    return m_audits;
}

}  // namespace ksync::backend
