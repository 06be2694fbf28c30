#include <algorithm>

#include "ui/icons.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

// The height of each of `count` tiles in `columns` so that all of them fit the height left
// (reflow, not scroll: a first-time resident does not know that a list scrolls), at most
// `most`; bigButton still grows a tile whose words need more.
float tileHeight(int count, int columns, float most) {
    const int rows = (count + columns - 1) / columns;
    const float gap = ImGui::GetStyle().ItemSpacing.y;
    const float room = ImGui::GetContentRegionAvail().y - 2.0f;
    return std::clamp((room - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows),
                      kMinTouchPx, most);
}

// After a tile: the category's common problems, one full-width button each, and "Việc khác —
// tôi tự viết" last. One tap starts the content with the problem (the flow core fills it in).
void problems(KioskUi::Frame& f, const ksync::proto::Category& c) {
    const auto& t = f.t;
    const bool en = f.s.prefs.language == "en";
    centredText(f.theme.withIcon(icons::forCategory(c.code), en ? c.nameEn : c.nameVi),
                f.theme.bodyBold(), f.theme.palette().muted);
    title(f, t.get("category.problems_title"));
    wrappedText(t.get("category.problems_hint"), f.theme.palette().muted);
    ImGui::BeginChild("###problem_list", ImVec2(0, 0), false);
    // Landscape: two columns, so that the list and "tôi tự viết" fit without scrolling.
    const int columns = f.portrait ? 1 : 2;
    const int count = static_cast<int>(c.commonProblems.size()) + 1;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(columns - 1)) /
                    static_cast<float>(columns);
    const float h = tileHeight(count, columns, 150.0f * f.theme.scale());
    int i = 0;
    for (const auto& p : c.commonProblems) {
        if (i % columns != 0) ImGui::SameLine();
        if (bigButton(f.theme, {en ? p.en : p.vi}, "problem_" + std::to_string(i), ImVec2(w, h),
                      ButtonKind::Secondary, f.theme.bodyBold()))
            f.emit(core::intent::PickProblem{i});
        ++i;
    }
    if (i % columns != 0) ImGui::SameLine();
    if (bigButton(f.theme, {t.get("category.problem_own"), {}, -1, icons::kWrite, true},
                  "problem_own", ImVec2(w, h), ButtonKind::Primary, f.theme.bodyBold()))
        f.emit(core::intent::PickProblem{-1});
    ImGui::EndChild();
}

}  // namespace

void category(KioskUi::Frame& f) {
    const auto& t = f.t;
    if (f.s.pickingProblem) {
        if (const auto* c = f.data.config->findCategory(f.s.form.category)) {
            problems(f, *c);
            return;
        }
    }
    title(f, t.get("category.title"));
    // At the largest size the tiles need the room; the spoken guide says the same.
    if (f.s.prefs.textSize != core::TextSize::ExtraLarge)
        wrappedText(t.get("category.hint"), f.theme.palette().muted);
    fieldError(f, ksync::record::Field::Category);
    ImGui::BeginChild("###category_tiles", ImVec2(0, 0), false);
    const int columns = f.portrait ? 2 : 4;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(columns - 1)) /
                    static_cast<float>(columns);
    const float h = tileHeight(static_cast<int>(f.data.config->categories.size()), columns,
                               170.0f * f.theme.scale());
    const bool en = f.s.prefs.language == "en";
    int i = 0;
    for (const auto& c : f.data.config->categories) {
        if (i % columns != 0) ImGui::SameLine();
        const bool selected = f.s.form.category == c.code;
        if (bigButton(f.theme, {en ? c.nameEn : c.nameVi, {}, -1, icons::forCategory(c.code), true},
                      "cat_" + c.code, ImVec2(w, h),
                      selected ? ButtonKind::Selected : ButtonKind::Secondary, f.theme.bodyBold()))
            f.emit(core::intent::PickCategory{c.code});
        ++i;
    }
    ImGui::EndChild();
}

}  // namespace kiosk::ui::screens
