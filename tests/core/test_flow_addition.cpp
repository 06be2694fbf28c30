// Issue #14 in the flow core: "Bổ sung thông tin" and the rating, from the tracking story.
#include "core/addition.hpp"
#include "flow_helpers.hpp"
#include "record/receipt_proof.hpp"

using namespace flowtest;

namespace {

const std::string kCode = "PAKN-7K3M-000001-0";
const std::string kSecret = "K3M7X9QART5PW";  // 13 symbols of the code alphabet

StatusEntry entry(std::string status, std::string note = "") {
    return StatusEntry{
        std::move(status),     std::move(note), "UBND phường Sài Gòn", "Nguyễn Văn B", "",
        "2026-11-24T03:00:00Z"};
}

// Welcome -> tracking -> the story of kCode with `timeline`.
void toStory(Driver& d, std::vector<StatusEntry> timeline) {
    d(intent::OpenTracking{});
    d(intent::SetText{FormField::TrackCode, kCode});
    d(intent::SubmitCode{});
    REQUIRE(d.s().screen == Screen::TrackResult);
    d(intent::StatusLoaded{true, std::move(timeline)});
}

std::vector<StatusEntry> needsInfo() {
    return {entry("queued"), entry("uploaded"), entry("received"), entry("forwarded"),
            entry("needs_info", "Xin gửi thêm địa chỉ chính xác của cống bị tắc.")};
}
std::vector<StatusEntry> answered() {
    return {entry("queued"), entry("forwarded"), entry("answered", "Đã nạo vét cống.")};
}

// The story -> AddProof -> the secret checked with `result`.
void proveWith(Driver& d, ProofResult result, const std::string& typed = kSecret) {
    d(intent::SetText{FormField::Secret, typed});
    d(intent::Next{});
    const auto* check = d.effect<effect::CheckProof>();
    REQUIRE(check);
    CHECK(check->code == kCode);
    CHECK(check->secret == kSecret);
    d(intent::ProofChecked{kCode, result});
}

AdditionReceiptInfo stored(AdditionKind kind, bool here = true) {
    AdditionReceiptInfo r;
    r.kind = kind;
    r.parentCode = kCode;
    r.ownCode = "PAKN-7K3M-000002-X";
    r.createdAtLocal = "10:00 25/11/2026";
    r.sequence = 2;
    r.proofCheckedHere = here;
    return r;
}

}  // namespace

TEST_CASE("supplement: offered when information is asked, and shows exactly what was asked") {
    Driver d;
    toStory(d, needsInfo());
    CHECK(canSupplement(d.s()));
    CHECK_FALSE(canRate(d.s()));
    d(intent::StartSupplement{});
    REQUIRE(d.s().screen == Screen::AddProof);
    CHECK(d.s().addition.code == kCode);
    CHECK(d.s().addition.requestNote == "Xin gửi thêm địa chỉ chính xác của cống bị tắc.");
    CHECK(d.s().addition.requestAgency == "UBND phường Sài Gòn");
    proveWith(d, ProofResult::Match, "k3m7-x9qa-rt5pw");
    REQUIRE(d.s().screen == Screen::AddText);
    CHECK(d.s().addition.proofCheckedHere);
    d(intent::SetText{FormField::Supplement, "Cống ở số 12 đường Lê Lợi, trước cửa chợ."});
    d(intent::Next{});
    REQUIRE(d.s().screen == Screen::AddReview);
    d(intent::Confirm{});
    const auto* st = d.effect<effect::StoreAddition>();
    REQUIRE(st);
    CHECK(st->draft.content.kind == record::RecordKind::Supplement);
    CHECK(st->draft.content.parentCode == kCode);
    CHECK(st->draft.content.proof == kSecret);
    CHECK(st->draft.content.body == "Cống ở số 12 đường Lê Lợi, trước cửa chợ.");
    CHECK(st->draft.channel == record::Channel::Kiosk);
    CHECK(d.s().addition.storing);
    d(intent::Confirm{});  // a second tap does nothing
    CHECK_FALSE(d.effect<effect::StoreAddition>());
    d(intent::AdditionStored{stored(AdditionKind::Supplement)});
    CHECK(d.s().screen == Screen::AddDone);
    const auto* pr = d.effect<effect::PrintAddition>();
    REQUIRE(pr);
    CHECK(pr->receipt.parentCode == kCode);
    CHECK(d.effect<effect::ResetInputs>());
    CHECK(d.s().addition.secret.empty());
    CHECK(d.s().addition.secretTyped.empty());
    CHECK(d.s().addition.body.empty());
    CHECK(d.s().print == PrintState::Printing);
    d(intent::Printed{});
    d(intent::Reprint{});
    CHECK(d.effect<effect::PrintAddition>());
    d(intent::Done{});
    CHECK(d.s().screen == Screen::Welcome);
    CHECK_FALSE(d.s().addition.done);
}

