// kiosk — the resident's touchscreen program. Section index: options; first-start
// provisioning; the event-driven loop (one screen of code, as in ImGui's examples); the
// demo and screenshot modes.
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/demo.hpp"
#include "app/kiosk_app.hpp"
#include "app/watchdog.hpp"
#include "app/window.hpp"
#include "auth/staff_pin.hpp"
#include "client/sync_client.hpp"
#include "client/sync_worker.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "log/log.hpp"
#include "ui/item_probe.hpp"

namespace {

using namespace kiosk;

struct Options {
    std::string dataDir;
    std::string config;
    std::string windowed;  // "WxH"
    bool landscape = false;
    bool demo = false;
    std::string screenshots;
    std::string printer;
    std::string speechWav;
    std::string kioskId = "7K3M";
};

// First start on an empty directory: a working kiosk with embedded defaults (receipts as PNG
// files, staff PIN 1234 until `kioskctl set-pin`).
bool provision(const ksync::store::DataDir& dir, const Options& o) {
    if (std::filesystem::exists(dir.settingsFile())) return true;
    ksync::store::KioskSettings s;
    s.kioskId = o.kioskId;
    s.centre = "Trung tâm phục vụ hành chính công";
    s.backendUrl = "http://127.0.0.1:8470";
    s.printerUri =
        "png://" + std::filesystem::absolute(dir.root / "receipts").lexically_normal().string();
    s.staffPinHash = platform::auth::hashPin("1234").value_or("");
    std::error_code ec;
    std::filesystem::create_directories(dir.root / "receipts", ec);
    if (!platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir))) {
        std::cerr << "kiosk: cannot create the device key in " << dir.root << "\n";
        return false;
    }
    if (auto r = ksync::store::saveSettings(dir, s); !r) {
        std::cerr << "kiosk: " << r.error() << "\n";
        return false;
    }
    std::cerr << "kiosk: new data directory " << dir.root << " (kiosk " << s.kioskId
              << ", receipts as PNG, staff PIN 1234 — change it with kioskctl set-pin)\n";
    return true;
}

bool parseSize(const std::string& s, int& w, int& h) {
    return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w > 0 && h > 0;
}

// Test hook: with KIOSK_PROBE_FILE set, the rectangle of every widget drawn in the last frame
// is written there ("id x y w h" per line, window coordinates), so an external test can click
// the real window by widget id (tests/smoke). Costs nothing when unset.
class ProbeDump {
public:
    ProbeDump() {
        if (const char* f = std::getenv("KIOSK_PROBE_FILE"); f && *f) {
            m_file = f;
            m_probe.install();
        }
    }
    ~ProbeDump() {
        if (!m_file.empty()) m_probe.uninstall();
    }
    ProbeDump(const ProbeDump&) = delete;
    ProbeDump& operator=(const ProbeDump&) = delete;
    void beginFrame() {
        if (!m_file.empty()) m_probe.clear();
    }
    void endFrame() {
        if (m_file.empty()) return;
        const std::string tmp = m_file + ".tmp";
        if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
            for (const auto& [id, r] : m_probe.items())
                std::fprintf(f, "%s %.0f %.0f %.0f %.0f\n", id.c_str(), r.min.x, r.min.y,
                             r.max.x - r.min.x, r.max.y - r.min.y);
            std::fclose(f);
            std::rename(tmp.c_str(), m_file.c_str());
        }
    }

private:
    std::string m_file;
    ui::ItemProbe m_probe;
};

