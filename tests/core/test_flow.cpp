#include "flow_helpers.hpp"

using namespace flowtest;

TEST_CASE("the welcome screen's two choices start a PAKN or an SKGP submission") {
    Driver d;
    d(intent::Start{"SKGP"});
    CHECK(d.s().screen == Screen::Category);
    CHECK(d.s().form.type == "SKGP");
    Driver e;
    e(intent::Start{"NOPE"});
    CHECK(e.s().screen == Screen::Welcome);
}

TEST_CASE("picking a category moves on to the content screen") {
    Driver d;
    d.toContent();
    CHECK(d.s().form.category == "MOI_TRUONG");
}

TEST_CASE("typing the body suggests a title until the person edits it") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, "Đèn đường hẻm 12 bị hỏng. Rất tối."});
    CHECK(d.s().form.title == "Đèn đường hẻm 12 bị hỏng");
    d(intent::SetText{FormField::Title, "Đèn hỏng"});
    d(intent::SetText{FormField::Body, "Cây đổ chắn đường. Cần dọn gấp."});
    CHECK(d.s().form.title == "Đèn hỏng");
    d(intent::SetText{FormField::Title, ""});  // cleared: the suggestion comes back
    CHECK(d.s().form.title == "Cây đổ chắn đường");
}

TEST_CASE("next on an empty body shows the body-required message and stays") {
    Driver d;
    d.toContent();
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Content);
    REQUIRE(d.s().errors.count(ksync::record::Field::Body));
    CHECK(d.s().errors.at(ksync::record::Field::Body).key == "validation.body_required");
    d(intent::SetText{FormField::Body, "Nay đã có nội dung."});
    CHECK_FALSE(d.s().errors.count(ksync::record::Field::Body));  // typing clears the message
}

TEST_CASE("a body over 64,000 characters is refused with its count") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, std::string(64001, 'a')});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Content);
    const auto& e = d.s().errors.at(ksync::record::Field::Body);
    CHECK(e.key == "validation.body_too_long");
    CHECK(e.count == 64001);
}

TEST_CASE("the contact screen needs a choice before going on") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, "Nội dung phản ánh."});
    d(intent::Next{});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Contact);
    CHECK(d.s().bannerKey == "contact.choose_first");
}

TEST_CASE("contact details are checked field by field") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, "Nội dung phản ánh."});
    d(intent::Next{});
    d(intent::ChooseContact{ContactChoice::WithContact});
    d(intent::SetText{FormField::Phone, "12345"});
    d(intent::SetText{FormField::Email, "khong-hop-le"});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Contact);
    using ksync::record::Field;
    CHECK(d.s().errors.at(Field::Name).key == "validation.name_required");
    CHECK(d.s().errors.at(Field::Phone).key == "validation.phone_invalid");
    CHECK(d.s().errors.at(Field::Email).key == "validation.email_invalid");
    CHECK(d.s().errors.at(Field::Consent).key == "validation.consent_required");
    d(intent::SetText{FormField::Name, "Nguyễn Văn An"});
    d(intent::SetText{FormField::Phone, "0912 345 678"});
    d(intent::SetText{FormField::Email, ""});
    d(intent::SetConsent{true});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Review);
    CHECK(d.s().errors.empty());
}

TEST_CASE("choosing anonymous clears contact messages and sends no contact") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, "Nội dung phản ánh."});
    d(intent::Next{});
    d(intent::ChooseContact{ContactChoice::WithContact});
    d(intent::SetText{FormField::Name, "Nguyễn Văn An"});
    d(intent::Next{});
    CHECK_FALSE(d.s().errors.empty());
    d(intent::ChooseContact{ContactChoice::Anonymous});
    CHECK(d.s().errors.empty());
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Review);
    CHECK(d.flow.draft().anonymous);
    CHECK(d.flow.draft().name.empty());
}

TEST_CASE("back goes one screen at a time and nothing typed is lost") {
    Driver d;
    d.toReviewAnonymous();
    const Form before = d.s().form;
    d(intent::Back{});
    CHECK(d.s().screen == Screen::Contact);
    d(intent::Back{});
    CHECK(d.s().screen == Screen::Content);
    d(intent::Back{});
    CHECK(d.s().screen == Screen::Category);
    d(intent::Back{});
    CHECK(d.s().screen == Screen::Welcome);
    CHECK(d.s().form == before);
    d(intent::Start{"PAKN"});  // same kind: the form is still there
    CHECK(d.s().form == before);
}

