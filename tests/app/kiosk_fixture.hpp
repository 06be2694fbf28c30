#pragma once
// A whole kiosk in one process without a window: temp data directory, real Services (SQLite,
// PNG printer, WAV speech), the real KioskApp and headless ImGui, driven by taps on widget ids.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "app/kiosk_app.hpp"
#include "headless.hpp"
#include "test_support.hpp"

namespace apptest {

class KioskFixture {
public:
    explicit KioskFixture(ImVec2 display = ImVec2(1080.0f, 1920.0f),
                          const std::string& backendUrl = {});
    ~KioskFixture();

    void frame();
    // Taps the widget (three frames plus one to settle, then lets queued results arrive).
    void tap(std::string_view id);
    bool visible(std::string_view id) const { return m_ui->probe().find(id) != nullptr; }
    // Where the widget was drawn in the last frame (nullptr: not drawn).
    const kiosk::ui::ItemProbe::Rect* rect(std::string_view id) const {
        return m_ui->probe().find(id);
    }
    const kiosk::ui::ItemProbe& probe() const { return m_ui->probe(); }
    std::string drawnIds() const {
        std::string out;
        for (const auto& [id, _] : m_ui->probe().items()) out += id + " ";
        return out;
    }
    // Taps on-screen keys to type ASCII keystrokes (Telex): letters, digits, space, and
    // capitals (Shift, then the letter), ',' and '.'.
    void typeOnKeyboard(std::string_view keys);
    // Every tap so far (issue #15 counts them), and those on the on-screen keyboard's keys.
    int taps() const { return m_taps; }
    int keyTaps() const { return m_keyTaps; }
    // Frames until the flow reaches `s` (or fails after a few seconds of frames).
    void waitFor(kiosk::core::Screen s);
    const kiosk::core::State& state() const { return m_app->state(); }
    kiosk::app::KioskApp& app() { return *m_app; }
    ksync::store::Store& store() { return m_services->store(); }
    // What the sync worker would post (the fixture runs no worker: tests post snapshots).
    kiosk::app::MainQueue& queue() { return m_queue; }
    // The text lines of the last frame (ItemProbe::texts), one per line.
    std::string text() const {
        std::string out;
        for (const auto& line : m_ui->probe().texts()) out += line + "\n";
        return out;
    }
    std::int64_t now() const { return m_now; }
    void advanceClock(std::int64_t ms) { m_now += ms; }
    const std::filesystem::path& dir() const { return m_tmp.path(); }

private:
    testsupport::TempDir m_tmp;
    kiosk::ui::Theme m_theme;
    std::unique_ptr<testui::HeadlessUi> m_ui;
    kiosk::app::MainQueue m_queue;
    std::unique_ptr<kiosk::app::Services> m_services;
    std::unique_ptr<kiosk::app::KioskApp> m_app;
    std::int64_t m_now = 1'800'000'000'000;
    int m_taps = 0;
    int m_keyTaps = 0;
};

}  // namespace apptest
