#include "ui/widgets/keyboard.hpp"

#include "input/utf8.hpp"
#include "input/vietnamese_letters.hpp"
#include "ui/item_probe.hpp"

#include <algorithm>
#include <cmath>

// Sections: layout and metrics, drawing, taps, clear confirmation.

namespace kiosk::ui {

using input::KeyIntent;
using input::KeyRole;
using input::KeySpec;
using input::LayoutKind;

namespace {

constexpr double kFlashSeconds = 0.15;
constexpr float kMaxKeyHeightPx = 110.0f;

std::string upperCap(std::string_view cap) {
    const auto text = input::fromUtf8(cap);
    if (!text) return std::string(cap);
    std::u32string out;
    for (char32_t c : *text) {
        auto parts = input::decomposeLetter(c);
        if (parts) {
            parts->upper = true;
            if (auto up = input::composeLetter(*parts)) c = *up;
        }
        out.push_back(c);
    }
    return input::toUtf8(out);
}

}  // namespace

// ---- Layout and metrics -----------------------------------------------------------------

LayoutKind Keyboard::currentLayout(const TextField& field) const {
    const LayoutKind own = field.layout();
    if (own == LayoutKind::Phone || own == LayoutKind::Email || own == LayoutKind::Code || !m_layer)
        return own;
    return *m_layer;
}

void Keyboard::reset() {
    m_layer.reset();
    m_shift = Shift::Off;
    m_confirmClear = false;
}

Keyboard::Metrics Keyboard::metrics(const input::KeyboardLayout& layout, float width) const {
    const float gap = 8.0f;
    const float unit =
        std::max(kMinKeyPx, (width - gap * (layout.unitsPerRow - 1.0f)) / layout.unitsPerRow);
    const float keyHeight =
        std::clamp(unit * 0.75f, kMinKeyPx, std::min(kMaxKeyHeightPx, m_maxKeyHeight));
    return {unit, keyHeight, gap};
}

float Keyboard::height(const TextField& field, float width) const {
    const auto& layout = input::keyboardLayout(currentLayout(field));
    const Metrics m = metrics(layout, width);
    const auto rows = static_cast<float>(layout.rows.size());
    return rows * m.keyHeight + (rows - 1.0f) * m.gap;
}

// ---- Drawing ----------------------------------------------------------------------------

std::vector<KeyIntent> Keyboard::draw(const TextField& field) {
    std::vector<KeyIntent> out;
    const float width = ImGui::GetContentRegionAvail().x;
    if (m_confirmClear) {
        drawClearConfirm(width, out);
        return out;
    }
    const auto& layout = input::keyboardLayout(currentLayout(field));
    const Metrics m = metrics(layout, width);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(m.gap, m.gap));
    for (const auto& row : layout.rows) drawRow(row, field, m, width, out);
    ImGui::PopStyleVar();
    return out;
}

void Keyboard::drawRow(std::span<const KeySpec> row, const TextField& field, const Metrics& m,
                       float width, std::vector<KeyIntent>& out) {
    float rowWidth = -m.gap;
    for (const auto& key : row) rowWidth += key.width * m.unit + (key.width - 1.0f) * m.gap + m.gap;
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(start.x + std::max(0.0f, (width - rowWidth) * 0.5f), start.y));
    bool first = true;
    for (const auto& key : row) {
        if (!first) ImGui::SameLine();
        first = false;
        const ImVec2 size(key.width * m.unit + (key.width - 1.0f) * m.gap, m.keyHeight);
        const bool lit = (key.role == KeyRole::Shift && m_shift != Shift::Off) ||
                         (key.role == KeyRole::Toggle && field.vietnameseOn());
        const bool enabled = key.role != KeyRole::Toggle || field.inputMethodAvailable();
        const std::string sub =
            key.role == KeyRole::Tone ? m_strings->get(key.labelKey) : std::string();
        if (drawKey(key, size, caption(key, field), sub, lit, enabled)) onTap(key, field, out);
    }
}

