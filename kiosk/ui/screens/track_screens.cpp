// Entering a tracking code (the story itself is track_story_screen.cpp).
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {

void trackEntry(KioskUi::Frame& f) {
    namespace intent = core::intent;
    const auto& t = f.t;
    title(f, t.get("track.title"));
    wrappedText(t.get("track.hint"), f.theme.palette().muted);
    const float width = ImGui::GetContentRegionAvail().x;
    const float kb = f.ui.keyboardHeight(width);
    f.ui.drawField(f, core::FormField::TrackCode, "field_track_code",
                   ImVec2(width, 90.0f * f.theme.scale()));
    if (!f.s.tracking.messageKey.empty()) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(t.format(f.s.tracking.messageKey, {{"char", f.s.tracking.badChar}}),
                    f.theme.palette().danger);
        ImGui::PopFont();
    }
    if (nextButton(f, "track.search", "track_search")) f.emit(intent::SubmitCode{});
    f.ui.drawKeyboard(f, kb);
}

}  // namespace kiosk::ui::screens
