// The tracking result: the case's story as core::wordStory words it — where it stands, the
// deadline in working days, what the agency asks for, the answer in full — then every step on
// a timeline, each part with its own *Nghe*. The region scrolls by dragging and by two big
// buttons, since a touch screen has no wheel.
#include <algorithm>

#include "calendar/working_days.hpp"
#include "core/tracking_words.hpp"
#include "proto/backend_config.hpp"
#include "ui/item_probe.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

ImU32 toneColour(const Palette& p, core::Tone tone) {
    switch (tone) {
        case core::Tone::Good:
            return p.success;
        case core::Tone::Warning:
            return p.warning;
        case core::Tone::Danger:
            return p.danger;
        case core::Tone::Normal:
            break;
    }
    return 0;  // the colour in use
}

core::StoryWords storyWords(const KioskUi::Frame& f) {
    const auto& tr = f.s.tracking;
    core::DeadlineRules rules;
    if (const auto* c = f.data.config) {
        rules.calendar = ksync::proto::workingCalendar(*c);
        rules.replyDays = c->replyDays;
    }
    const auto story =
        core::tellStory(tr.code, tr.timeline, rules, ksync::calendar::localDateAt(tr.loadedAtMs));
    return core::wordStory(story, [&f](std::string_view key) { return f.t.get(key); });
}

bool listenButton(KioskUi::Frame& f, std::string_view id) {
    const ImVec2 size(150.0f * f.theme.scale(), 72.0f * f.theme.scale());
    return bigButton(f.theme, {f.t.get("track.listen")}, id, size, ButtonKind::Secondary,
                     f.theme.bodyBold());
}

// One part: *Nghe* on the left, then the heading, its facts and its text in full. Returns the
// rectangle drawn, for the timeline's marker.
ItemProbe::Rect part(KioskUi::Frame& f, const core::StoryPart& p, ImFont* headingFont,
                     float markerWidth = 0.0f) {
    const Palette& pal = f.theme.palette();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    if (listenButton(f, "track_listen_" + p.id)) f.emit(core::intent::SpeakText{p.spoken});
    ImGui::SameLine(0.0f, ImGui::GetStyle().ItemSpacing.x + markerWidth);
    ImGui::BeginGroup();
    ImGui::PushFont(headingFont);
    wrappedText(p.heading, toneColour(pal, p.tone));
    ImGui::PopFont();
    for (const auto& line : p.lines) wrappedText(line, pal.muted);
    if (!p.body.empty()) wrappedText(p.body);
    ImGui::EndGroup();
    const ImVec2 end(ImGui::GetItemRectMax().x,
                     std::max(ImGui::GetItemRectMax().y, start.y + 72.0f * f.theme.scale()));
    ImGui::Dummy(ImVec2(0.0f, 18.0f * f.theme.scale()));
    return {start, end};
}

// A dot per step (filled for the latest) joined by a line to the next one.
void timeline(KioskUi::Frame& f, const std::vector<core::StoryPart>& steps) {
    const Palette& pal = f.theme.palette();
    const float s = f.theme.scale();
    const float marker = 44.0f * s;
    const float x = ImGui::GetCursorScreenPos().x + 150.0f * s + ImGui::GetStyle().ItemSpacing.x +
                    marker * 0.5f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float previousY = -1.0f;
    for (const auto& step : steps) {
        const ItemProbe::Rect r = part(f, step, f.theme.bodyBold(), marker);
        const float y = r.min.y + 22.0f * s;
        if (previousY >= 0.0f) dl->AddLine(ImVec2(x, previousY), ImVec2(x, y), pal.muted, 4.0f * s);
        const ImU32 tone = toneColour(pal, step.tone);
        const ImU32 c = step.current ? pal.primary : tone ? tone : pal.text;
        if (step.current)
            dl->AddCircleFilled(ImVec2(x, y), 14.0f * s, c);
        else
            dl->AddCircle(ImVec2(x, y), 12.0f * s, c, 0, 4.0f * s);
        previousY = y;
    }
}

// What the printer did with *In kết quả* ("" before it was asked).
std::string printLine(const KioskUi::Frame& f) {
    switch (f.s.print) {
        case core::PrintState::Printing:
            return f.t.get("done.printing");
        case core::PrintState::Printed:
            return f.t.get("done.printed");
        case core::PrintState::Failed:
            return f.t.get("track.print_failed") + " " + f.t.get(f.s.printMessageKey);
        case core::PrintState::Idle:
            break;
    }
    return {};
}

