// The two tracking screens: entering a code, and its status timeline.
#include "clock/clock.hpp"
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
    f.ui.drawField(f, core::FormField::TrackCode, "field_track_code", ImVec2(width, 90.0f * f.theme.scale()));
    if (!f.s.tracking.messageKey.empty()) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(t.format(f.s.tracking.messageKey, {{"char", f.s.tracking.badChar}}), f.theme.palette().danger);
        ImGui::PopFont();
    }
    if (nextButton(f, "track.search", "track_search")) f.emit(intent::SubmitCode{});
    f.ui.drawKeyboard(f, kb);
}

namespace {

void entry(KioskUi::Frame& f, const core::StatusEntry& e, bool latest) {
    const auto& t = f.t;
    const Palette& p = f.theme.palette();
    ImGui::PushFont(latest ? f.theme.heading() : f.theme.bodyBold());
    ImGui::TextColored(Theme::toVec4(latest ? p.primary : p.text), "%s %s", latest ? "•" : "–",
                       t.get("status." + e.status).c_str());
    ImGui::PopFont();
    std::string when = e.at;
    if (auto tp = platform::clock::parseUtc(e.at)) when = platform::clock::formatLocalVi(*tp);
    ImGui::Indent(40.0f);
    ImGui::TextDisabled("%s", when.c_str());
    if (!e.agency.empty()) ImGui::Text("%s: %s", t.get("track.agency").c_str(), e.agency.c_str());
    if (!e.officer.empty()) ImGui::Text("%s: %s", t.get("track.officer").c_str(), e.officer.c_str());
    if (!e.expectedDate.empty()) ImGui::Text("%s: %s", t.get("track.expected").c_str(), e.expectedDate.c_str());
    if (!e.note.empty())
        wrappedText(e.status == "needs_info" ? t.get("track.needs_info") + ": " + e.note : e.note,
                    e.status == "needs_info" ? p.warning : 0);
    ImGui::Unindent(40.0f);
}

}  // namespace

void trackResult(KioskUi::Frame& f) {
    namespace intent = core::intent;
    const auto& t = f.t;
    const auto& tr = f.s.tracking;
    title(f, t.get("track.title"));
    centredText(tr.code, f.theme.huge());
    const float navH = 130.0f * f.theme.scale();
    ImGui::BeginChild("###timeline", ImVec2(0, ImGui::GetContentRegionAvail().y - navH), false);
    if (tr.loading) {
        wrappedText(t.get("track.loading"));
    } else if (!tr.found) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(t.get(tr.messageKey.empty() ? "track.not_found" : tr.messageKey), f.theme.palette().warning);
        ImGui::PopFont();
    } else {
        // Newest first: what the person wants to know is at the top.
        for (size_t i = tr.timeline.size(); i-- > 0;) entry(f, tr.timeline[i], i + 1 == tr.timeline.size());
    }
    ImGui::EndChild();
    if (nextButton(f, "done.finish", "track_done")) f.emit(intent::Done{});
}

}  // namespace kiosk::ui::screens
