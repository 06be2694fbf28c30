// The layouts as data: ids unique, every key usable, no input method on phone and email.
#include "input/keyboard_layout.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace kiosk::input;

TEST_CASE("every layout has unique key ids and keys that do something", "[layout]") {
    for (auto kind : {LayoutKind::Vietnamese, LayoutKind::Symbols, LayoutKind::Phone,
                      LayoutKind::Email, LayoutKind::Code}) {
        const auto& layout = keyboardLayout(kind);
        CHECK(layout.kind == kind);
        std::set<std::string> ids;
        for (const auto& row : layout.rows) {
            float width = 0;
            for (const auto& key : row) {
                INFO(std::string(key.id));
                CHECK(ids.insert(std::string(key.id)).second);
                CHECK((!key.cap.empty() || !key.labelKey.empty()));
                width += key.width;
            }
            CHECK(width <= layout.unitsPerRow + 0.01f);
        }
    }
}

TEST_CASE("the vietnamese layout always shows all tone and shape keys", "[layout]") {
    const auto& layout = keyboardLayout(LayoutKind::Vietnamese);
    int tones = 0;
    int marks = 0;
    bool toggle = false;
    for (const auto& row : layout.rows)
        for (const auto& key : row) {
            tones += key.role == KeyRole::Tone;
            marks += key.role == KeyRole::Mark;
            toggle = toggle || key.role == KeyRole::Toggle;
        }
    CHECK(tones == 6);
    CHECK(marks == 7);
    CHECK(toggle);
    CHECK(layout.inputMethod);
}

TEST_CASE("phone and email layouts use no input method and have their own keys", "[layout]") {
    CHECK_FALSE(keyboardLayout(LayoutKind::Phone).inputMethod);
    CHECK_FALSE(keyboardLayout(LayoutKind::Email).inputMethod);
    for (const auto& row : keyboardLayout(LayoutKind::Phone).rows)
        for (const auto& key : row)
            if (key.role == KeyRole::Char)
                CHECK(((key.ch >= U'0' && key.ch <= U'9') || key.ch == U'+'));
    std::set<char32_t> email;
    for (const auto& row : keyboardLayout(LayoutKind::Email).rows)
        for (const auto& key : row) email.insert(key.ch);
    CHECK(email.count(U'@') == 1);
    CHECK(email.count(U'.') == 1);
}

TEST_CASE(
    "the code keypad has exactly a tracking code's 31 symbols: digits and upper case without I L O "
    "U Z",
    "[layout]") {
    const auto& layout = keyboardLayout(LayoutKind::Code);
    CHECK_FALSE(layout.inputMethod);
    std::set<char32_t> chars;
    bool enter = false, backspace = false;
    for (const auto& row : layout.rows)
        for (const auto& key : row) {
            if (key.role == KeyRole::Char) CHECK(chars.insert(key.ch).second);
            enter = enter || (key.role == KeyRole::Special && key.special == SpecialKey::Enter);
            backspace =
                backspace || (key.role == KeyRole::Special && key.special == SpecialKey::Backspace);
        }
    std::set<char32_t> expected;
    for (char32_t c : std::u32string(U"0123456789ABCDEFGHJKMNPQRSTVWXY")) expected.insert(c);
    CHECK(chars == expected);
    CHECK(enter);
    CHECK(backspace);
}

TEST_CASE("the phone keypad has a + for numbers written +84", "[layout]") {
    bool plus = false;
    for (const auto& row : keyboardLayout(LayoutKind::Phone).rows)
        for (const auto& key : row) plus = plus || key.ch == U'+';
    CHECK(plus);
}
