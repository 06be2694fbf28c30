#include "client/acknowledge.hpp"

#include <map>

namespace ksync::client {

AckPlan planAcknowledgement(std::span<const SentRecord> sent, const proto::RecordsUploadReply& reply,
                            const platform::text::Strings& strings) {
    std::map<std::uint64_t, const proto::UploadException*> exceptions;
    for (const auto& e : reply.exceptions) exceptions[e.sequence] = &e;
    AckPlan plan;
    for (const auto& item : sent) {
        auto ex = exceptions.find(item.sequence);
        if (item.sequence > reply.storedThrough ||
            (ex != exceptions.end() && (ex->second->retry || ex->second->id != item.id))) {
            plan.retry.push_back(item.sequence);
        } else if (ex == exceptions.end()) {
            plan.acknowledged.push_back(item.sequence);
        } else {
            plan.quarantine.emplace_back(
                item.sequence, ex->second->result == proto::ItemResult::Conflict
                                   ? strings.get("sync.quarantine_conflict")
                                   : strings.format("sync.quarantine_rejected", {{"reason", ex->second->reason}}));
        }
    }
    return plan;
}

}  // namespace ksync::client
