#include "input/vietnamese_letters.hpp"

#include <array>

namespace kiosk::input {
namespace {

struct VowelRow {
    char32_t base;
    Shape shape;
    bool upper;
    std::array<char32_t, 6> byTone;  // indexed by Tone
};

// Generated from Unicode NFC compositions (base + shape mark + tone mark); checked by the tests
// against utf8proc.
constexpr std::array<VowelRow, 24> kVowels{{
    {U'a',
     Shape::None,
     false,
     {U'\x0061', U'\x00E1', U'\x00E0', U'\x1EA3', U'\x00E3', U'\x1EA1'}},  // aáàảãạ
    {U'a',
     Shape::None,
     true,
     {U'\x0041', U'\x00C1', U'\x00C0', U'\x1EA2', U'\x00C3', U'\x1EA0'}},  // AÁÀẢÃẠ
    {U'a',
     Shape::Breve,
     false,
     {U'\x0103', U'\x1EAF', U'\x1EB1', U'\x1EB3', U'\x1EB5', U'\x1EB7'}},  // ăắằẳẵặ
    {U'a',
     Shape::Breve,
     true,
     {U'\x0102', U'\x1EAE', U'\x1EB0', U'\x1EB2', U'\x1EB4', U'\x1EB6'}},  // ĂẮẰẲẴẶ
    {U'a',
     Shape::Circumflex,
     false,
     {U'\x00E2', U'\x1EA5', U'\x1EA7', U'\x1EA9', U'\x1EAB', U'\x1EAD'}},  // âấầẩẫậ
    {U'a',
     Shape::Circumflex,
     true,
     {U'\x00C2', U'\x1EA4', U'\x1EA6', U'\x1EA8', U'\x1EAA', U'\x1EAC'}},  // ÂẤẦẨẪẬ
    {U'e',
     Shape::None,
     false,
     {U'\x0065', U'\x00E9', U'\x00E8', U'\x1EBB', U'\x1EBD', U'\x1EB9'}},  // eéèẻẽẹ
    {U'e',
     Shape::None,
     true,
     {U'\x0045', U'\x00C9', U'\x00C8', U'\x1EBA', U'\x1EBC', U'\x1EB8'}},  // EÉÈẺẼẸ
    {U'e',
     Shape::Circumflex,
     false,
     {U'\x00EA', U'\x1EBF', U'\x1EC1', U'\x1EC3', U'\x1EC5', U'\x1EC7'}},  // êếềểễệ
    {U'e',
     Shape::Circumflex,
     true,
     {U'\x00CA', U'\x1EBE', U'\x1EC0', U'\x1EC2', U'\x1EC4', U'\x1EC6'}},  // ÊẾỀỂỄỆ
    {U'i',
     Shape::None,
     false,
     {U'\x0069', U'\x00ED', U'\x00EC', U'\x1EC9', U'\x0129', U'\x1ECB'}},  // iíìỉĩị
    {U'i',
     Shape::None,
     true,
     {U'\x0049', U'\x00CD', U'\x00CC', U'\x1EC8', U'\x0128', U'\x1ECA'}},  // IÍÌỈĨỊ
    {U'o',
     Shape::None,
     false,
     {U'\x006F', U'\x00F3', U'\x00F2', U'\x1ECF', U'\x00F5', U'\x1ECD'}},  // oóòỏõọ
    {U'o',
     Shape::None,
     true,
     {U'\x004F', U'\x00D3', U'\x00D2', U'\x1ECE', U'\x00D5', U'\x1ECC'}},  // OÓÒỎÕỌ
    {U'o',
     Shape::Circumflex,
     false,
     {U'\x00F4', U'\x1ED1', U'\x1ED3', U'\x1ED5', U'\x1ED7', U'\x1ED9'}},  // ôốồổỗộ
    {U'o',
     Shape::Circumflex,
     true,
     {U'\x00D4', U'\x1ED0', U'\x1ED2', U'\x1ED4', U'\x1ED6', U'\x1ED8'}},  // ÔỐỒỔỖỘ
    {U'o',
     Shape::Horn,
     false,
     {U'\x01A1', U'\x1EDB', U'\x1EDD', U'\x1EDF', U'\x1EE1', U'\x1EE3'}},  // ơớờởỡợ
    {U'o',
     Shape::Horn,
     true,
     {U'\x01A0', U'\x1EDA', U'\x1EDC', U'\x1EDE', U'\x1EE0', U'\x1EE2'}},  // ƠỚỜỞỠỢ
    {U'u',
     Shape::None,
     false,
     {U'\x0075', U'\x00FA', U'\x00F9', U'\x1EE7', U'\x0169', U'\x1EE5'}},  // uúùủũụ
    {U'u',
     Shape::None,
     true,
     {U'\x0055', U'\x00DA', U'\x00D9', U'\x1EE6', U'\x0168', U'\x1EE4'}},  // UÚÙỦŨỤ
    {U'u',
     Shape::Horn,
     false,
     {U'\x01B0', U'\x1EE9', U'\x1EEB', U'\x1EED', U'\x1EEF', U'\x1EF1'}},  // ưứừửữự
    {U'u',
     Shape::Horn,
     true,
     {U'\x01AF', U'\x1EE8', U'\x1EEA', U'\x1EEC', U'\x1EEE', U'\x1EF0'}},  // ƯỨỪỬỮỰ
    {U'y',
     Shape::None,
     false,
     {U'\x0079', U'\x00FD', U'\x1EF3', U'\x1EF7', U'\x1EF9', U'\x1EF5'}},  // yýỳỷỹỵ
    {U'y',
     Shape::None,
     true,
     {U'\x0059', U'\x00DD', U'\x1EF2', U'\x1EF6', U'\x1EF8', U'\x1EF4'}},  // YÝỲỶỸỴ
}};

constexpr char32_t kDStrokeLower = U'\x0111';  // đ
constexpr char32_t kDStrokeUpper = U'\x0110';  // Đ

}  // namespace

std::optional<char32_t> composeLetter(const LetterParts& parts) {
    if (parts.base == U'd' && parts.shape == Shape::Stroke) {
        if (parts.tone != Tone::None) return std::nullopt;
        return parts.upper ? kDStrokeUpper : kDStrokeLower;
    }
    if (isVowelBase(parts.base)) {
        for (const auto& row : kVowels) {
            if (row.base == parts.base && row.shape == parts.shape && row.upper == parts.upper)
                return row.byTone[static_cast<std::size_t>(parts.tone)];
        }
        return std::nullopt;
    }
    if (parts.base >= U'a' && parts.base <= U'z' && parts.shape == Shape::None &&
        parts.tone == Tone::None)
        return parts.upper ? asciiUpper(parts.base) : parts.base;
    return std::nullopt;
}

std::optional<LetterParts> decomposeLetter(char32_t c) {
    if (isAsciiLetter(c)) return LetterParts{asciiLower(c), Shape::None, Tone::None, c < U'a'};
    if (c == kDStrokeLower || c == kDStrokeUpper)
        return LetterParts{U'd', Shape::Stroke, Tone::None, c == kDStrokeUpper};
    if (c < 0xC0) return std::nullopt;
    for (const auto& row : kVowels) {
        for (std::size_t t = 0; t < row.byTone.size(); ++t) {
            if (row.byTone[t] == c)
                return LetterParts{row.base, row.shape, static_cast<Tone>(t), row.upper};
        }
    }
    return std::nullopt;
}

}  // namespace kiosk::input
