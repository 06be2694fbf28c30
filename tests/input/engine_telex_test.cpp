// Telex as Unikey types it. Expected texts are written by hand from Vietnamese spelling, except
// the tone × vowel grid, whose expected letters come from utf8proc (base + marks → NFC).
#include "cases.hpp"
#include "typing.hpp"

using testinput::Case;
using testinput::checkCases;
using testinput::telex;
using testinput::telexNew;

namespace {

struct VowelKeys {
    const char* keys;
    const char* decomposed;  // base + shape as combining mark
};
const VowelKeys kVowels[] = {
    {"a", "a"}, {"aw", "a\u0306"}, {"aa", "a\u0302"}, {"e", "e"}, {"ee", "e\u0302"}, {"i", "i"},
    {"o", "o"}, {"oo", "o\u0302"}, {"ow", "o\u031B"}, {"u", "u"}, {"uw", "u\u031B"}, {"y", "y"},
};
struct ToneKeys {
    const char* key;
    const char* mark;
};
const ToneKeys kTones[] = {{"", ""},        {"s", "\u0301"}, {"f", "\u0300"},
                           {"r", "\u0309"}, {"x", "\u0303"}, {"j", "\u0323"}};

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TEST_CASE("telex puts each of the six tones on each of the twelve vowels", "[telex]") {
    std::size_t n = 0;
    for (const auto& v : kVowels) {
        for (const auto& t : kTones) {
            for (const char* onset : {"", "t"}) {
                const std::string keys = std::string(onset) + v.keys + t.key;
                const std::string expected =
                    testinput::nfc(std::string(onset) + v.decomposed + t.mark);
                INFO("keys: " << keys);
                CHECK(telex(keys) == expected);
                ++n;
            }
            const std::string upperKeys = "T" + upper(v.keys) + upper(t.key);
            const std::string upperExpected = testinput::nfc("T" + upper(v.decomposed) + t.mark);
            INFO("keys: " << upperKeys);
            CHECK(telex(upperKeys) == upperExpected);
            ++n;
        }
    }
    CHECK(n == 216);
}

TEST_CASE("telex places the tone in every diphthong and triphthong", "[telex]") {
    checkCases({{"hoaf", "hòa"},        {"hoas", "hóa"},        {"hoar", "hỏa"},
                {"hoax", "hõa"},        {"hoaj", "họa"},        {"khoer", "khỏe"},
                {"thuyr", "thủy"},      {"tuys", "túy"},        {"toans", "toán"},
                {"hoangf", "hoàng"},    {"khoanhr", "khoảnh"},  {"hoachj", "hoạch"},
                {"muaf", "mùa"},        {"muwa", "mưa"},        {"muwas", "mứa"},
                {"cuar", "của"},        {"tieengs", "tiếng"},   {"vieetj", "việt"},
                {"yeeu", "yêu"},        {"yeeus", "yếu"},       {"nguyeenx", "nguyễn"},
                {"khuyeenx", "khuyễn"}, {"chuyeenj", "chuyện"}, {"tuyeets", "tuyết"},
                {"ngoaif", "ngoài"},    {"xoays", "xoáy"},      {"khuyur", "khuỷu"},
                {"ngoeoj", "ngoẹo"},    {"khuaays", "khuấy"},   {"cuoocj", "cuộc"},
                {"muoonj", "muộn"},     {"ruowuj", "rượu"},     {"cuowif", "cười"},
                {"ddieeuf", "điều"},    {"hieeur", "hiểu"},     {"taif", "tài"},
                {"caos", "cáo"},        {"saus", "sáu"},        {"mays", "máy"},
                {"caaur", "cẩu"},       {"caayf", "cầy"},       {"keos", "kéo"},
                {"keeu", "kêu"},        {"kiaf", "kìa"},        {"rius", "ríu"},
                {"toois", "tối"},       {"bowif", "bời"},       {"tuis", "túi"},
                {"gwir", "gửi"},        {"guwir", "gửi"},       {"huwu", "hưu"},
                {"cuwus", "cứu"},       {"tuaanf", "tuần"},     {"thuees", "thuế"},
                {"huees", "huế"},       {"hoawcj", "hoặc"},     {"xoawn", "xoăn"},
                {"hoanf", "hoàn"},      {"buowms", "bướm"},     {"luowts", "lướt"},
                {"muowps", "mướp"},     {"tuwowi", "tươi"},     {"ddeeuf", "đều"},
                {"nhieeuf", "nhiều"}},
               telex);
}

TEST_CASE("telex keeps the tone off the i of gi and the u of qu", "[telex]") {
    checkCases(
        {{"gif", "gì"},        {"giaf", "già"},      {"gieengs", "giếng"}, {"giuwax", "giữa"},
         {"giwx", "giữ"},      {"ginf", "gìn"},      {"giowf", "giờ"},     {"gioongs", "giống"},
         {"giups", "giúp"},    {"gieets", "giết"},   {"quas", "quá"},      {"quys", "quý"},
         {"quyf", "quỳ"},      {"quyeets", "quyết"}, {"quyeenf", "quyền"}, {"quoocs", "quốc"},
         {"quawngj", "quặng"}, {"quaanf", "quần"},   {"quyr", "quỷ"},      {"quaf", "quà"},
         {"quer", "quẻ"},      {"quowr", "quở"},     {"quyts", "quýt"},    {"quynhf", "quỳnh"},
         {"quaays", "quấy"},   {"qus", "qus"},       {"qusa", "quá"}},
        telex);
}

TEST_CASE("telex writes ươ before a final and open uơ at the end of a word", "[telex]") {
    checkCases({{"nguowif", "người"},
                {"truowng", "trương"},
                {"truowngf", "trường"},
                {"thuow", "thuơ"},
                {"thuowr", "thuở"},
                {"huow", "huơ"},
                {"thuowng", "thương"},
                {"uowng", "ương"},
                {"ddwowngf", "đường"},
                {"dduwowngf", "đường"},
                {"nuowcs", "nước"},
                {"nguoiw", "ngươi"},
                {"truongw", "trương"},
                {"nguoiwf", "người"},
                {"uwu", "ưu"},
                {"hwowng", "hương"},
                {"w", "ư"},
                {"tw", "tư"},
                {"nhw", "như"},
                {"ww", "w"},
                {"www", "ww"},
                {"uw", "ư"},
                {"ow", "ơ"},
                {"aw", "ă"}},
               telex);
}

TEST_CASE("telex undoes a mark when its key is repeated", "[telex]") {
    checkCases({{"ass", "as"},
                {"aaa", "aa"},
                {"ooo", "oo"},
                {"eee", "ee"},
                {"aww", "aw"},
                {"oww", "ow"},
                {"uww", "uw"},
                {"ddd", "dd"},
                {"tass", "tas"},
                {"tieengss", "tiêngs"},
                {"nguowiff", "ngươif"},
                {"hoaff", "hoaf"},
                {"xooong", "xoong"},
                {"tesst", "test"},
                {"nguoww", "nguow"},
                {"misss", "miss"}},
               telex);
}

TEST_CASE("telex z removes the tone and a new tone replaces the old one", "[telex]") {
    checkCases({{"asz", "a"},
                {"hoafz", "hoa"},
                {"tieengsz", "tiêng"},
                {"az", "az"},
                {"asf", "à"},
                {"hoafs", "hóa"},
                {"tieengsx", "tiễng"},
                {"masj", "mạ"},
                {"vieetsj", "việt"},
                {"hoasfrxj", "họa"}},
               telex);
}

TEST_CASE("telex keeps the case of each letter", "[telex]") {
    checkCases({{"DDaanf", "Đần"},
                {"Vieetj", "Việt"},
                {"VIEETJ", "VIỆT"},
                {"VieEtj", "Việt"},
                {"NGUOWIF", "NGƯỜI"},
                {"DDuwowngf", "Đường"},
                {"hOaF", "hÒa"},
                {"W", "Ư"},
                {"Tw", "Tư"},
                {"Dd", "Đ"},
                {"GIF", "GÌ"},
                {"QUAS", "QUÁ"}},
               telex);
}

TEST_CASE("telex gives stop finals only sac and nang", "[telex]") {
    checkCases({{"macf", "macf"},
                {"macr", "macr"},
                {"macx", "macx"},
                {"macs", "mác"},
                {"macj", "mạc"},
                {"hocj", "học"},
                {"tichs", "tích"},
                {"caps", "cáp"},
                {"maft", "maft"},
                {"bangf", "bàng"},
                {"ddatj", "đạt"},
                {"tiepf", "tiepf"},
                {"viets", "viets"},
                {"sachs", "sách"},
                {"sachf", "sachf"}},
               telex);
}

TEST_CASE("telex restores words that are not Vietnamese at a word break", "[telex]") {
    checkCases({{"windows", "windows"},
                {"google", "google"},
                {"Microsoft", "Microsoft"},
                {"class", "class"},
                {"user", "user"},
                {"Windows ", "Windows "},
                {"facebook", "facebook"},
                {"zalo", "zalo"},
                {"email", "email"},
                {"online", "online"},
                {"hello", "hello"},
                {"cool", "cool"},
                {"internet", "internet"},
                {"YouTube", "YouTube"},
                {"data", "data"},
                {"update", "update"},
                {"wifi", "wifi"},
                {"text", "text"},
                {"network", "network"},
                {"word", "word"},
                {"service", "service"},
                {"business", "business"},
                {"Excel", "Excel"},
                {"link", "link"},
                {"video", "video"},
                {"camera", "camera"},
                {"user, ", "user, "},
                {"user.", "user."},
                {"google<ENTER>", "google\\n"},
                {"COVID-19", "COVID-19"}},
               telex);
}

TEST_CASE("telex types whole phrases", "[telex]") {
    checkCases({{"Xin chaof cacs banj", "Xin chào các bạn"},
                {"Tooi muoons phanr anhs veef tinhf trangj racs thair",
                 "Tôi muốn phản ánh về tình trạng rác thải"},
                {"DDeef nghij xuwr lys", "Đề nghị xử lý"},
                {"Camr own", "Cảm ơn"},
                {"Uyr ban nhaan daan phuwowngf", "Ủy ban nhân dân phường"},
                {"dduwowngf Nguyeenx Hueej", "đường Nguyễn Huệ"},
                {"Thanhf phoos Hoof Chis Minh", "Thành phố Hồ Chí Minh"},
                {"Nuwowcs ngaapj khi muwa to.", "Nước ngập khi mưa to."},
                {"ddenf giao thoong hongr", "đèn giao thông hỏng"},
                {"Tooi dungf Windows vaf google", "Tôi dùng Windows và google"}},
               telex);
}

TEST_CASE("telex passes numbers and punctuation through", "[telex]") {
    checkCases({{"123", "123"},
                {"Tooi 65 tuooir.", "Tôi 65 tuổi."},
                {"100% hoanf thanhf", "100% hoàn thành"},
                {"ngayf 2/9/2025", "ngày 2/9/2025"},
                {"0912 345 678", "0912 345 678"},
                {"(hoir)", "(hỏi)"},
                {"chaof!", "chào!"},
                {"tieengs?", "tiếng?"},
                {"a-b", "a-b"},
                {"PAKN-7K3M-000123-X", "PAKN-7K3M-000123-X"}},
               telex);
}

TEST_CASE("telex backspace deletes one character and re-places the tone", "[telex]") {
    checkCases({{"hoanf<BS>", "hòa"},
                {"hoanf<BS><BS>", "hò"},
                {"tieengs<BS>", "tiến"},
                {"tieengs<BS><BS><BS>", "ti"},
                {"nguowif<BS>", "ngườ"},
                {"thuowngf<BS><BS>", "thườ"},
                {"windows<BS>", "window"},
                {"abc<BS><BS><BS><BS>", ""},
                {"xin chao <BS>f", "xin chào"},
                {"hoa <BS>f", "hòa"},
                {"ddaa<BS>", "đ"},
                {"tas<BS>", "t"},
                {"hoanf<BS>n", "hoàn"},
                {"toans<BS><BS>", "tó"}},
               telex);
}

TEST_CASE("telex new tone style moves the tone of open oa oe uy only", "[telex][style]") {
    checkCases({{"hoaf", "hoà"},
                {"thuyr", "thuỷ"},
                {"khoer", "khoẻ"},
                {"tuys", "tuý"},
                {"hoanf", "hoàn"},
                {"muaf", "mùa"},
                {"quas", "quá"},
                {"quyr", "quỷ"},
                {"gif", "gì"},
                {"ngoaif", "ngoài"},
                {"hoaf<BS>", "ho"},
                {"hoas hoaf", "hoá hoà"}},
               telexNew);
}
