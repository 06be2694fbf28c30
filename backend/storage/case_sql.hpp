#pragma once
// The inbox query (CaseQuery) as SQL for both engines: fixed fragments only, every value a
// bound parameter (filters and search cannot change the statement). Pure; safe from any thread.
#include <functional>
#include <string>
#include <vector>

#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct CaseSql {
    std::string sql;
    std::vector<std::string> params;  // text values, in placeholder order
};

// `placeholder(n)` spells the n-th parameter (1-based): "?n" for SQLite, "$n" for PostgreSQL.
CaseSql buildCaseSql(const CaseQuery& q, const std::function<std::string(int)>& placeholder);

// The columns of CaseRow, in order, as selected by buildCaseSql and the case-by-code queries.
inline constexpr std::string_view kCaseColumns =
    "rid, tracking_code, kiosk_id, type, category, channel, created_at, received_at, status, "
    "status_updated, "
    "ward, agency, deadline";

// Supplements and ratings are records but not cases (issue #14): never in the inbox, the
// statistics or the export, whatever was indexed for them.
inline constexpr std::string_view kNotAddition = "category NOT IN ('supplement', 'rating')";

// The statuses after which a case is no longer open.
inline constexpr std::string_view kClosedStatuses = "'answered','closed','rejected','duplicate'";

}  // namespace ksync::backend
