#include "ui/fonts.hpp"

#include <system_error>

namespace kiosk::ui {
namespace {
// – — ‘ ’ “ ” • … and the other General Punctuation the texts use, plus ₫.
constexpr ImWchar kExtraRanges[] = {0x2010, 0x205E, 0x20AB, 0x20AB, 0};
}  // namespace

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
        m_regular.fill(fallback);
        m_bold.fill(fallback);
        return false;
    }
    ImFontConfig config;
    config.OversampleH = 1;
    config.OversampleV = 1;
    const float px[] = {sizes.body, sizes.large, sizes.huge};
    for (int i = 0; i < 3; ++i) {
        m_regular[i] = atlas.AddFontFromFileTTF(regularPath.c_str(), px[i], &config, m_ranges.Data);
        m_bold[i] = atlas.AddFontFromFileTTF(boldPath.c_str(), px[i], &config, m_ranges.Data);
    }
    return m_regular[0] != nullptr && m_bold[0] != nullptr;
}

}  // namespace kiosk::ui
