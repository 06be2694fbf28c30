#include "ui/widgets/big_button.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "ui/item_probe.hpp"

namespace kiosk::ui {

namespace {
// The pictogram's size in the heading font, or 0x0 when there is none to draw.
ImFont* iconFont(const Theme& theme, const ButtonText& text, ImFont* labelFont) {
    return text.iconLeft && labelFont ? labelFont : theme.heading();
}
ImVec2 iconExtent(const Theme& theme, const ButtonText& text, ImFont* labelFont) {
    if (text.icon.empty() || !theme.iconsLoaded()) return ImVec2(0, 0);
    ImFont* f = iconFont(theme, text, labelFont);
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0.0f, text.icon.data(),
                            text.icon.data() + text.icon.size());
}
}  // namespace

bool bigButton(const Theme& theme, ButtonText text, std::string_view id, ImVec2 size,
               ButtonKind kind, ImFont* font) {
    const Palette& p = theme.palette();
    size.y = std::max(size.y, kMinTouchPx);
    size.x = std::max(size.x, kMinTouchPx);
    const std::string imguiId = "###" + std::string(id);
    // Reflow, not clip: a button grows taller when its wrapped label and hint need it.
    {
        ImFont* lf = font ? font : theme.heading();
        ImFont* hf = theme.body();
        const float padX = 20.0f * theme.scale();
        const float boxW =
            text.check >= 0 ? std::min(44.0f * theme.scale(), size.y - 16.0f) + padX : 0.0f;
        const ImVec2 iconSize = iconExtent(theme, text, font ? font : theme.heading());
        const float iconW = text.iconLeft && iconSize.x > 0 ? iconSize.x + padX : 0.0f;
        const float room = size.x - 2 * padX - boxW - iconW;
        float need = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, room, text.label.data(),
                                       text.label.data() + text.label.size())
                         .y;
        if (!text.hint.empty())
            need += 8.0f + hf->CalcTextSizeA(hf->FontSize, FLT_MAX, room, text.hint.data(),
                                             text.hint.data() + text.hint.size())
                               .y;
        if (!text.iconLeft && iconSize.y > 0) need += iconSize.y + 4.0f;
        if (text.iconLeft) need = std::max(need, iconSize.y);
        size.y = std::max(size.y, need + 24.0f * theme.scale());
    }
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool released = ImGui::InvisibleButton(imguiId.c_str(), size);
    ItemProbe::record(id);
    ItemProbe::recordText(text.label);
    if (!text.hint.empty()) ItemProbe::recordText(text.hint);
    const bool held = ImGui::IsItemActive();

    ImU32 fill = p.secondary, ink = p.secondaryText;
    if (kind == ButtonKind::Primary || kind == ButtonKind::Selected)
        fill = p.primary, ink = p.primaryText;
    if (kind == ButtonKind::Danger) fill = p.danger, ink = p.primaryText;
    if (held) fill = p.focus, ink = IM_COL32(0, 0, 0, 255);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    const float r = 14.0f * theme.scale();
    dl->AddRectFilled(pos, max, fill, r);
    dl->AddRect(pos, max, kind == ButtonKind::Selected ? p.focus : p.border, r, 0,
                kind == ButtonKind::Selected ? 5.0f : 2.0f);

    ImFont* labelFont = font ? font : theme.heading();
    ImFont* hintFont = theme.body();
    const float pad = 20.0f * theme.scale();
    float left = 0.0f;  // room taken by the check box
    if (text.check >= 0) {
        const float box = std::min(44.0f * theme.scale(), size.y - 16.0f);
        const ImVec2 b0(pos.x + pad, pos.y + (size.y - box) * 0.5f), b1(b0.x + box, b0.y + box);
        dl->AddRectFilled(b0, b1, IM_COL32(255, 255, 255, 255), 6.0f);
        dl->AddRect(b0, b1, ink, 6.0f, 0, 3.0f);
        if (text.check == 1) {  // a tick drawn with two strokes: no font needed
            const ImVec2 a(b0.x + box * 0.2f, b0.y + box * 0.52f),
                m(b0.x + box * 0.42f, b0.y + box * 0.75f),
                c(b0.x + box * 0.82f, b0.y + box * 0.25f);
            dl->AddLine(a, m, IM_COL32(0, 0, 0, 255), 5.0f);
            dl->AddLine(m, c, IM_COL32(0, 0, 0, 255), 5.0f);
        }
        left = box + pad;
    }
    const ImVec2 iconSize = iconExtent(theme, text, font ? font : theme.heading());
    float iconTop = 0.0f;  // room the pictogram takes above the label
    if (iconSize.x > 0) {
        ImFont* iconF = iconFont(theme, text, labelFont);
        ImVec2 at;
        if (text.iconLeft) {
            at = ImVec2(pos.x + pad + left, pos.y + (size.y - iconSize.y) * 0.5f);
            left += iconSize.x + pad;
        } else {
            iconTop = iconSize.y + 4.0f;
        }
        if (!text.iconLeft) {
            const float wrap0 = size.x - 2 * pad - left;
            const float labelH =
                labelFont
                    ->CalcTextSizeA(labelFont->FontSize, FLT_MAX, wrap0, text.label.data(),
                                    text.label.data() + text.label.size())
                    .y;
            const float hintH =
                text.hint.empty() ? 0.0f
                                  : 8.0f + hintFont
                                               ->CalcTextSizeA(hintFont->FontSize, FLT_MAX, wrap0,
                                                               text.hint.data(),
                                                               text.hint.data() + text.hint.size())
                                               .y;
            at = ImVec2(pos.x + left + (size.x - left - iconSize.x) * 0.5f,
                        pos.y + (size.y - iconTop - labelH - hintH) * 0.5f);
        }
        dl->AddText(iconF, iconF->FontSize, at, ink, text.icon.data(),
                    text.icon.data() + text.icon.size());
    }
    const float wrap = size.x - 2 * pad - left;
    const ImVec2 labelSize =
        labelFont->CalcTextSizeA(labelFont->FontSize, FLT_MAX, wrap, text.label.data(),
                                 text.label.data() + text.label.size());
    ImVec2 hintSize(0, 0);
    if (!text.hint.empty())
        hintSize = hintFont->CalcTextSizeA(hintFont->FontSize, FLT_MAX, wrap, text.hint.data(),
                                           text.hint.data() + text.hint.size());
    const float gap = text.hint.empty() ? 0.0f : 8.0f;
    float y = pos.y + (size.y - iconTop - labelSize.y - gap - hintSize.y) * 0.5f + iconTop;
    const ImVec2 labelAt(pos.x + left + (size.x - left - labelSize.x) * 0.5f, y);
    dl->AddText(labelFont, labelFont->FontSize, labelAt, ink, text.label.data(),
                text.label.data() + text.label.size(), wrap);
    const ItemProbe::Rect button{pos, max};
    if (ItemProbe::installed())
        ItemProbe::recordTextBox(
            text.label, {labelAt, ImVec2(labelAt.x + labelSize.x, labelAt.y + labelSize.y)}, button,
            ItemProbe::hasWordWiderThan(labelFont, labelFont->FontSize, text.label, wrap));
    if (!text.hint.empty()) {
        y += labelSize.y + gap;
        const ImVec2 hintAt(pos.x + (size.x - hintSize.x) * 0.5f, y);
        dl->AddText(hintFont, hintFont->FontSize, hintAt, ink, text.hint.data(),
                    text.hint.data() + text.hint.size(), wrap);
        if (ItemProbe::installed())
            ItemProbe::recordTextBox(
                text.hint, {hintAt, ImVec2(hintAt.x + hintSize.x, hintAt.y + hintSize.y)}, button,
                ItemProbe::hasWordWiderThan(hintFont, hintFont->FontSize, text.hint, wrap));
    }
    return released;
}

