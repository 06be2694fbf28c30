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

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "app/demo.hpp"
#include "app/kiosk_app.hpp"
#include "app/window.hpp"
#include "bench_common.hpp"
#include "clock/clock.hpp"

namespace {

using namespace kiosk;
using bench::die;
using core::Screen;
using nlohmann::json;
using Step = app::DemoStep;

std::int64_t monoNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

const char* screenName(Screen s) {
    switch (s) {
        case Screen::Welcome:
            return "welcome";
        case Screen::Category:
            return "category";
        case Screen::Content:
            return "content";
        case Screen::Contact:
            return "contact";
        case Screen::Review:
            return "review";
        case Screen::Receipt:
            return "receipt";
        case Screen::TrackEntry:
            return "track_entry";
        case Screen::TrackResult:
            return "track_result";
        case Screen::StaffPin:
            return "staff_pin";
        case Screen::StaffPanel:
            return "staff_panel";
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

Step tap(const std::string& id) {
    return {Step::Kind::Tap, id};
}
Step waitFor(Screen s) {
    return {Step::Kind::WaitScreen, {}, s};
}
Step frames(int n) {
    return {Step::Kind::Frames, {}, Screen::Welcome, n};
}
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
    v.push_back(tap("problem_own"));
    v.push_back(waitFor(Screen::Content));
    for (int i = 0; i < bodyRepeats; ++i)
        typeKeys(v,
                 "DDuwowngf Nguyeenx Traix ngaapj nuwowcs mooix khi muwa lowns. DDeef nghij "
                 "phuwowngf naoj vets coongs. ");
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
    std::map<std::string, std::vector<double>> vertices,
        coverage;  // per frame: ImGui vertices, shaded area / screen area
    std::map<std::string, std::vector<double>>
        redrawn;  // share of the screen the window redrew (partial redraw)
};

// Everything typed into fields: a frame that changes it took a keystroke ("typing" below
// collects those frames across screens; they are also in their screen's numbers).
std::string typed(const core::State& s) {
    return s.form.body + '\x1f' + s.form.title + '\x1f' + s.form.name + '\x1f' + s.form.phone +
           '\x1f' + s.tracking.typed + '\x1f' + s.staff.pin;
}

// What the frame asks llvmpipe to shade: vertices, and the area of every triangle clipped to its
// clip rectangle's bounding box (overdraw included), over the screen's area.
void drawStats(const ImDrawData* dd, double& vertices, double& coverage) {
    vertices = dd->TotalVtxCount;
    double area = 0;
    for (int n = 0; n < dd->CmdListsCount; ++n) {
        const ImDrawList* cl = dd->CmdLists[n];
        for (const ImDrawCmd& cmd : cl->CmdBuffer) {
            if (cmd.UserCallback) continue;
            for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
                const ImVec2 a =
                    cl->VtxBuffer[int(cmd.VtxOffset + cl->IdxBuffer[int(cmd.IdxOffset + i)])].pos;
                const ImVec2 b =
                    cl->VtxBuffer[int(cmd.VtxOffset + cl->IdxBuffer[int(cmd.IdxOffset + i + 1)])]
                        .pos;
                const ImVec2 c =
                    cl->VtxBuffer[int(cmd.VtxOffset + cl->IdxBuffer[int(cmd.IdxOffset + i + 2)])]
                        .pos;
                const double full = 0.5 * std::abs(double(b.x - a.x) * (c.y - a.y) -
                                                   double(c.x - a.x) * (b.y - a.y));
                // Scale by how much of the triangle's bounding box lies inside the clip rectangle.
                const float x0 = std::min({a.x, b.x, c.x}), x1 = std::max({a.x, b.x, c.x});
                const float y0 = std::min({a.y, b.y, c.y}), y1 = std::max({a.y, b.y, c.y});
                const double bw = x1 - x0, bh = y1 - y0;
                const double iw =
                    std::max(0.0f, std::min(x1, cmd.ClipRect.z) - std::max(x0, cmd.ClipRect.x));
                const double ih =
                    std::max(0.0f, std::min(y1, cmd.ClipRect.w) - std::max(y0, cmd.ClipRect.y));
                area += bw > 0 && bh > 0 ? full * (iw / bw) * (ih / bh) : 0;
            }
        }
    }
    coverage = area / (double(dd->DisplaySize.x) * dd->DisplaySize.y);
}

bool runScript(Session& s, app::KioskApp& kapp, app::DemoDriver& script, FrameTimes& times) {
    // Frames start at most 60 times a second (a key per frame is a fast typist at 60 Hz, and
    // DemoDriver's waits are counted in frames of 1/60 s); the wait is outside the timed part.
    auto next = bench::Clock::now();
    while (!script.done()) {
        std::this_thread::sleep_until(next);
        next = bench::Clock::now() + std::chrono::microseconds(16667);
        const auto t0 = bench::Clock::now();
        const double c0 = processCpuMs();
        const std::string before = typed(kapp.state());
        s.window.waitEvents(0);
        s.window.beginFrame([&](ImGuiIO& io) { script.beforeNewFrame(io); });
        const Screen drawn = kapp.state().screen;
        kapp.frame(platform::clock::unixMillis(platform::clock::now()));
        script.afterFrame(kapp);
        s.window.endFrame(s.theme.palette().background, nullptr);
        glFinish();
        times.wall[screenName(drawn)].push_back(bench::msSince(t0));
        times.cpu[screenName(drawn)].push_back(processCpuMs() - c0);
        double vtx = 0, cov = 0;
        drawStats(ImGui::GetDrawData(), vtx, cov);
        times.vertices[screenName(drawn)].push_back(vtx);
        times.coverage[screenName(drawn)].push_back(cov);
        times.redrawn[screenName(drawn)].push_back(s.window.lastRedrawShare());
        if (typed(kapp.state()) != before) {  // this frame took a keystroke into a field
            times.wall["typing"].push_back(times.wall[screenName(drawn)].back());
            times.cpu["typing"].push_back(times.cpu[screenName(drawn)].back());
            times.vertices["typing"].push_back(vtx);
            times.coverage["typing"].push_back(cov);
            times.redrawn["typing"].push_back(s.window.lastRedrawShare());
        }
    }
    if (!script.error().empty()) std::cerr << "bench_ui: " << script.error() << "\n";
    return script.error().empty();
}

struct Shell {
    app::MainQueue queue;
    std::unique_ptr<app::Services> services;
    ui::Theme theme;
    ImFontAtlas atlas;  // shared with ImGui's context, as in main.cpp: outlives the window
    std::unique_ptr<app::Window> window;
    app::KioskApp* app = nullptr;  // the one being drawn, for the fonts of its text size
};

app::WindowHandlers shellHandlers(Shell& sh) {
    app::WindowHandlers h;
    h.beforeFrame = [&sh] {
        return sh.app && sh.theme.ensureFonts(sh.app->state().prefs.textSize);
    };
    return h;
}

// The product's start-up sequence (kiosk/app/main.cpp), windowed at w×h: the GL context on
// this thread while another opens the services and builds the font atlas. `phases` (optional)
// gets the time the window took and how long it then waited for the other thread.
std::unique_ptr<Shell> startShell(const std::filesystem::path& dataDir, int w, int h,
                                  std::vector<std::pair<const char*, double>>* phases = nullptr) {
    const auto t0 = bench::Clock::now();
    auto sh = std::make_unique<Shell>();
    ksync::store::DataDir dir;
    dir.root = dataDir;
    std::expected<std::unique_ptr<app::Services>, std::string> services =
        std::unexpected("not started");
    bool fontsFound = false;
    double tServices = 0, tFonts = 0, tWindow = 0, tJoined = 0;
    std::jthread startup([&] {
        services = app::Services::create({dir, {}, (dataDir / "speech.wav").string()}, sh->queue);
        tServices = bench::msSince(t0);
        fontsFound = sh->theme.loadFonts(sh->atlas, core::TextSize::Normal);
        unsigned char* px = nullptr;
        int tw = 0, th = 0;
        sh->atlas.GetTexDataAsRGBA32(&px, &tw, &th);
        tFonts = bench::msSince(t0);
    });
    auto window = app::Window::create({false, w, h, false}, shellHandlers(*sh), [&] {
        tWindow = bench::msSince(t0);
        startup.join();
        tJoined = bench::msSince(t0);
        return &sh->atlas;
    });
    if (startup.joinable()) startup.join();
    if (!services) die("services: " + services.error());
    if (!window) die("window: " + window.error());
    if (!fontsFound) die("fonts");
    sh->services = std::move(*services);
    sh->window = std::move(*window);
    sh->queue.setWaker(&app::Window::wake);
    if (phases) {
        phases->emplace_back("[thread: services", tServices);
        phases->emplace_back("fonts+atlas]", tFonts - tServices);
        phases->emplace_back("GL context", tWindow);
        phases->emplace_back("wait for thread", tJoined - tWindow);
        phases->emplace_back("ImGui init", bench::msSince(t0) - tJoined);
    }
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
        auto sh = startShell(dataDir, w, h, &phases);
        last = bench::msSince(t0);
        ImGui_ImplOpenGL3_NewFrame();  // shaders and the font texture (beginFrame's call is then a
                                       // no-op)
        mark("GL objects+upload");
        app::KioskApp kapp(*sh->services, sh->queue, sh->theme);
        sh->app = &kapp;
        sh->window->beginFrame();
        kapp.frame(platform::clock::unixMillis(platform::clock::now()));
        mark("first frame (UI)");
        sh->window->endFrame(sh->theme.palette().background, nullptr);
        glFinish();
        mark("render+swap+finish");
        std::string line;
        for (const auto& [name, ms] : phases)
            line +=
                std::string(line.empty() ? "" : ", ") + name + " " + std::to_string(int(ms + 0.5));
        const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
        std::fprintf(stderr, "phases ms: %s; total %.0f; atlas %dx%d, %d fonts\n", line.c_str(),
                     bench::msSince(t0), atlas.TexWidth, atlas.TexHeight, atlas.Fonts.Size);
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
        execl(self, self, "--first-frame", "--data-dir", dataDir.c_str(), "--size", size.c_str(),
              nullptr);
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
        for (int i = 0; i < coldRuns; ++i)
            cold.push_back(coldStart(argv[0], dataDir.string(), size));
        result[size]["cold_start_ms"] = bench::summary(cold);
        std::cout << "cold start " << size << ": p50 " << bench::percentile(cold, 50) << " ms, max "
                  << bench::percentile(cold, 100) << " ms\n";
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
            result[size]["frame_vertices"][screen] = bench::percentile(times.vertices[screen], 50);
            result[size]["frame_shaded_screens"][screen] =
                bench::percentile(times.coverage[screen], 50);
            result[size]["frame_redrawn_share"][screen] =
                bench::percentile(times.redrawn[screen], 50);
            if (screen != "typing") {
                all.insert(all.end(), v.begin(), v.end());
                allCpu.insert(allCpu.end(), c.begin(), c.end());
            }
            std::printf(
                "%s %-13s frames %5zu  wall p50 %6.2f p95 %6.2f max %6.2f ms   cpu p50 %6.2f p95 "
                "%6.2f ms   vtx %5.0f drawn %.2f redrawn %.2f screens\n",
                size, screen.c_str(), v.size(), bench::percentile(v, 50), bench::percentile(v, 95),
                bench::percentile(v, 100), bench::percentile(c, 50), bench::percentile(c, 95),
                bench::percentile(times.vertices[screen], 50),
                bench::percentile(times.coverage[screen], 50),
                bench::percentile(times.redrawn[screen], 50));
        }
        result[size]["frame_ms_all"] = bench::summary(all);
        result[size]["frame_cpu_ms_all"] = bench::summary(allCpu);
    }
    result["peak_rss_kb_after_both_sessions"] = vmHwmKb();
    std::cout << "peak RSS (this process, both sessions): " << vmHwmKb() / 1024 << " MiB\n";
    bench::writeResult(out, "ui", result);
    return 0;
}
