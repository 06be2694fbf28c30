#include <algorithm>

#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {

void category(KioskUi::Frame& f) {
    const auto& t = f.t;
    title(f, t.get("category.title"));
    wrappedText(t.get("category.hint"), f.theme.palette().muted);
    fieldError(f, ksync::record::Field::Category);
    ImGui::BeginChild("###category_tiles", ImVec2(0, 0), false);
    const int columns = f.portrait ? 2 : 3;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(columns - 1)) /
                    static_cast<float>(columns);
    const float h = 130.0f * f.theme.scale();
    const bool en = f.s.prefs.language == "en";
    int i = 0;
    for (const auto& c : f.data.config->categories) {
        if (i % columns != 0) ImGui::SameLine();
        const bool selected = f.s.form.category == c.code;
        if (bigButton(f.theme, {en ? c.nameEn : c.nameVi}, "cat_" + c.code, ImVec2(w, h),
                      selected ? ButtonKind::Selected : ButtonKind::Secondary, f.theme.bodyBold()))
            f.emit(core::intent::PickCategory{c.code});
        ++i;
    }
    ImGui::EndChild();
}

}  // namespace kiosk::ui::screens
