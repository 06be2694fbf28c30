#include "ui/damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kiosk::ui {
namespace {

PixelRect unite(const PixelRect& a, const PixelRect& b) {
    return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

PixelRect intersect(const PixelRect& a, const PixelRect& b) {
    return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

// Touching or closer than this many pixels: one rectangle (each costs a pass and a present).
constexpr int kMergeGap = 24;

bool near(const PixelRect& a, const PixelRect& b) {
    return a.x0 <= b.x1 + kMergeGap && b.x0 <= a.x1 + kMergeGap && a.y0 <= b.y1 + kMergeGap &&
           b.y0 <= a.y1 + kMergeGap;
}

void addRect(std::vector<PixelRect>& rects, PixelRect r) {
    // Absorb every rectangle near r, repeatedly (the union may reach others).
    for (bool merged = true; merged;) {
        merged = false;
        for (std::size_t i = 0; i < rects.size(); ++i)
            if (near(rects[i], r)) {
                r = unite(r, rects[i]);
                rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(i));
                merged = true;
                break;
            }
    }
    rects.push_back(r);
    while (rects.size() > DamageTracker::kMaxRects) {  // merge the pair that grows least
        std::size_t bi = 0, bj = 1;
        long long best = -1;
        for (std::size_t i = 0; i < rects.size(); ++i)
            for (std::size_t j = i + 1; j < rects.size(); ++j) {
                const long long growth =
                    unite(rects[i], rects[j]).area() - rects[i].area() - rects[j].area();
                if (best < 0 || growth < best) best = growth, bi = i, bj = j;
            }
        const PixelRect u = unite(rects[bi], rects[bj]);
        rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bj));
        rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bi));
        addRect(rects, u);
    }
}

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
}

std::uint64_t bitsOf(float f) {
    std::uint32_t u = 0;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

}  // namespace

PixelRect scissorOf(const ImVec4& c, int fbHeight) {
    if (c.z <= c.x || c.w <= c.y) return {};
    const int x = static_cast<int>(c.x), w = static_cast<int>(c.z - c.x);
    const int glY = static_cast<int>(static_cast<float>(fbHeight) - c.w),
              h = static_cast<int>(c.w - c.y);
    return {x, fbHeight - glY - h, x + w, fbHeight - glY};
}

std::vector<PixelRect> DamageTracker::update(const ImDrawData& dd, ImU32 clearColour, int fbW,
                                             int fbH) {
    const PixelRect screen{0, 0, fbW, fbH};
    m_cur.clear();
    std::vector<const ImDrawList*> lists(dd.CmdLists, dd.CmdLists + dd.CmdListsCount);
    for (const ImDrawList* cl : lists) {
        const ImDrawVert* vtx = cl->VtxBuffer.Data;
        const ImDrawIdx* idx = cl->IdxBuffer.Data;
        for (const ImDrawCmd& cmd : cl->CmdBuffer) {
            if (cmd.UserCallback) {  // not ours to understand: redraw everything
                m_valid = false;
                continue;
            }
            const PixelRect clip = intersect(scissorOf(cmd.ClipRect, fbH), screen);
            if (clip.empty()) continue;
            std::uint64_t base = mix(mix(0, reinterpret_cast<std::uintptr_t>(cmd.TextureId)),
                                     (std::uint64_t(clip.x0) << 32) ^ std::uint32_t(clip.y0));
            base = mix(base, (std::uint64_t(clip.x1) << 32) ^ std::uint32_t(clip.y1));
            for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
                std::uint64_t h = base;
                float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
                for (unsigned k = 0; k < 3; ++k) {
                    const ImDrawVert& v = vtx[cmd.VtxOffset + idx[cmd.IdxOffset + i + k]];
                    h = mix(h, (bitsOf(v.pos.x) << 32) | bitsOf(v.pos.y));
                    h = mix(h, (bitsOf(v.uv.x) << 32) | bitsOf(v.uv.y));
                    h = mix(h, v.col);
                    x0 = std::min(x0, v.pos.x), y0 = std::min(y0, v.pos.y);
                    x1 = std::max(x1, v.pos.x), y1 = std::max(y1, v.pos.y);
                }
                const PixelRect box =
                    intersect({static_cast<int>(std::floor(x0)), static_cast<int>(std::floor(y0)),
                               static_cast<int>(std::ceil(x1)), static_cast<int>(std::ceil(y1))},
                              clip);
                if (!box.empty()) m_cur.push_back({h, box});
            }
        }
    }
    std::sort(m_cur.begin(), m_cur.end(),
              [](const Prim& a, const Prim& b) { return a.hash < b.hash; });

    const bool full = !m_valid || fbW != m_prevW || fbH != m_prevH || clearColour != m_prevClear ||
                      lists != m_prevLists || dd.DisplayPos.x != 0.0f || dd.DisplayPos.y != 0.0f ||
                      dd.FramebufferScale.x != 1.0f || dd.FramebufferScale.y != 1.0f;
    std::vector<PixelRect> rects;
    if (!full) {
        // Triangles in one frame and not the other (a multiset difference of sorted hashes).
        std::size_t i = 0, j = 0;
        while (i < m_prev.size() || j < m_cur.size()) {
            if (j == m_cur.size() || (i < m_prev.size() && m_prev[i].hash < m_cur[j].hash)) {
                addRect(rects, m_prev[i++].box);
            } else if (i == m_prev.size() || m_cur[j].hash < m_prev[i].hash) {
                addRect(rects, m_cur[j++].box);
            } else {
                ++i, ++j;
            }
        }
    }
    long long area = 0;
    for (const auto& r : rects) area += r.area();
    if (full || static_cast<double>(area) > kFullShare * static_cast<double>(screen.area()))
        rects.assign(1, screen);

    std::swap(m_prev, m_cur);
    m_prevLists = std::move(lists);
    m_prevClear = clearColour;
    m_prevW = fbW;
    m_prevH = fbH;
    m_valid = true;
    return rects;
}

ClipToRect::ClipToRect(ImDrawData& dd, const PixelRect& rect, int fbHeight) {
    for (int n = 0; n < dd.CmdListsCount; ++n) {
        for (ImDrawCmd& cmd : dd.CmdLists[n]->CmdBuffer) {
            if (cmd.UserCallback) continue;
            m_saved.push_back({&cmd, cmd.ClipRect, cmd.ElemCount});
            const PixelRect s = intersect(scissorOf(cmd.ClipRect, fbHeight), rect);
            if (s.empty()) {
                cmd.ElemCount = 0;
                continue;
            }
            cmd.ClipRect = ImVec4(static_cast<float>(s.x0), static_cast<float>(s.y0),
                                  static_cast<float>(s.x1), static_cast<float>(s.y1));
        }
    }
}

ClipToRect::~ClipToRect() {
    for (const auto& s : m_saved) {
        s.cmd->ClipRect = s.clip;
        s.cmd->ElemCount = s.elemCount;
    }
}

}  // namespace kiosk::ui
