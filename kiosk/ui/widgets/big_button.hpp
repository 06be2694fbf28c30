#pragma once
// Touch buttons: at least 60 px tall, visibly pressed while held, no hover look, wrapped
// labels. Each is "###<id>" (stable across languages) and reported to ItemProbe under `id`.
// UI thread only.
#include <imgui.h>

#include <functional>
#include <string_view>

#include "ui/theme.hpp"

namespace kiosk::ui {

enum class ButtonKind { Primary, Secondary, Danger, Selected };

struct ButtonText {
    std::string_view label;
    std::string_view hint = {};  // a second, smaller line (may be empty)
    int check = -1;              // -1: no box; 0/1: a check box drawn left of the label
    // A pictogram (ui/icons.hpp) above the label in the heading font, or left of it in the
    // label's font; drawn only when the theme has the icon font.
    std::string_view icon = {};
    bool iconLeft = false;
};

inline constexpr float kMinTouchPx = 60.0f;

// Returns true on release inside the button.
bool bigButton(const Theme& theme, ButtonText text, std::string_view id, ImVec2 size,
               ButtonKind kind = ButtonKind::Secondary, ImFont* font = nullptr);

// Wrapped text in the current font and colour (or `color` when non-zero).
void wrappedText(std::string_view text, ImU32 color = 0);
// A filled box as wide as the available width around what `content` draws (text in `ink`,
// wrapped inside). Drawn in the window itself, not a child window, so it never takes taps.
void colourBox(const Theme& theme, ImU32 fill, ImU32 ink, const std::function<void()>& content);
// Text centred in the available width.
void centredText(std::string_view text, ImFont* font, ImU32 color = 0);

}  // namespace kiosk::ui
