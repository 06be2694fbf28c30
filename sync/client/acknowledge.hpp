#pragma once
// What an upload reply means for the records that were sent: the one reading of a
// RecordsUploadReply, shared by a sync pass over the link (sync_client.cpp) and a return bundle
// brought on a USB stick (bundle.cpp), so a record is acknowledged the same way by either.
//
// A record is acknowledged when the reply's watermark covers it and it is not an exception;
// kept for later when it is past the watermark, when the backend asks for a retry, or when the
// exception names another id (a reply that does not match what was sent acknowledges nothing);
// quarantined (for staff) when it is a conflict or a permanent rejection, with a stored error
// code as its reason (record.conflict, record.rejected: <the backend's reason>), never words.
// Pure; safe from any thread.
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "proto/messages.hpp"
#include "text/strings.hpp"  // only for the overload kept for bundle.cpp

namespace ksync::client {

struct SentRecord {
    std::uint64_t sequence = 0;
    std::string id;
};

struct AckPlan {
    std::vector<std::uint64_t> acknowledged;
    std::vector<std::uint64_t> retry;
    std::vector<std::pair<std::uint64_t, std::string>> quarantine;  // sequence, StoredError::text()
};

AckPlan planAcknowledgement(std::span<const SentRecord> sent,
                            const proto::RecordsUploadReply& reply);
// The same; `strings` is no longer used (reasons are codes). Kept so that bundle.cpp, which is
// being changed alongside, builds unchanged; it goes once bundle.cpp calls the one above.
AckPlan planAcknowledgement(std::span<const SentRecord> sent,
                            const proto::RecordsUploadReply& reply,
                            const platform::text::Strings& strings);

}  // namespace ksync::client
