#include "headless.hpp"

#include <string>

namespace testui {

HeadlessUi::HeadlessUi(ImVec2 displaySize) : HeadlessUi(displaySize, {}) {}

HeadlessUi::HeadlessUi(ImVec2 displaySize, const std::function<bool(ImFontAtlas&)>& loadFonts) {
    m_context = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = displaySize;
    io.DeltaTime = 1.0f / 60.0f;
    m_fontsLoaded = loadFonts ? loadFonts(*io.Fonts) : m_fonts.load(*io.Fonts);
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    m_probe.install();
}

HeadlessUi::~HeadlessUi() {
    m_probe.uninstall();
    ImGui::DestroyContext(m_context);
}

void HeadlessUi::setDisplaySize(ImVec2 size) {
    ImGui::GetIO().DisplaySize = size;
}

void HeadlessUi::frame(const DrawFn& draw, bool rootWindow) {
    ImGui::SetCurrentContext(m_context);
    m_probe.clear();
    ImGui::NewFrame();
    if (rootWindow) {
        ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("###headless_root", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings);
        draw();
        ImGui::End();
    } else {
        draw();
    }
    ImGui::Render();
}

bool HeadlessUi::click(std::string_view id, const DrawFn& draw, bool rootWindow) {
    const auto* rect = m_probe.find(id);
    if (rect == nullptr) return false;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = rect->center();
    io.MouseDown[0] = false;
    frame(draw, rootWindow);  // hover
    io.MouseDown[0] = true;
    frame(draw, rootWindow);  // press
    io.MouseDown[0] = false;
    frame(draw, rootWindow);  // release: the button reports the click
    frame(draw, rootWindow);  // settle: the UI shows the result (and records its new items)
    return true;
}

bool HeadlessUi::clickAll(std::initializer_list<std::string_view> ids, const DrawFn& draw) {
    for (auto id : ids)
        if (!click(id, draw)) return false;
    return true;
}

}  // namespace testui
