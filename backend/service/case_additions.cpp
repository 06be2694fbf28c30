#include "service/case_additions.hpp"

#include <tuple>

#include "clock/clock.hpp"
#include "record/receipt_proof.hpp"
#include "record/tracking_code.hpp"

namespace ksync::backend {
namespace {

bool isFinal(std::string_view status) {
    return status == "answered" || status == "closed" || status == "rejected" ||
           status == "duplicate";
}

}  // namespace

Result<std::optional<AdditionRefusal>> prepareAddition(
    BackendStorage& storage, const record::Content& c, IngestItem& in,
    const std::map<std::string, std::string>& batchCases, std::int64_t nowMs) {
    using Refusal = std::optional<AdditionRefusal>;
    const auto& h = in.header;
    const bool additionCategory = h.category == "supplement" || h.category == "rating";
    if (c.kind == record::RecordKind::Case) {
        // A case never carries another case's link or a proof; a supplement's category is not a
        // case's.
        if (additionCategory || !c.parentCode.empty() || !c.proof.empty() || !c.rating.empty())
            return Refusal(AdditionRefusal{"bad_kind", false});
        return Refusal{};
    }
    if (h.category != record::kindCode(c.kind) || !c.proofVerifier.empty())
        return Refusal(AdditionRefusal{"bad_kind", false});
    if (c.kind == record::RecordKind::Rating && !record::isRatingCode(c.rating))
        return Refusal(AdditionRefusal{"bad_rating", false});
    auto code = record::parseTrackingCode(c.parentCode);
    if (!code || code->text() != c.parentCode)
        return Refusal(AdditionRefusal{"bad_case_code", false});
    // A code alone is never enough.
    if (c.proof.empty()) return Refusal(AdditionRefusal{"proof_missing", false});

    std::string verifier;
    if (auto it = batchCases.find(c.parentCode); it != batchCases.end()) {
        verifier = it->second;
    } else {
        auto parent = storage.caseRecordByCode(c.parentCode);
        if (!parent) return std::unexpected(parent.error());
        // The case may still be on its way (its kiosk offline): try again later.
        if (!*parent) return Refusal(AdditionRefusal{"unknown_case", true});
        auto content = record::decodeContent((*parent)->content);
        if (!content) return Refusal(AdditionRefusal{"proof_unavailable", false});
        verifier = content->proofVerifier;
    }
    // A receipt printed before secrets existed allows lookup only.
    if (verifier.empty()) return Refusal(AdditionRefusal{"proof_unavailable", false});
    if (!record::checkVerifier(verifier, c.proof))
        return Refusal(AdditionRefusal{"proof_mismatch", false});

    auto pub = storage.publicRecord(c.parentCode);
    if (!pub) return std::unexpected(pub.error());
    const std::vector<StatusEvent> none;
    const auto& events = *pub ? (*pub)->events : none;
    const bool decided = !events.empty() && isFinal(events.back().status);
    // Back to being processed: the status before the request for information or the decision,
    // with its agency, officer and date.
    auto backToProcessing = [&](std::string note) {
        StatusEvent e;
        e.status = "received";
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (it->status != "needs_info" && !isFinal(it->status)) {
                e.status = it->status;
                e.agency = it->agency;
                e.officer = it->officer;
                e.expectedDate = it->expectedDate;
                break;
            }
        e.trackingCode = c.parentCode;
        e.note = std::move(note);
        e.updatedAt = platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs));
        return e;
    };

    if (c.kind == record::RecordKind::Rating) {
        in.caseRating = CaseRating{c.parentCode, c.rating, c.reopen, h.createdAt, h.id};
        if (!c.reopen || c.rating != record::kRatingUnsatisfied || !decided) return Refusal{};
        // A later rating already stored replaces this one: it reopens nothing.
        auto stored = storage.caseRating(c.parentCode);
        if (!stored) return std::unexpected(stored.error());
        if (*stored && std::tie((*stored)->ratedAt, (*stored)->recordId) >
                           std::tie(in.caseRating->ratedAt, in.caseRating->recordId))
            return Refusal{};
        in.caseEvent = backToProcessing(std::string(kReopenNote) + " " + c.reopenReason);
        return Refusal{};
    }
    // A supplement: the case goes back to being processed, unless it is already decided.
    if (decided) return Refusal{};  // attached, the status stays
    in.caseEvent = backToProcessing(std::string(kSupplementNote));
    return Refusal{};
}

void dropSupersededReopens(std::span<IngestItem> items) {
    std::map<std::string, const CaseRating*> latest;  // case -> its latest rating in the batch
    for (const auto& it : items)
        if (it.caseRating) {
            auto& l = latest[it.caseRating->trackingCode];
            if (!l || std::tie(it.caseRating->ratedAt, it.caseRating->recordId) >
                          std::tie(l->ratedAt, l->recordId))
                l = &*it.caseRating;
        }
    for (auto& it : items)
        if (it.caseRating && it.caseEvent &&
            latest.at(it.caseRating->trackingCode) != &*it.caseRating)
            it.caseEvent.reset();
}

}  // namespace ksync::backend
