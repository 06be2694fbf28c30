#pragma once
// The on-screen keyboard: draws the layout of the focused field (Vietnamese letters with the
// tone and shape row, numbers and symbols, phone keypad, email) with big keys (never under
// 60 px, about 12 mm on a 21.5" 1080p screen), shows presses, handles shift/caps, the layer
// keys and the clear-field confirmation itself, and reports every other tap as a KeyIntent.
// It never edits the field: the screen applies the intents (`field.apply(intent)`).
//
// Ids: every key is "###kb_<key id>" (see keyboard_layout.cpp), the confirmation buttons are
// "###kb_clear_yes" / "###kb_clear_no"; each is reported to ItemProbe under "kb_<id>".
// UI thread only.
#include "input/key_intent.hpp"
#include "input/keyboard_layout.hpp"
#include "text/strings.hpp"
#include "ui/widgets/text_field.hpp"

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

namespace kiosk::ui {

class Keyboard {
public:
    static constexpr float kMinKeyPx = 60.0f;

    // `strings` must outlive the keyboard.
    explicit Keyboard(const platform::text::Strings& strings) : m_strings(&strings) {}

    // Draws at the current cursor position across the available content width and returns the
    // taps of this frame, in order.
    std::vector<input::KeyIntent> draw(const TextField& field);
    // Height the keyboard takes for `width` pixels, for laying out a screen.
    float height(const TextField& field, float width) const;
    // Caps the key height (default 110 px; never below kMinKeyPx): landscape screens use less.
    void setMaxKeyHeight(float px) { m_maxKeyHeight = px < kMinKeyPx ? kMinKeyPx : px; }
    // Back to the field's own layout with shift off and no pending confirmation; call when
    // focus moves to another field.
    void reset();

    enum class Shift { Off, Once, Locked };
    Shift shift() const { return m_shift; }
    input::LayoutKind currentLayout(const TextField& field) const;

private:
    struct Metrics {
        float unit;
        float keyHeight;
        float gap;
    };
    Metrics metrics(const input::KeyboardLayout& layout, float width) const;
    void drawRow(std::span<const input::KeySpec> row, const TextField& field, const Metrics& m,
                 float width, std::vector<input::KeyIntent>& out);
    bool drawKey(const input::KeySpec& key, ImVec2 size, std::string_view caption,
                 std::string_view subCaption, bool lit, bool enabled);
    void onTap(const input::KeySpec& key, const TextField& field,
               std::vector<input::KeyIntent>& out);
    void drawClearConfirm(float width, std::vector<input::KeyIntent>& out);
    std::string caption(const input::KeySpec& key, const TextField& field) const;

    const platform::text::Strings* m_strings;
    std::optional<input::LayoutKind> m_layer;  // Symbols/letters chosen with the layer key
    Shift m_shift = Shift::Off;
    bool m_confirmClear = false;
    float m_maxKeyHeight = 110.0f;
    std::string m_flashId;  // key released last, lit briefly as feedback
    double m_flashUntil = 0.0;
};

}  // namespace kiosk::ui
