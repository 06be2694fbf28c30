#include "service/case_additions.hpp"

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

    if (c.kind == record::RecordKind::Rating) {
        in.caseRating = CaseRating{c.parentCode, c.rating, c.reopen, h.createdAt, h.id};
        return Refusal{};
    }
    // A supplement: the case goes back to being processed (the status it had before the
    // request for information, with its agency and officer), unless it is already decided.
    auto pub = storage.publicRecord(c.parentCode);
    if (!pub) return std::unexpected(pub.error());
    std::string status = "received";
    StatusEvent e;
    if (*pub && !(*pub)->events.empty()) {
        const auto& events = (*pub)->events;
        if (isFinal(events.back().status)) return Refusal{};  // attached, the status stays
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (it->status != "needs_info") {
                status = it->status;
                e.agency = it->agency;
                e.officer = it->officer;
                e.expectedDate = it->expectedDate;
                break;
            }
    }
    e.trackingCode = c.parentCode;
    e.status = status;
    e.note = std::string(kSupplementNote);
    e.updatedAt = platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs));
    in.caseEvent = std::move(e);
    return Refusal{};
}

}  // namespace ksync::backend
