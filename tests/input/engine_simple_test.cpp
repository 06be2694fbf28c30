// Simple mode: plain letters, plus tone and shape buttons that mark the word at the cursor the
// way Telex would place the marks.
#include "cases.hpp"
#include "typing.hpp"

using testinput::checkCases;
using testinput::simple;

TEST_CASE("simple mode types letters exactly as tapped", "[simple]") {
    checkCases({{"aa", "aa"},
                {"dd", "dd"},
                {"ass", "ass"},
                {"w", "w"},
                {"windows", "windows"},
                {"Vieetj", "Vieetj"},
                {"hoa xanh", "hoa xanh"},
                {"2024", "2024"}},
               simple);
}

TEST_CASE("simple mode tone buttons place the tone like telex", "[simple]") {
    checkCases({{"hoa<huyen>", "hòa"},
                {"hoa<huyen>n", "hoàn"},
                {"thuy<hoi>", "thủy"},
                {"gi<huyen>", "gì"},
                {"gia<huyen>", "già"},
                {"qua<sac>", "quá"},
                {"toan<sac>", "toán"},
                {"mac<huyen>", "mac"},
                {"mac<nang>", "mạc"},
                {"ba<sac><sac>", "bá"},
                {"ba<sac><xoa>", "ba"},
                {"ba<sac><huyen>", "bà"},
                {"<sac>", ""},
                {"xin chao <huyen>", "xin chào "},
                {"hoa<huyen><BS>", "hò"},
                {"HOA<huyen>", "HÒA"},
                {"ba<nga>", "bã"},
                {"ba<hoi>", "bả"},
                {"windows<sac>", "windows"}},
               simple);
}

TEST_CASE("simple mode shape buttons change the right letter or insert it", "[simple]") {
    checkCases({{"nguoi<ư><huyen>", "người"},
                {"nguoi<ơ><huyen>", "người"},
                {"tieng<ê><sac>", "tiếng"},
                {"nh<ư>", "như"},
                {"t<ư><ơ>ng", "tương"},
                {"duong<đ><ư><huyen>", "đường"},
                {"thuo<ơ><hoi>", "thuở"},
                {"<Đ>i", "Đi"},
                {"<đ>i", "đi"},
                {"ma<ă>", "mă"},
                {"ban<â>", "bân"},
                {"co<ô>", "cô"},
                {"mua<ư>", "mưa"},
                {"hoa<ă>c<nang>", "hoặc"},
                {"<â>", "â"},
                {"ba<ê>", "baê"},
                {"thuo<ư>", "thươ"},
                {"hoc<ô><ô>", "hôc"}},
               simple);
}

TEST_CASE("tone and shape buttons also work in telex and vni", "[telex][vni]") {
    checkCases({{"tieng<ê><sac>", "tiếng"},
                {"tieng<sac>", "tiéng"},
                {"vieet<nang>", "việt"},
                {"nguoi<ư>f", "người"}},
               testinput::telex);
    checkCases({{"tieng<ê><sac>", "tiếng"}, {"nguoi<ư>2", "người"}}, testinput::vni);
}
