// Common problems (issue #15): after a category tile, one tap starts the content with a problem
// of that category; the person may add details or go on as it is, and the title follows.
#include "flow_helpers.hpp"

using namespace flowtest;

namespace {

FlowConfig withProblems() {
    FlowConfig c;
    c.commonProblems["MOI_TRUONG"] = {
        {"Rác thải không được thu gom.", "Rubbish is not being collected."},
        {"Cống thoát nước bị tắc, gây ngập khi mưa.", "The drain is blocked and floods."}};
    return c;
}

}  // namespace

TEST_CASE("problems: a tile with problems offers them, one tap fills the body and the title") {
    Driver d(withProblems());
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    CHECK(d.s().screen == Screen::Category);
    CHECK(d.s().pickingProblem);
    CHECK(d.s().form.category == "MOI_TRUONG");
    d(intent::PickProblem{1});
    CHECK(d.s().screen == Screen::Content);
    CHECK_FALSE(d.s().pickingProblem);
    CHECK(d.s().form.body == "Cống thoát nước bị tắc, gây ngập khi mưa.");
    CHECK_FALSE(d.s().form.title.empty());
    CHECK_FALSE(d.s().form.titleEdited);
    // Sent as it is: Next, anonymous, Next, Confirm stores it.
    d(intent::Next{});
    REQUIRE(d.s().screen == Screen::Contact);
    d(intent::ChooseContact{ContactChoice::Anonymous});
    d(intent::Next{});
    REQUIRE(d.s().screen == Screen::Review);
    d(intent::Confirm{});
    const auto* store = d.effect<effect::StoreRecord>();
    REQUIRE(store);
    CHECK(store->draft.content.body == "Cống thoát nước bị tắc, gây ngập khi mưa.");
}

TEST_CASE("problems: details added after a pick are kept, a later pick never overwrites them") {
    Driver d(withProblems());
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::PickProblem{0});
    const std::string more = "Rác thải không được thu gom. Đã ba ngày ở hẻm 12.";
    d(intent::SetText{FormField::Body, more});
    CHECK(d.s().form.title.find("Rác") != std::string::npos);
    d(intent::Back{});
    REQUIRE(d.s().screen == Screen::Category);
    d(intent::PickCategory{"MOI_TRUONG"});  // what was typed is not at risk: no list
    CHECK(d.s().screen == Screen::Content);
    CHECK(d.s().form.body == more);
}

TEST_CASE("problems: an untouched pick is replaced by another, own words keep the body") {
    Driver d(withProblems());
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::PickProblem{0});
    d(intent::Back{});
    d(intent::PickCategory{"MOI_TRUONG"});
    REQUIRE(d.s().pickingProblem);
    d(intent::PickProblem{1});
    CHECK(d.s().form.body == "Cống thoát nước bị tắc, gây ngập khi mưa.");
    d(intent::Back{});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::PickProblem{-1});  // "Việc khác — tôi tự viết"
    CHECK(d.s().screen == Screen::Content);
    CHECK(d.s().form.body == "Cống thoát nước bị tắc, gây ngập khi mưa.");
}

TEST_CASE("problems: Back from the list returns to the tiles, Next means own words") {
    Driver d(withProblems());
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::Back{});
    CHECK(d.s().screen == Screen::Category);
    CHECK_FALSE(d.s().pickingProblem);
    d(intent::Back{});
    CHECK(d.s().screen == Screen::Welcome);
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::Next{});
    CHECK(d.s().screen == Screen::Content);
    CHECK(d.s().form.body.empty());
}

TEST_CASE(
    "problems: a category without problems goes straight to the content, bad indexes do "
    "nothing") {
    Driver d(withProblems());
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"KHAC"});
    CHECK(d.s().screen == Screen::Content);
    CHECK_FALSE(d.s().pickingProblem);
    d(intent::PickProblem{0});  // not on the list: ignored
    CHECK(d.s().form.body.empty());
    d(intent::Back{});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::PickProblem{7});
    CHECK(d.s().screen == Screen::Category);
    CHECK(d.s().pickingProblem);
}

TEST_CASE("problems: in English the English words, spoken guide on the list") {
    Driver d(withProblems());
    d(intent::SetLanguage{"en"});
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    d(intent::SpeakScreen{});
    const auto* speak = d.effect<effect::SpeakKey>();
    REQUIRE(speak);
    CHECK(speak->key == "speech.problem");
    d(intent::PickProblem{0});
    CHECK(d.s().form.body == "Rubbish is not being collected.");
}

TEST_CASE("problems: the session wipe forgets the pick") {
    Driver d(withProblems());
    d(intent::Start{"PAKN"});
    d(intent::PickCategory{"MOI_TRUONG"});
    REQUIRE(d.s().pickingProblem);
    d.wait(60'000);
    d.wait(16'000);
    CHECK(d.s().screen == Screen::Welcome);
    CHECK_FALSE(d.s().pickingProblem);
    CHECK(d.s().form == Form{});
}
