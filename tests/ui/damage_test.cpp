// Partial redraw: what DamageTracker says must be redrawn between two frames of draw data.
#include "ui/damage.hpp"
#include "headless.hpp"

#include <catch2/catch.hpp>

using kiosk::ui::DamageTracker;
using kiosk::ui::PixelRect;

namespace {

// Two filled rectangles and a line of text; `second` moves the second rectangle's colour.
void scene(ImU32 second, const char* text) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(100, 100), ImVec2(300, 200), IM_COL32(0, 84, 166, 255), 10.0f);
    dl->AddRectFilled(ImVec2(600, 900), ImVec2(800, 1000), second, 10.0f);
    ImGui::SetCursorScreenPos(ImVec2(100, 1500));
    ImGui::TextUnformatted(text);
}

bool inside(const PixelRect& r, const PixelRect& outer) {
    return r.x0 >= outer.x0 && r.y0 >= outer.y0 && r.x1 <= outer.x1 && r.y1 <= outer.y1;
}

}  // namespace

TEST_CASE("damage: the whole screen first, nothing when nothing changed, only what changed after",
          "[ui][damage]") {
    testui::HeadlessUi ui(ImVec2(1080, 1920));
    DamageTracker damage;
    const ImU32 bg = IM_COL32(246, 248, 251, 255);
    auto frame = [&](ImU32 second, const char* text) {
        ui.frame([&] { scene(second, text); });
        return damage.update(*ImGui::GetDrawData(), bg, 1080, 1920);
    };
    const ImU32 grey = IM_COL32(226, 233, 242, 255), gold = IM_COL32(255, 170, 0, 255);
    auto first = frame(grey, "abc");
    REQUIRE(first.size() == 1);
    CHECK(first[0] == PixelRect{0, 0, 1080, 1920});
    CHECK(frame(grey, "abc").empty());

    // A held key: only the second rectangle (its anti-aliased edge included).
    auto held = frame(gold, "abc");
    REQUIRE(held.size() == 1);
    CHECK(inside(held[0], PixelRect{598, 898, 802, 1002}));
    CHECK(inside(PixelRect{600, 900, 800, 1000}, held[0]));

    // A letter typed: only around the text line, not the rectangles.
    auto typed = frame(gold, "abcd");
    REQUIRE(typed.size() == 1);
    CHECK(typed[0].y0 >= 1490);
    CHECK(typed[0].y1 <= 1560);

    // Two changes far apart: two rectangles, not their union.
    auto both = frame(grey, "abc");
    CHECK(both.size() == 2);

    // A new clear colour or size, or invalidate(): everything.
    frame(grey, "abc");
    CHECK(damage.update(*ImGui::GetDrawData(), IM_COL32(0, 0, 0, 255), 1080, 1920).size() == 1);
    damage.invalidate();
    ui.frame([&] { scene(grey, "abc"); });
    auto all = damage.update(*ImGui::GetDrawData(), IM_COL32(0, 0, 0, 255), 1080, 1920);
    REQUIRE(all.size() == 1);
    CHECK(all[0] == PixelRect{0, 0, 1080, 1920});
}

TEST_CASE(
    "damage: clipping to a rectangle gives the backend exact scissor boxes and restores the draw "
    "data",
    "[ui][damage]") {
    testui::HeadlessUi ui(ImVec2(1080, 1920));
    ui.frame([&] { scene(IM_COL32(0, 0, 0, 255), "abc"); });
    ImDrawData& dd = *ImGui::GetDrawData();
    std::vector<ImVec4> clips;
    std::vector<unsigned> counts;
    for (int n = 0; n < dd.CmdListsCount; ++n)
        for (const ImDrawCmd& c : dd.CmdLists[n]->CmdBuffer)
            clips.push_back(c.ClipRect), counts.push_back(c.ElemCount);
    {
        const PixelRect r{550, 850, 850, 1050};
        kiosk::ui::ClipToRect clip(dd, r, 1920);
        for (int n = 0; n < dd.CmdListsCount; ++n)
            for (const ImDrawCmd& c : dd.CmdLists[n]->CmdBuffer) {
                if (c.ElemCount == 0) continue;
                const PixelRect s = kiosk::ui::scissorOf(c.ClipRect, 1920);
                CHECK(inside(s, r));
            }
    }
    std::size_t i = 0;
    for (int n = 0; n < dd.CmdListsCount; ++n)
        for (const ImDrawCmd& c : dd.CmdLists[n]->CmdBuffer) {
            CHECK(c.ClipRect.x == clips[i].x);
            CHECK(c.ClipRect.w == clips[i].w);
            CHECK(c.ElemCount == counts[i]);
            ++i;
        }
    // The backend truncates x, width, the bottom-up y and the height: for a fractional clip
    // rectangle the scissored rows are 21..200 here, and scissorOf says the same.
    CHECK(kiosk::ui::scissorOf(ImVec4(10.5f, 20.25f, 100.75f, 200.5f), 1920) ==
          PixelRect{10, 21, 100, 201});
}
