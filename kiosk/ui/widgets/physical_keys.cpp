#include "ui/widgets/physical_keys.hpp"

#include <GLFW/glfw3.h>

namespace kiosk::ui {

std::optional<input::SpecialKey> specialKeyFromGlfw(int glfwKey) {
    using input::SpecialKey;
    switch (glfwKey) {
        case GLFW_KEY_BACKSPACE:
            return SpecialKey::Backspace;
        case GLFW_KEY_DELETE:
            return SpecialKey::Delete;
        case GLFW_KEY_ENTER:
        case GLFW_KEY_KP_ENTER:
            return SpecialKey::Enter;
        case GLFW_KEY_LEFT:
            return SpecialKey::Left;
        case GLFW_KEY_RIGHT:
            return SpecialKey::Right;
        case GLFW_KEY_HOME:
            return SpecialKey::Home;
        case GLFW_KEY_END:
            return SpecialKey::End;
        default:
            return std::nullopt;
    }
}

}  // namespace kiosk::ui
