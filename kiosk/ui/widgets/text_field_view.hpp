#pragma once
// Draws a TextField: a framed box with the text wrapped at word boundaries, the word being
// typed underlined, and a solid (non-blinking) caret when focused, scrolled so the caret stays
// visible. It only draws; the field's text is changed through TextField::apply.
// UI thread only.
#include "ui/widgets/text_field.hpp"

#include <imgui.h>

#include <string_view>

namespace kiosk::ui {

// `id` is the stable id (the item is "###<id>", reported to ItemProbe as `id`). Returns true
// when the box was tapped (the screen then gives it focus).
bool drawTextField(const TextField& field, std::string_view id, ImVec2 size, bool focused);

}  // namespace kiosk::ui