TEST_CASE("editing a section from review returns to review") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::EditSection{Screen::Content});
    CHECK(d.s().screen == Screen::Content);
    d(intent::SetText{FormField::LocationAddress, "Số 12 Lê Lợi"});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Review);
    d(intent::EditSection{Screen::Category});
    d(intent::PickCategory{"GIAO_THONG"});
    CHECK(d.s().screen == Screen::Review);
    CHECK(d.s().form.category == "GIAO_THONG");
}

TEST_CASE("confirm asks to store the draft once, even when tapped twice") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    const auto* store = d.effect<effect::StoreRecord>();
    REQUIRE(store);
    // Validated once, here: the store takes this ValidDraft as it is.
    CHECK(store->draft.type == ksync::record::RecordType::Pakn);
    CHECK(store->draft.category == "MOI_TRUONG");
    CHECK_FALSE(store->draft.content.contact);
    CHECK(store->draft.channel == ksync::record::Channel::Kiosk);
    CHECK_FALSE(store->draft.content.body.empty());
    CHECK(d.s().storing);
    d(intent::Confirm{});
    CHECK(d.last.empty());
}

TEST_CASE("a stored record shows the receipt, starts printing and wipes the form") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt()});
    CHECK(d.s().screen == Screen::Receipt);
    REQUIRE(d.s().receipt);
    CHECK(d.s().receipt->trackingCode == "PAKN-7K3M-000001-0");
    CHECK(d.s().print == PrintState::Printing);
    REQUIRE(d.effect<effect::PrintReceipt>());
    CHECK(d.effect<effect::PrintReceipt>()->trackingCode == "PAKN-7K3M-000001-0");
    CHECK(d.effect<effect::ResetInputs>());
    CHECK(d.s().form == Form{});
}

TEST_CASE("a printer problem is shown while the code stays on screen, and reprint retries") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt()});
    d(intent::PrintFailed{"printer.paper_out"});
    CHECK(d.s().print == PrintState::Failed);
    CHECK(d.s().printMessageKey == "printer.paper_out");
    CHECK(d.s().screen == Screen::Receipt);
    CHECK(d.s().receipt->trackingCode == "PAKN-7K3M-000001-0");
    d(intent::Reprint{});
    CHECK(d.effect<effect::PrintReceipt>());
    d(intent::Printed{});
    CHECK(d.s().print == PrintState::Printed);
}

TEST_CASE("a failed store keeps everything and says why") {
    Driver d;
    d.toReviewAnonymous();
    const Form before = d.s().form;
    d(intent::Confirm{});
    d(intent::StoreFailed{"store.disk_full"});
    CHECK(d.s().screen == Screen::Review);
    CHECK(d.s().bannerKey == "store.disk_full");
    CHECK(d.s().form == before);
    CHECK_FALSE(d.s().storing);
    d(intent::Confirm{});
    CHECK(d.effect<effect::StoreRecord>());
}

TEST_CASE("done on the receipt returns to welcome with nothing left") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::SetTextSize{TextSize::Large});
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt()});
    d(intent::Done{});
    CHECK(d.s().screen == Screen::Welcome);
    CHECK_FALSE(d.s().receipt);
    CHECK(d.s().prefs == Preferences{});
    CHECK(d.s().lastReceiptCode == "PAKN-7K3M-000001-0");  // for staff reprints
}

TEST_CASE("listening to the code speaks the receipt's code") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt()});
    d(intent::SpeakCode{});
    REQUIRE(d.effect<effect::SpeakCode>());
    CHECK(d.effect<effect::SpeakCode>()->trackingCode == "PAKN-7K3M-000001-0");
}