TEST_CASE("supplement: offered any time before the answer, not after it") {
    Driver d;
    toStory(d, {entry("queued")});
    CHECK(canSupplement(d.s()));
    d(intent::StartSupplement{});
    CHECK(d.s().screen == Screen::AddProof);
    CHECK(d.s().addition.requestNote.empty());

    Driver a;
    toStory(a, answered());
    CHECK_FALSE(canSupplement(a.s()));
    a(intent::StartSupplement{});
    CHECK(a.s().screen == Screen::TrackResult);

    Driver r;
    toStory(r, {entry("queued"), entry("rejected")});
    CHECK_FALSE(canSupplement(r.s()));
    CHECK_FALSE(canRate(r.s()));
}

TEST_CASE("supplement: empty and too long are refused with the body's messages, nothing lost") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::Match);
    d(intent::SetText{FormField::Supplement, "   "});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::AddText);
    REQUIRE(d.s().addition.errors.contains(record::Field::Body));
    CHECK(d.s().addition.errors.at(record::Field::Body).key == "validation.body_required");
    const std::string tooLong(record::kMaxBodyChars + 1, 'a');
    d(intent::SetText{FormField::Supplement, tooLong});
    CHECK_FALSE(d.s().addition.errors.contains(record::Field::Body));  // typing clears it
    d(intent::Next{});
    CHECK(d.s().screen == Screen::AddText);
    REQUIRE(d.s().addition.errors.contains(record::Field::Body));
    CHECK(d.s().addition.errors.at(record::Field::Body).key == "validation.body_too_long");
    CHECK(d.s().addition.errors.at(record::Field::Body).max == record::kMaxBodyChars);
    CHECK(d.s().addition.body == tooLong);
    CHECK_FALSE(d.effect<effect::StoreAddition>());
}

TEST_CASE("a secret typed wrong in form is not an attempt; an empty one asks for it") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    d(intent::Next{});
    CHECK_FALSE(d.effect<effect::CheckProof>());
    REQUIRE(d.s().addition.errors.contains(record::Field::Secret));
    CHECK(d.s().addition.errors.at(record::Field::Secret).key == "validation.secret_required");
    d(intent::SetText{FormField::Secret, "K3M7-X9QA"});
    d(intent::Next{});
    CHECK_FALSE(d.effect<effect::CheckProof>());
    CHECK(d.s().addition.errors.at(record::Field::Secret).key == "validation.secret_invalid");
    CHECK(d.s().proofFailures.empty());
}

TEST_CASE("a wrong secret for this kiosk's case is refused at once and counted; the limit closes") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    for (int k = 1; k < record::kMaxProofAttempts; ++k) {
        proveWith(d, ProofResult::Mismatch);
        CHECK(d.s().screen == Screen::AddProof);
        CHECK(d.s().addition.messageKey == "proof.mismatch");
        CHECK(d.s().addition.attemptsLeft == record::kMaxProofAttempts - k);
        CHECK(d.s().addition.secretTyped.empty());
        CHECK_FALSE(d.effect<effect::StoreAddition>());
    }
    proveWith(d, ProofResult::Mismatch);
    CHECK(d.s().screen == Screen::TrackResult);
    CHECK(proofClosedKey(d.s()) == "proof.too_many");
    CHECK_FALSE(canSupplement(d.s()));
    CHECK(d.s().addition.code.empty());
    d(intent::StartSupplement{});
    CHECK(d.s().screen == Screen::TrackResult);
    // Looking the case up is still possible.
    d(intent::Back{});
    d(intent::SetText{FormField::TrackCode, kCode});
    d(intent::SubmitCode{});
    CHECK(d.effect<effect::LookupStatus>());
    d(intent::StatusLoaded{true, needsInfo()});
    CHECK(d.s().tracking.found);
    CHECK(proofClosedKey(d.s()) == "proof.too_many");
    // A new session starts afresh.
    d(intent::Done{});
    CHECK(d.s().proofFailures.empty());
    CHECK(d.s().proofClosed.empty());
}

TEST_CASE("another kiosk's case: the secret goes on, to be checked by the backend") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::NotHere);
    CHECK(d.s().screen == Screen::AddText);
    CHECK_FALSE(d.s().addition.proofCheckedHere);
    CHECK(d.s().proofFailures.empty());
}

