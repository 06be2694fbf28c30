#pragma once
// Physical keyboards and USB barcode scanners go through the same engine as the on-screen
// keyboard. In the app (main thread, which is the UI thread):
//
//   glfwSetCharCallback(win, [](GLFWwindow*, unsigned int cp) { focused().onChar(char32_t(cp)); });
//   glfwSetKeyCallback(win, [](GLFWwindow*, int key, int, int action, int) {
//       if (action == GLFW_RELEASE) return;
//       if (auto k = kiosk::ui::specialKeyFromGlfw(key)) handle(focused().onKey(*k));  // submitted
//       → next step
//   });
//
// Install these before ImGui_ImplGlfw_InitForOpenGL(win, true) so the backend chains them, and
// do not also let an ImGui::InputText take the same characters.
#include "input/key_intent.hpp"

#include <optional>

namespace kiosk::ui {

// Backspace, Delete, Enter (and keypad Enter), arrows Left/Right, Home, End; nullopt for any
// other GLFW key code (characters arrive through the char callback instead).
std::optional<input::SpecialKey> specialKeyFromGlfw(int glfwKey);

}  // namespace kiosk::ui
