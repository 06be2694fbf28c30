#pragma once
// Scripted use of the real screens: taps on widgets found by their stable id (ItemProbe),
// typing through the physical-keyboard path (the same input engine), waits for screens, and
// screenshots. Used by `kiosk --demo`, `kiosk --screenshots` and the Xvfb smoke test.
//
// UI thread only.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/kiosk_app.hpp"
#include "ui/item_probe.hpp"

namespace kiosk::app {

struct DemoStep {
    enum class Kind { Tap, Type, Enter, WaitScreen, Shot, StaffShortcut, Frames };
    Kind kind;
    std::string arg;                              // Tap: widget id; Type: text; Shot: file name
    core::Screen screen = core::Screen::Welcome;  // WaitScreen
    int frames = 0;                               // Frames: how many frames to let pass
};

class DemoDriver {
public:
    explicit DemoDriver(std::vector<DemoStep> steps);
    ~DemoDriver();
    DemoDriver(const DemoDriver&) = delete;
    DemoDriver& operator=(const DemoDriver&) = delete;

    // Before ImGui::NewFrame (after the backend's input): the scripted pointer.
    void beforeNewFrame(ImGuiIO& io);
    // After the frame was drawn: advances the script. Returns the screenshot to take of this
    // frame, if the current step asks for one.
    std::optional<std::string> afterFrame(KioskApp& app);

    bool done() const { return m_step >= m_steps.size() || !m_error.empty(); }
    const std::string& error() const { return m_error; }

private:
    void next();
    std::vector<DemoStep> m_steps;
    std::size_t m_step = 0;
    int m_phase = 0;   // Tap: 0 hover, 1 press, 2 release, 3 settle
    int m_waited = 0;  // frames spent on the current step
    ImVec2 m_target{};
    std::string m_error;
    ui::ItemProbe m_probe;
};

// The sample submission: a PAKN about a flooded street, typed in Telex, with contact details.
// `shots` adds a screenshot of each screen, named <prefix>NN-<screen>.png.
std::vector<DemoStep> sampleSubmission(bool shots, const std::string& prefix = {});
// Tracking the code just submitted, and the staff PIN pad / panel (PIN typed as given).
std::vector<DemoStep> trackingAndStaff(const std::string& code, const std::string& pin, bool shots,
                                       const std::string& prefix = {});
// The resident comes back (issue #14), from the welcome screen: the case asks for information,
// which is added with the receipt's secret (as printed); then, once the caller has the case
// answered, it is rated "chưa hài lòng" with a request to reopen.
std::vector<DemoStep> residentSupplements(const std::string& code, const std::string& secret,
                                          bool shots, const std::string& prefix = {});
std::vector<DemoStep> residentRates(const std::string& code, const std::string& secret, bool shots,
                                    const std::string& prefix = {});

}  // namespace kiosk::app