std::string Keyboard::caption(const KeySpec& key, const TextField& field) const {
    const bool upper = m_shift != Shift::Off;
    switch (key.role) {
        case KeyRole::Char:
            return upper && input::isAsciiLetter(key.ch) ? upperCap(key.cap) : std::string(key.cap);
        case KeyRole::Mark:
            return upper ? upperCap(key.cap) : std::string(key.cap);
        case KeyRole::Tone:
            return std::string(key.cap);
        case KeyRole::Toggle:
            return m_strings->get(field.vietnameseOn() ? "keyboard.toggle_vi"
                                                       : "keyboard.toggle_abc");
        case KeyRole::Shift:
            return m_strings->get(m_shift == Shift::Locked ? "keyboard.caps" : "keyboard.shift");
        case KeyRole::Special:
            if (key.special == input::SpecialKey::Enter)
                return m_strings->get(field.multiline() ? "keyboard.enter" : "keyboard.done");
            return key.cap.empty() ? m_strings->get(key.labelKey) : std::string(key.cap);
        default:
            return m_strings->get(key.labelKey);
    }
}

bool Keyboard::drawKey(const KeySpec& key, ImVec2 size, std::string_view caption,
                       std::string_view subCaption, bool lit, bool enabled) {
    const std::string id = "kb_" + std::string(key.id);
    const std::string label = "###" + id;
    const bool pressed = ImGui::InvisibleButton(label.c_str(), size) && enabled;
    ItemProbe::record(id);
    const bool held = ImGui::IsItemActive();
    if (pressed) {
        m_flashId = id;
        m_flashUntil = ImGui::GetTime() + kFlashSeconds;
    }
    const bool flash = m_flashId == id && ImGui::GetTime() < m_flashUntil;
    ImU32 fill = ImGui::GetColorU32(ImGuiCol_Button);
    if (lit) fill = ImGui::GetColorU32(ImGuiCol_ButtonHovered);
    if (held || flash) fill = ImGui::GetColorU32(ImGuiCol_ButtonActive);
    if (!enabled) fill = ImGui::GetColorU32(ImGuiCol_FrameBg);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, fill, 10.0f);
    ImFont* font = ImGui::GetFont();
    float big = ImGui::GetFontSize() * (subCaption.empty() ? 1.0f : 1.2f);
    float small = ImGui::GetFontSize() * 0.7f;
    // A label never spills out of its key: a word too wide for the key ("Xuống dòng" on a
    // narrow key at the largest size) is drawn smaller until it fits.
    {
        const float roomX = size.x - 8.0f;
        const float roomY = size.y - 4.0f;
        const float w =
            font->CalcTextSizeA(big, FLT_MAX, 0.0f, caption.data(), caption.data() + caption.size())
                .x;
        const float hNeed = big + (subCaption.empty() ? 0.0f : small);
        const float fit = std::min({1.0f, w > 0.0f ? roomX / w : 1.0f, roomY / hNeed});
        if (!subCaption.empty()) {
            const float sw = font->CalcTextSizeA(small, FLT_MAX, 0.0f, subCaption.data(),
                                                 subCaption.data() + subCaption.size())
                                 .x;
            small *= std::min(fit, sw > 0.0f ? roomX / sw : 1.0f);
        }
        big *= fit;
        if (subCaption.empty()) small *= fit;
    }
    // The label contrasts with the key's own fill, whatever the theme: in high contrast the keys
    // are white on black, so the theme's (white) text colour would vanish on them.
    ImU32 textColor = ImGui::GetColorU32(enabled ? ImGuiCol_Text : ImGuiCol_TextDisabled);
    {
        const ImVec4 f = ImGui::ColorConvertU32ToFloat4(fill);
        const ImVec4 t = ImGui::ColorConvertU32ToFloat4(textColor);
        auto luma = [](const ImVec4& c) { return 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z; };
        if (std::abs(luma(f) - luma(t)) < 0.4f)
            textColor = luma(f) > 0.5f ? IM_COL32(0, 0, 0, enabled ? 255 : 150)
                                       : IM_COL32(255, 255, 255, enabled ? 255 : 150);
    }
    const char* c0 = caption.data();
    const char* c1 = c0 + caption.size();
    const ImVec2 capSize = font->CalcTextSizeA(big, size.x, 0.0f, c0, c1);
    const float subHeight = subCaption.empty() ? 0.0f : small;
    const float y = min.y + (size.y - capSize.y - subHeight) * 0.5f;
    const ImVec2 capAt(min.x + (size.x - capSize.x) * 0.5f, y);
    dl->AddText(font, big, capAt, textColor, c0, c1);
    ItemProbe::recordTextBox(caption, {capAt, ImVec2(capAt.x + capSize.x, capAt.y + capSize.y)},
                             {min, max}, false);
    if (!subCaption.empty()) {
        const char* s0 = subCaption.data();
        const char* s1 = s0 + subCaption.size();
        const ImVec2 subSize = font->CalcTextSizeA(small, size.x, 0.0f, s0, s1);
        dl->AddText(font, small, ImVec2(min.x + (size.x - subSize.x) * 0.5f, y + capSize.y),
                    textColor, s0, s1);
    }
    return pressed;
}

