// 100,000 random keystroke sequences: the engine never crashes, and its text is always valid
// UTF-8 and NFC (checked with utf8proc, not with the engine's own tables).
#include "typing.hpp"

#include "input/engine.hpp"
#include "input/utf8.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace kiosk::input;

namespace {

constexpr std::u32string_view kTelexish =
    U"aaaeeooouuiydwwsfrxjzqgnhtcmpkAEOUWDSFRJZ0123456789 .,?!\n";
constexpr std::u32string_view kVietnamese = U"ăâêôơưđĐáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵ–“”₫";

char32_t randomChar(std::mt19937& rng) {
    const auto pick = rng() % 100;
    if (pick < 70) return kTelexish[rng() % kTelexish.size()];
    if (pick < 80) return kVietnamese[rng() % kVietnamese.size()];
    if (pick < 85) return static_cast<char32_t>(0x300 + rng() % 0x70);  // combining marks
    if (pick < 95) return static_cast<char32_t>(rng() % 0x3000);
    return static_cast<char32_t>(rng() % 0x110000);
}

void randomAction(Engine& e, std::mt19937& rng) {
    switch (rng() % 40) {
        case 0:
            e.backspace();
            break;
        case 1:
            e.deleteForward();
            break;
        case 2:
            e.moveLeft();
            break;
        case 3:
            e.moveRight();
            break;
        case 4:
            e.moveHome();
            break;
        case 5:
            e.moveEnd();
            break;
        case 6:
            e.applyTone(static_cast<Tone>(rng() % 6));
            break;
        case 7:
            e.applyMark(static_cast<LetterMark>(rng() % 7), rng() % 2 == 0);
            break;
        case 8:
            e.setMode(static_cast<InputMode>(rng() % 4));
            break;
        case 9:
            e.setToneStyle(rng() % 2 ? ToneStyle::Old : ToneStyle::New);
            break;
        case 10:
            e.commit();
            break;
        case 11:
            e.setCursor(rng() % 40);
            break;
        case 12: {
            std::string bytes;
            for (int i = 0, n = static_cast<int>(rng() % 12); i < n; ++i)
                bytes.push_back(static_cast<char>(rng() % 256));
            if (rng() % 50 == 0) e.setText(bytes);
            break;
        }
        case 13:
            e.backspace();
            break;
        default:
            e.typeChar(randomChar(rng));
            break;
    }
}

bool consistent(const Engine& e) {
    return testinput::isValidUtf8(e.text()) && testinput::isNfc(e.text()) &&
           e.cursor() <= e.length() && e.cursorByteOffset() <= e.text().size() &&
           toUtf8(e.text32()) == e.text() && (e.maxLength() == 0 || e.length() <= e.maxLength());
}

}  // namespace

TEST_CASE("100000 random keystroke sequences keep the text valid UTF-8 and NFC", "[fuzz]") {
    std::mt19937 rng(20251123);
    std::size_t failures = 0;
    std::size_t nonEmpty = 0;
    for (int seq = 0; seq < 100000; ++seq) {
        Engine e(static_cast<InputMode>(rng() % 4), rng() % 2 ? ToneStyle::Old : ToneStyle::New);
        if (rng() % 10 == 0) e.setMaxLength(1 + rng() % 12);
        const int len = 1 + static_cast<int>(rng() % 30);
        const bool checkEveryStep = seq % 20 == 0;
        for (int k = 0; k < len; ++k) {
            randomAction(e, rng);
            if (checkEveryStep && !consistent(e)) ++failures;
        }
        e.commit();
        nonEmpty += e.length() > 0;
        if (!consistent(e)) {
            ++failures;
            UNSCOPED_INFO("sequence " << seq << " gave an inconsistent text");
        }
    }
    CHECK(failures == 0);
    CHECK(nonEmpty > 50000);  // the sequences really typed something
}
