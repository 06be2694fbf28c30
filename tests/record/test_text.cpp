#include <catch2/catch.hpp>

#include "record/text.hpp"

using namespace ksync::record;

TEST_CASE("utf-8 validation rejects overlongs, surrogates, truncation and stray bytes") {
    CHECK(isValidUtf8("Tiếng Việt có dấu"));
    CHECK(isValidUtf8(""));
    CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(isValidUtf8("\xE1\xBA"));          // truncated
    CHECK_FALSE(isValidUtf8("abc\xFF"));           // invalid byte
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST_CASE("decomposed Vietnamese becomes NFC") {
    CHECK(toNfc("Vie\xCC\xA3\xCC\x82t") == "Việt");
    CHECK(toNfc("ho\xCC\x80"
                "a") == "hòa");
}

TEST_CASE("cleaning strips controls, keeps newlines only in multi-line text and trims") {
    CHECK(cleanText("  a\x01"
                    "b\x7f"
                    "c  ",
                    Lines::Single) == "abc");
    CHECK(cleanText("dòng 1\r\ndòng 2\rdòng 3", Lines::Multi) == "dòng 1\ndòng 2\ndòng 3");
    CHECK(cleanText("dòng 1\ndòng 2", Lines::Single) == "dòng 1 dòng 2");
    CHECK(cleanText("a\tb", Lines::Single) == "a b");
    CHECK(cleanText("\xEF\xBB\xBFxin chào", Lines::Single) == "xin chào");
    CHECK(cleanText("\xC2\x85x", Lines::Single) == "x");  // C1 control
}

TEST_CASE("code points are counted, not bytes") {
    CHECK(countCodepoints("Đường") == 5);
    CHECK(countCodepoints("") == 0);
    CHECK(prefixCodepoints("Đường phố", 5) == "Đường");
    CHECK(prefixCodepoints("ab", 5) == "ab");
}
