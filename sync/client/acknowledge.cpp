#include "client/acknowledge.hpp"

#include <map>

#include "client/sync_error.hpp"

namespace ksync::client {

AckPlan planAcknowledgement(std::span<const SentRecord> sent,
                            const proto::RecordsUploadReply& reply) {
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
            const StoredError reason =
                ex->second->result == proto::ItemResult::Conflict
                    ? StoredError{std::string(kCodeRecordConflict), {}}
                    : StoredError{std::string(kCodeRecordRejected), ex->second->reason};
            plan.quarantine.emplace_back(item.sequence, reason.text());
        }
    }
    return plan;
}

AckPlan planAcknowledgement(std::span<const SentRecord> sent,
                            const proto::RecordsUploadReply& reply,
                            const platform::text::Strings&) {
    return planAcknowledgement(sent, reply);
}

}  // namespace ksync::client
