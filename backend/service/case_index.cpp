#include "service/case_index.hpp"

#include "calendar/working_days.hpp"
#include "service/search_fold.hpp"

namespace ksync::backend {

std::string replyDeadline(const record::Header& h, const proto::BackendConfig& config) {
    const auto day = calendar::localDateOf(h.createdAt);
    if (!day) return {};
    const int days = config.replyDaysFor(record::typeCode(h.type), h.category);
    return calendar::formatIsoDate(proto::workingCalendar(config).addWorkingDays(*day, days));
}

CaseIndex makeCaseIndex(const record::Header& h, const record::Content& c,
                        const proto::BackendConfig& config) {
    CaseIndex x;
    x.recordId = h.id;
    // A supplement or rating is not a case (issue #14): no ward, deadline or search text of its
    // own, only the link to its case (the console shows it on that case's page).
    if (c.kind != record::RecordKind::Case) {
        x.parentCode = c.parentCode;
        return x;
    }
    // The kiosk's own ward when the admin assigned one (console: Ki-ốt), else the resident's.
    if (auto it = config.kioskWards.find(h.kioskId); it != config.kioskWards.end())
        x.ward = it->second;
    else
        x.ward = c.location ? c.location->wardCode : std::string{};
    x.deadline = replyDeadline(h, config);
    std::string text = c.title + " " + c.body;
    if (c.location) text += " " + c.location->address;
    x.searchText = foldForSearch(text);
    return x;
}

}  // namespace ksync::backend
