// The Vietnamese input engine (Telex, VNI, simple, off) under arbitrary key sequences and
// edits. Invariants: the cursor and the composing word stay inside the text, the UTF-8 text
// stays consistent with the cursor, and no edit makes the text longer than the maximum.
#include <cstdint>

#include "fuzz_input.hpp"
#include "input/engine.hpp"

using namespace kiosk::input;

namespace {

// Keys a resident can type: ASCII, Vietnamese letters, and a few hostile code points.
constexpr char32_t kExtra[] = {U'â',          U'Ă',      U'ê',  U'ô',  U'ơ',   U'Ư',      U'đ',
                               U'Đ',          U'ạ',      U'ỹ',  U'́',   U'̀',    U'\u200b', U'\ufeff',
                               U'\U0001F600', U'\u0000', U'\t', U'\r', 0xD800, 0x110000};

// `before`: the length before the last operation. A maximum set below the current length does
// not cut the text (by contract); an edit must never make a too-long text longer.
void check(const Engine& e, std::size_t before) {
    if (e.cursor() > e.length()) fuzz::fail("cursor past the end");
    if (e.composingBegin() > e.composingEnd() || e.composingEnd() > e.length())
        fuzz::fail("composing word outside the text");
    if (e.maxLength() != 0 && e.length() > e.maxLength() && e.length() > before)
        fuzz::fail("an edit grew the text past the maximum");
    if (e.cursorByteOffset() > e.text().size()) fuzz::fail("cursor byte offset past the end");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Bytes in(data, size);
    Engine e(static_cast<InputMode>(in.byte() % 4),
             in.byte() % 2 ? ToneStyle::New : ToneStyle::Old);
    while (!in.empty()) {
        const std::size_t before = e.length();
        const std::uint8_t op = in.byte();
        switch (op % 16) {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4:
            case 5:
                e.typeChar(static_cast<char32_t>(in.byte() & 0x7f));
                break;
            case 6:
                e.typeChar(kExtra[in.byte() % std::size(kExtra)]);
                break;
            case 7:
                e.backspace();
                break;
            case 8:
                e.deleteForward();
                break;
            case 9:
                e.applyTone(static_cast<Tone>(in.byte() % 6));
                break;
            case 10:
                e.applyMark(static_cast<LetterMark>(in.byte() % 7), op & 0x80);
                break;
            case 11:
                switch (in.byte() % 5) {
                    case 0:
                        e.moveLeft();
                        break;
                    case 1:
                        e.moveRight();
                        break;
                    case 2:
                        e.moveHome();
                        break;
                    case 3:
                        e.moveEnd();
                        break;
                    default:
                        e.setCursor(in.u16());
                        break;
                }
                break;
            case 12:
                e.commit();
                break;
            case 13:
                e.setMode(static_cast<InputMode>(in.byte() % 4));
                break;
            case 14:
                e.setText(in.chunk(64));
                break;
            default:
                if (op & 0x80)
                    e.setToneStyle(op & 0x40 ? ToneStyle::New : ToneStyle::Old);
                else
                    e.setMaxLength(in.byte() % 40);
                break;
        }
        check(e, before);
    }
    const std::size_t before = e.length();
    e.commit();
    check(e, before);
    return 0;
}
