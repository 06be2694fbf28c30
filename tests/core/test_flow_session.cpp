#include "flow_helpers.hpp"

using namespace flowtest;

TEST_CASE("after 60 s without a touch a countdown appears, a touch dismisses it") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, "Nội dung đang gõ dở."});
    d.wait(59'000);
    CHECK_FALSE(d.s().idleWarning);
    d.wait(2'000);
    CHECK(d.s().idleWarning);
    CHECK(d.s().idleSecondsLeft > 0);
    CHECK(d.s().idleSecondsLeft <= 15);
    d(intent::Touch{});
    CHECK_FALSE(d.s().idleWarning);
    CHECK(d.s().form.body == "Nội dung đang gõ dở.");
}

TEST_CASE("after the countdown everything typed is wiped and welcome returns") {
    Driver d;
    d.toContent();
    d(intent::SetText{FormField::Body, "Nội dung riêng tư."});
    d(intent::SetLanguage{"en"});
    d(intent::SetTextSize{TextSize::Large});
    d.wait(61'000);
    d.wait(15'000);
    CHECK(d.s().screen == Screen::Welcome);
    CHECK(d.s().form == Form{});
    CHECK(d.s().prefs == Preferences{});
    CHECK_FALSE(d.s().idleWarning);
    CHECK(d.effect<effect::ResetInputs>());
}

TEST_CASE("the receipt and tracking screens also reset when left alone") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt()});
    d.wait(80'000);
    CHECK(d.s().screen == Screen::Welcome);
    CHECK_FALSE(d.s().receipt);

    Driver t;
    t(intent::OpenTracking{});
    t(intent::SetText{FormField::TrackCode, "PAKN"});
    t.wait(80'000);
    CHECK(t.s().screen == Screen::Welcome);
    CHECK(t.s().tracking.typed.empty());
}

TEST_CASE("an untouched welcome screen never counts down") {
    Driver d;
    d.wait(600'000);
    CHECK_FALSE(d.s().idleWarning);
    CHECK(d.last.empty());
}

TEST_CASE("no reset while a record is being stored") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d.wait(100'000);
    CHECK(d.s().screen == Screen::Review);
    CHECK(d.s().storing);
}

TEST_CASE("tracking: a mistyped code gets the parser's message and no lookup") {
    Driver d;
    d(intent::OpenTracking{});
    CHECK(d.s().screen == Screen::TrackEntry);
    d(intent::SetText{FormField::TrackCode, "PAKN-7K3M-000123-#"});
    d(intent::SubmitCode{});
    CHECK(d.s().tracking.messageKey == "code.bad_char");
    CHECK(d.s().tracking.badChar == "#");
    CHECK_FALSE(d.effect<effect::LookupStatus>());
}

TEST_CASE("tracking: a good code typed loosely is looked up and its timeline shown") {
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 123);
    std::string loose;
    for (char c : code)
        if (c != '-')
            loose.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    Driver d;
    d(intent::OpenTracking{});
    d(intent::SetText{FormField::TrackCode, loose});
    d(intent::SubmitCode{});
    REQUIRE(d.effect<effect::LookupStatus>());
    CHECK(d.effect<effect::LookupStatus>()->trackingCode == code);
    CHECK(d.s().screen == Screen::TrackResult);
    CHECK(d.s().tracking.loading);
    d(intent::StatusLoaded{true,
                           {{"queued", "", "", "", "", "2026-11-23T01:00:00.000Z"},
                            {"forwarded", "Chuyển phòng QLĐT", "Phòng QLĐT", "Trần Thị B",
                             "2026-12-10", "2026-11-24T01:00:00.000Z"}}});
    CHECK_FALSE(d.s().tracking.loading);
    CHECK(d.s().tracking.timeline.size() == 2);
    d(intent::Back{});
    CHECK(d.s().screen == Screen::TrackEntry);
}

TEST_CASE("tracking: an unknown code says it was not found") {
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Skgp, "AB12", 9);
    Driver d;
    d(intent::OpenTracking{});
    d(intent::SetText{FormField::TrackCode, code});
    d(intent::SubmitCode{});
    d(intent::StatusLoaded{false, {}});
    CHECK(d.s().tracking.messageKey == "track.not_found");
}

TEST_CASE("tracking: a lookup the busy kiosk could not start says so, not 'not found'") {
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Skgp, "AB12", 9);
    Driver d;
    d(intent::OpenTracking{});
    d(intent::SetText{FormField::TrackCode, code});
    d(intent::SubmitCode{});
    d(intent::StatusLoaded{false, {}, true});
    CHECK(d.s().tracking.messageKey == "kiosk.busy");
    CHECK_FALSE(d.s().tracking.loading);
}

