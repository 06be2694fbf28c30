#include "ui/widgets/text_field_view.hpp"

#include "ui/item_probe.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kiosk::ui {
namespace {

constexpr float kPadding = 12.0f;

struct Segment {
    std::size_t begin;  // byte offsets into the text
    std::size_t end;
    float y;
};

std::size_t nextCodePoint(const std::string& s, std::size_t i) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    return i;
}

std::size_t byteOffset(std::u32string_view text, std::size_t chars) {
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < chars && i < text.size(); ++i) {
        const char32_t c = text[i];
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return bytes;
}

// Breaks the text into display lines: at '\n' and where ImGui's word wrap says.
std::vector<Segment> layoutLines(const std::string& text, ImFont* font, float fontSize,
                                 float width) {
    std::vector<Segment> lines;
    const float scale = fontSize / font->FontSize;
    const float lineHeight = fontSize * 1.2f;
    std::size_t lineStart = 0;
    float y = 0.0f;
    while (true) {
        std::size_t lineEnd = text.find('\n', lineStart);
        if (lineEnd == std::string::npos) lineEnd = text.size();
        std::size_t s = lineStart;
        do {
            const char* wrap =
                font->CalcWordWrapPositionA(scale, text.data() + s, text.data() + lineEnd, width);
            std::size_t e = static_cast<std::size_t>(wrap - text.data());
            if (e <= s && s < lineEnd) e = nextCodePoint(text, s);
            lines.push_back({s, e, y});
            y += lineHeight;
            s = e;
        } while (s < lineEnd);
        if (lineEnd >= text.size()) break;
        lineStart = lineEnd + 1;
    }
    return lines;
}

}  // namespace

bool drawTextField(const TextField& field, std::string_view id, ImVec2 size, bool focused) {
    const std::string label = "###" + std::string(id);
    const bool clicked = ImGui::InvisibleButton(label.c_str(), size);
    ItemProbe::record(id);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_FrameBg), 6.0f);
    dl->AddRect(min, max, ImGui::GetColorU32(focused ? ImGuiCol_NavHighlight : ImGuiCol_Border),
                6.0f, 0, 2.0f);

    ImFont* font = ImGui::GetFont();
    const float fontSize = ImGui::GetFontSize();
    const std::string& text = field.text();
    const auto& engine = field.engine();
    const auto lines = layoutLines(text, font, fontSize, size.x - 2.0f * kPadding);
    const std::size_t caret = engine.cursorByteOffset();
    const std::size_t compBegin = byteOffset(engine.text32(), engine.composingBegin());
    const std::size_t compEnd = byteOffset(engine.text32(), engine.composingEnd());

    // The caret's line decides the scroll: keep it inside the box.
    float caretY = 0.0f;
    for (const auto& l : lines)
        if (caret >= l.begin && caret <= l.end) caretY = l.y;
    const float visible = size.y - 2.0f * kPadding - fontSize;
    const float scroll = std::max(0.0f, caretY - visible);

    dl->PushClipRect(min, max, true);
    const ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
    const char* base = text.data();
    for (const auto& l : lines) {
        const ImVec2 pos(min.x + kPadding, min.y + kPadding + l.y - scroll);
        if (pos.y > max.y || pos.y + fontSize < min.y) continue;
        dl->AddText(font, fontSize, pos, color, base + l.begin, base + l.end);
        const std::size_t ub = std::max(compBegin, l.begin);
        const std::size_t ue = std::min(compEnd, l.end);
        if (ub < ue) {
            const float x0 =
                font->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, base + l.begin, base + ub).x;
            const float x1 =
                font->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, base + l.begin, base + ue).x;
            dl->AddLine(ImVec2(pos.x + x0, pos.y + fontSize), ImVec2(pos.x + x1, pos.y + fontSize),
                        color, 2.0f);
        }
        if (focused && caret >= l.begin && caret <= l.end && l.y == caretY) {
            const float x =
                font->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, base + l.begin, base + caret).x;
            dl->AddLine(ImVec2(pos.x + x, pos.y), ImVec2(pos.x + x, pos.y + fontSize), color, 3.0f);
        }
    }
    dl->PopClipRect();
    return clicked;
}

}  // namespace kiosk::ui
