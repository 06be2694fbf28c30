#pragma once
// KioskApp: one UI frame of the kiosk — results from other threads in, time passes, screens
// drawn, intents applied to the flow core, effects handed to the services. Knows nothing of
// GLFW or GL, so the headless UI tests drive exactly what the real window runs. Sync state
// arrives only as the worker's snapshot through the MainQueue (the staff panel shows the last).
//
// UI thread only.
#include <cstdint>
#include <functional>

#include "app/main_queue.hpp"
#include "app/services.hpp"
#include "core/flow.hpp"
#include "ui/kiosk_ui.hpp"
#include "ui/theme.hpp"

namespace kiosk::app {

class KioskApp {
public:
    KioskApp(Services& services, MainQueue& queue, ui::Theme& theme, core::FlowConfig config = {});

    // Between ImGui::NewFrame() and ImGui::Render().
    void frame(std::int64_t nowMs);
    // Applies an intent now (GLFW callbacks, scripted demos, tests) and runs its effects.
    void apply(const core::Intent& intent, std::int64_t nowMs);

    bool exitRequested() const { return m_exit; }
    // True while something on screen changes by itself (countdown, printing, a session in
    // progress): the event loop then wakes at least once a second.
    bool wantsTicks() const;
    const core::State& state() const { return m_flow.state(); }
    ui::KioskUi& ui() { return m_ui; }
    Services& services() { return m_services; }
    // Called when the staff panel opens and after a USB export or import: the sync worker
    // re-reads the queue and posts a snapshot back (main.cpp: SyncWorker::refresh).
    void setOnSyncStateWanted(std::function<void()> f) { m_onSyncStateWanted = std::move(f); }

private:
    void runEffects(const std::vector<core::Effect>& effects);
    void refreshStaffInfo(std::int64_t nowMs);
    // Gives the flow core the config's common problems when the config is new (issue #15).
    void syncCommonProblems();

    Services& m_services;
    MainQueue& m_queue;
    core::Flow m_flow;
    ui::KioskUi m_ui;
    ui::StaffInfo m_staff;
    ksync::client::SyncSnapshot m_sync;  // the last one posted through the MainQueue
    bool m_wasOnStaffPanel = false;
    std::int64_t m_printerAskedMs = 0;
    std::function<void()> m_onSyncStateWanted;
    bool m_exit = false;
    std::string m_problemsConfigVersion;  // the config version the flow's problems came from
    bool m_problemsSynced = false;
};

}  // namespace kiosk::app