TEST_CASE("an old receipt allows lookup only") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::OldReceipt);
    CHECK(d.s().screen == Screen::TrackResult);
    CHECK(proofClosedKey(d.s()) == "proof.old_receipt");
    CHECK_FALSE(canSupplement(d.s()));

    // Scanning the case's old QR (no secret after '#') on the proof screen says the same.
    Driver q;
    toStory(q, answered());
    q(intent::StartRating{std::string(record::kRatingSatisfied)});
    REQUIRE(q.s().screen == Screen::AddProof);
    q(intent::CodeScanned{"HTTPS://TRA.CUU.GOV.VN/T/" + kCode});
    CHECK(q.s().screen == Screen::TrackResult);
    CHECK(proofClosedKey(q.s()) == "proof.old_receipt");
    CHECK_FALSE(canRate(q.s()));
}

TEST_CASE("scanning the receipt's QR gives the secret: nothing to type") {
    Driver d;
    d(intent::CodeScanned{record::receiptQrPayload("HTTPS://TRA.CUU.GOV.VN/T/" + kCode, kSecret)});
    REQUIRE(d.s().screen == Screen::TrackResult);
    d(intent::StatusLoaded{true, needsInfo()});
    d(intent::StartSupplement{});
    CHECK(d.s().screen == Screen::AddProof);
    const auto* check = d.effect<effect::CheckProof>();
    REQUIRE(check);
    CHECK(check->secret == kSecret);
    d(intent::ProofChecked{kCode, ProofResult::Match});
    CHECK(d.s().screen == Screen::AddText);

    // On the proof screen, another case's receipt is refused and not counted.
    Driver o;
    toStory(o, needsInfo());
    o(intent::StartSupplement{});
    o(intent::CodeScanned{record::receiptQrPayload(
        "HTTPS://TRA.CUU.GOV.VN/T/" + record::makeTrackingCode(record::RecordType::Pakn, "7K3M", 2),
        kSecret)});
    CHECK(o.s().screen == Screen::AddProof);
    CHECK(o.s().addition.messageKey == "proof.other_code");
    CHECK_FALSE(o.effect<effect::CheckProof>());
    o(intent::CodeScanned{record::receiptQrPayload("HTTPS://TRA.CUU.GOV.VN/T/" + kCode, kSecret)});
    CHECK(o.effect<effect::CheckProof>());
}

TEST_CASE("rating: the face from the story, a comment, committed as a rating") {
    Driver d;
    toStory(d, answered());
    CHECK(canRate(d.s()));
    d(intent::StartRating{std::string(record::kRatingAcceptable)});
    REQUIRE(d.s().screen == Screen::AddProof);
    CHECK(d.s().addition.kind == AdditionKind::Rating);
    proveWith(d, ProofResult::Match);
    REQUIRE(d.s().screen == Screen::Rate);
    CHECK(d.s().addition.rating == record::kRatingAcceptable);
    d(intent::SetText{FormField::Comment, "Xử lý được nhưng hơi chậm."});
    d(intent::Confirm{});
    const auto* st = d.effect<effect::StoreAddition>();
    REQUIRE(st);
    CHECK(st->draft.content.kind == record::RecordKind::Rating);
    CHECK(st->draft.content.rating == record::kRatingAcceptable);
    CHECK(st->draft.content.body == "Xử lý được nhưng hơi chậm.");
    CHECK_FALSE(st->draft.content.reopen);
    auto info = stored(AdditionKind::Rating);
    info.rating = std::string(record::kRatingAcceptable);
    d(intent::AdditionStored{info});
    CHECK(d.s().screen == Screen::RateDone);
    CHECK_FALSE(d.effect<effect::PrintAddition>());
    CHECK(d.s().addition.comment.empty());
    d(intent::Done{});
    CHECK(d.s().screen == Screen::Welcome);
}

TEST_CASE("rating: chưa hài lòng may ask to reopen, and then a reason is required") {
    Driver d;
    toStory(d, answered());
    d(intent::StartRating{""});
    proveWith(d, ProofResult::NotHere);
    REQUIRE(d.s().screen == Screen::Rate);
    d(intent::Confirm{});  // no face chosen yet
    CHECK_FALSE(d.effect<effect::StoreAddition>());
    CHECK(d.s().addition.errors.at(record::Field::Rating).key == "validation.rating_invalid");
    d(intent::PickRating{std::string(record::kRatingSatisfied)});
    d(intent::SetReopen{true});
    CHECK_FALSE(d.s().addition.reopen);  // only with chưa hài lòng
    d(intent::PickRating{std::string(record::kRatingUnsatisfied)});
    d(intent::SetReopen{true});
    CHECK(d.s().addition.reopen);
    d(intent::Confirm{});
    CHECK_FALSE(d.effect<effect::StoreAddition>());
    CHECK(d.s().addition.errors.at(record::Field::ReopenReason).key ==
          "validation.reason_required");
    d(intent::SetText{FormField::ReopenReason, "Cống vẫn còn tắc sau hai ngày."});
    d(intent::Confirm{});
    const auto* st = d.effect<effect::StoreAddition>();
    REQUIRE(st);
    CHECK(st->draft.content.reopen);
    CHECK(st->draft.content.reopenReason == "Cống vẫn còn tắc sau hai ngày.");
    // Picking another face drops the request to reopen.
    Driver e;
    toStory(e, answered());
    e(intent::StartRating{std::string(record::kRatingUnsatisfied)});
    proveWith(e, ProofResult::Match);
    e(intent::SetReopen{true});
    e(intent::PickRating{std::string(record::kRatingSatisfied)});
    CHECK_FALSE(e.s().addition.reopen);
}

