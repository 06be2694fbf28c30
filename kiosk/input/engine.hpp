#pragma once
// The Vietnamese input engine: a text buffer with a cursor that keystrokes edit directly
// (no backspace injection). Telex and VNI follow Unikey: free marking, tone placement in every
// vowel group, gi/qu, ươ/open uơ, standalone w → ư, dd/9 → đ, a repeated key undoes its mark
// (ass → as), z/0 removes the tone, per-letter case, stop finals only take sắc/nặng, and a
// word that is not Vietnamese is restored to its keystrokes at a word break (windows, google,
// Microsoft). Simple mode takes plain letters and the tone/shape buttons only.
//
// The text is always NFC UTF-8 (see isAcceptedChar in utf8.hpp for what the buffer holds).
// Thread-safety: none; one engine belongs to one thread (the UI thread for a text field).
//
// Choices where Unikey is ambiguous (documented here so support staff can explain them):
// - A word whose letters can no longer spell Vietnamese (win, goog, Micr) shows its keystrokes
//   at once instead of waiting for the word break.
// - After a repeat-undo (ass → as, aaa → aa, ww → w) the rest of the word is literal and the
//   word is never restored: the typist asked for exactly these letters.
// - dd → đ only at the start of a word and typed together ("did" stays English-like); VNI 9
//   may come anywhere in the word, since digits are never part of an English word.
// - "uo" + w gives ươ when something follows and open uơ at the end (thuở, huơ).
// - Words that are valid Vietnamese stay transformed even when meant as English (test → tét,
//   as → á): type the tone key twice (tesst) to keep the letters.
// - The tone and shape buttons work in every mode, on the word at (or just before) the
//   cursor. Tapping a button whose mark is already there changes nothing. A shape button with
//   no letter to change inserts its letter (â ê ô ă ơ ư đ) at the cursor.
// - Backspace deletes the last character of the word being typed and re-places the tone
//   (hoàn → hòa); when no word is being typed it deletes the character before the cursor,
//   and the next letter typed right after a word resumes that word (so ⌫ over a space and a
//   tone key still work on the word).
#include "input/input_types.hpp"
#include "input/syllable.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::input {

class Engine {
public:
    explicit Engine(InputMode mode = InputMode::Telex, ToneStyle style = ToneStyle::Old);

    // Settings. Changing the mode ends the word being typed (as a word break would).
    void setMode(InputMode mode);
    InputMode mode() const { return m_mode; }
    void setToneStyle(ToneStyle style);
    ToneStyle toneStyle() const { return m_style; }
    // Maximum length of the text in characters (code points); 0 = unlimited. An edit that
    // would go past it is refused (returns false) and changes nothing.
    void setMaxLength(std::size_t maxChars) { m_maxLength = maxChars; }
    std::size_t maxLength() const { return m_maxLength; }

    // One key that produces a character: a letter, a digit, punctuation, space or '\n'.
    // Returns false (and changes nothing) for characters the buffer refuses (see utf8.hpp) or
    // past the maximum length.
    bool typeChar(char32_t c);
    // Backspace / Delete. Return false when there was nothing to delete.
    bool backspace();
    bool deleteForward();
    // The tone buttons (Tone::None = "xóa dấu") and shape buttons. Return false when nothing
    // changed (no vowel to carry it, a stop final refusing huyền/hỏi/ngã, already there).
    // `upper` gives the case of a letter a shape button inserts.
    bool applyTone(Tone tone);
    bool applyMark(LetterMark mark, bool upper = false);

    // Cursor movement ends the word being typed (a word break). Positions are in characters.
    void moveLeft();
    void moveRight();
    void moveHome();
    void moveEnd();
    void setCursor(std::size_t position);

    // Ends the word being typed, restoring it to its keystrokes if it is not Vietnamese.
    // Call when the field loses focus or before reading the final text.
    void commit();
    void clear();
    // Replaces the whole text (sanitised to NFC and the accepted characters); cursor at end.
    void setText(std::string_view utf8);

    const std::string& text() const { return m_utf8; }
    std::u32string_view text32() const { return m_text; }
    std::size_t length() const { return m_text.size(); }
    std::size_t cursor() const { return m_cursor; }
    std::size_t cursorByteOffset() const;
    // The word being typed, as [begin, end) in characters; begin == end when none.
    std::size_t composingBegin() const { return m_composing ? m_wordStart : m_cursor; }
    std::size_t composingEnd() const { return m_composing ? m_wordStart + m_wordLen : m_cursor; }
    // Increases on every change of the text or the cursor.
    std::uint64_t revision() const { return m_revision; }

private:
    bool typeCharImpl(char32_t c);
    bool applyMarkImpl(LetterMark mark, bool upper);
    template <class F>
    bool guarded(F&& edit);

    bool isKey(char32_t c) const;
    bool adoptWordBeforeCursor();
    void startWord();
    void endWord(bool restore);
    void processKey(char32_t c);
    bool telexKey(char32_t c);
    bool vniKey(char32_t c);
    bool toneKey(char32_t c, Tone tone);
    void appendLetter(char32_t c, bool checkSpelling);
    void appendShapedLetter(const Letter& letter);
    void refreshWord();
    void insertPlain(char32_t c);
    void changed();
    std::pair<std::size_t, std::size_t> runAroundCursor() const;

    InputMode m_mode;
    ToneStyle m_style;
    std::size_t m_maxLength = 0;
    std::u32string m_text;
    std::string m_utf8;
    std::size_t m_cursor = 0;
    std::uint64_t m_revision = 0;

    // The word being typed: m_text[m_wordStart, m_wordStart + m_wordLen), cursor at its end.
    bool m_composing = false;
    std::size_t m_wordStart = 0;
    std::size_t m_wordLen = 0;
    Syllable m_word;
    std::u32string m_keys;       // what was typed, for restoring a non-Vietnamese word
    bool m_raw = false;          // not Vietnamese: shows m_keys
    bool m_literal = false;      // after a repeat-undo: no more marks, never restored
    bool m_keepAsTyped = false;  // a button was used on it: never restored
    std::optional<std::size_t> m_standaloneW;  // letter index of a ư made by a lone w
};

}  // namespace kiosk::input
