// bench_ui — the kiosk window under Xvfb + llvmpipe (issue #7). Section index: the scripted
// session (one key per frame); frame timing per screen; cold start (a child process timed from
// the parent's fork to its first presented frame); main.
//
// Usage: bench_ui --data-dir D --out results.json [--cold-runs 5] [--body-repeats 3]
//        bench_ui --first-frame --data-dir D --size WxH   (child of --cold-runs)
// Needs DISPLAY (an Xvfb screen of at least 1920x1920).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>

#include "app/demo.hpp"
#include "app/kiosk_app.hpp"
#include "app/window.hpp"
#include "bench_common.hpp"
#include "clock/clock.hpp"

namespace {

using namespace kiosk;
using bench::die;
using nlohmann::json;
using core::Screen;
using Step = app::DemoStep;

std::int64_t monoNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

const char* screenName(Screen s) {
    switch (s) {
        case Screen::Welcome: return "welcome";
        case Screen::Category: return "category";
        case Screen::Content: return "content";
        case Screen::Contact: return "contact";
        case Screen::Review: return "review";
        case Screen::Receipt: return "receipt";
        case Screen::TrackEntry: return "track_entry";
        case Screen::TrackResult: return "track_result";
        case Screen::StaffPin: return "staff_pin";
        case Screen::StaffPanel: return "staff_panel";
    }
    return "?";
}

long vmHwmKb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

// ---- the scripted session ----------------------------------------------------------------------

Step tap(const std::string& id) { return {Step::Kind::Tap, id}; }
Step waitFor(Screen s) { return {Step::Kind::WaitScreen, {}, s}; }
Step frames(int n) { return {Step::Kind::Frames, {}, Screen::Welcome, n}; }
// One keystroke per frame, as a fast typist on a physical keyboard would at 60 Hz.
void typeKeys(std::vector<Step>& v, const std::string& ascii) {
    for (char c : ascii) v.push_back({Step::Kind::Type, std::string(1, c)});
}

std::vector<Step> submission(int bodyRepeats) {
    std::vector<Step> v;
    v.push_back(waitFor(Screen::Welcome));
    v.push_back(frames(20));
    v.push_back(tap("welcome_pakn"));
    v.push_back(waitFor(Screen::Category));
    v.push_back(frames(10));
    v.push_back(tap("cat_GIAO_THONG"));
    v.push_back(waitFor(Screen::Content));
    for (int i = 0; i < bodyRepeats; ++i)
        typeKeys(v, "DDuwowngf Nguyeenx Traix ngaapj nuwowcs mooix khi muwa lowns. DDeef nghij phuwowngf naoj vets coongs. ");
    v.push_back(frames(3));
    v.push_back(tap("nav_next"));
    v.push_back(waitFor(Screen::Contact));
    v.push_back(tap("contact_with"));
    v.push_back(frames(2));
    typeKeys(v, "Nguyeenx Vawn An");
    v.push_back(tap("field_phone"));
    typeKeys(v, "0912345678");
    v.push_back({Step::Kind::Enter, {}});
    v.push_back(frames(2));
    v.push_back(tap("contact_consent"));
    v.push_back(frames(3));
    v.push_back(tap("nav_next"));
    v.push_back(waitFor(Screen::Review));
    v.push_back(frames(10));
    v.push_back(tap("nav_confirm"));
    v.push_back(waitFor(Screen::Receipt));
    v.push_back(frames(30));
    return v;
}

std::vector<Step> tracking(const std::string& code) {
    std::vector<Step> v;
    v.push_back(tap("done_finish"));
    v.push_back(waitFor(Screen::Welcome));
    v.push_back(tap("welcome_track"));
    v.push_back(waitFor(Screen::TrackEntry));
    typeKeys(v, code);
    v.push_back(frames(2));
    v.push_back({Step::Kind::Enter, {}});
    v.push_back(waitFor(Screen::TrackResult));
    v.push_back(frames(10));
    v.push_back(tap("track_done"));
    v.push_back(waitFor(Screen::Welcome));
    v.push_back({Step::Kind::StaffShortcut, {}});
    v.push_back(waitFor(Screen::StaffPin));
    typeKeys(v, "1234");
    v.push_back({Step::Kind::Enter, {}});
    v.push_back(waitFor(Screen::StaffPanel));
    v.push_back(frames(20));
    return v;
}

struct Session {
    app::Window& window;
    ui::Theme& theme;
    app::MainQueue& queue;
    app::Services& services;
};

// Runs a script continuously (like the product's script mode) and times every frame from
// waitEvents to the presented frame (endFrame's swap, then glFinish so llvmpipe's work counts).
double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Per screen: wall-clock frame times, and the CPU time the whole process (llvmpipe's threads
// included) spent per frame — less sensitive to other load on a shared machine.
struct FrameTimes {
    std::map<std::string, std::vector<double>> wall, cpu;
};

bool runScript(Session& s, app::KioskApp& kapp, app::DemoDriver& script, FrameTimes& times) {
    while (!script.done()) {
        const auto t0 = bench::Clock::now();
        const double c0 = processCpuMs();
        s.window.waitEvents(0);
        s.window.beginFrame([&](ImGuiIO& io) { script.beforeNewFrame(io); });
        const Screen drawn = kapp.state().screen;
        kapp.frame(platform::clock::unixMillis(platform::clock::now()));
        script.afterFrame(kapp);
        s.window.endFrame(s.theme.palette().background, nullptr);
        glFinish();
        times.wall[screenName(drawn)].push_back(bench::msSince(t0));
        times.cpu[screenName(drawn)].push_back(processCpuMs() - c0);
    }
    if (!script.error().empty()) std::cerr << "bench_ui: " << script.error() << "\n";
    return script.error().empty();
}

struct Shell {
    app::MainQueue queue;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<app::Window> window;
    ui::Theme theme;
    app::KioskApp* app = nullptr;  // the one being drawn, for the fonts of its text size
};

app::WindowHandlers shellHandlers(Shell& sh) {
    app::WindowHandlers h;
    h.beforeFrame = [&sh] { return sh.app && sh.theme.ensureFonts(sh.app->state().prefs.textSize); };
    return h;
}

// The product's start-up sequence (kiosk/app/main.cpp), windowed at w×h.
std::unique_ptr<Shell> startShell(const std::filesystem::path& dataDir, int w, int h) {
    auto sh = std::make_unique<Shell>();
    ksync::store::DataDir dir;
    dir.root = dataDir;
    auto services = app::Services::create({dir, {}, (dataDir / "speech.wav").string()}, sh->queue);
    if (!services) die("services: " + services.error());
    sh->services = std::move(*services);
    auto window = app::Window::create({false, w, h, false}, shellHandlers(*sh));
    if (!window) die("window: " + window.error());
    sh->window = std::move(*window);
    sh->queue.setWaker(&app::Window::wake);
    if (!sh->theme.loadFonts(*ImGui::GetIO().Fonts, core::TextSize::Normal)) die("fonts");
    return sh;
}

int firstFrame(const std::filesystem::path& dataDir, int w, int h) {
    if (std::getenv("KIOSK_BENCH_PHASES")) {  // where start-up time goes, on stderr
        const auto t0 = bench::Clock::now();
        std::vector<std::pair<const char*, double>> phases;
        double last = 0;
        auto mark = [&](const char* name) {
            const double now = bench::msSince(t0);
            phases.emplace_back(name, now - last);
            last = now;
        };
        auto sh = std::make_unique<Shell>();
        ksync::store::DataDir dir;
        dir.root = dataDir;
        auto services = app::Services::create({dir, {}, (dataDir / "speech.wav").string()}, sh->queue);
        if (!services) die("services: " + services.error());
        mark("services");
        auto window = app::Window::create({false, w, h, false}, shellHandlers(*sh));
        if (!window) die("window: " + window.error());
        mark("window+GL context");
        sh->theme.loadFonts(*ImGui::GetIO().Fonts, core::TextSize::Normal);
        mark("fonts added");
        unsigned char* px = nullptr;
        int tw = 0, th = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
        mark("atlas built");
        ImGui_ImplOpenGL3_NewFrame();  // shaders and the font texture (beginFrame's call is then a no-op)
        mark("GL objects+upload");
        app::KioskApp kapp(**services, sh->queue, sh->theme);
        sh->app = &kapp;
        (*window)->beginFrame();
        kapp.frame(platform::clock::unixMillis(platform::clock::now()));
        mark("first frame (UI)");
        (*window)->endFrame(sh->theme.palette().background, nullptr);
        glFinish();
        mark("render+swap+finish");
        std::string line;
        for (const auto& [name, ms] : phases) line += std::string(line.empty() ? "" : ", ") + name + " " + std::to_string(int(ms + 0.5));
        const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
        std::fprintf(stderr, "phases ms: %s; total %.0f; atlas %dx%d, %d fonts\n", line.c_str(), bench::msSince(t0),
                     atlas.TexWidth, atlas.TexHeight, atlas.Fonts.Size);
        std::printf("%lld\n", static_cast<long long>(monoNs()));
        return 0;
    }
    auto sh = startShell(dataDir, w, h);
    app::KioskApp kapp(*sh->services, sh->queue, sh->theme);
    sh->app = &kapp;
    sh->window->waitEvents(0);
    sh->window->beginFrame();
    kapp.frame(platform::clock::unixMillis(platform::clock::now()));
    sh->window->endFrame(sh->theme.palette().background, nullptr);
    glFinish();
    std::printf("%lld\n", static_cast<long long>(monoNs()));
    std::fflush(stdout);
    return 0;
}

// Forks and execs this program in --first-frame mode; milliseconds from fork to first frame.
double coldStart(const char* self, const std::string& dataDir, const std::string& size) {
    int p[2];
    if (pipe(p) != 0) die("pipe");
    const std::int64_t t0 = monoNs();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        execl(self, self, "--first-frame", "--data-dir", dataDir.c_str(), "--size", size.c_str(), nullptr);
        _exit(127);
    }
    close(p[1]);
    std::string out;
    char buf[256];
    for (ssize_t n; (n = read(p[0], buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (out.empty()) die("first-frame child printed nothing");
    return double(std::stoll(out) - t0) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path dataDir = bench::arg(argc, argv, "--data-dir");
    if (dataDir.empty()) die("--data-dir is required (provisioned kiosk data directory)");
    if (bench::flag(argc, argv, "--first-frame")) {
        int w = 1080, h = 1920;
        std::sscanf(bench::arg(argc, argv, "--size", "1080x1920").c_str(), "%dx%d", &w, &h);
        return firstFrame(dataDir, w, h);
    }
    const std::filesystem::path out = bench::arg(argc, argv, "--out", "bench/results/latest.json");
    const int coldRuns = std::stoi(bench::arg(argc, argv, "--cold-runs", "5"));
    const int repeats = std::stoi(bench::arg(argc, argv, "--body-repeats", "3"));

    json result = json::object();
    for (const char* size : {"1080x1920", "1920x1080"}) {
        std::vector<double> cold;
        for (int i = 0; i < coldRuns; ++i) cold.push_back(coldStart(argv[0], dataDir.string(), size));
        result[size]["cold_start_ms"] = bench::summary(cold);
        std::cout << "cold start " << size << ": p50 " << bench::percentile(cold, 50) << " ms, max " << bench::percentile(cold, 100) << " ms\n";
    }

    // Frame times: one window, both orientations, as the screenshot mode does.
    auto sh = startShell(dataDir, 1080, 1920);
    Session s{*sh->window, sh->theme, sh->queue, *sh->services};
    for (const char* size : {"1080x1920", "1920x1080"}) {
        int w = 0, h = 0;
        std::sscanf(size, "%dx%d", &w, &h);
        sh->window->resize(w, h);
        app::KioskApp kapp(*sh->services, sh->queue, sh->theme);
        sh->app = &kapp;
        FrameTimes times;
        app::DemoDriver first(submission(repeats));
        if (!runScript(s, kapp, first, times)) return 1;
        app::DemoDriver second(tracking(kapp.state().lastReceiptCode));
        if (!runScript(s, kapp, second, times)) return 1;
        std::vector<double> all, allCpu;
        for (auto& [screen, v] : times.wall) {
            const auto& c = times.cpu[screen];
            result[size]["frame_ms"][screen] = bench::summary(v);
            result[size]["frame_cpu_ms"][screen] = bench::summary(c);
            all.insert(all.end(), v.begin(), v.end());
            allCpu.insert(allCpu.end(), c.begin(), c.end());
            std::printf("%s %-13s frames %5zu  wall p50 %6.2f p95 %6.2f max %6.2f ms   cpu p50 %6.2f p95 %6.2f ms\n", size,
                        screen.c_str(), v.size(), bench::percentile(v, 50), bench::percentile(v, 95), bench::percentile(v, 100),
                        bench::percentile(c, 50), bench::percentile(c, 95));
        }
        result[size]["frame_ms_all"] = bench::summary(all);
        result[size]["frame_cpu_ms_all"] = bench::summary(allCpu);
    }
    result["peak_rss_kb_after_both_sessions"] = vmHwmKb();
    std::cout << "peak RSS (this process, both sessions): " << vmHwmKb() / 1024 << " MiB\n";
    bench::writeResult(out, "ui", result);
    return 0;
}
