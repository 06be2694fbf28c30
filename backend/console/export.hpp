#pragma once
// The officers' CSV export (issue #13): the inbox's selection as CSV, streamed. Rows are read
// in keyset pages of 500 in the inbox's order (deadline, row) and each page is written before
// the next is read, so memory stays flat at any size (bench_console: 1,000,000 cases). A case
// inserted while the export runs appears when its key lies after the cursor; no row is sent
// twice or skipped.
//
// Columns: code, type, category, ward, kiosk, channel, created_at, received_at, deadline,
// status, agency; with `contact` also contact_name, contact_phone, contact_email,
// contact_address (the caller decides who may have them and logs the export). Every field is
// quoted; a leading = + - @ gets a ' so that a spreadsheet runs nothing.
// Thread-safety: the returned function runs on one thread; it shares only the storage.
#include <functional>
#include <map>
#include <string>

#include "service/backend_service.hpp"
#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct CaseExport {
    CaseQuery query;  // the inbox's filter and scope (cursor and limit are the export's own)
    std::map<std::string, std::string> categoryNames, wardNames;  // code -> shown name
    bool contact = false;
    std::size_t pageSize = 500;
};

// One CSV field (always quoted).
std::string csvCell(const std::string& v);

// The body for HttpReply::stream. A storage error mid-way ends the response early (the client
// sees a broken transfer, never a silently short file); `onError` hears about it.
std::function<bool(const HttpReply::Writer&)> streamCaseExport(
    BackendStorage& storage, CaseExport e, std::function<void(const StorageError&)> onError);

}  // namespace ksync::backend
