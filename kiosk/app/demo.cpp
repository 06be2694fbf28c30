#include "app/demo.hpp"

#include <imgui.h>

namespace kiosk::app {

namespace {

constexpr int kMaxWaitFrames =
    600;  // ~10 s at 60 fps: a widget or screen that never comes is an error

DemoStep tap(std::string id) {
    return {DemoStep::Kind::Tap, std::move(id)};
}
DemoStep type(std::string text) {
    return {DemoStep::Kind::Type, std::move(text)};
}
DemoStep enter() {
    return {DemoStep::Kind::Enter, {}};
}
DemoStep waitFor(core::Screen s) {
    return {DemoStep::Kind::WaitScreen, {}, s};
}
DemoStep shot(const std::string& prefix, int n, const std::string& name) {
    return {DemoStep::Kind::Shot,
            prefix + (n < 10 ? "0" : "") + std::to_string(n) + "-" + name + ".png"};
}
DemoStep frames(int n) {
    return {DemoStep::Kind::Frames, {}, core::Screen::Welcome, n};
}

// UTF-8 to code points (the script's text is ASCII Telex keystrokes plus digits).
std::u32string decode(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n && i + static_cast<size_t>(k) < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<size_t>(n);
    }
    return out;
}

}  // namespace

DemoDriver::DemoDriver(std::vector<DemoStep> steps) : m_steps(std::move(steps)) {
    m_probe.install();
}
DemoDriver::~DemoDriver() {
    m_probe.uninstall();
}

void DemoDriver::next() {
    ++m_step;
    m_phase = 0;
    m_waited = 0;
}

void DemoDriver::beforeNewFrame(ImGuiIO& io) {
    if (done()) return;
    const DemoStep& s = m_steps[m_step];
    if (s.kind != DemoStep::Kind::Tap) {
        io.MouseDown[0] = false;
        return;
    }
    io.MousePos = m_phase == 0 ? ImVec2(-1, -1) : m_target;
    io.MouseDown[0] = m_phase == 2;
    if (m_phase >= 1) io.MousePos = m_target;
}

std::optional<std::string> DemoDriver::afterFrame(KioskApp& app) {
    if (done()) return std::nullopt;
    const DemoStep& s = m_steps[m_step];
    if (++m_waited > kMaxWaitFrames) {
        m_error = "demo step " + std::to_string(m_step) + " timed out (" + s.arg + ")";
        return std::nullopt;
    }
    switch (s.kind) {
        case DemoStep::Kind::Tap:
            if (m_phase == 0) {
                const auto* r = m_probe.find(s.arg);
                if (!r) return std::nullopt;  // not drawn yet: wait
                m_target = r->center();
                m_phase = 1;  // hover next frame
            } else if (m_phase < 4) {
                ++m_phase;  // 2: press, 3: release, 4: settle
            } else {
                next();
            }
            return std::nullopt;
        case DemoStep::Kind::Type:
            for (char32_t c : decode(s.arg)) app.ui().onChar(c);
            next();
            return std::nullopt;
        case DemoStep::Kind::Enter:
            app.ui().onKey(input::SpecialKey::Enter);
            next();
            return std::nullopt;
        case DemoStep::Kind::StaffShortcut:
            app.ui().onStaffShortcut();
            next();
            return std::nullopt;
        case DemoStep::Kind::WaitScreen:
            if (app.state().screen == s.screen && !app.state().storing) next();
            return std::nullopt;
        case DemoStep::Kind::Frames:
            if (m_waited >= s.frames) next();
            return std::nullopt;
        case DemoStep::Kind::Shot: {
            // Two quiet frames first so the screen has settled, then the picture.
            if (m_waited < 3) return std::nullopt;
            std::string name = s.arg;
            next();
            return name;
        }
    }
    return std::nullopt;
}

std::vector<DemoStep> sampleSubmission(bool shots, const std::string& p) {
    using core::Screen;
    std::vector<DemoStep> v;
    auto add = [&](DemoStep s) { v.push_back(std::move(s)); };
    auto snap = [&](int n, const std::string& name) {
        if (shots) add(shot(p, n, name));
    };
    add(waitFor(Screen::Welcome));
    snap(1, "welcome");
    add(tap("welcome_pakn"));
    add(waitFor(Screen::Category));
    snap(2, "category");
    add(tap("cat_GIAO_THONG"));
    add(frames(3));
    snap(2, "problems");  // the category's common problems (issue #15)
    add(tap("problem_own"));
    add(waitFor(Screen::Content));
    // Telex keystrokes: "Đường Nguyễn Trãi ngập nước mỗi khi mưa lớn. Đề nghị phường nạo vét cống."
    add(
        type("DDuwowngf Nguyeenx Traix ngaapj nuwowcs mooix khi muwa lowns. DDeef nghij phuwowngf "
             "naoj vets coongs."));
    add(frames(3));
    snap(3, "content");
    add(tap("nav_next"));
    add(waitFor(Screen::Contact));
    add(tap("contact_with"));
    add(frames(2));
    add(type("Nguyeenx Vawn An"));
    add(tap("field_phone"));
    add(type("0912345678"));
    add(enter());  // "Xong": the keypad goes away
    add(frames(2));
    add(tap("contact_consent"));
    add(frames(3));
    snap(4, "contact");
    add(tap("nav_next"));
    add(waitFor(Screen::Review));
    snap(5, "review");
    add(tap("nav_confirm"));
    add(waitFor(Screen::Receipt));
    add(frames(30));
    snap(6, "receipt");
    return v;
}

