#pragma once
// The case page's chain-audit state without reading a kiosk's whole chain on every view: the
// audit (service/chain_audit.hpp) of each kiosk is kept with the kiosk's record stamp (count
// and newest row) and conflict count, and redone only when one of them changed. Records are
// never changed or removed, so an unchanged stamp means an unchanged chain. Each process keeps
// its own cache (nothing shared is in memory); at most kMaxKiosks entries.
// Thread-safety: problems() may be called from many threads at once.
#include <cstddef>
#include <expected>
#include <map>
#include <mutex>
#include <string>

#include "storage/backend_storage.hpp"

namespace ksync::backend {

class ChainAuditCache {
public:
    static constexpr std::size_t kMaxKiosks = 20000;

    // How many problems the audit of `kioskId`'s chain finds now.
    std::expected<std::size_t, StorageError> problems(BackendStorage& storage,
                                                      const std::string& kioskId);

    std::size_t audits() const;  // full audits done (for tests)

private:
    struct Entry {
        BackendStorage::RecordStamp stamp;
        std::size_t conflicts = 0;
        std::size_t problems = 0;
    };
    mutable std::mutex m_mutex;
    std::map<std::string, Entry> m_entries;
    std::size_t m_audits = 0;
};

}  // namespace ksync::backend
