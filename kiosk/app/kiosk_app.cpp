#include "app/kiosk_app.hpp"

#include <imgui.h>

#include <algorithm>

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

// The sync layer gives a code (sync_error.hpp); the panel words it in the language on screen.
// Text that is not a code is a sentence an older version stored: shown as it is.
void setLastError(ui::StaffInfo& info, const std::string& code, const std::string& detail) {
    // A refused record's reason in words (sync.reject.*), its code kept for staff.
    const auto words = ksync::client::storedErrorWords(code, detail);
    info.lastErrorKey = words.key;
    info.lastErrorWordsKey = words.wordsKey;
    info.lastErrorDetail = words.key.empty() ? std::string{} : detail;
    info.lastErrorText = words.key.empty() ? code : std::string{};
}

// The panel's first line: broken (residents cannot be served or records cannot leave), needs
// attention (it works, but someone should look), or all well.
void judge(ui::StaffInfo& info, const ksync::client::SyncSnapshot& sync, std::size_t helpCalls,
           std::int64_t nowMs) {
    using V = ui::StaffInfo::Verdict;
    std::vector<std::string> broken, attention;
    const std::string& p = info.printerKey;
    if (p == "printer.state.paper_out")
        broken.push_back("staff.reason.paper_out");
    else if (p == "printer.state.cover_open" || p == "printer.state.offline" ||
             p == "printer.state.no_answer" || p == "printer.state.invalid_reply" ||
             p == "printer.state.unreachable")
        broken.push_back("staff.reason.printer");
    const std::string& e = info.lastErrorKey;
    if (e == "sync.error.auth_refused" || e == "sync.error.key_mismatch" ||
        e == "sync.error.bad_config" || e == "sync.error.storage" || e == "sync.error.not_enrolled")
        broken.push_back("staff.reason.sync_broken");
    if (helpCalls > 0) attention.push_back("staff.reason.help_call");
    if (p == "printer.state.paper_near_end") attention.push_back("staff.reason.paper_low");
    if (sync.oldestQueuedMs && nowMs - *sync.oldestQueuedMs > 24LL * 3600 * 1000)
        attention.push_back("staff.reason.queue_old");
    if (sync.lastContact.empty()) attention.push_back("staff.reason.never_synced");
    if (sync.quarantined > 0) attention.push_back("staff.reason.quarantined");
    info.verdict = !broken.empty()      ? V::Broken
                   : !attention.empty() ? V::NeedsAttention
                                        : V::AllWell;
    info.reasons = std::move(broken);
    info.reasons.insert(info.reasons.end(), attention.begin(), attention.end());
}

}  // namespace

KioskApp::KioskApp(Services& services, MainQueue& queue, ui::Theme& theme, core::FlowConfig config)
    : m_services(services),
      m_queue(queue),
      m_flow([&] {
          config.consentVersion = services.config().consentVersion;
          return config;
      }()),
      m_ui(services.strings("vi"), services.strings("en"), theme) {
    syncCommonProblems();
}

void KioskApp::syncCommonProblems() {
    const auto& config = m_services.config();
    if (m_problemsSynced && config.version == m_problemsConfigVersion) return;
    std::map<std::string, std::vector<core::CommonProblem>> problems;
    for (const auto& c : config.categories)
        for (const auto& p : c.commonProblems) problems[c.code].push_back({p.vi, p.en});
    m_flow.setCommonProblems(std::move(problems));
    m_problemsConfigVersion = config.version;
    m_problemsSynced = true;
}

void KioskApp::apply(const core::Intent& intent, std::int64_t nowMs) {
    runEffects(m_flow.apply(intent, nowMs));
    // A USB import changed the queue (an export did not, but the staff are looking at it).
    if (std::holds_alternative<core::intent::UsbDone>(intent) && m_onSyncStateWanted)
        m_onSyncStateWanted();
}

void KioskApp::runEffects(const std::vector<core::Effect>& effects) {
    for (const auto& e : effects) {
        if (std::holds_alternative<core::effect::ExitApp>(e))
            m_exit = true;
        else if (std::holds_alternative<core::effect::ResetInputs>(e))
            m_ui.resetFields();
        else
            m_services.run(e, m_flow.state());
    }
}

// The panel renders the last snapshot the sync worker posted; the UI thread reads no SQLite for
// it. Only the printer, which reports nothing by itself, is asked every 2 s while it is shown.
void KioskApp::refreshStaffInfo(std::int64_t nowMs) {
    if (auto snapshot = m_queue.takeSyncSnapshot()) m_sync = std::move(*snapshot);
    const bool onPanel = m_flow.state().screen == core::Screen::StaffPanel;
    const bool opened = onPanel && !m_wasOnStaffPanel;
    if (opened && m_onSyncStateWanted) m_onSyncStateWanted();
    m_wasOnStaffPanel = onPanel;
    if (!onPanel) return;
    const bool vi = m_flow.state().prefs.language != "en";
    m_staff.queued = m_sync.queued;
    m_staff.quarantined = m_sync.quarantined;
    m_staff.oldestAge =
        m_sync.oldestQueuedMs
            ? describeAgeVi(std::max<std::int64_t>(0, nowMs - *m_sync.oldestQueuedMs), vi)
            : std::string{};
    m_staff.lastContact = m_sync.lastContact;
    setLastError(m_staff, m_sync.lastError, m_sync.lastErrorDetail);
    m_staff.refused.clear();
    for (const auto& r : m_sync.refused) {
        const auto words = ksync::client::storedErrorWords(r.code, r.detail);
        m_staff.refused.push_back(
            {r.trackingCode, words.key, words.wordsKey, r.detail, words.key.empty() ? r.code : ""});
    }
    if (opened || nowMs - m_printerAskedMs >= 2000) {
        m_printerAskedMs = nowMs;
        m_staff.printerKey = m_services.lastPrinterKey();  // the answer to the previous request
        m_services.requestPrinterStatus();
    }
    judge(m_staff, m_sync, m_flow.state().helpCalls.size(), nowMs);
}

void KioskApp::frame(std::int64_t nowMs) {
    for (auto& i : m_queue.drain()) {
        // A USB import that took a newer config: categories and messages change from now on.
        if (auto* usb = std::get_if<core::intent::UsbDone>(&i); usb && usb->configTaken)
            m_services.reloadConfig();
        syncCommonProblems();
        apply(i, nowMs);
    }
    for (auto& i : m_ui.takePending()) apply(i, nowMs);  // keys typed since the last frame
    if (ImGui::GetIO().MouseClicked[0]) apply(core::intent::Touch{}, nowMs);
    apply(core::intent::Tick{}, nowMs);
    refreshStaffInfo(nowMs);
    ui::UiData data{&m_flow.state(), &m_services.config(), m_services.settings().centre, m_staff};
    const auto& receipt = m_flow.state().receipt;
    data.receiptSent = receipt && receipt->sequence > 0 && m_sync.acknowledged(receipt->sequence);
    // A supplement's or rating's confirmation says "sent" on the same terms (issue #14).
    if (const auto& done = m_flow.state().addition.done; done && !receipt)
        data.receiptSent = done->sequence > 0 && m_sync.acknowledged(done->sequence);
    data.online = m_sync.linkUp;
    for (auto& i : m_ui.draw(data)) apply(i, nowMs);
}

bool KioskApp::wantsTicks() const {
    const auto& s = m_flow.state();
    return s.screen != core::Screen::Welcome || s.idleWarning || s.storing ||
           s.print == core::PrintState::Printing || s.prefs != core::Preferences{};
}

}  // namespace kiosk::app
