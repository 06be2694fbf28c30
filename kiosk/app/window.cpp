#include "app/window.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ui/widgets/physical_keys.hpp"

// From GLFW's X11/GLX build (glfw3native.h would need the Xrandr headers): the X display and
// the GLX drawable, for glXCopySubBufferMESA.
extern "C" void* glfwGetX11Display(void);
extern "C" unsigned long glfwGetGLXWindow(GLFWwindow* window);

namespace kiosk::app {

namespace {
Window* self(GLFWwindow* w) {
    return static_cast<Window*>(glfwGetWindowUserPointer(w));
}
}  // namespace

std::expected<std::unique_ptr<Window>, std::string> Window::create(
    const WindowOptions& options, WindowHandlers handlers,
    const std::function<ImFontAtlas*()>& fontAtlas) {
    if (!glfwInit())
        return std::unexpected("cannot open the display (glfwInit failed; is DISPLAY set?)");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
    glfwWindowHint(GLFW_DECORATED, options.fullscreen ? GLFW_FALSE : GLFW_TRUE);
    std::unique_ptr<Window> win(new Window(options, std::move(handlers)));
    GLFWmonitor* monitor = options.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    int w = options.width, h = options.height;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        w = mode->width;
        h = mode->height;
    }
    win->m_window = glfwCreateWindow(w, h, "Ki-ốt phản ánh, kiến nghị", nullptr, nullptr);
    if (!win->m_window) {
        glfwTerminate();
        return std::unexpected("cannot create an OpenGL 3 window");
    }
    if (monitor) glfwSetWindowMonitor(win->m_window, monitor, 0, 0, w, h, GLFW_DONT_CARE);
    glfwMakeContextCurrent(win->m_window);
    glfwSwapInterval(1);
    glfwSetWindowUserPointer(win->m_window, win.get());
    // Ours first: the ImGui backend chains to them.
    glfwSetCharCallback(win->m_window, &Window::onCharCallback);
    glfwSetKeyCallback(win->m_window, &Window::onKeyCallback);
    glfwSetMouseButtonCallback(win->m_window, &Window::onMouseCallback);
    glfwSetWindowCloseCallback(win->m_window, &Window::onCloseCallback);
    glfwSetWindowRefreshCallback(win->m_window, &Window::onRefreshCallback);
    // Partial redraw only where filling pixels is what costs: a software rasteriser (the fanless
    // kiosk boxes without a GPU run llvmpipe). With a GPU a full frame is cheap and a vsynced
    // swap never tears, which a sub-buffer copy may. KIOSK_FULL_REDRAW=1 forces full frames,
    // KIOSK_FULL_REDRAW=0 partial ones (where the driver offers the extension).
    const char* full = std::getenv("KIOSK_FULL_REDRAW");
    const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    const std::string_view r = renderer ? renderer : "";
    const bool software =
        r.find("llvmpipe") != r.npos || r.find("softpipe") != r.npos || r.find("swrast") != r.npos;
    const bool partial = full && *full ? *full == '0' : software;
    if (partial && glfwExtensionSupported("GLX_MESA_copy_sub_buffer"))
        win->m_copySubBuffer =
            reinterpret_cast<CopySubBuffer>(glfwGetProcAddress("glXCopySubBufferMESA"));