TEST_CASE("a scanned receipt QR on the welcome screen opens its status") {
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 5);
    Driver d;
    d(intent::CodeScanned{"HTTPS://TRA.CUU.GOV.VN/T/" + code});
    CHECK(d.s().screen == Screen::TrackResult);
    REQUIRE(d.effect<effect::LookupStatus>());
    CHECK(d.effect<effect::LookupStatus>()->trackingCode == code);
}

TEST_CASE("a scan in the middle of a submission is ignored") {
    Driver d;
    d.toContent();
    d(intent::CodeScanned{"PAKN-7K3M-000005-X"});
    CHECK(d.s().screen == Screen::Content);
}

TEST_CASE("the staff panel opens only with the right PIN") {
    Driver d;
    d.toContent();
    d(intent::OpenStaff{});
    CHECK(d.s().screen == Screen::StaffPin);
    d(intent::SetText{FormField::Pin, "12a34"});
    CHECK(d.s().staff.pin == "1234");
    d(intent::SubmitPin{});
    REQUIRE(d.effect<effect::CheckPin>());
    CHECK(d.effect<effect::CheckPin>()->pin == "1234");
    CHECK(d.s().staff.pin.empty());
    d(intent::PinChecked{true});
    CHECK(d.s().screen == Screen::StaffPanel);
    d(intent::StaffClose{});
    CHECK(d.s().screen == Screen::Content);  // back where the resident was
}

TEST_CASE("wrong PINs lock the panel for increasing periods") {
    Driver d;
    d(intent::OpenStaff{});
    auto wrong = [&] {
        d(intent::SetText{FormField::Pin, "0000"});
        d(intent::SubmitPin{});
        d(intent::PinChecked{false});
    };
    wrong();
    wrong();
    CHECK(d.s().staff.messageKey == "staff.pin_wrong");
    wrong();
    CHECK(d.s().staff.messageKey == "staff.pin_locked");
    const std::int64_t firstLock = d.s().staff.lockedUntilMs - d.now;
    CHECK(firstLock == 30'000);
    d(intent::SetText{FormField::Pin, "1234"});
    d(intent::SubmitPin{});
    CHECK_FALSE(d.effect<effect::CheckPin>());  // locked: not even checked
    d.now += 31'000;
    wrong();
    CHECK(d.s().staff.lockedUntilMs - d.now == 60'000);
}

TEST_CASE("a PIN the busy kiosk could not check is not counted as wrong") {
    Driver d;
    d(intent::OpenStaff{});
    for (int i = 0; i < 5; ++i) {
        d(intent::SetText{FormField::Pin, "1234"});
        d(intent::SubmitPin{});
        REQUIRE(d.effect<effect::CheckPin>());
        d(intent::PinChecked{false, true});
        CHECK(d.s().staff.messageKey == "kiosk.busy");
    }
    CHECK(d.s().staff.failures == 0);
    CHECK(d.s().staff.lockedUntilMs == 0);
    d(intent::SubmitPin{});
    d(intent::PinChecked{true});
    CHECK(d.s().screen == Screen::StaffPanel);
}

TEST_CASE("staff can reprint the last receipt, mark the next submission assisted and exit") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt("PAKN-7K3M-000009-1")});
    d(intent::Done{});
    d(intent::OpenStaff{});
    d(intent::SubmitPin{});
    d(intent::PinChecked{true});
    d(intent::Reprint{});
    REQUIRE(d.effect<effect::PrintReceipt>());
    CHECK(d.effect<effect::PrintReceipt>()->trackingCode == "PAKN-7K3M-000009-1");
    d(intent::StaffToggleAssisted{});
    CHECK(d.s().staff.assistedNext);
    d(intent::StaffExit{});
    d(intent::StaffExitConfirm{});
    CHECK(d.effect<effect::ExitApp>());
    d(intent::StaffClose{});
    d.toReviewAnonymous();
    CHECK(d.flow.draft().staffAssisted);
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt("PAKN-7K3M-000010-X")});
    CHECK_FALSE(d.s().staff.assistedNext);  // only the next one
}

TEST_CASE("the idle reset does not clear a PIN lock-out") {
    Driver d;
    d(intent::OpenStaff{});
    for (int i = 0; i < 3; ++i) {
        d(intent::SubmitPin{});
        d(intent::PinChecked{false});
    }
    const auto locked = d.s().staff.lockedUntilMs;
    d.wait(80'000);
    CHECK(d.s().screen == Screen::Welcome);
    CHECK(d.s().staff.lockedUntilMs == locked);
}
