// The layout check (issue #15): every screen of the resident's path and the staff's, in both
// orientations, at the three text sizes, in normal and high contrast, judged from the item and
// text rectangles the headless harness reports (ItemProbe): every touch target at least 60 px
// and on the screen, no two targets overlapping, no text outside its button or key or the
// screen, no word broken by the wrapping.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "kiosk_fixture.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;
using kiosk::core::TextSize;
namespace intent = kiosk::core::intent;

namespace {

struct Combo {
    ImVec2 display;
    TextSize size;
    bool contrast;
    std::string name() const {
        std::ostringstream o;
        o << (display.x < display.y ? "portrait" : "landscape") << "/"
          << (size == TextSize::Normal  ? "normal"
              : size == TextSize::Large ? "large"
                                        : "x-large")
          << (contrast ? "/contrast" : "");
        return o.str();
    }
};

using Rect = kiosk::ui::ItemProbe::Rect;

bool inside(const Rect& r, const Rect& bounds, float slack = 1.0f) {
    return r.min.x >= bounds.min.x - slack && r.min.y >= bounds.min.y - slack &&
           r.max.x <= bounds.max.x + slack && r.max.y <= bounds.max.y + slack;
}

float overlap(const Rect& a, const Rect& b) {
    const float w = std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x);
    const float h = std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y);
    return w > 0 && h > 0 ? w * h : 0.0f;
}

// What is wrong with the last frame, one line per problem.
void judge(const KioskFixture& k, const std::string& where, ImVec2 display,
           std::vector<std::string>& problems, bool scrolls = false) {
    const Rect screen{ImVec2(0, 0), display};
    // Targets by what shows of them: a scroll area (the form above the keyboard) hides the
    // rest, which is not a target until it is scrolled or the keyboard is put away.
    std::vector<std::pair<std::string, Rect>> targets;
    for (const auto& [id, r] : k.probe().items()) {
        const auto* shown = k.probe().shown(id);
        const Rect v = shown ? shown->visible : r;
        const bool scrolled = shown && shown->inScrollArea;
        if (v.max.x - v.min.x < 1.0f || v.max.y - v.min.y < 1.0f) {
            if (!scrolled) problems.push_back(where + ": target " + id + " off the screen");
            continue;  // scrolled out of sight
        }
        if (!scrolled && !inside(r, screen))
            problems.push_back(where + ": target " + id + " off the screen");
        if (r.max.x - r.min.x < 59.5f || r.max.y - r.min.y < 59.5f)
            problems.push_back(where + ": target " + id + " smaller than 60 px (" +
                               std::to_string(int(r.max.x - r.min.x)) + "x" +
                               std::to_string(int(r.max.y - r.min.y)) + ")");
        targets.emplace_back(id, v);
    }
    for (std::size_t a = 0; a < targets.size(); ++a)
        for (std::size_t b = a + 1; b < targets.size(); ++b)
            if (overlap(targets[a].second, targets[b].second) > 1.0f)
                problems.push_back(where + ": targets " + targets[a].first + " and " +
                                   targets[b].first + " overlap");
    // On a screen that scrolls by design (the tracking story: a long answer, with its scroll
    // buttons and drag), text in its scroll area beyond the screen is scrolled out of sight, as
    // targets are; a label must still stay inside its own button.
    for (const auto& t : k.probe().textBoxes()) {
        const bool hidden = scrolls && t.inScrollArea;
        const bool runningText = inside(t.bounds, screen, 0.5f) && inside(screen, t.bounds, 0.5f);
        if (t.brokenWord) problems.push_back(where + ": a word broken in \"" + t.text + "\"");
        if (!inside(t.rect, t.bounds) && !(hidden && runningText))
            problems.push_back(where + ": \"" + t.text + "\" spills out of its widget");
        else if (!inside(t.rect, screen) && !hidden)
            problems.push_back(where + ": \"" + t.text + "\" off the screen");
    }
}

void settle(KioskFixture& k) {
    for (int i = 0; i < 3; ++i) k.frame();
}

void setPrefs(KioskFixture& k, const Combo& c) {
    k.app().apply(intent::SetTextSize{c.size}, k.now());
    if (c.contrast != k.state().prefs.highContrast)
        k.app().apply(intent::ToggleContrast{}, k.now());
    settle(k);
}

