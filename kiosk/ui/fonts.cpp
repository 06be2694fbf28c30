#include "ui/fonts.hpp"

#include "ui/icons.hpp"

#include <fstream>
#include <string>
#include <system_error>

namespace kiosk::ui {
namespace {
// – — ‘ ’ “ ” • … and the other General Punctuation the texts use, plus ₫.
constexpr ImWchar kExtraRanges[] = {0x2010, 0x205E, 0x20AB, 0x20AB, 0};
// Tracking codes (PAKN-7K3M-000001-0, typed codes), the PIN pad's "* " and its empty "—".
constexpr ImWchar kHugeRanges[] = {0x0020, 0x007E, 0x2014, 0x2014, 0};

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    std::string data(in ? static_cast<std::size_t>(in.tellg()) : 0, '\0');
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    return data;
}
}  // namespace

const ImWchar* Fonts::hugeRanges() {
    return kHugeRanges;
}

bool Fonts::load(ImFontAtlas& atlas, const FontSizes& sizes, const std::filesystem::path& dir) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas.GetGlyphRangesVietnamese());
    builder.AddRanges(kExtraRanges);
    m_ranges.clear();
    builder.BuildRanges(&m_ranges);

    const auto regularPath = (dir / "NotoSans-Regular.ttf").string();
    const auto boldPath = (dir / "NotoSans-Bold.ttf").string();
    std::error_code ec;
    if (!std::filesystem::exists(regularPath, ec) || !std::filesystem::exists(boldPath, ec)) {
        ImFont* fallback = atlas.AddFontDefault();
        m_regular = fallback;
        m_bold.fill(fallback);
        return false;
    }
    // Each file is read once and kept here: the atlas reads the bytes again when rebuilt.
    m_regularData = readFile(regularPath);
    m_boldData = readFile(boldPath);
    ImFontConfig config;
    config.OversampleH = 1;
    config.OversampleV = 1;
    config.FontDataOwnedByAtlas = false;
    auto add = [&](std::string& data, float px, const ImWchar* ranges) {
        return atlas.AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), px, &config,
                                          ranges);
    };
    // The pictograms (Fork Awesome) are merged into each text font right after it, with only
    // the glyphs the screens use (icons.cpp): a few dozen glyphs, not the font's 800.
    if (m_iconData.empty() && std::filesystem::exists(m_iconPath, ec))
        m_iconData = readFile(m_iconPath.string());
    ImFontConfig merge = config;
    merge.MergeMode = true;
    merge.PixelSnapH = true;
    auto addIcons = [&](float px) {
        if (m_iconData.empty()) return;
        merge.GlyphOffset = ImVec2(0.0f, px * 0.04f);
        merge.GlyphMinAdvanceX = px * 1.1f;  // every pictogram as wide: labels line up
        if (atlas.AddFontFromMemoryTTF(m_iconData.data(), static_cast<int>(m_iconData.size()),
                                       px * 0.95f, &merge,
                                       reinterpret_cast<const ImWchar*>(icons::ranges().data())))
            m_iconsLoaded = true;
    };
    m_regular = add(m_regularData, sizes.body, m_ranges.Data);
    addIcons(sizes.body);
    m_bold[0] = add(m_boldData, sizes.body, m_ranges.Data);
    addIcons(sizes.body);
    m_bold[1] = add(m_boldData, sizes.large, m_ranges.Data);
    addIcons(sizes.large);
    m_bold[2] = add(m_boldData, sizes.huge, kHugeRanges);
    // The rating's three faces, drawn large (issue #14): three glyphs, not the whole set.
    if (!m_iconData.empty()) {
        merge.GlyphOffset = ImVec2(0.0f, sizes.huge * 0.04f);
        merge.GlyphMinAdvanceX = 0.0f;
        atlas.AddFontFromMemoryTTF(m_iconData.data(), static_cast<int>(m_iconData.size()),
                                   sizes.huge * 0.95f, &merge,
                                   reinterpret_cast<const ImWchar*>(icons::faceRanges().data()));
    }
    return m_regular != nullptr && m_bold[0] != nullptr;
}

}  // namespace kiosk::ui
