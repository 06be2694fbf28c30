// Flow: information added later and ratings (issue #14). From the tracking story the resident
// proves holding the receipt (its secret, typed or scanned from the QR), then types the
// supplement or chooses a face, reviews and confirms; the commit is an effect for the app shell.
// A wrong secret for a case this kiosk made is refused at once (CheckProof against the kiosk's
// verifier) and counted: kMaxProofAttempts per code and session close the path; an old receipt
// (no secret) closes it too. Looking the case up stays possible either way.
#include <algorithm>

#include "core/addition.hpp"
#include "core/flow.hpp"
#include "core/tracking_story.hpp"
#include "record/receipt_proof.hpp"
#include "record/record.hpp"

namespace kiosk::core {

namespace {

bool hasStatus(const Tracking& t, std::string_view status) {
    return std::ranges::any_of(t.timeline,
                               [&](const StatusEntry& e) { return e.status == status; });
}

bool storyReady(const State& s) {
    return s.tracking.found && !s.tracking.loading && !s.tracking.timeline.empty() &&
           !s.tracking.code.empty() && !s.proofClosed.contains(s.tracking.code);
}

}  // namespace

bool isAdditionScreen(Screen s) {
    switch (s) {
        case Screen::AddProof:
        case Screen::AddText:
        case Screen::AddReview:
        case Screen::AddDone:
        case Screen::Rate:
        case Screen::RateDone:
            return true;
        default:
            return false;
    }
}

bool canSupplement(const State& s) {
    return storyReady(s) && !hasStatus(s.tracking, "answered") &&
           !isFinalStatus(s.tracking.timeline.back().status);
}

bool canRate(const State& s) {
    const std::string& last =
        s.tracking.timeline.empty() ? std::string{} : s.tracking.timeline.back().status;
    return storyReady(s) && hasStatus(s.tracking, "answered") && last != "rejected" &&
           last != "duplicate";
}

std::string proofClosedKey(const State& s) {
    auto it = s.proofClosed.find(s.tracking.code);
    return it == s.proofClosed.end() ? std::string{} : it->second;
}

void Flow::onAddition(const intent::StartSupplement&, std::vector<Effect>& fx) {
    if (m_state.screen != Screen::TrackResult || !canSupplement(m_state)) return;
    startAddition(AdditionKind::Supplement, fx);
}

void Flow::onAddition(const intent::StartRating& i, std::vector<Effect>& fx) {
    if (m_state.screen != Screen::TrackResult || !canRate(m_state)) return;
    startAddition(AdditionKind::Rating, fx);
    if (record::isRatingCode(i.rating)) m_state.addition.rating = i.rating;
}

void Flow::startAddition(AdditionKind kind, std::vector<Effect>& fx) {
    const Tracking& t = m_state.tracking;
    Addition a;
    a.kind = kind;
    a.code = t.code;
    if (t.timeline.back().status == "needs_info") {
        a.requestNote = t.timeline.back().note;
        a.requestAgency = t.timeline.back().agency;
    }
    const bool scanned = !t.scannedSecret.empty() && t.scannedSecretCode == t.code;
    if (scanned) a.secretTyped = record::formatSecret(t.scannedSecret);
    m_state.addition = std::move(a);
    go(Screen::AddProof, fx);
    if (scanned) checkSecret(fx);  // the receipt's QR was scanned: nothing to type
}

void Flow::checkSecret(std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    if (a.checking) return;
    a.errors.erase(record::Field::Secret);
    a.messageKey.clear();
    auto secret = record::parseSecret(a.secretTyped);
    if (!secret) {
        // A typing slip is not a wrong secret: it is not counted.
        const bool empty = std::ranges::all_of(
            a.secretTyped, [](char c) { return c == ' ' || c == '-' || c == '\t'; });
        a.errors[record::Field::Secret] =
            FieldMessage{empty ? "validation.secret_required" : "validation.secret_invalid"};
        return;
    }
    a.checking = true;
    fx.push_back(effect::CheckProof{a.code, *secret});
}

void Flow::onAddition(const intent::ProofChecked& i, std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    if (!a.checking || i.code != a.code) return;
    a.checking = false;
    switch (i.result) {
        case ProofResult::Match:
            a.proofCheckedHere = true;
            afterProof(fx);
            break;
        case ProofResult::NotHere:
            a.proofCheckedHere = false;  // the backend checks it when the record arrives
            afterProof(fx);
            break;
        case ProofResult::Busy:
            a.messageKey = "kiosk.busy";
            break;
        case ProofResult::Mismatch:
        case ProofResult::OldReceipt:
            proofRefused(i.result, fx);
            break;
    }
}

void Flow::afterProof(std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    a.secret = record::parseSecret(a.secretTyped).value_or(std::string{});
    a.proofChecked = true;
    go(a.kind == AdditionKind::Supplement ? Screen::AddText : Screen::Rate, fx);
}

void Flow::proofRefused(ProofResult result, std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    const std::string code = a.code;
    auto close = [&](const char* key) {
        m_state.proofClosed[code] = key;
        m_state.addition = Addition{};
        fx.push_back(effect::ResetInputs{});
        go(Screen::TrackResult, fx);
    };
    if (result == ProofResult::OldReceipt) {
        close("proof.old_receipt");
        return;
    }
    const int failures = ++m_state.proofFailures[code];
    if (failures >= record::kMaxProofAttempts) {
        close("proof.too_many");
        return;
    }
    a.secretTyped.clear();
    a.secret.clear();
    a.proofChecked = false;
    a.proofCheckedHere = false;
    a.messageKey = "proof.mismatch";
    a.attemptsLeft = record::kMaxProofAttempts - failures;
    go(Screen::AddProof, fx);  // also when the commit's own check refused it: the text stays
}

bool Flow::validateAddition() {
    Addition& a = m_state.addition;
    a.errors.clear();
    std::expected<record::ValidDraft, std::vector<record::FieldError>> result;
    if (a.kind == AdditionKind::Supplement) {
        record::SupplementDraft d;
        d.parentCode = a.code;
        d.secret = a.secret;
        d.body = a.body;
        d.channel = "kiosk";
        d.staffAssisted = m_state.staff.assistedNext;
        d.language = m_state.prefs.language;
        result = record::validateSupplement(d);
    } else {
        record::RatingDraft d;
        d.parentCode = a.code;
        d.secret = a.secret;
        d.rating = a.rating;
        d.comment = a.comment;
        d.reopen = a.reopen;
        d.reopenReason = a.reopenReason;
        d.channel = "kiosk";
        d.staffAssisted = m_state.staff.assistedNext;
        d.language = m_state.prefs.language;
        result = record::validateRating(d);
    }
    if (result) return true;
    for (const auto& e : result.error())
        a.errors[e.field] = FieldMessage{e.messageKey, e.count, e.max};
    return false;
}

bool Flow::additionNext(std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    switch (m_state.screen) {
        case Screen::AddProof:
            checkSecret(fx);
            return true;
        case Screen::AddText:
            a.messageKey.clear();
            if (validateAddition()) go(Screen::AddReview, fx);
            return true;
        case Screen::AddReview:
        case Screen::Rate:
            additionConfirm(fx);
            return true;
        case Screen::AddDone:
        case Screen::RateDone:
            return true;
        default:
            return false;
    }
}

bool Flow::additionConfirm(std::vector<Effect>& fx) {
    const Screen sc = m_state.screen;
    if (!isAdditionScreen(sc)) return false;
    Addition& a = m_state.addition;
    if ((sc != Screen::AddReview && sc != Screen::Rate) || a.storing || !a.proofChecked)
        return true;
    a.messageKey.clear();
    if (!validateAddition()) {
        if (sc == Screen::AddReview) go(Screen::AddText, fx);
        return true;
    }
    // Validated again into the draft that is committed (validateAddition keeps only errors).
    record::ValidDraft valid;
    if (a.kind == AdditionKind::Supplement) {
        record::SupplementDraft d{
            a.code, a.secret, a.body, "kiosk", m_state.staff.assistedNext, m_state.prefs.language};
        valid = *record::validateSupplement(d);
    } else {
        record::RatingDraft d{a.code,
                              a.secret,
                              a.rating,
                              a.comment,
                              a.reopen,
                              a.reopenReason,
                              "kiosk",
                              m_state.staff.assistedNext,
                              m_state.prefs.language};
        valid = *record::validateRating(d);
    }
    a.storing = true;
    fx.push_back(effect::StoreAddition{std::move(valid)});
    return true;
}

void Flow::onAddition(const intent::AdditionStored& i, std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    if (!a.storing) return;
    a.storing = false;
    // Durable now: the secret and the text need not stay in memory.
    a.secretTyped.clear();
    a.secret.clear();
    a.body.clear();
    a.comment.clear();
    a.reopenReason.clear();
    a.done = i.receipt;
    m_state.tracking.scannedSecret.clear();
    m_state.staff.assistedNext = false;
    fx.push_back(effect::ResetInputs{});
    if (i.receipt.kind == AdditionKind::Supplement) {
        m_state.print = PrintState::Printing;
        m_state.printMessageKey.clear();
        fx.push_back(effect::PrintAddition{i.receipt});
        go(Screen::AddDone, fx);
    } else {
        go(Screen::RateDone, fx);
    }
}

void Flow::onAddition(const intent::AdditionFailed& i, std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    if (!a.storing) return;
    a.storing = false;
    if (i.proof && (*i.proof == ProofResult::Mismatch || *i.proof == ProofResult::OldReceipt)) {
        proofRefused(*i.proof, fx);
        return;
    }
    a.messageKey = i.messageKey.empty() ? std::string("store.failed") : i.messageKey;
}

void Flow::onAddition(const intent::PickRating& i, std::vector<Effect>&) {
    if (m_state.screen != Screen::Rate || !record::isRatingCode(i.rating)) return;
    Addition& a = m_state.addition;
    a.rating = i.rating;
    if (i.rating != record::kRatingUnsatisfied) a.reopen = false;
    a.errors.erase(record::Field::Rating);
}

void Flow::onAddition(const intent::SetReopen& i, std::vector<Effect>&) {
    if (m_state.screen != Screen::Rate) return;
    Addition& a = m_state.addition;
    a.reopen = i.value && a.rating == record::kRatingUnsatisfied;
    if (!a.reopen) a.errors.erase(record::Field::ReopenReason);
}

bool Flow::additionBack(std::vector<Effect>& fx) {
    Addition& a = m_state.addition;
    switch (m_state.screen) {
        case Screen::AddProof:
            if (a.checking) return true;
            // Cancel: the secret and whatever was typed go.
            m_state.addition = Addition{};
            fx.push_back(effect::ResetInputs{});
            go(Screen::TrackResult, fx);
            return true;
        case Screen::AddText:
        case Screen::Rate:
            if (!a.storing) go(Screen::AddProof, fx);
            return true;
        case Screen::AddReview:
            if (!a.storing) go(Screen::AddText, fx);
            return true;
        case Screen::AddDone:
        case Screen::RateDone:
            resetSession(fx);
            return true;
        default:
            return false;
    }
}

bool Flow::additionDone(std::vector<Effect>& fx) {
    if (m_state.screen != Screen::AddDone && m_state.screen != Screen::RateDone) return false;
    resetSession(fx);
    return true;
}

bool Flow::additionReprint(std::vector<Effect>& fx) {
    if (m_state.screen != Screen::AddDone) return false;
    if (m_state.addition.done && m_state.print != PrintState::Printing) {
        m_state.print = PrintState::Printing;
        m_state.printMessageKey.clear();
        fx.push_back(effect::PrintAddition{*m_state.addition.done});
    }
    return true;
}

bool Flow::additionScan(const std::string& text, std::vector<Effect>& fx) {
    if (!isAdditionScreen(m_state.screen)) return false;
    if (m_state.screen != Screen::AddProof) return true;  // a scan does not leave the typing
    Addition& a = m_state.addition;
    if (a.checking) return true;
    a.errors.erase(record::Field::Secret);
    a.messageKey.clear();
    auto scanned = record::parseReceiptPayload(text);
    if (!scanned) {
        a.errors[record::Field::Secret] = FieldMessage{std::string(scanned.error().messageKey())};
        return true;
    }
    if (scanned->code.text() != a.code) {
        a.messageKey = "proof.other_code";
        return true;
    }
    if (!scanned->secret) {
        // This case's own receipt, from before secrets: it can only be looked up.
        proofRefused(ProofResult::OldReceipt, fx);
        return true;
    }
    a.secretTyped = record::formatSecret(*scanned->secret);
    checkSecret(fx);
    return true;
}

bool Flow::additionText(FormField field, const std::string& text) {
    Addition& a = m_state.addition;
    switch (field) {
        case FormField::Secret:
            if (a.checking) return true;
            a.secretTyped = text;
            a.errors.erase(record::Field::Secret);
            if (a.messageKey == "proof.other_code") a.messageKey.clear();
            return true;
        case FormField::Supplement:
            a.body = text;
            a.errors.erase(record::Field::Body);
            return true;
        case FormField::Comment:
            a.comment = text;
            a.errors.erase(record::Field::Comment);
            return true;
        case FormField::ReopenReason:
            a.reopenReason = text;
            a.errors.erase(record::Field::ReopenReason);
            return true;
        default:
            return false;
    }
}

}  // namespace kiosk::core