    IMGUI_CHECKVERSION();
    ImGui::CreateContext(fontAtlas ? fontAtlas() : nullptr);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(win->m_window, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    win->m_imguiReady = true;
    // A touchscreen kiosk shows no pointer: full screen in kiosk mode the cursor is hidden (taps
    // and a mouse still work), and ImGui may not put it back each frame. KIOSK_SHOW_CURSOR=1 keeps
    // it for a kiosk that is used with a mouse.
    const char* show = std::getenv("KIOSK_SHOW_CURSOR");
    if (options.fullscreen && options.kioskMode && !(show && *show == '1')) {
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
        glfwSetInputMode(win->m_window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    }
    return win;
}

Window::~Window() {
    if (m_imguiReady) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    if (m_window) glfwDestroyWindow(m_window);
    glfwTerminate();
}

void Window::onCharCallback(GLFWwindow* w, unsigned int codepoint) {
    Window* win = self(w);
    if (win->m_handlers.onInput) win->m_handlers.onInput();
    if (win->m_handlers.onChar) win->m_handlers.onChar(static_cast<char32_t>(codepoint));
}

void Window::onKeyCallback(GLFWwindow* w, int key, int, int action, int mods) {
    Window* win = self(w);
    if (win->m_handlers.onInput) win->m_handlers.onInput();
    if (action == GLFW_RELEASE) return;
    if (key == GLFW_KEY_S && (mods & GLFW_MOD_CONTROL) && (mods & GLFW_MOD_ALT)) {
        if (win->m_handlers.onStaffShortcut) win->m_handlers.onStaffShortcut();
        return;
    }
    if (auto k = ui::specialKeyFromGlfw(key); k && win->m_handlers.onKey) win->m_handlers.onKey(*k);
}

void Window::onMouseCallback(GLFWwindow* w, int, int, int) {
    Window* win = self(w);
    if (win->m_handlers.onInput) win->m_handlers.onInput();
}

void Window::onCloseCallback(GLFWwindow* w) {
    // In kiosk mode a window-manager close (or Alt+F4) does nothing: only the staff panel exits.
    if (self(w)->m_options.kioskMode) glfwSetWindowShouldClose(w, GLFW_FALSE);
}

void Window::onRefreshCallback(GLFWwindow* w) {
    self(w)->m_damage.invalidate();
}

void Window::beginFrame(const std::function<void(ImGuiIO&)>& beforeNewFrame) {
    // Before the first frame the backend has no texture yet and builds it in NewFrame.
    if (m_handlers.beforeFrame && m_handlers.beforeFrame() && ImGui::GetIO().Fonts->TexID) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (beforeNewFrame) beforeNewFrame(ImGui::GetIO());
    ImGui::NewFrame();
}

void Window::renderFull(ImU32 clearColour, int w, int h) {
    glViewport(0, 0, w, h);
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(clearColour);
    glClearColor(c.x, c.y, c.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

bool Window::endFrame(ImU32 clearColour, const std::filesystem::path* screenshotPng) {
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    std::vector<ui::PixelRect> damage;
    if (m_copySubBuffer) {
        ImDrawData* dd = ImGui::GetDrawData();
        damage = m_damage.update(*dd, clearColour, w, h);
        glViewport(0, 0, w, h);
        const ImVec4 c = ImGui::ColorConvertU32ToFloat4(clearColour);
        glClearColor(c.x, c.y, c.z, 1.0f);
        long long area = 0;
        for (const ui::PixelRect& r : damage) area += r.area();
        m_lastRedrawShare =
            w > 0 && h > 0 ? static_cast<double>(area) / (static_cast<double>(w) * h) : 0.0;
        for (const ui::PixelRect& r : damage) {
            glEnable(GL_SCISSOR_TEST);
            glScissor(r.x0, h - r.y1, r.width(), r.height());
            glClear(GL_COLOR_BUFFER_BIT);
            glDisable(GL_SCISSOR_TEST);
            ui::ClipToRect clip(*dd, r, h);
            ImGui_ImplOpenGL3_RenderDrawData(dd);
        }
    } else {
        renderFull(clearColour, w, h);
    }
    bool ok = true;
    if (screenshotPng) {
        std::vector<unsigned char> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        // GL rows run bottom-up. Flip here: stb's flip-on-write switch is process-wide and the
        // receipt printer's PNG writer (another thread) would come out upside down.
        const std::size_t row = static_cast<std::size_t>(w) * 4;
        for (int y = 0; y < h / 2; ++y)
            std::swap_ranges(
                pixels.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)),
                pixels.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y + 1)),
                pixels.begin() +
                    static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(h - 1 - y)));
        ok = stbi_write_png(screenshotPng->c_str(), w, h, 4, pixels.data(),
                            static_cast<int>(row)) != 0;
    }
    if (m_copySubBuffer && (w != m_presentedW || h != m_presentedH)) {
        // A new size: a real swap lets the driver resize its buffers; the back buffer is
        // undefined after it, so the next frame is drawn whole.
        m_presentedW = w;
        m_presentedH = h;
        glfwSwapBuffers(m_window);
        m_damage.invalidate();
    } else if (m_copySubBuffer) {
        void* display = glfwGetX11Display();
        const unsigned long drawable = glfwGetGLXWindow(m_window);
        for (const ui::PixelRect& r : damage)
            m_copySubBuffer(display, drawable, r.x0, h - r.y1, r.width(), r.height());
    } else {
        glfwSwapBuffers(m_window);
    }
    return ok;
}

void Window::waitEvents(double timeoutSeconds) {
    if (timeoutSeconds <= 0)
        glfwPollEvents();
    else
        glfwWaitEventsTimeout(timeoutSeconds);
}

bool Window::closeRequested() const {
    return glfwWindowShouldClose(m_window);
}

void Window::resize(int width, int height) {
    glfwSetWindowSize(m_window, width, height);
    for (int i = 0; i < 10; ++i) {
        glfwPollEvents();
        int w = 0, h = 0;
        glfwGetFramebufferSize(m_window, &w, &h);
        if (w == width && h == height) break;
        glfwWaitEventsTimeout(0.05);
    }
}

void Window::wake() {
    glfwPostEmptyEvent();
}

}  // namespace kiosk::app