TEST_CASE("back and cancel: the text stays until the proof screen is left, then all goes") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::Match);
    d(intent::SetText{FormField::Supplement, "Thêm thông tin."});
    d(intent::Next{});
    REQUIRE(d.s().screen == Screen::AddReview);
    d(intent::Back{});
    CHECK(d.s().screen == Screen::AddText);
    CHECK(d.s().addition.body == "Thêm thông tin.");
    d(intent::Back{});
    CHECK(d.s().screen == Screen::AddProof);
    CHECK(d.s().addition.body == "Thêm thông tin.");
    d(intent::Back{});
    CHECK(d.s().screen == Screen::TrackResult);
    CHECK(d.s().addition.secret.empty());
    CHECK(d.s().addition.secretTyped.empty());
    CHECK(d.s().addition.body.empty());
    CHECK(d.effect<effect::ResetInputs>());
    CHECK(d.s().tracking.found);  // the story is still there
}

TEST_CASE("the commit's own check refusing keeps the text and counts the attempt") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::Match);
    d(intent::SetText{FormField::Supplement, "Thêm thông tin."});
    d(intent::Next{});
    d(intent::Confirm{});
    d(intent::AdditionFailed{"", ProofResult::Mismatch});
    CHECK(d.s().screen == Screen::AddProof);
    CHECK(d.s().addition.body == "Thêm thông tin.");
    CHECK(d.s().proofFailures.at(kCode) == 1);
    // A store failure says so and keeps everything.
    proveWith(d, ProofResult::Match);
    d(intent::Next{});
    d(intent::Confirm{});
    d(intent::AdditionFailed{"store.disk_full"});
    CHECK(d.s().screen == Screen::AddReview);
    CHECK(d.s().addition.messageKey == "store.disk_full");
    CHECK(d.s().addition.body == "Thêm thông tin.");
    CHECK_FALSE(d.s().addition.storing);
}

TEST_CASE("a busy worker is not a wrong secret") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::Busy);
    CHECK(d.s().screen == Screen::AddProof);
    CHECK(d.s().addition.messageKey == "kiosk.busy");
    CHECK(d.s().proofFailures.empty());
}

TEST_CASE("idle wipe clears the secret and the text") {
    Driver d;
    toStory(d, needsInfo());
    d(intent::StartSupplement{});
    proveWith(d, ProofResult::Match);
    d(intent::SetText{FormField::Supplement, "Thông tin riêng."});
    d.wait(61'000);
    CHECK(d.s().idleWarning);
    d.wait(15'000);
    CHECK(d.s().screen == Screen::Welcome);
    CHECK(d.s().addition.secret.empty());
    CHECK(d.s().addition.secretTyped.empty());
    CHECK(d.s().addition.body.empty());
    CHECK(d.s().tracking.scannedSecret.empty());
    CHECK(d.effect<effect::ResetInputs>());

    // Not while the addition is being committed.
    Driver c;
    toStory(c, needsInfo());
    c(intent::StartSupplement{});
    proveWith(c, ProofResult::Match);
    c(intent::SetText{FormField::Supplement, "Thông tin."});
    c(intent::Next{});
    c(intent::Confirm{});
    c.wait(200'000);
    CHECK(c.s().screen == Screen::AddReview);
    c(intent::AdditionStored{stored(AdditionKind::Supplement)});
    CHECK(c.s().screen == Screen::AddDone);
}

TEST_CASE("a scanned secret is wiped with the session") {
    Driver d;
    d(intent::CodeScanned{record::receiptQrPayload("HTTPS://TRA.CUU.GOV.VN/T/" + kCode, kSecret)});
    CHECK(d.s().tracking.scannedSecret == kSecret);
    d.wait(80'000);
    CHECK(d.s().screen == Screen::Welcome);
    CHECK(d.s().tracking.scannedSecret.empty());
}