// ---- Taps -------------------------------------------------------------------------------

void Keyboard::onTap(const KeySpec& key, const TextField& field, std::vector<KeyIntent>& out) {
    const bool upper = m_shift != Shift::Off;
    switch (key.role) {
        case KeyRole::Char:
            if (key.ch == 0) {
                for (char32_t c : input::fromUtf8(key.cap).value_or(std::u32string()))
                    out.push_back(KeyIntent::character(c));
            } else {
                out.push_back(KeyIntent::character(upper ? input::asciiUpper(key.ch) : key.ch));
            }
            if (m_shift == Shift::Once && input::isAsciiLetter(key.ch)) m_shift = Shift::Off;
            break;
        case KeyRole::Tone:
            out.push_back(KeyIntent::toneKey(key.tone));
            break;
        case KeyRole::Mark:
            out.push_back(KeyIntent::markKey(key.mark, upper));
            if (m_shift == Shift::Once) m_shift = Shift::Off;
            break;
        case KeyRole::Special:
            out.push_back(KeyIntent::specialKey(key.special));
            break;
        case KeyRole::Space:
            out.push_back(KeyIntent::character(U' '));
            break;
        case KeyRole::Shift:
            m_shift = m_shift == Shift::Off    ? Shift::Once
                      : m_shift == Shift::Once ? Shift::Locked
                                               : Shift::Off;
            break;
        case KeyRole::Layer:
            m_layer = key.layer;
            break;
        case KeyRole::Toggle:
            out.push_back(KeyIntent::of(KeyIntent::Kind::ToggleVietnamese));
            break;
        case KeyRole::Clear:
            if (!field.text().empty()) m_confirmClear = true;
            break;
    }
}

// ---- Clear confirmation -----------------------------------------------------------------

void Keyboard::drawClearConfirm(float width, std::vector<KeyIntent>& out) {
    ImGui::TextUnformatted(m_strings->get("keyboard.clear_confirm").c_str());
    const ImVec2 size(std::max(kMinKeyPx * 3.0f, width * 0.3f), std::max(kMinKeyPx, 90.0f));
    const KeySpec yes{"clear_yes", KeyRole::Clear, {}, "keyboard.clear_yes"};
    const KeySpec no{"clear_no", KeyRole::Clear, {}, "keyboard.clear_no"};
    if (drawKey(yes, size, m_strings->get(yes.labelKey), {}, false, true)) {
        out.push_back(KeyIntent::of(KeyIntent::Kind::ClearAll));
        m_confirmClear = false;
    }
    ImGui::SameLine(0.0f, 40.0f);
    if (drawKey(no, size, m_strings->get(no.labelKey), {}, true, true)) m_confirmClear = false;
}

}  // namespace kiosk::ui
