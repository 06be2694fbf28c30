#pragma once
// The kiosk's window: GLFW + OpenGL 3 + the ImGui backends, fullscreen and undecorated in
// kiosk mode, or a normal window for development. Physical keys and characters (keyboards,
// USB barcode scanners) are forwarded to the handlers given at creation.
//
// Main thread only (GLFW's rule); wake() may be called from any thread.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "input/key_intent.hpp"
#include "ui/damage.hpp"

namespace kiosk::app {

struct WindowOptions {
    bool fullscreen = true;
    int width = 1080;
    int height = 1920;
    bool kioskMode = true;  // ignore close requests and escape keys; only the staff panel exits
};

struct WindowHandlers {
    std::function<void(char32_t)> onChar;
    std::function<void(input::SpecialKey)> onKey;
    std::function<void()> onStaffShortcut;  // Ctrl+Alt+S
    std::function<void()> onInput;          // any mouse, key or touch event
    // Before each frame, outside it: returns true when it changed the font atlas (fonts of a
    // new text size), whose texture is then rebuilt.
    std::function<bool()> beforeFrame;
};

class Window {
public:
    // `fontAtlas`, if given, is called once the GL context exists and before ImGui's context
    // is created, and returns the atlas the context shares (the caller owns it; it must outlive
    // the Window). A caller can so build the atlas on another thread while the GL context is
    // being created (the slowest part of start-up under llvmpipe): ImGui's allocator touches
    // the current context, so nothing may use ImGui concurrently once the context exists.
    static std::expected<std::unique_ptr<Window>, std::string> create(
        const WindowOptions& options, WindowHandlers handlers,
        const std::function<ImFontAtlas*()>& fontAtlas = {});
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    // Starts an ImGui frame. `beforeNewFrame` runs after the backend read the real mouse and
    // before ImGui::NewFrame, so a scripted demo can put its own pointer state in io.
    void beginFrame(const std::function<void(ImGuiIO&)>& beforeNewFrame = {});
    // Renders and presents; with `screenshotPng`, the frame is also written there as a PNG.
    // Returns false only when the screenshot could not be written. Where the GL driver has
    // GLX_MESA_copy_sub_buffer (Mesa, including llvmpipe), only what changed since the last
    // frame is redrawn and presented (ui::DamageTracker); the back buffer is never swapped,
    // so it keeps the whole picture. KIOSK_FULL_REDRAW=1 turns this off.
    bool endFrame(ImU32 clearColour, const std::filesystem::path* screenshotPng = nullptr);
    // Waits for an event (or the timeout, in seconds).
    void waitEvents(double timeoutSeconds);
    bool closeRequested() const;
    void resize(int width, int height);
    static void wake();  // any thread
    // Share of the framebuffer the last endFrame redrew (1 without partial redraw).
    double lastRedrawShare() const { return m_lastRedrawShare; }

private:
    Window(WindowOptions options, WindowHandlers handlers)
        : m_options(options), m_handlers(std::move(handlers)) {}
    static void onCharCallback(GLFWwindow* w, unsigned int codepoint);
    static void onKeyCallback(GLFWwindow* w, int key, int scancode, int action, int mods);
    static void onMouseCallback(GLFWwindow* w, int button, int action, int mods);
    static void onCloseCallback(GLFWwindow* w);
    static void onRefreshCallback(GLFWwindow* w);
    void renderFull(ImU32 clearColour, int w, int h);

    WindowOptions m_options;
    WindowHandlers m_handlers;
    GLFWwindow* m_window = nullptr;
    bool m_imguiReady = false;
    using CopySubBuffer = void (*)(void* display, unsigned long drawable, int x, int y, int width,
                                   int height);
    CopySubBuffer m_copySubBuffer = nullptr;  // glXCopySubBufferMESA, when partial redraw is on
    ui::DamageTracker m_damage;
    int m_presentedW = 0, m_presentedH = 0;
    double m_lastRedrawShare = 1.0;  // the size last presented with a real swap
};

}  // namespace kiosk::app