std::vector<std::string> walk(const Combo& c) {
    KioskFixture k(c.display);
    std::vector<std::string> problems;
    auto look = [&](const std::string& screen, bool scrolls = false) {
        settle(k);
        judge(k, c.name() + " " + screen, c.display, problems, scrolls);
    };
    setPrefs(k, c);
    look("welcome");
    k.app().apply(intent::Start{"PAKN"}, k.now());
    k.waitFor(Screen::Category);
    look("category");
    k.app().apply(intent::PickCategory{"MOI_TRUONG"}, k.now());
    look("problems");
    k.app().apply(intent::PickProblem{1}, k.now());
    k.waitFor(Screen::Content);
    look("content");
    k.app().apply(intent::Next{}, k.now());
    k.waitFor(Screen::Contact);
    look("contact");
    k.app().apply(intent::ChooseContact{kiosk::core::ContactChoice::WithContact}, k.now());
    look("contact with details");
    k.app().apply(intent::ChooseContact{kiosk::core::ContactChoice::Anonymous}, k.now());
    look("contact anonymous");
    k.app().apply(intent::Next{}, k.now());
    k.waitFor(Screen::Review);
    look("review");
    k.app().apply(intent::Confirm{}, k.now());
    k.waitFor(Screen::Receipt);
    look("receipt");
    REQUIRE(k.state().receipt);
    const std::string code = k.state().receipt->trackingCode;
    const std::string secret = k.state().receipt->secretText;
    k.app().apply(intent::Done{}, k.now());
    k.waitFor(Screen::Welcome);
    setPrefs(k, c);
    k.app().apply(intent::OpenTracking{}, k.now());
    k.waitFor(Screen::TrackEntry);
    look("track entry");
    // Issue #14: the case comes back asking for information, then answered.
    auto status = [&](const char* s, const char* note) {
        REQUIRE(k.store().applyStatus({code,
                                       s,
                                       note,
                                       "Phòng Quản lý đô thị",
                                       "Trần Thị Bích",
                                       {},
                                       "2027-01-14T03:00:00.000Z"}));
    };
    auto story = [&] {
        k.app().apply(intent::SetText{kiosk::core::FormField::TrackCode, code}, k.now());
        k.app().apply(intent::SubmitCode{}, k.now());
        k.waitFor(Screen::TrackResult);
        for (int i = 0; i < 200 && k.state().tracking.loading; ++i) {
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    };
    auto proof = [&] {
        k.waitFor(Screen::AddProof);
        look("add proof");
        k.app().apply(intent::SetText{kiosk::core::FormField::Secret, secret}, k.now());
        k.app().apply(intent::Next{}, k.now());
        for (int i = 0; i < 200 && k.state().addition.checking; ++i) {
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    };
    auto stored = [&](Screen s) {
        for (int i = 0; i < 200 && k.state().addition.storing; ++i) {
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        k.waitFor(s);
    };
    status("needs_info", "Xin bổ sung ảnh chụp ổ gà và số nhà gần nhất.");
    story();
    look("track story asking", true);
    k.app().apply(intent::StartSupplement{}, k.now());
    proof();
    k.waitFor(Screen::AddText);
    look("add text");
    k.app().apply(intent::SetText{kiosk::core::FormField::Supplement,
                                  "Ảnh chụp đã gửi kèm; số nhà gần nhất là 25 Lê Lợi."},
                  k.now());
    k.app().apply(intent::Next{}, k.now());
    k.waitFor(Screen::AddReview);
    look("add review");
    k.app().apply(intent::Confirm{}, k.now());
    stored(Screen::AddDone);
    look("add done");
    k.app().apply(intent::Done{}, k.now());
    k.waitFor(Screen::Welcome);
    setPrefs(k, c);
    status("answered", "Đã vá ổ gà trước số nhà 25 đường Lê Lợi.");
    k.app().apply(intent::OpenTracking{}, k.now());
    k.waitFor(Screen::TrackEntry);
    story();
    look("track story answered", true);
    k.app().apply(intent::StartRating{}, k.now());
    proof();
    k.waitFor(Screen::Rate);
    look("rate");
    k.app().apply(intent::PickRating{"chua_hai_long"}, k.now());
    k.app().apply(intent::SetReopen{true}, k.now());
    look("rate reopen");
    k.app().apply(intent::SetText{kiosk::core::FormField::ReopenReason, "Ổ gà vẫn còn."}, k.now());
    k.app().apply(intent::Confirm{}, k.now());
    stored(Screen::RateDone);
    look("rate done");
    k.app().apply(intent::Done{}, k.now());
    k.waitFor(Screen::Welcome);
    setPrefs(k, c);
    k.app().apply(intent::OpenTracking{}, k.now());
    k.waitFor(Screen::TrackEntry);
    k.app().apply(intent::Back{}, k.now());
    k.waitFor(Screen::Welcome);
    k.app().apply(intent::CallStaff{}, k.now());
    look("help call");
    k.app().apply(intent::OpenStaff{}, k.now());
    k.waitFor(Screen::StaffPin);
    look("staff PIN");
    return problems;
}

std::vector<Combo> combos(std::initializer_list<TextSize> sizes) {
    std::vector<Combo> out;
    for (ImVec2 d : {ImVec2(1080, 1920), ImVec2(1920, 1080)})
        for (TextSize s : sizes)
            for (bool contrast : {false, true}) out.push_back({d, s, contrast});
    return out;
}

std::string list(const std::vector<std::string>& problems) {
    std::string out;
    for (std::size_t i = 0; i < problems.size() && i < 60; ++i) out += problems[i] + "\n";
    return out;
}

}  // namespace

TEST_CASE(
    "layout check: the toolbar at every text size breaks no word and keeps its labels inside its "
    "buttons") {
    for (const auto& c : combos({TextSize::Normal, TextSize::Large, TextSize::ExtraLarge})) {
        KioskFixture k(c.display);
        setPrefs(k, c);
        std::vector<std::string> problems;
        judge(k, c.name() + " welcome", c.display, problems);
        std::erase_if(problems, [](const std::string& p) {
            return p.find("tb_") == std::string::npos && p.find("nav_back") == std::string::npos &&
                   p.find("English") == std::string::npos &&
                   p.find("Cỡ chữ") == std::string::npos &&
                   p.find("Tương phản") == std::string::npos &&
                   p.find("Đọc to") == std::string::npos &&
                   p.find("Nghe hướng dẫn") == std::string::npos &&
                   p.find("Cần giúp đỡ") == std::string::npos;
        });
        INFO(list(problems));
        CHECK(problems.empty());
    }
}

TEST_CASE("layout check: every screen, orientation, text size and contrast") {
    std::vector<std::string> all;
    for (const auto& c : combos({TextSize::Normal, TextSize::Large, TextSize::ExtraLarge})) {
        auto p = walk(c);
        all.insert(all.end(), p.begin(), p.end());
    }
    if (const char* report =
            std::getenv("KIOSK_LAYOUT_REPORT")) {  // every problem, for a person to read
        std::ofstream out(report);
        for (const auto& p : all) out << p << "\n";
    }
    // Not fixed yet (docs/STATE.md): in landscape at the largest size (1.6x normal since issue
    // #15) the category tiles do not all fit, the review scrolls, the receipt's buttons run
    // below its column, the welcome's tracking button runs off under the help notice, and the
    // contact form's keyboard runs off the bottom (also at the large size with the contact
    // details). They are listed here so that they keep failing visibly: when one is fixed,
    // this list must shrink (the check below fails otherwise).
    const std::vector<std::string> known = {
        "landscape/x-large category",  "landscape/x-large contact",
        "landscape/x-large review",    "landscape/x-large receipt",
        "landscape/x-large help call", "landscape/large contact with details"};
    auto knownProblem = [&](const std::string& p) {
        std::string combo = p;
        if (auto at = combo.find("/contrast"); at != std::string::npos) combo.erase(at, 9);
        for (const auto& k : known)
            if (combo.starts_with(k)) return true;
        return false;
    };
    std::vector<std::string> unexpected;
    for (const auto& p : all)
        if (!knownProblem(p)) unexpected.push_back(p);
    INFO(unexpected.size() << " problems:\n" << list(unexpected));
    CHECK(unexpected.empty());
    for (const auto& k : known) {
        INFO("listed as still broken, but no problem found: " << k);
        CHECK(std::any_of(all.begin(), all.end(), [&](const std::string& p) {
            return p.find(k.substr(k.find('/'))) != std::string::npos &&
                   p.starts_with(k.substr(0, k.find('/')));
        }));
    }
}
