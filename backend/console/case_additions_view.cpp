#include "console/case_additions_view.hpp"

#include "record/record.hpp"

namespace ksync::backend {

using kainjow::mustache::data;

Result<void> addCaseAdditions(data& d, BackendStorage& storage, const std::string& trackingCode,
                              const AdditionsText& words) {
    auto added = storage.caseAdditions(trackingCode);
    if (!added) return std::unexpected(added.error());
    auto current = storage.caseRating(trackingCode);
    if (!current) return std::unexpected(current.error());
    data list{data::type::list};
    int supplements = 0;
    bool reopenAsked = false;
    for (const auto& r : *added) {
        auto c = record::decodeContent(r.content);
        data x;
        x.set("when", words.time(r.header.createdAt));
        x.set("kiosk", r.header.kioskId);
        x.set("own_code", r.header.trackingCode);
        x.set("staff_assisted", r.header.staffAssisted);
        if (!c) {
            x.set("addition_unreadable", true);
        } else if (c->kind == record::RecordKind::Supplement) {
            ++supplements;
            x.set("supplement", true);
            x.set("supplement_text", words.text(c->body));
        } else if (c->kind == record::RecordKind::Rating) {
            x.set("rating", true);
            x.set("face", words.t("rating_" + c->rating));
            x.set("face_code", c->rating);
            if (!c->body.empty()) x.set("comment", words.text(c->body));
            if (c->reopen) {
                reopenAsked = true;
                x.set("reopen", true);
                x.set("reason", words.text(c->reopenReason));
            }
            // Replaced by a later rating: still shown, marked so.
            if (*current && (*current)->recordId != r.header.id) x.set("replaced", true);
        }
        list.push_back(x);
    }
    d.set("additions", list);
    d.set("has_additions", !added->empty());
    d.set("supplement_count", std::to_string(supplements));
    if (*current) {
        d.set("rating_face", words.t("rating_" + (*current)->rating));
        d.set("rating_code", (*current)->rating);
    }
    d.set("reopen_requested", reopenAsked);
    return {};
}

void SatisfactionCount::add(const std::string& rating) {
    if (rating == record::kRatingSatisfied)
        ++satisfied;
    else if (rating == record::kRatingAcceptable)
        ++acceptable;
    else if (rating == record::kRatingUnsatisfied)
        ++unsatisfied;
}

std::string sharePercent(std::int64_t n, std::int64_t rated, char decimalPoint) {
    if (rated <= 0) return {};
    const std::int64_t tenths = (n * 1000 + rated / 2) / rated;  // rounded to 0.1 %
    return std::to_string(tenths / 10) + decimalPoint + std::to_string(tenths % 10);
}

std::string satisfactionCsv(const SatisfactionCount& s) {
    const auto rated = s.rated();
    return std::to_string(rated) + "," + std::to_string(s.satisfied) + "," +
           std::to_string(s.acceptable) + "," + std::to_string(s.unsatisfied) + "," +
           sharePercent(s.satisfied, rated, '.') + "," + sharePercent(s.acceptable, rated, '.') +
           "," + sharePercent(s.unsatisfied, rated, '.');
}

void setSatisfaction(data& row, const SatisfactionCount& s) {
    const auto rated = s.rated();
    row.set("rated", std::to_string(rated));
    auto share = [&](std::int64_t n) {
        const auto v = sharePercent(n, rated);
        return v.empty() ? std::string{} : v + " %";
    };
    row.set("satisfied_share", share(s.satisfied));
    row.set("acceptable_share", share(s.acceptable));
    row.set("unsatisfied_share", share(s.unsatisfied));
}

Result<std::map<std::string, std::string>> ratingsByCase(BackendStorage& storage) {
    auto all = storage.allCaseRatings();
    if (!all) return std::unexpected(all.error());
    std::map<std::string, std::string> out;
    for (auto& r : *all) out.emplace(std::move(r.trackingCode), std::move(r.rating));
    return out;
}

}  // namespace ksync::backend
