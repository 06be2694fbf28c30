// The engine's text buffer: cursor, length limit, outside text, refused characters.
#include "typing.hpp"

#include "input/engine.hpp"

#include <catch2/catch.hpp>

using kiosk::input::Engine;
using kiosk::input::InputMode;
using kiosk::input::ToneStyle;

namespace {
void typeAll(Engine& e, std::u32string_view keys) {
    for (char32_t c : keys) e.typeChar(c);
}
}  // namespace

TEST_CASE("engine edits its own buffer at the cursor", "[engine]") {
    Engine e;
    typeAll(e, U"xin chao");
    e.moveLeft();  // ends "chao" and steps back one character
    CHECK(e.cursor() == 7);
    e.moveHome();
    typeAll(e, U"Toi ");
    CHECK(e.text() == "Toi xin chao");
    e.moveEnd();
    e.typeChar(U'f');
    CHECK(e.text() == "Toi xin chào");  // a letter typed right after a word resumes it
    CHECK(e.cursorByteOffset() == e.text().size());
}

TEST_CASE("engine reports the word being typed as the composing range", "[engine]") {
    Engine e;
    typeAll(e, U"ab tieeng");
    CHECK(e.composingBegin() == 3);
    CHECK(e.composingEnd() == 8);  // "tiêng"
    e.typeChar(U' ');
    CHECK(e.composingBegin() == e.composingEnd());
}

TEST_CASE("engine refuses edits past the maximum length and keeps the text", "[engine]") {
    Engine e;
    e.setMaxLength(5);
    typeAll(e, U"abcdefgh");
    CHECK(e.text() == "abcde");
    CHECK_FALSE(e.typeChar(U'x'));
    CHECK(e.backspace());
    CHECK(e.typeChar(U'x'));
    CHECK(e.length() == 5);
}

TEST_CASE("engine setText composes decomposed Vietnamese and drops what it cannot show",
          "[engine]") {
    Engine e;
    e.setText(
        "Vie\xCC\xA3\xCC\x82t Nam \xF0\x9F\x98\x80 a\xCC\x81\xFF!");  // NFD ệ, emoji, stray byte
    CHECK(e.text() == "Việt Nam  á!");
    CHECK(testinput::isNfc(e.text()));
    CHECK(e.cursor() == e.length());
}

TEST_CASE("engine refuses combining marks, control characters and other scripts", "[engine]") {
    Engine e;
    e.typeChar(U'a');
    CHECK_FALSE(e.typeChar(U'\u0301'));
    CHECK_FALSE(e.typeChar(U'\t'));
    CHECK_FALSE(e.typeChar(U'\x1F600'));
    CHECK_FALSE(e.typeChar(U'\u2000'));  // a singleton that NFC would change
    CHECK(e.typeChar(U'\u20AB'));
    CHECK(e.text() == "a₫");
}

TEST_CASE("engine ends and restores the word when the mode changes", "[engine]") {
    Engine e;
    typeAll(e, U"user");
    e.setMode(InputMode::Off);
    CHECK(e.text() == "user");
    typeAll(e, U"aas");
    CHECK(e.text() == "useraas");
}

TEST_CASE("engine re-renders the word being typed when the tone style changes", "[engine]") {
    Engine e;
    typeAll(e, U"hoaf");
    CHECK(e.text() == "hòa");
    e.setToneStyle(ToneStyle::New);
    CHECK(e.text() == "hoà");
}

TEST_CASE("engine revision changes on every edit and cursor move", "[engine]") {
    Engine e;
    const auto r0 = e.revision();
    e.typeChar(U'a');
    const auto r1 = e.revision();
    e.moveLeft();
    CHECK(r1 > r0);
    CHECK(e.revision() > r1);
}

TEST_CASE("engine delete removes the character after the cursor and clear empties", "[engine]") {
    Engine e;
    typeAll(e, U"abc");
    e.moveHome();
    CHECK(e.deleteForward());
    CHECK(e.text() == "bc");
    e.clear();
    CHECK(e.text().empty());
    CHECK_FALSE(e.backspace());
    CHECK_FALSE(e.deleteForward());
}

TEST_CASE("engine tone button marks the word around the cursor in off mode", "[engine]") {
    Engine e(InputMode::Off);
    typeAll(e, U"hoa hong");
    e.setCursor(2);
    CHECK(e.applyTone(kiosk::input::Tone::Huyen));
    CHECK(e.text() == "hòa hong");
    CHECK(e.cursor() == 2);
}
