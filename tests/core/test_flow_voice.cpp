// The voice that goes with the screens (issue #15, kiosk/core/flow_voice.cpp): errors read
// aloud as they appear, the idle countdown read aloud, the guide offered at the first touch.
#include "flow_helpers.hpp"

using namespace flowtest;

namespace {

std::vector<std::string> spokenKeys(const std::vector<Effect>& fx) {
    std::vector<std::string> keys;
    for (const auto& e : fx)
        if (auto k = std::get_if<effect::SpeakKey>(&e)) keys.push_back(k->key);
    return keys;
}

const effect::SpeakKey* spoken(const std::vector<Effect>& fx, const std::string& key) {
    for (const auto& e : fx)
        if (auto k = std::get_if<effect::SpeakKey>(&e); k && k->key == key) return k;
    return nullptr;
}

}  // namespace

TEST_CASE("the first touch of a visit offers the spoken guide once, and again after the reset") {
    Driver d;
    d(intent::Start{"PAKN"});
    CHECK(spokenKeys(d.last) == std::vector<std::string>{"speech.offer"});
    d(intent::PickCategory{"MOI_TRUONG"});
    CHECK(spokenKeys(d.last).empty());
    d(intent::Back{});
    CHECK(spokenKeys(d.last).empty());
    // Left alone: the countdown, then the wipe; the next person hears the offer again.
    d.wait(61'000);
    d.wait(16'000);
    REQUIRE(d.s().screen == Screen::Welcome);
    d(intent::OpenTracking{});
    CHECK(spokenKeys(d.last) == std::vector<std::string>{"speech.offer"});
}

TEST_CASE("no offer when the first touch turns the voice on, or opens the staff panel") {
    Driver on;
    on(intent::ToggleSpeech{});
    CHECK(on.s().prefs.speech);
    CHECK_FALSE(spoken(on.last, "speech.offer"));
    on(intent::Start{"PAKN"});
    // The guide is on: each screen's instruction, never the offer.
    CHECK(spokenKeys(on.last) == std::vector<std::string>{"speech.category"});

    Driver staff;
    staff(intent::OpenStaff{});
    CHECK(spokenKeys(staff.last).empty());
}

TEST_CASE("finishing a visit does not offer the guide to nobody") {
    Driver d;
    d.toReviewAnonymous();
    d(intent::Confirm{});
    d(intent::Stored{sampleReceipt()});
    d(intent::Done{});
    REQUIRE(d.s().screen == Screen::Welcome);
    CHECK_FALSE(spoken(d.last, "speech.offer"));
}

TEST_CASE("an error on screen is read aloud once, with its numbers, even with the guide off") {
    Driver d;
    d.toContent();
    d(intent::Next{});  // no body yet
    REQUIRE(d.s().screen == Screen::Content);
    REQUIRE(d.s().errors.contains(record::Field::Body));
    const auto* e = spoken(d.last, d.s().errors.at(record::Field::Body).key);
    REQUIRE(e);
    CHECK(e->params.contains("count"));
    // The same message again is not repeated on every tap.
    d(intent::Next{});
    CHECK(spokenKeys(d.last).empty());
    // A body far too long: another message, read with the count and the limit.
    d(intent::SetText{FormField::Body, std::string(70'000, 'a')});
    d(intent::Next{});
    const auto& m = d.s().errors.at(record::Field::Body);
    const auto* tooLong = spoken(d.last, m.key);
    REQUIRE(tooLong);
    CHECK(tooLong->params.at("count") == std::to_string(m.count));
    CHECK(tooLong->params.at("max") == std::to_string(m.max));
}

TEST_CASE("a mistyped tracking code is read aloud with the wrong character") {
    Driver d;
    d(intent::OpenTracking{});
    d(intent::SetText{FormField::TrackCode, "PAKN-7K3M-00000@-1"});
    d(intent::SubmitCode{});
    REQUIRE_FALSE(d.s().tracking.messageKey.empty());
    const auto* e = spoken(d.last, d.s().tracking.messageKey);
    REQUIRE(e);
    CHECK(e->params.at("char") == d.s().tracking.badChar);
}

TEST_CASE("the idle countdown is read aloud as it appears, not every second") {
    Driver d;
    d.toContent();
    d.wait(60'500);
    REQUIRE(d.s().idleWarning);
    CHECK(spokenKeys(d.last) == std::vector<std::string>{"idle.speech"});
    d.wait(1'000);
    REQUIRE(d.s().idleWarning);
    CHECK(spokenKeys(d.last).empty());
    d(intent::Touch{});  // "Tôi vẫn đang dùng"
    CHECK_FALSE(d.s().idleWarning);
    CHECK(spokenKeys(d.last).empty());
}

TEST_CASE("staff screens speak no resident messages") {
    Driver d;
    d(intent::OpenStaff{});
    d(intent::SetText{FormField::Pin, "1"});
    d(intent::SubmitPin{});
    d(intent::PinChecked{false});
    CHECK(spokenKeys(d.last).empty());
}
