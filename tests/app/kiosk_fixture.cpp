#include "kiosk_fixture.hpp"

#include "auth/staff_pin.hpp"

namespace apptest {

KioskFixture::KioskFixture(ImVec2 display, const std::string& backendUrl) {
    ksync::store::DataDir dir;
    dir.root = m_tmp.path() / "data";
    std::filesystem::create_directories(dir.root / "receipts");
    ksync::store::KioskSettings s;
    s.kioskId = "7K3M";
    s.centre = "Trung tâm phục vụ hành chính công phường Sài Gòn";
    s.printerUri = "png://" + (dir.root / "receipts").string();
    s.staffPinHash = platform::auth::hashPin("2468").value();
    s.backendUrl = backendUrl;
    s.usbPath = (m_tmp.path() / "usb").string();  // the "stick" (created by tests that need one)
    REQUIRE(ksync::store::saveSettings(dir, s));
    m_ui = std::make_unique<testui::HeadlessUi>(
        display, [this](ImFontAtlas& a) { return m_theme.loadFonts(a); });
    auto services =
        kiosk::app::Services::create({dir, {}, (m_tmp.path() / "speech.wav").string()}, m_queue);
    REQUIRE(services);
    m_services = std::move(*services);
    m_app = std::make_unique<kiosk::app::KioskApp>(*m_services, m_queue, m_theme);
    frame();
}

KioskFixture::~KioskFixture() {
    m_app.reset();
    m_services.reset();  // joins the print and speech workers before the context goes
}

void KioskFixture::frame() {
    m_now += 16;
    m_ui->frame([this] { m_app->frame(m_now); }, /*rootWindow=*/false);
}

void KioskFixture::tap(std::string_view id) {
    INFO("tap " << id);
    ++m_taps;
    if (id.starts_with("kb_")) ++m_keyTaps;
    REQUIRE(m_ui->click(
        id,
        [this] {
            m_now += 16;
            m_app->frame(m_now);
        },
        false));
    frame();
}

void KioskFixture::typeOnKeyboard(std::string_view keys) {
    for (char c : keys) {
        if (c >= 'A' && c <= 'Z') {
            tap("kb_shift");
            c = static_cast<char>(c - 'A' + 'a');
        }
        std::string id = c == ' '   ? "kb_space"
                         : c == '.' ? "kb_period"
                         : c == ',' ? "kb_comma"
                                    : "kb_" + std::string(1, c);
        tap(id);
    }
}

void KioskFixture::waitFor(kiosk::core::Screen s) {
    for (int i = 0; i < 500 && (state().screen != s || state().storing); ++i) {
        frame();
        if (state().screen != s) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(static_cast<int>(state().screen) == static_cast<int>(s));
    frame();  // draw the screen once, so its widgets can be found
}

}  // namespace apptest
