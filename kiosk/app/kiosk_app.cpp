#include "app/kiosk_app.hpp"

#include <imgui.h>

#include "client/sync_error.hpp"

namespace kiosk::app {

namespace {

std::string describeAgeVi(std::int64_t ms, bool vi) {
    const std::int64_t minutes = ms / 60000;
    if (minutes < 1) return vi ? "dưới 1 phút" : "under a minute";
    const std::int64_t d = minutes / 1440, h = (minutes / 60) % 24, m = minutes % 60;
    std::string out;
    if (d) out += std::to_string(d) + (vi ? " ngày " : " d ");
    if (h) out += std::to_string(h) + (vi ? " giờ " : " h ");
    if (!d) out += std::to_string(m) + (vi ? " phút" : " min");
    return out;
}

// The sync layer stores a code (sync_error.hpp); the panel words it in the language on screen.
// Text that is not a code is a sentence an older version stored: shown as it is.
void setLastError(ui::StaffInfo& info, const std::string& stored) {
    const auto e = ksync::client::parseStoredError(stored);
    info.lastErrorKey = e ? std::string(ksync::client::storedErrorMessageKey(e->code)) : std::string{};
    info.lastErrorDetail = e ? e->detail : std::string{};
    info.lastErrorText = e ? std::string{} : stored;
}

}  // namespace

KioskApp::KioskApp(Services& services, MainQueue& queue, ui::Theme& theme, core::FlowConfig config)
    : m_services(services),
      m_queue(queue),
      m_flow([&] {
          config.consentVersion = services.config().consentVersion;
          return config;
      }()),
      m_ui(services.strings("vi"), services.strings("en"), theme) {}

void KioskApp::apply(const core::Intent& intent, std::int64_t nowMs) { runEffects(m_flow.apply(intent, nowMs)); }

void KioskApp::runEffects(const std::vector<core::Effect>& effects) {
    for (const auto& e : effects) {
        if (std::holds_alternative<core::effect::ExitApp>(e)) m_exit = true;
        else if (std::holds_alternative<core::effect::ResetInputs>(e)) m_ui.resetFields();
        else m_services.run(e, m_flow.state());
    }
}

void KioskApp::refreshStaffInfo(std::int64_t nowMs) {
    if (m_flow.state().screen != core::Screen::StaffPanel || nowMs - m_staffRefreshedMs < 2000) return;
    m_staffRefreshedMs = nowMs;
    const StaffSnapshot s = m_services.staffSnapshot();
    const bool vi = m_flow.state().prefs.language != "en";
    m_staff.queued = s.queued;
    m_staff.quarantined = s.quarantined;
    m_staff.oldestAge = s.oldestQueuedMs ? describeAgeVi(nowMs - *s.oldestQueuedMs, vi) : std::string{};
    m_staff.lastContact = s.lastContact;
    setLastError(m_staff, s.lastError);
    m_staff.printerKey = s.printerKey;
    m_services.requestPrinterStatus();
}

void KioskApp::frame(std::int64_t nowMs) {
    for (auto& i : m_queue.drain()) {
        // A USB import that took a newer config: categories and messages change from now on.
        if (auto* usb = std::get_if<core::intent::UsbDone>(&i); usb && usb->configTaken) m_services.reloadConfig();
        apply(i, nowMs);
    }
    for (auto& i : m_ui.takePending()) apply(i, nowMs);  // keys typed since the last frame
    if (ImGui::GetIO().MouseClicked[0]) apply(core::intent::Touch{}, nowMs);
    apply(core::intent::Tick{}, nowMs);
    refreshStaffInfo(nowMs);
    ui::UiData data{&m_flow.state(), &m_services.config(), m_services.settings().centre, m_staff};
    for (auto& i : m_ui.draw(data)) apply(i, nowMs);
}

bool KioskApp::wantsTicks() const {
    const auto& s = m_flow.state();
    return s.screen != core::Screen::Welcome || s.idleWarning || s.storing || s.print == core::PrintState::Printing ||
           s.prefs != core::Preferences{};
}

}  // namespace kiosk::app