std::vector<DemoStep> trackingAndStaff(const std::string& code, const std::string& pin, bool shots,
                                       const std::string& p) {
    using core::Screen;
    std::vector<DemoStep> v;
    auto add = [&](DemoStep s) { v.push_back(std::move(s)); };
    auto snap = [&](int n, const std::string& name) {
        if (shots) add(shot(p, n, name));
    };
    add(tap("done_finish"));
    add(waitFor(Screen::Welcome));
    add(tap("welcome_track"));
    add(waitFor(Screen::TrackEntry));
    add(type(code));
    add(frames(2));
    snap(7, "track-entry");
    add(enter());
    add(waitFor(Screen::TrackResult));
    add(frames(3));
    snap(8, "track-result");
    add(tap("track_done"));
    add(waitFor(Screen::Welcome));
    add(tap("tb_help"));  // "Cần giúp đỡ?": the notice, and the call on the staff panel
    add(frames(3));
    snap(9, "help-call");
    add({DemoStep::Kind::StaffShortcut, {}});
    add(waitFor(Screen::StaffPin));
    add(type(pin.substr(0, 2)));
    add(frames(2));
    snap(10, "staff-pin");  // two dots
    add(type(pin.substr(2)));
    add(enter());
    add(waitFor(Screen::StaffPanel));
    add(frames(150));         // the panel refreshes its figures every 2 s
    snap(11, "staff-panel");  // the verdict, with the help call
    return v;
}

std::vector<DemoStep> residentSupplements(const std::string& code, const std::string& secret,
                                          bool shots, const std::string& p) {
    using core::Screen;
    std::vector<DemoStep> v;
    auto add = [&](DemoStep s) { v.push_back(std::move(s)); };
    auto snap = [&](int n, const std::string& name) {
        if (shots) add(shot(p, n, name));
    };
    add(waitFor(Screen::Welcome));
    add(tap("welcome_track"));
    add(waitFor(Screen::TrackEntry));
    add(type(code));
    add(enter());
    add(waitFor(Screen::TrackResult));
    add(frames(3));
    add(tap("track_supplement"));
    add(waitFor(Screen::AddProof));
    add(type(secret));
    add(frames(2));
    snap(12, "add-proof");
    add(enter());
    add(waitFor(Screen::AddText));
    // "Ảnh chụp cống đã gửi kèm. Nước ngập sâu khoảng nửa mét trước số nhà 25."
    add(
        type("Anhr chupj coongs ddax guwir kef. Nuwowcs ngaapj saau khoangr nuwar meets truwowcs "
             "soos nhaf 25."));
    add(frames(3));
    snap(13, "add-text");
    add(tap("nav_next"));
    add(waitFor(Screen::AddReview));
    add(frames(2));
    snap(14, "add-review");
    add(tap("nav_confirm"));
    add(waitFor(Screen::AddDone));
    add(frames(30));
    snap(15, "add-done");
    add(tap("add_finish"));
    add(waitFor(Screen::Welcome));
    return v;
}

std::vector<DemoStep> residentRates(const std::string& code, const std::string& secret, bool shots,
                                    const std::string& p) {
    using core::Screen;
    std::vector<DemoStep> v;
    auto add = [&](DemoStep s) { v.push_back(std::move(s)); };
    auto snap = [&](int n, const std::string& name) {
        if (shots) add(shot(p, n, name));
    };
    add(tap("welcome_track"));
    add(waitFor(Screen::TrackEntry));
    add(type(code));
    add(enter());
    add(waitFor(Screen::TrackResult));
    add(frames(3));
    snap(16, "track-answered");
    add(tap("track_rate_chua_hai_long"));
    add(waitFor(Screen::AddProof));
    add(type(secret));
    add(enter());
    add(waitFor(Screen::Rate));
    add(tap("rate_reopen"));
    add(frames(2));
    add(tap("field_reopen_reason"));
    // "Đường vẫn ngập khi mưa."
    add(type("DDuwowngf vaanx ngaapj khi muwa."));
    add(frames(3));
    snap(17, "rate");
    add(tap("nav_confirm"));
    add(waitFor(Screen::RateDone));
    add(frames(3));
    snap(18, "rate-done");
    add(tap("add_finish"));
    add(waitFor(Screen::Welcome));
    return v;
}

}  // namespace kiosk::app
