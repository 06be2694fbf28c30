#include "input/engine.hpp"

#include "input/utf8.hpp"
#include "input/vietnamese_letters.hpp"

#include <utility>

// Sections: settings, typing, buttons, cursor and text, the word being typed.

namespace kiosk::input {
namespace {

bool isWordChar(char32_t c) {
    return decomposeLetter(c).has_value();
}
bool isUpper(char32_t c) {
    return c >= U'A' && c <= U'Z';
}

Tone telexTone(char32_t k) {
    switch (k) {
        case U's':
            return Tone::Sac;
        case U'f':
            return Tone::Huyen;
        case U'r':
            return Tone::Hoi;
        case U'x':
            return Tone::Nga;
        case U'j':
            return Tone::Nang;
        default:
            return Tone::None;
    }
}

struct MarkSpec {
    char32_t base;
    Shape shape;
};

MarkSpec markSpec(LetterMark mark) {
    switch (mark) {
        case LetterMark::ACircumflex:
            return {U'a', Shape::Circumflex};
        case LetterMark::ECircumflex:
            return {U'e', Shape::Circumflex};
        case LetterMark::OCircumflex:
            return {U'o', Shape::Circumflex};
        case LetterMark::ABreve:
            return {U'a', Shape::Breve};
        case LetterMark::OHorn:
            return {U'o', Shape::Horn};
        case LetterMark::UHorn:
            return {U'u', Shape::Horn};
        case LetterMark::DStroke:
            return {U'd', Shape::Stroke};
    }
    return {U'a', Shape::None};
}

MarkResult applyMarkToWord(Syllable& word, LetterMark mark) {
    switch (mark) {
        case LetterMark::ACircumflex:
            return word.applyCircumflex(U'a');
        case LetterMark::ECircumflex:
            return word.applyCircumflex(U'e');
        case LetterMark::OCircumflex:
            return word.applyCircumflex(U'o');
        case LetterMark::ABreve:
            return word.applyHornOrBreve(true, false, false);
        case LetterMark::OHorn:
            return word.applyHornOrBreve(false, true, false);
        case LetterMark::UHorn:
            return word.applyHornOrBreve(false, false, true, true);
        case LetterMark::DStroke:
            return word.applyStroke();
    }
    return MarkResult::NoTarget;
}

}  // namespace

// ---- Settings ---------------------------------------------------------------------------

Engine::Engine(InputMode mode, ToneStyle style) : m_mode(mode), m_style(style) {}

void Engine::setMode(InputMode mode) {
    endWord(true);
    m_mode = mode;
}

void Engine::setToneStyle(ToneStyle style) {
    m_style = style;
    if (m_composing) refreshWord();
}

template <class F>
bool Engine::guarded(F&& edit) {
    if (m_maxLength == 0 || m_text.size() + 16 < m_maxLength) return edit();
    Engine saved = *this;
    const bool result = edit();
    if (m_text.size() > m_maxLength) {
        *this = std::move(saved);
        return false;
    }
    return result;
}

// ---- Typing -----------------------------------------------------------------------------

bool Engine::isKey(char32_t c) const {
    if (m_mode == InputMode::Off) return false;
    if (isAsciiLetter(c)) return true;
    return m_mode == InputMode::Vni && c >= U'0' && c <= U'9';
}

bool Engine::typeChar(char32_t c) {
    if (!isAcceptedChar(c)) return false;
    return guarded([&] { return typeCharImpl(c); });
}

bool Engine::typeCharImpl(char32_t c) {
    const bool digit = c >= U'0' && c <= U'9';
    if (isKey(c)) {
        if (!m_composing && !adoptWordBeforeCursor()) {
            if (digit) {  // a VNI digit with no word to mark is just a digit
                insertPlain(c);
                return true;
            }
            startWord();
        }
        processKey(c);
        return true;
    }
    endWord(true);
    insertPlain(c);
    return true;
}

bool Engine::backspace() {
    if (m_composing) {
        m_standaloneW.reset();
        if (m_raw) {
            m_keys.pop_back();
        } else {
            m_word.popBack(m_style);
            m_keys = m_word.render(m_style);
        }
        const bool nowEmpty = m_raw ? m_keys.empty() : m_word.empty();
        refreshWord();
        if (nowEmpty) m_composing = false;
        return true;
    }
    if (m_cursor == 0) return false;
    m_text.erase(m_cursor - 1, 1);
    --m_cursor;
    changed();
    return true;
}

bool Engine::deleteForward() {
    endWord(true);
    if (m_cursor >= m_text.size()) return false;
    m_text.erase(m_cursor, 1);
    changed();
    return true;
}

// ---- Buttons ----------------------------------------------------------------------------

std::pair<std::size_t, std::size_t> Engine::runAroundCursor() const {
    std::size_t b = m_cursor;
    // Right after "chao " the button still means "chao": step back over spaces.
    if ((b == m_text.size() || !isWordChar(m_text[b])) && (b == 0 || !isWordChar(m_text[b - 1]))) {
        std::size_t s = b;
        while (s > 0 && m_text[s - 1] == U' ') --s;
        if (s < b && s > 0 && isWordChar(m_text[s - 1])) {
            std::size_t wb = s;
            while (wb > 0 && isWordChar(m_text[wb - 1])) --wb;
            return {wb, s};
        }
    }
    while (b > 0 && isWordChar(m_text[b - 1])) --b;
    std::size_t e = m_cursor;
    while (e < m_text.size() && isWordChar(m_text[e])) ++e;
    return {b, e};
}

bool Engine::applyTone(Tone tone) {
    if (!m_composing && m_mode != InputMode::Off) adoptWordBeforeCursor();
    if (m_composing) {
        if (m_raw || m_word.applyTone(tone) != MarkResult::Applied) return false;
        m_keepAsTyped = true;
        m_standaloneW.reset();
        refreshWord();
        return true;
    }
    // Off mode, or the cursor inside a word: mark that word in place.
    const auto [b, e] = runAroundCursor();
    if (b == e) return false;
    auto word = Syllable::fromText(std::u32string_view(m_text).substr(b, e - b));
    if (!word || !word->isPlausible() || word->applyTone(tone) != MarkResult::Applied) return false;
    m_text.replace(b, e - b, word->render(m_style));
    changed();
    return true;
}

bool Engine::applyMark(LetterMark mark, bool upper) {
    return guarded([&] { return applyMarkImpl(mark, upper); });
}

bool Engine::applyMarkImpl(LetterMark mark, bool upper) {
    const MarkSpec spec = markSpec(mark);
    const Letter letter{spec.base, spec.shape, upper, false};
    if (!m_composing && m_mode != InputMode::Off) adoptWordBeforeCursor();
    if (m_composing) {
        m_standaloneW.reset();
        if (!m_raw) {
            const MarkResult r = applyMarkToWord(m_word, mark);
            if (r == MarkResult::AlreadySet) return false;
            if (r == MarkResult::Applied) {
                m_keepAsTyped = true;
                refreshWord();
                return true;
            }
        }
        appendShapedLetter(letter);
        return true;
    }
    const auto [b, e] = runAroundCursor();
    if (b != e) {
        auto word = Syllable::fromText(std::u32string_view(m_text).substr(b, e - b));
        if (word && word->isPlausible()) {
            const MarkResult r = applyMarkToWord(*word, mark);
            if (r == MarkResult::AlreadySet) return false;
            if (r == MarkResult::Applied) {
                m_text.replace(b, e - b, word->render(m_style));
                changed();
                return true;
            }
        }
    }
    if (m_mode != InputMode::Off && (m_cursor >= m_text.size() || !isWordChar(m_text[m_cursor]))) {
        startWord();
        appendShapedLetter(letter);
        return true;
    }
    if (auto c = composeLetter(LetterParts{letter.base, letter.shape, Tone::None, upper}))
        insertPlain(*c);
    return true;
}

// ---- Cursor and text --------------------------------------------------------------------

void Engine::moveLeft() {
    endWord(true);
    if (m_cursor > 0) --m_cursor;
    changed();
}

void Engine::moveRight() {
    endWord(true);
    if (m_cursor < m_text.size()) ++m_cursor;
    changed();
}

void Engine::moveHome() {
    endWord(true);
    m_cursor = 0;
    changed();
}

void Engine::moveEnd() {
    endWord(true);
    m_cursor = m_text.size();
    changed();
}

void Engine::setCursor(std::size_t position) {
    endWord(true);
    m_cursor = position < m_text.size() ? position : m_text.size();
    changed();
}

void Engine::commit() {
    endWord(true);
}

void Engine::clear() {
    m_composing = false;
    m_text.clear();
    m_cursor = 0;
    changed();
}

void Engine::setText(std::string_view utf8) {
    m_composing = false;
    m_text = sanitizeText(utf8);
    if (m_maxLength != 0 && m_text.size() > m_maxLength) m_text.resize(m_maxLength);
    m_cursor = m_text.size();
    changed();
}

std::size_t Engine::cursorByteOffset() const {
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < m_cursor; ++i) {
        const char32_t c = m_text[i];
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return bytes;
}

void Engine::insertPlain(char32_t c) {
    m_text.insert(m_text.begin() + static_cast<std::ptrdiff_t>(m_cursor), c);
    ++m_cursor;
    changed();
}

void Engine::changed() {
    m_utf8 = toUtf8(m_text);
    ++m_revision;
}

// ---- The word being typed ---------------------------------------------------------------

void Engine::startWord() {
    m_composing = true;
    m_wordStart = m_cursor;
    m_wordLen = 0;
    m_word = Syllable{};
    m_keys.clear();
    m_raw = m_literal = m_keepAsTyped = false;
    m_standaloneW.reset();
}

bool Engine::adoptWordBeforeCursor() {
    if (m_cursor == 0 || !isWordChar(m_text[m_cursor - 1])) return false;
    if (m_cursor < m_text.size() && isWordChar(m_text[m_cursor])) return false;
    std::size_t b = m_cursor;
    while (b > 0 && isWordChar(m_text[b - 1])) --b;
    const std::u32string_view text = std::u32string_view(m_text).substr(b, m_cursor - b);
    startWord();
    m_wordStart = b;
    m_wordLen = text.size();
    m_keys = text;
    auto word = Syllable::fromText(text);
    if (word && word->isPlausible()) {
        m_word = *word;
    } else {
        m_raw = true;
    }
    return true;
}

void Engine::endWord(bool restore) {
    if (!m_composing) return;
    const bool restoreWanted = restore && m_mode != InputMode::Simple && !m_raw && !m_literal &&
                               !m_keepAsTyped && !m_word.isValid();
    const bool fits = m_maxLength == 0 || m_text.size() - m_wordLen + m_keys.size() <= m_maxLength;
    if (restoreWanted && fits) {
        m_raw = true;
        refreshWord();
    }
    m_composing = false;
}

void Engine::processKey(char32_t c) {
    if (m_mode == InputMode::Simple && !m_raw) m_keys = m_word.render(m_style);
    m_keys.push_back(c);
    if (!m_raw && !m_literal) {
        const bool consumed = m_mode == InputMode::Telex ? telexKey(c)
                              : m_mode == InputMode::Vni ? vniKey(c)
                                                         : false;
        if (consumed) {
            refreshWord();
            return;
        }
    }
    m_standaloneW.reset();
    if (!m_raw) appendLetter(c, !m_literal);
    refreshWord();
}

bool Engine::toneKey(char32_t c, Tone tone) {
    const MarkResult r = m_word.applyTone(tone);
    if (r == MarkResult::Applied) return true;
    if (r == MarkResult::AlreadySet) {
        m_word.setTone(Tone::None);
        appendLetter(c, false);
        m_literal = true;
        return true;
    }
    return false;
}

bool Engine::telexKey(char32_t c) {
    const char32_t k = asciiLower(c);
    const auto standaloneW = std::exchange(m_standaloneW, std::nullopt);
    if (const Tone t = telexTone(k); t != Tone::None) return toneKey(c, t);
    switch (k) {
        case U'z':
            if (m_word.tone() == Tone::None || !m_word.hasNucleus()) return false;
            m_word.setTone(Tone::None);
            return true;
        case U'a':
        case U'e':
        case U'o': {
            const MarkResult r = m_word.applyCircumflex(k);
            if (r == MarkResult::Applied) return true;
            if (r == MarkResult::NoTarget) return false;
            m_word.undoCircumflex(k);
            appendLetter(c, false);
            m_literal = true;
            return true;
        }
        case U'w': {
            if (standaloneW && *standaloneW + 1 == m_word.size()) {  // ww → w
                Letter w = m_word.letters()[*standaloneW];
                w.base = U'w';
                w.shape = Shape::None;
                m_word.setLetter(*standaloneW, w);
                m_literal = true;
                return true;
            }
            const MarkResult r = m_word.applyHornOrBreve(true, true, true);
            if (r == MarkResult::Applied) return true;
            if (r == MarkResult::AlreadySet) {
                m_word.undoHornOrBreve(true, true, true);
                appendLetter(c, false);
                m_literal = true;
                return true;
            }
            m_word.append(Letter{U'u', Shape::Horn, isUpper(c), false});
            if (m_word.isPlausible()) {
                m_standaloneW = m_word.size() - 1;
                return true;
            }
            m_word.popBack(m_style);
            return false;
        }
        case U'd': {
            if (m_word.size() != 1) return false;
            const MarkResult r = m_word.applyStroke();
            if (r == MarkResult::Applied) return true;
            if (r == MarkResult::NoTarget) return false;
            m_word.undoStroke();
            appendLetter(c, false);
            m_literal = true;
            return true;
        }
        default:
            return false;
    }
}

bool Engine::vniKey(char32_t c) {
    MarkResult r = MarkResult::NoTarget;
    switch (c) {
        case U'1':
            return toneKey(c, Tone::Sac);
        case U'2':
            return toneKey(c, Tone::Huyen);
        case U'3':
            return toneKey(c, Tone::Hoi);
        case U'4':
            return toneKey(c, Tone::Nga);
        case U'5':
            return toneKey(c, Tone::Nang);
        case U'0':
            if (m_word.tone() == Tone::None || !m_word.hasNucleus()) return false;
            m_word.setTone(Tone::None);
            return true;
        case U'6':
            r = m_word.applyCircumflex(0);
            if (r == MarkResult::AlreadySet) m_word.undoCircumflex(0);
            break;
        case U'7':
            r = m_word.applyHornOrBreve(false, true, true);
            if (r == MarkResult::AlreadySet) m_word.undoHornOrBreve(false, true, true);
            break;
        case U'8':
            r = m_word.applyHornOrBreve(true, false, false);
            if (r == MarkResult::AlreadySet) m_word.undoHornOrBreve(true, false, false);
            break;
        case U'9':
            r = m_word.applyStroke();
            if (r == MarkResult::AlreadySet) m_word.undoStroke();
            break;
        default:
            return false;
    }
    if (r == MarkResult::Applied) return true;
    if (r == MarkResult::NoTarget) return false;
    appendLetter(c, false);
    m_literal = true;
    return true;
}

void Engine::appendLetter(char32_t c, bool checkSpelling) {
    m_word.append(Letter{isAsciiLetter(c) ? asciiLower(c) : c, Shape::None, isUpper(c), false});
    if (checkSpelling && !m_word.isPlausible()) m_raw = true;
}

void Engine::appendShapedLetter(const Letter& letter) {
    const auto c = composeLetter(LetterParts{letter.base, letter.shape, Tone::None, letter.upper});
    if (!m_raw) {
        if (m_mode == InputMode::Simple) m_keys = m_word.render(m_style);
        m_word.append(letter);
        if (!m_word.isPlausible()) m_raw = true;
    }
    if (c) m_keys.push_back(*c);
    m_keepAsTyped = true;
    refreshWord();
}

void Engine::refreshWord() {
    const std::u32string display = m_raw ? m_keys : m_word.render(m_style);
    m_text.replace(m_wordStart, m_wordLen, display);
    m_wordLen = display.size();
    m_cursor = m_wordStart + m_wordLen;
    changed();
}

}  // namespace kiosk::input