void story(KioskUi::Frame& f, const core::StoryWords& w) {
    const Palette& pal = f.theme.palette();
    if (const std::string line = printLine(f); !line.empty()) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(line, f.s.print == core::PrintState::Failed ? pal.danger : pal.text);
        ImGui::PopFont();
    }
    const core::StoryPart now{"now", w.headline, core::Tone::Normal, "",
                              {},    "",         w.headlineSpoken,   true};
    ImGui::PushStyleColor(ImGuiCol_Text, pal.primary);
    part(f, now, f.theme.heading());
    ImGui::PopStyleColor();
    for (const auto& p : w.summary) part(f, p, f.theme.heading());
    ImGui::Separator();
    ImGui::PushFont(f.theme.heading());
    wrappedText(f.t.get("track.steps"));
    ImGui::PopFont();
    timeline(f, w.steps);
}

// The scrolling region: dragging moves it, and the scroll buttons' request lands here.
void scrolling(KioskUi::Frame& f) {
    float& by = f.ui.storyScrollBy();
    if (by != 0.0f)
        ImGui::SetScrollY(std::clamp(ImGui::GetScrollY() + by, 0.0f, ImGui::GetScrollMaxY()));
    by = 0.0f;
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0, 8.0f))
        ImGui::SetScrollY(std::clamp(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y, 0.0f,
                                     ImGui::GetScrollMaxY()));
    f.ui.storyScrollMax() = ImGui::GetScrollMaxY();
}

void buttons(KioskUi::Frame& f, float page, bool answered) {
    namespace intent = core::intent;
    const auto& t = f.t;
    const bool scrolls = f.ui.storyScrollMax() > 0.0f;
    const int n = (scrolls ? 3 : 1) + (answered ? 1 : 0);
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = n > 1 ? (avail - (n - 1) * gap) / n : std::min(avail, 520.0f * f.theme.scale());
    const ImVec2 b(w, 110.0f * f.theme.scale());
    if (scrolls) {
        if (bigButton(f.theme, {t.get("track.scroll_up")}, "track_scroll_up", b))
            f.ui.storyScrollBy() = -page;
        ImGui::SameLine();
        if (bigButton(f.theme, {t.get("track.scroll_down")}, "track_scroll_down", b))
            f.ui.storyScrollBy() = page;
        ImGui::SameLine();
    } else if (n == 1) {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
    }
    if (answered) {
        if (bigButton(f.theme, {t.get("track.print_answer")}, "track_print_answer", b))
            f.emit(intent::PrintAnswer{});
        ImGui::SameLine();
    }
    if (bigButton(f.theme, {t.get("done.finish") + " ›"}, "track_done", b, ButtonKind::Primary))
        f.emit(intent::Done{});
}

}  // namespace

void trackResult(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& tr = f.s.tracking;
    title(f, t.get("track.title"));
    centredText(tr.code, f.theme.huge());
    const float navH = 130.0f * f.theme.scale();
    // Issue #14: what the resident can do with the case, always in sight — beside the story in
    // landscape, under it in portrait (as tall as it was last frame).
    const bool offer = tr.found && !tr.loading && storyOffers(f);
    const bool side = offer && !f.portrait;
    float& offerH = f.ui.storyOfferHeight();
    const float height = ImGui::GetContentRegionAvail().y - navH - (offer && !side ? offerH : 0.0f);
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float sideW = side ? ImGui::GetContentRegionAvail().x * 0.4f : 0.0f;
    // A new code is a new region: it opens at the top.
    ImGui::BeginChild(("###story_" + tr.code).c_str(),
                      ImVec2(side ? ImGui::GetContentRegionAvail().x - sideW - gap : 0.0f, height),
                      false);
    scrolling(f);
    const core::StoryWords w = tr.found && !tr.loading ? storyWords(f) : core::StoryWords{};
    if (tr.loading) {
        wrappedText(t.get("track.loading"));
    } else if (!tr.found) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(t.get(tr.messageKey.empty() ? "track.not_found" : tr.messageKey),
                    f.theme.palette().warning);
        ImGui::PopFont();
    } else {
        story(f, w);
    }
    ImGui::EndChild();
    if (side) {
        ImGui::SameLine();
        ImGui::BeginChild("###story_offer", ImVec2(sideW, height), false);
        if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
            ImGui::IsMouseDragging(0, 8.0f))
            ImGui::SetScrollY(std::clamp(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y, 0.0f,
                                         ImGui::GetScrollMaxY()));
        storyOffer(f, true);
        ImGui::EndChild();
    } else if (offer) {
        const float top = ImGui::GetCursorPosY();
        storyOffer(f, false);
        offerH = ImGui::GetCursorPosY() - top;
    } else {
        offerH = 0.0f;
    }
    buttons(f, height * 0.8f, w.answered);
}

}  // namespace kiosk::ui::screens
