#include "ui/icons.hpp"

#include <algorithm>
#include <utility>

#include "record/record.hpp"

namespace kiosk::ui::icons {
namespace {

constexpr std::pair<std::string_view, std::string_view> kCategories[] = {
    {"DAT_DAI", "\uf278"},        // map-o
    {"XAY_DUNG", "\uf1ad"},       // building
    {"MOI_TRUONG", "\uf1b8"},     // recycle
    {"GIAO_THONG", "\uf018"},     // road
    {"AN_NINH", "\uf132"},        // shield
    {"Y_TE", "\uf0fa"},           // medkit
    {"GIAO_DUC", "\uf19d"},       // graduation-cap
    {"AN_SINH", "\uf2b5"},        // handshake-o
    {"THU_TUC", "\uf0f6"},        // file-text-o
    {"CAN_BO", "\uf2c1"},         // id-badge
    {"CHUYEN_DOI_SO", "\uf109"},  // laptop
    {"NONG_NGHIEP", "\uf18c"},    // pagelines (a sprout)
    {"THUY_LOI", "\uf043"},       // tint (a drop of water)
    {"KHAC", "\uf141"},           // ellipsis-h
};
constexpr std::string_view kUnknownCategory = "\uf07b";  // folder

char32_t decode(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    return static_cast<char32_t>(((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F));
}

}  // namespace

std::string_view forCategory(std::string_view code) {
    for (const auto& [c, icon] : kCategories)
        if (c == code) return icon;
    return kUnknownCategory;
}

const std::vector<std::string_view>& all() {
    static const std::vector<std::string_view> list = [] {
        std::vector<std::string_view> v = {
            kPakn,      kSkgp,       kTrack,      kBack, kLanguage, kTextSize,        kContrast,
            kSpeechOn,  kSpeechOff,  kListen,     kHelp, kWrite,    kUnknownCategory, kSupplement,
            kSatisfied, kAcceptable, kUnsatisfied};
        for (const auto& [_, icon] : kCategories) v.push_back(icon);
        return v;
    }();
    return list;
}

static std::vector<unsigned short> rangesOf(const std::vector<std::string_view>& icons) {
    std::vector<char32_t> cps;
    for (auto icon : icons) cps.push_back(decode(icon));
    std::sort(cps.begin(), cps.end());
    cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
    std::vector<unsigned short> out;
    for (char32_t c : cps) {
        out.push_back(static_cast<unsigned short>(c));
        out.push_back(static_cast<unsigned short>(c));
    }
    out.push_back(0);
    return out;
}

const std::vector<unsigned short>& ranges() {
    static const std::vector<unsigned short> r = rangesOf(all());
    return r;
}

const std::vector<unsigned short>& faceRanges() {
    static const std::vector<unsigned short> r = rangesOf({kSatisfied, kAcceptable, kUnsatisfied});
    return r;
}

std::string_view forRating(std::string_view rating) {
    namespace record = ksync::record;
    if (rating == record::kRatingSatisfied) return kSatisfied;
    if (rating == record::kRatingAcceptable) return kAcceptable;
    if (rating == record::kRatingUnsatisfied) return kUnsatisfied;
    return {};
}

}  // namespace kiosk::ui::icons
