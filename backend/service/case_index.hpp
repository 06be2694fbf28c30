#pragma once
// What the officers' console needs of a record's opened content, derived once at ingest (the
// only place where the backend holds the plaintext next to the header): the ward, the reply
// deadline and the folded search text. Pure; safe from any thread.
#include <string>

#include "proto/backend_config.hpp"
#include "record/record.hpp"
#include "storage/backend_storage.hpp"

namespace ksync::backend {

// The reply deadline (YYYY-MM-DD): the local date on which the kiosk committed the record plus
// the config's reply days for its type (10 when the config names none), in working days.
std::string replyDeadline(const record::Header& h, const proto::BackendConfig& config);

CaseIndex makeCaseIndex(const record::Header& h, const record::Content& c,
                        const proto::BackendConfig& config);

}  // namespace ksync::backend
