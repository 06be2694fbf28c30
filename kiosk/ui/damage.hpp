#pragma once
// Partial redraw (issue #7). Under Mesa's software renderer (llvmpipe, the kiosk has no GPU)
// a frame costs in proportion to the pixels it shades: redrawing all of a 1080x1920 screen
// for each key typed was most of the frame time. DamageTracker compares a frame's ImGui draw
// data with the previous frame's, triangle by triangle (positions, texture coordinates,
// colours, texture and clip rectangle), and returns the few rectangles whose pixels can
// differ; the window clears and redraws only those (ClipToRect) and presents only those.
//
// A pixel's colour depends only on the clear colour and the triangles that cover it, in draw
// order: a triangle present in one frame but not the other marks its bounding box. The draw
// lists' order (windows' z-order), the clear colour and the size are compared as a whole; a
// change of any of them redraws everything.
//
// UI thread only. No GL: the rectangles are in framebuffer pixels, origin top-left.
#include <imgui.h>

#include <cstdint>
#include <vector>

namespace kiosk::ui {

struct PixelRect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // [x0, x1) x [y0, y1)
    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
    long long area() const { return static_cast<long long>(width()) * height(); }
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    bool operator==(const PixelRect&) const = default;
};

// The scissor box (framebuffer pixels, top-left origin) ImGui's OpenGL3 backend sets for a
// command's clip rectangle (it truncates to int), for a framebuffer `fbHeight` pixels high.
PixelRect scissorOf(const ImVec4& clipRect, int fbHeight);

class DamageTracker {
public:
    // The rectangles to redraw for this frame (none when nothing changed; one rectangle of the
    // whole framebuffer after invalidate(), a resize, a new clear colour or window order).
    // Assumes DisplayPos (0,0) and FramebufferScale (1,1); anything else is a full redraw.
    std::vector<PixelRect> update(const ImDrawData& drawData, ImU32 clearColour, int fbWidth,
                                  int fbHeight);
    // The next update() returns the whole framebuffer (first frame, expose, lost contents).
    void invalidate() { m_valid = false; }

    // At most this many rectangles; more are merged. Past this share of the screen, one
    // full-screen rectangle is returned instead (cheaper than many passes).
    static constexpr std::size_t kMaxRects = 6;
    static constexpr double kFullShare = 0.6;

private:
    struct Prim {
        std::uint64_t hash;
        PixelRect box;
    };
    std::vector<Prim> m_prev, m_cur;
    std::vector<const ImDrawList*> m_prevLists;
    ImU32 m_prevClear = 0;
    int m_prevW = 0, m_prevH = 0;
    bool m_valid = false;
};

// Restricts draw data to one rectangle for as long as it lives: every command's clip
// rectangle becomes the intersection of its scissor box with `rect` (exact integers, so the
// backend's scissor covers exactly those pixels), and commands outside get no elements.
class ClipToRect {
public:
    ClipToRect(ImDrawData& drawData, const PixelRect& rect, int fbHeight);
    ~ClipToRect();
    ClipToRect(const ClipToRect&) = delete;
    ClipToRect& operator=(const ClipToRect&) = delete;

private:
    struct Saved {
        ImDrawCmd* cmd;
        ImVec4 clip;
        unsigned elemCount;
    };
    std::vector<Saved> m_saved;
};

}  // namespace kiosk::ui