TEST_CASE("with speech on, every new screen reads its instruction") {
    Driver d;
    d(intent::ToggleSpeech{});
    REQUIRE(d.effect<effect::SpeakKey>());
    CHECK(d.effect<effect::SpeakKey>()->key == "speech.welcome");
    d(intent::Start{"PAKN"});
    REQUIRE(d.effect<effect::SpeakKey>());
    CHECK(d.effect<effect::SpeakKey>()->key == "speech.category");
    d(intent::ToggleSpeech{});
    d(intent::PickCategory{"KHAC"});
    CHECK_FALSE(d.effect<effect::SpeakKey>());
    d(intent::SpeakScreen{});  // on request, even with speech off
    REQUIRE(d.effect<effect::SpeakKey>());
    CHECK(d.effect<effect::SpeakKey>()->key == "speech.content");
}

TEST_CASE("language, text size and contrast change on any screen") {
    Driver d;
    d.toContent();
    d(intent::SetLanguage{"en"});
    d(intent::SetTextSize{TextSize::ExtraLarge});
    d(intent::ToggleContrast{});
    CHECK(d.s().prefs.language == "en");
    CHECK(d.s().prefs.textSize == TextSize::ExtraLarge);
    CHECK(d.s().prefs.highContrast);
    CHECK(d.s().screen == Screen::Content);
    d(intent::SetLanguage{"fr"});
    CHECK(d.s().prefs.language == "en");
    CHECK(d.flow.draft().language == "en");
}

TEST_CASE(
    "calling staff from any screen says so aloud, notifies once, and waits on the staff panel "
    "until answered") {
    Driver d;
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    REQUIRE(d.s().screen == Screen::Content);
    d(intent::CallStaff{});
    CHECK(d.effect<effect::CallStaff>());
    REQUIRE(d.effect<effect::SpeakKey>());  // aloud even with speech off
    CHECK(d.effect<effect::SpeakKey>()->key == "help.coming_speech");
    CHECK(d.s().helpComing);
    REQUIRE(d.s().helpCalls.size() == 1);
    CHECK(d.s().helpCalls.front().screen == Screen::Content);
    d(intent::CallStaff{});  // a second tap repeats the words, it does not call twice
    CHECK_FALSE(d.effect<effect::CallStaff>());
    CHECK(d.effect<effect::SpeakKey>());
    CHECK(d.s().helpCalls.size() == 1);
    // The session ends (the resident leaves): the call still waits for the staff.
    d(intent::Back{});
    d(intent::Back{});
    d(intent::OpenStaff{});
    d(intent::SubmitPin{});
    d(intent::PinChecked{true});
    REQUIRE(d.s().screen == Screen::StaffPanel);
    CHECK(d.s().helpCalls.size() == 1);
    d(intent::StaffHelpAnswered{});
    CHECK(d.s().helpCalls.empty());
    CHECK_FALSE(d.s().helpComing);
}

TEST_CASE("leaving kiosk mode asks first; a test print goes to the printer") {
    Driver d;
    d(intent::OpenStaff{});
    d(intent::SubmitPin{});
    d(intent::PinChecked{true});
    REQUIRE(d.s().screen == Screen::StaffPanel);
    d(intent::StaffExitConfirm{});  // no question asked yet: nothing
    CHECK_FALSE(d.effect<effect::ExitApp>());
    d(intent::StaffExit{});
    CHECK_FALSE(d.effect<effect::ExitApp>());
    CHECK(d.s().staff.exitAsked);
    d(intent::StaffExitCancel{});
    CHECK_FALSE(d.s().staff.exitAsked);
    d(intent::StaffExitConfirm{});
    CHECK_FALSE(d.effect<effect::ExitApp>());
    d(intent::StaffExit{});
    d(intent::StaffExitConfirm{});
    CHECK(d.effect<effect::ExitApp>());
    d(intent::StaffTestPrint{});
    CHECK(d.effect<effect::PrintTest>());
    CHECK(d.s().print == kiosk::core::PrintState::Printing);
}

TEST_CASE("confirming an invalid draft jumps to the first screen with a problem") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::EditSection{Screen::Content});
    d(intent::SetText{FormField::Body, ""});
    // Skip the content screen's own check: back to the categories, which return to review.
    d(intent::Back{});
    d(intent::PickCategory{"MOI_TRUONG"});  // returns to review (edit mode)
    REQUIRE(d.s().screen == Screen::Review);
    d(intent::Confirm{});
    CHECK(d.s().screen == Screen::Content);
    CHECK(d.s().errors.at(ksync::record::Field::Body).key == "validation.body_required");
    CHECK_FALSE(d.effect<effect::StoreRecord>());
}