// Runs the loop until exit; with `script`, drives the screens and stops when the script ends.
int runLoop(app::Window& window, app::KioskApp& kioskApp, ui::Theme& theme, app::DemoDriver* script,
            const std::filesystem::path& shotDir, std::atomic<bool>* configChanged = nullptr) {
    int busyFrames = 3;
    ProbeDump probe;
    // systemd's watchdog (kiosk.service): pinged from this loop, which wakes at least every 5 s
    // (more often when the watchdog's interval asks for it).
    app::Watchdog watchdog = app::Watchdog::fromEnvironment();
    while (!kioskApp.exitRequested() && !window.closeRequested()) {
        if (!script) probe.beginFrame();
        if (configChanged && configChanged->exchange(false)) kioskApp.services().reloadConfig();
        // Scripts run at most at 60 frames a second: DemoDriver counts its waits in frames, and
        // a frame where nothing changed costs almost nothing now (partial redraw).
        if (script)
            window.waitEvents(1.0 / 60.0);
        else
            window.waitEvents(watchdog.boundWait(busyFrames > 0          ? 0.016
                                                 : kioskApp.wantsTicks() ? 0.5
                                                                         : 5.0));
        window.beginFrame([&](ImGuiIO& io) {
            if (script) script->beforeNewFrame(io);
            if (io.MouseDown[0] || io.MouseReleased[0] || io.InputQueueCharacters.Size)
                busyFrames = 3;
        });
        kioskApp.frame(platform::clock::unixMillis(platform::clock::now()));
        std::optional<std::string> shot;
        if (script) shot = script->afterFrame(kioskApp);
        const std::filesystem::path shotPath = shot ? shotDir / *shot : std::filesystem::path{};
        window.endFrame(theme.palette().background, shot ? &shotPath : nullptr);
        watchdog.ready();
        watchdog.ping(platform::clock::unixMillis(platform::clock::now()));
        if (!script) probe.endFrame();
        if (busyFrames > 0) --busyFrames;
        if (script && script->done()) break;
    }
    if (script && !script->error().empty()) {
        std::cerr << "kiosk: " << script->error() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"kiosk — touchscreen kiosk for ward feedback (phản ánh, kiến nghị)"};
    Options o;
    cli.add_option("--data-dir", o.dataDir,
                   "Data directory (default: $KIOSK_DATA_DIR or ./kiosk-data)");
    cli.add_option("--config", o.config, "kiosk.toml to use instead of <data-dir>/kiosk.toml");
    cli.add_option("--windowed", o.windowed,
                   "A normal window of WxH (development), e.g. 1080x1920");
    cli.add_flag("--landscape", o.landscape,
                 "With --demo/--screenshots/--windowed defaults: 1920x1080 instead of 1080x1920");
    cli.add_flag("--demo", o.demo,
                 "Complete a sample submission through the real screens, then exit");
    cli.add_option("--screenshots", o.screenshots,
                   "Render every screen (both orientations, three text sizes, normal and high "
                   "contrast) to PNGs in DIR");
    cli.add_option("--printer", o.printer, "Printer URI for this run (overrides kiosk.toml)");
    cli.add_option("--speech-wav", o.speechWav,
                   "Write speech to this WAV file instead of the audio device");
    cli.add_option("--kiosk-id", o.kioskId,
                   "Kiosk id used when a new data directory is provisioned");
    CLI11_PARSE(cli, argc, argv);

    ksync::store::DataDir dir;
    dir.root =
        o.dataDir.empty() ? ksync::store::defaultDataDir() : std::filesystem::path(o.dataDir);
    if (!o.config.empty()) dir.settingsOverride = o.config;
    if (!provision(dir, o)) return 3;
    platform::log::setFile(dir.logDir() / "kiosk.log");

    const bool scripted = o.demo || !o.screenshots.empty();
    int w = o.landscape ? 1920 : 1080, h = o.landscape ? 1080 : 1920;
    if (!o.windowed.empty() && !parseSize(o.windowed, w, h)) {
        std::cerr << "kiosk: --windowed wants WxH, e.g. 1080x1920\n";
        return 2;
    }

    // Start-up: the GL context (a few hundred ms under llvmpipe) is created on this thread
    // while another opens the services and rasterises the fonts of the first text size; the
    // window joins it before it creates ImGui's context (Window::create's fontAtlas).
    app::MainQueue queue;
    ui::Theme theme;
    ImFontAtlas fontAtlas;  // shared with ImGui's context: outlives the window
    std::expected<std::unique_ptr<app::Services>, std::string> services =
        std::unexpected("not started");
    bool fontsFound = false;
    std::jthread startup([&] {
        services = app::Services::create({dir, o.printer, o.speechWav}, queue);
        fontsFound = theme.loadFonts(fontAtlas, core::TextSize::Normal);
        unsigned char* pixels = nullptr;
        int tw = 0, th = 0;
        fontAtlas.GetTexDataAsRGBA32(&pixels, &tw, &th);  // what the GL backend uploads
    });
    auto joinStartup = [&] {
        if (startup.joinable()) startup.join();
        return &fontAtlas;
    };

    app::WindowHandlers handlers;
    app::KioskApp* appPtr = nullptr;
    // The fonts of a text size are loaded the first time it is chosen, before its first frame.
    handlers.beforeFrame = [&] {
        return appPtr && theme.ensureFonts(appPtr->state().prefs.textSize);
    };
    handlers.onChar = [&](char32_t c) {
        if (appPtr) appPtr->ui().onChar(c);
    };
    handlers.onKey = [&](input::SpecialKey k) {
        if (appPtr) appPtr->ui().onKey(k);
    };
    handlers.onStaffShortcut = [&] {
        if (appPtr) appPtr->ui().onStaffShortcut();
    };
    const bool fullscreen = o.windowed.empty() && !scripted;
    auto window =
        app::Window::create({fullscreen, w, h, /*kioskMode=*/fullscreen}, handlers, joinStartup);
    joinStartup();
    if (!services) {
        std::cerr << "kiosk: " << services.error() << "\n";
        return 4;
    }
    if (!window) {
        std::cerr << "kiosk: " << window.error() << "\n";
        return 5;
    }
    if (!fontsFound) std::cerr << "kiosk: Noto Sans not found; Vietnamese will not display\n";
    queue.setWaker(&app::Window::wake);

    // The sync worker: its own thread and SQLite connection; a stored record wakes it. Its
    // snapshot reaches the staff panel through the queue (which wakes the loop). Without a
    // backend it runs no pass but still keeps the panel's numbers (USB bundles).
    ksync::client::globalInit();
    std::atomic<bool> configChanged{false};
    ksync::client::SyncWorkerOptions so;
    app::Services* svc = services->get();
    so.client.printerState = [svc] { return svc->printerStateKey(); };
    so.runPasses = !(*services)->settings().backendUrl.empty();
    auto sync = std::make_unique<ksync::client::SyncWorker>(
        dir, so, [&configChanged, &queue](const ksync::client::SyncEvent& e) {
            if (e.kind == ksync::client::SyncEvent::Kind::ConfigChanged) configChanged = true;
            queue.post(e.snapshot);
        });
    (*services)->setOnRecordStored([w = sync.get()] { w->wake(); });
    sync->start();
    platform::log::info("kiosk", "started");

    if (!o.screenshots.empty()) {
        const std::filesystem::path out = o.screenshots;
        std::filesystem::create_directories(out);
        int rc = 0;
        for (bool land : {false, true}) {
            (*window)->resize(land ? 1920 : 1080, land ? 1080 : 1920);
            for (auto size :
                 {core::TextSize::Normal, core::TextSize::Large, core::TextSize::ExtraLarge})
                for (bool contrast : {false, true}) {
                    app::KioskApp pass(**services, queue, theme);
                    pass.setOnSyncStateWanted([w = sync.get()] { w->refresh(); });
                    appPtr = &pass;
                    const std::string prefix = std::string(land ? "landscape-" : "portrait-") +
                                               (size == core::TextSize::Normal  ? "normal-"
                                                : size == core::TextSize::Large ? "large-"
                                                                                : "xlarge-") +
                                               (contrast ? "contrast-" : "");
                    const auto now = platform::clock::unixMillis(platform::clock::now());
                    // Each session ends with its preferences: every pass sets them again.
                    auto prefs = [&] {
                        pass.apply(core::intent::SetTextSize{size}, now);
                        if (contrast != pass.state().prefs.highContrast)
                            pass.apply(core::intent::ToggleContrast{}, now);
                    };
                    prefs();
                    auto steps = app::sampleSubmission(true, prefix);
                    app::DemoDriver first(steps);
                    rc |= runLoop(**window, pass, theme, &first, out);
                    const std::string code = pass.state().lastReceiptCode;
                    const std::string secret =
                        pass.state().receipt ? pass.state().receipt->secretText : std::string();
                    // The story of issue #14 for the pictures: statuses as the backend would
                    // send them, put in this (scratch) kiosk's status cache.
                    auto status = [&](const char* s, const char* note, const char* officer,
                                      int minutesLater) {
                        auto r = (*services)->store().applyStatus(
                            {code,
                             s,
                             note,
                             "Phòng Quản lý đô thị",
                             officer,
                             {},
                             platform::clock::formatUtc(platform::clock::now() +
                                                        std::chrono::minutes(minutesLater))});
                        if (!r) rc |= 1;
                    };
                    status("received", "", "Nguyễn Văn Hùng", 1);
                    status("needs_info", "Xin gửi ảnh chụp đoạn đường ngập và số nhà gần nhất.",
                           "Trần Thị Bích", 2);
                    app::DemoDriver second(app::trackingAndStaff(code, "1234", true, prefix));
                    rc |= runLoop(**window, pass, theme, &second, out);
                    // The staff member has come and closes the panel (in landscape its close
                    // button is below the fold, where a scripted tap cannot reach).
                    pass.apply(core::intent::StaffHelpAnswered{}, now);
                    pass.apply(core::intent::StaffClose{}, now);
                    prefs();
                    app::DemoDriver third(app::residentSupplements(code, secret, true, prefix));
                    rc |= runLoop(**window, pass, theme, &third, out);
                    status("answered",
                           "Phường đã nạo vét cống trên đường Nguyễn Trãi ngày 20/01. Nếu còn "
                           "ngập, xin báo lại qua ki-ốt hoặc đường dây nóng 1022.",
                           "Lê Văn Cường", 3);
                    prefs();
                    app::DemoDriver fourth(app::residentRates(code, secret, true, prefix));
                    rc |= runLoop(**window, pass, theme, &fourth, out);
                    appPtr = nullptr;
                }
        }
        std::cout << "screenshots: " << std::filesystem::absolute(out).string() << "\n";
        return rc;
    }

    app::KioskApp kioskApp(**services, queue, theme);
    kioskApp.setOnSyncStateWanted([w = sync.get()] { w->refresh(); });
    appPtr = &kioskApp;
    int rc = 0;
    if (o.demo) {
        app::DemoDriver script(app::sampleSubmission(true, "demo-"));
        const auto shots = dir.root / "screenshots";
        std::filesystem::create_directories(shots);
        rc = runLoop(**window, kioskApp, theme, &script, shots, &configChanged);
        const std::string code = kioskApp.state().lastReceiptCode;
        if (rc == 0 && !code.empty()) {
            const auto& cfg = (*services)->config();
            std::cout << "Mã số tra cứu / tracking code: " << code << "\n"
                      << "Trang tra cứu / tracking URL: "
                      << (cfg.trackingBaseUrl.empty() ? "" : cfg.trackingBaseUrl) << code << "\n"
                      << "Ảnh màn hình / screenshots: " << shots.string() << "\n"
                      << "Phiếu / receipt: " << (dir.root / "receipts" / (code + ".png")).string()
                      << "\n";
        } else if (rc == 0) {
            std::cerr << "kiosk: the demo did not reach a receipt\n";
            rc = 1;
        }
    } else {
        rc = runLoop(**window, kioskApp, theme, nullptr, {}, &configChanged);
    }
    sync->stop();
    platform::log::info("kiosk", "exiting");
    return rc;
}
