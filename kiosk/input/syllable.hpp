#pragma once
// One word being typed, as letters with shapes plus one tone for the whole word. The tone is
// not attached to a letter: render() places it by the Vietnamese rules each time, which is
// what makes free marking (a tone typed anywhere in the word) and re-placement after a
// Backspace work. Plain value type; not shared between threads.
//
// Sections: Letter / MarkResult, Syllable (structure, rendering, spelling, marks).
#include "input/input_types.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::input {

struct Letter {
    char32_t base = 0;  // lower-case 'a'..'z'; any other code point is a literal (e.g. a VNI digit)
    Shape shape = Shape::None;
    bool upper = false;
    // Set on the 'u' of "uo" when one w/7 horned the pair: it shows as ư only when something
    // follows the ơ ("người", "thương") and stays u in an open "uơ" ("thuở", "huơ").
    bool autoHorn = false;
};

enum class MarkResult {
    Applied,     // the mark was added (or replaced a different one)
    AlreadySet,  // the target already carries this mark (Telex/VNI treat a repeat as undo)
    NoTarget,    // nothing in the word can take it (or the result would not be Vietnamese)
};

class Syllable {
public:
    // Onset = [0, nucleusBegin), vowels = [nucleusBegin, nucleusEnd), final = [nucleusEnd, size).
    // The 'u' of "qu" and the 'i' of "gi" + vowel belong to the onset.
    struct Parts {
        std::size_t nucleusBegin = 0;
        std::size_t nucleusEnd = 0;
    };

    // Takes a rendered word apart (letters, shapes, one tone). nullopt when `text` holds a
    // character that is not a letter, or more than one tone mark.
    static std::optional<Syllable> fromText(std::u32string_view text);

    bool empty() const { return m_letters.empty(); }
    std::size_t size() const { return m_letters.size(); }
    const std::vector<Letter>& letters() const { return m_letters; }
    Tone tone() const { return m_tone; }

    void append(const Letter& letter) { m_letters.push_back(letter); }
    void setLetter(std::size_t index, const Letter& letter) { m_letters[index] = letter; }
    // Removes the last letter as the user sees it: its tone goes with it if the rendered tone
    // was on it; an automatic ư becomes whatever was visible.
    void popBack(ToneStyle style);

    Parts analyse() const;
    bool hasNucleus() const;
    bool hasStopFinal() const;  // final c, ch, p or t
    // The shape as displayed (resolves autoHorn).
    Shape effectiveShape(std::size_t index) const;
    // Index of the letter that shows the tone, or nullopt when the word has no vowel.
    std::optional<std::size_t> tonePosition(ToneStyle style) const;
    // Precomposed (NFC) text of the word.
    std::u32string render(ToneStyle style) const;

    // A prefix of some Vietnamese syllable: marks not typed yet may still come (free marking).
    bool isPlausible() const { return check(true); }
    // A complete Vietnamese syllable (onset, rhyme, final, and only sắc/nặng on c ch p t).
    // A word without any vowel counts as valid (abbreviations such as "đ/c" are kept).
    bool isValid() const { return check(false); }

    // Marks. None of them adds letters. `tone == Tone::None` removes the tone.
    MarkResult applyTone(Tone tone);
    // Circumflex on the last a/e/o of the vowels (`onlyBase` restricts to one letter).
    MarkResult applyCircumflex(char32_t onlyBase);
    // Telex w / VNI 7 / VNI 8 / the ă ơ ư buttons: horns "uo" as a pair first, else the last
    // vowel that can take the allowed marks and still spells Vietnamese. `uButton` (the ư
    // button) asks for an explicit ư, also in an open "uơ".
    MarkResult applyHornOrBreve(bool breveA, bool hornO, bool hornU, bool uButton = false);
    // đ: on the first letter when it is a d.
    MarkResult applyStroke();

    void undoCircumflex(char32_t onlyBase);
    void undoHornOrBreve(bool breveA, bool hornO, bool hornU);
    void undoStroke();
    void setTone(Tone tone) { m_tone = tone; }

private:
    bool check(bool prefix) const;
    bool rhymeOk(std::size_t begin, bool afterGi, bool prefix) const;
    bool tryShape(std::size_t index, Shape shape, bool autoHornPrev, bool explicitPrev = false);

    std::vector<Letter> m_letters;
    Tone m_tone = Tone::None;
};

}  // namespace kiosk::input