void colourBox(const Theme& theme, ImU32 fill, ImU32 ink, const std::function<void()>& content) {
    const float pad = 16.0f * theme.scale();
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(p0.x + pad, p0.y + pad));
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, ink);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2 * pad);
    content();
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::EndGroup();
    const ImVec2 p1(p0.x + width, ImGui::GetItemRectMax().y + pad);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(p0, p1, fill, 12.0f * theme.scale());
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(p0);
    ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
}

namespace {

// A line of running text for the layout check: where it went, the screen it must stay on, and
// whether its wrapping had to break a word.
void recordRunningText(std::string_view text, float room) {
    if (!ItemProbe::installed()) return;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ItemProbe::recordTextBox(
        text, {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()}, {ImVec2(0, 0), display},
        ItemProbe::hasWordWiderThan(ImGui::GetFont(), ImGui::GetFontSize(), text, room));
}

}  // namespace

void wrappedText(std::string_view text, ImU32 color) {
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    const float room = ImGui::GetContentRegionAvail().x;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    if (color) ImGui::PopStyleColor();
    ItemProbe::recordText(text);
    recordRunningText(text, room);
}

void centredText(std::string_view text, ImFont* font, ImU32 color) {
    ImGui::PushFont(font);
    const float avail = ImGui::GetContentRegionAvail().x;
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, avail);
    if (size.x < avail) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - size.x) * 0.5f);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::min(size.x + 1.0f, avail));
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    if (color) ImGui::PopStyleColor();
    recordRunningText(text, avail);
    ImGui::PopFont();
    ItemProbe::recordText(text);
}

}  // namespace kiosk::ui
