// VNI as Unikey types it: 1-5 tones, 0 removes, 6 circumflex, 7 horn, 8 breve, 9 đ.
#include "cases.hpp"
#include "typing.hpp"

using testinput::checkCases;
using testinput::vni;

TEST_CASE("vni puts each of the six tones on each of the twelve vowels", "[vni]") {
    struct V {
        const char* keys;
        const char* decomposed;
    };
    const V vowels[] = {{"a", "a"},        {"a8", "a\u0306"}, {"a6", "a\u0302"}, {"e", "e"},
                        {"e6", "e\u0302"}, {"i", "i"},        {"o", "o"},        {"o6", "o\u0302"},
                        {"o7", "o\u031B"}, {"u", "u"},        {"u7", "u\u031B"}, {"y", "y"}};
    const char* toneKeys[] = {"", "1", "2", "3", "4", "5"};
    const char* marks[] = {"", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"};
    std::size_t n = 0;
    for (const auto& v : vowels) {
        for (int t = 0; t < 6; ++t) {
            const std::string keys = std::string("b") + v.keys + toneKeys[t];
            INFO("keys: " << keys);
            CHECK(vni(keys) == testinput::nfc(std::string("b") + v.decomposed + marks[t]));
            ++n;
        }
    }
    CHECK(n == 72);
}

TEST_CASE("vni handles clusters, gi, qu, uo, undo and numbers", "[vni]") {
    checkCases({{"nguoi72", "người"},
                {"truong72", "trường"},
                {"thuo73", "thuở"},
                {"huo7", "huơ"},
                {"qua1", "quá"},
                {"gi2", "gì"},
                {"gia2", "già"},
                {"hoa2", "hòa"},
                {"thuy3", "thủy"},
                {"khuye6n4", "khuyễn"},
                {"toan1", "toán"},
                {"tie6ng1", "tiếng"},
                {"d9uo7ng2", "đường"},
                {"duong729", "đường"},
                {"u7u", "ưu"},
                {"a66", "a6"},
                {"a11", "a1"},
                {"a10", "a"},
                {"Vie6t5 Nam", "Việt Nam"},
                {"D9a6n2", "Đần"},
                {"2024", "2024"},
                {"mac2", "mac2"},
                {"mac1", "mác"},
                {"hoc5", "học"},
                {"windows", "windows"},
                {"a8", "ă"},
                {"o7", "ơ"},
                {"o6", "ô"},
                {"d9", "đ"},
                {"d99", "d9"},
                {"a12", "à"},
                {"hoan2", "hoàn"},
                {"quye6n2", "quyền"},
                {"gie6ng1", "giếng"},
                {"nuoc71", "nước"},
                {"ruou75", "rượu"},
                {"10 nguoi72", "10 người"},
                {"tuoi63", "tuổi"},
                {"hoa8c5", "hoặc"},
                {"tieng61", "tiếng"},
                {"hoan2<BS>", "hòa"},
                {"Microsoft", "Microsoft"}},
               vni);
}

TEST_CASE("vni new tone style", "[vni][style]") {
    checkCases({{"hoa2", "hoà"}, {"thuy3", "thuỷ"}, {"khoe3", "khoẻ"}, {"hoan2", "hoàn"}},
               [](std::string_view k) {
                   return testinput::typed(k, kiosk::input::InputMode::Vni,
                                           kiosk::input::ToneStyle::New);
               });
}
