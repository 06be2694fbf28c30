// The engine's own letter table against utf8proc: every composed letter is the NFC of its
// base letter + combining marks, and decomposes back.
#include "typing.hpp"

#include "input/utf8.hpp"
#include "input/vietnamese_letters.hpp"

#include <catch2/catch.hpp>

using namespace kiosk::input;

TEST_CASE("every vietnamese letter in the table is the NFC of its parts", "[letters]") {
    const char* shapeMarks[] = {"", "\u0302", "\u0306", "\u031B"};
    const char* toneMarks[] = {"", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"};
    int checked = 0;
    for (char32_t base : {U'a', U'e', U'i', U'o', U'u', U'y'}) {
        for (int s = 0; s < 4; ++s) {
            for (int t = 0; t < 6; ++t) {
                for (bool upper : {false, true}) {
                    const LetterParts parts{base, static_cast<Shape>(s), static_cast<Tone>(t),
                                            upper};
                    const auto c = composeLetter(parts);
                    if (!c) continue;
                    std::string decomposed;
                    appendUtf8(decomposed, upper ? asciiUpper(base) : base);
                    decomposed += shapeMarks[s];
                    decomposed += toneMarks[t];
                    CHECK(toUtf8(std::u32string(1, *c)) == testinput::nfc(decomposed));
                    const auto back = decomposeLetter(*c);
                    REQUIRE(back);
                    CHECK((back->base == base && back->shape == parts.shape &&
                           back->tone == parts.tone && back->upper == upper));
                    ++checked;
                }
            }
        }
    }
    CHECK(checked == 12 * 6 * 2);
    CHECK(toUtf8(std::u32string(1, *composeLetter({U'd', Shape::Stroke, Tone::None, true}))) ==
          "Đ");
}
