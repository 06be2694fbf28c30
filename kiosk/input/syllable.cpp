#include "input/syllable.hpp"

#include "input/vietnamese_letters.hpp"

#include <array>
#include <string_view>

// Sections: spelling tables, structure, rendering, spelling check, marks.

namespace kiosk::input {
namespace {

// ---- Spelling tables --------------------------------------------------------------------

enum FinalBits : unsigned {
    kFinC = 1u << 0,
    kFinCh = 1u << 1,
    kFinM = 1u << 2,
    kFinN = 1u << 3,
    kFinNg = 1u << 4,
    kFinNh = 1u << 5,
    kFinP = 1u << 6,
    kFinT = 1u << 7,
};
constexpr unsigned kFinAll = 0xFFu;

struct FinalSpelling {
    std::string_view text;
    unsigned bit;
    bool stop;
};
constexpr std::array<FinalSpelling, 8> kFinals{{
    {"c", kFinC, true},
    {"ch", kFinCh, true},
    {"m", kFinM, false},
    {"n", kFinN, false},
    {"ng", kFinNg, false},
    {"nh", kFinNh, false},
    {"p", kFinP, true},
    {"t", kFinT, true},
}};

constexpr Shape N = Shape::None;
constexpr Shape C = Shape::Circumflex;
constexpr Shape B = Shape::Breve;
constexpr Shape H = Shape::Horn;

// Vowel groups of Vietnamese with the finals they take and whether they end a word without
// one. Deliberately lenient (rare rhymes are in): restoring a real Vietnamese word to its
// keystrokes is worse than leaving an odd English word transformed. ă and â alone count as
// open so that spelling out the letters "ă", "â" is kept.
struct Nucleus {
    std::string_view bases;
    std::array<Shape, 3> shapes;
    unsigned finals;
    bool open;
};
constexpr Nucleus kNuclei[] = {
    {"a", {N}, kFinAll, true},
    {"a", {B}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, true},
    {"a", {C}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, true},
    {"e", {N}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, true},
    {"e", {C}, kFinCh | kFinM | kFinN | kFinNh | kFinP | kFinT, true},
    {"i", {N}, kFinCh | kFinM | kFinN | kFinNh | kFinP | kFinT, true},
    {"o", {N}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, true},
    {"o", {C}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, true},
    {"o", {H}, kFinM | kFinN | kFinP | kFinT, true},
    {"u", {N}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, true},
    {"u", {H}, kFinC | kFinM | kFinN | kFinNg | kFinT, true},
    {"y", {N}, kFinCh | kFinN | kFinNh | kFinT, true},  // quýt, quỳnh, tỷ
    {"ai", {N, N}, 0, true},
    {"ao", {N, N}, 0, true},
    {"au", {N, N}, 0, true},
    {"ay", {N, N}, 0, true},
    {"au", {C, N}, 0, true},
    {"ay", {C, N}, 0, true},
    {"eo", {N, N}, 0, true},
    {"eu", {C, N}, 0, true},
    {"ia", {N, N}, 0, true},
    {"iu", {N, N}, 0, true},
    {"oi", {N, N}, 0, true},
    {"oi", {C, N}, 0, true},
    {"oi", {H, N}, 0, true},
    {"ua", {N, N}, 0, true},
    {"ui", {N, N}, 0, true},
    {"ua", {H, N}, 0, true},
    {"ui", {H, N}, 0, true},
    {"uu", {H, N}, 0, true},
    {"ie", {N, C}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, false},
    {"ye", {N, C}, kFinM | kFinN | kFinNg | kFinT, false},
    {"oa", {N, N}, kFinAll, true},
    {"oa", {N, B}, kFinC | kFinM | kFinN | kFinNg | kFinT, false},
    {"oe", {N, N}, kFinN | kFinT, true},
    {"oo", {N, N}, kFinC | kFinNg, false},
    {"ua", {N, C}, kFinN | kFinNg | kFinT, false},
    {"ue", {N, C}, kFinCh | kFinN | kFinNh, true},
    {"uo", {N, C}, kFinC | kFinM | kFinN | kFinNg | kFinT, false},
    {"uo", {N, H}, 0, true},  // open uơ: thuở, huơ
    {"uo", {H, H}, kFinC | kFinM | kFinN | kFinNg | kFinP | kFinT, false},
    {"uy", {N, N}, kFinCh | kFinN | kFinNh | kFinT, true},
    {"ieu", {N, C, N}, 0, true},
    {"yeu", {N, C, N}, 0, true},
    {"oai", {N, N, N}, 0, true},
    {"oay", {N, N, N}, 0, true},
    {"oeo", {N, N, N}, 0, true},
    {"uay", {N, C, N}, 0, true},
    {"uoi", {N, C, N}, 0, true},
    {"uoi", {H, H, N}, 0, true},
    {"uou", {H, H, N}, 0, true},
    {"uya", {N, N, N}, 0, true},
    {"uyu", {N, N, N}, 0, true},
    {"uye", {N, N, C}, kFinN | kFinT, false},
};

// Onsets; 'D' stands for đ.
constexpr std::array<std::string_view, 28> kOnsets{{
    "",  "b",  "c",   "ch", "d", "D",  "g",  "gh", "gi", "h", "k",  "kh", "l", "m",
    "n", "ng", "ngh", "nh", "p", "ph", "qu", "r",  "s",  "t", "th", "tr", "v", "x",
}};

bool isOnset(std::string_view s) {
    for (auto o : kOnsets)
        if (o == s) return true;
    return false;
}

bool isOnsetPrefix(std::string_view s) {
    for (auto o : kOnsets)
        if (o.substr(0, s.size()) == s) return true;
    return false;
}

bool isLetterBase(char32_t b) {
    return b >= U'a' && b <= U'z';
}
bool isVowelLetter(const Letter& l) {
    return isVowelBase(l.base);
}

}  // namespace

// ---- Structure --------------------------------------------------------------------------

std::optional<Syllable> Syllable::fromText(std::u32string_view text) {
    Syllable s;
    bool toned = false;
    for (char32_t c : text) {
        auto parts = decomposeLetter(c);
        if (!parts) return std::nullopt;
        if (parts->tone != Tone::None) {
            if (toned) return std::nullopt;
            toned = true;
            s.m_tone = parts->tone;
        }
        s.m_letters.push_back(Letter{parts->base, parts->shape, parts->upper, false});
    }
    return s;
}

Syllable::Parts Syllable::analyse() const {
    const std::size_t n = m_letters.size();
    std::size_t i = 0;
    while (i < n && !isVowelLetter(m_letters[i])) ++i;
    if (i == 1 && i + 1 < n && isVowelLetter(m_letters[i + 1])) {
        const char32_t first = m_letters[0].base;
        const char32_t second = m_letters[1].base;
        if ((first == U'q' && second == U'u') || (first == U'g' && second == U'i')) ++i;
    }
    Parts p;
    p.nucleusBegin = i;
    while (i < n && isVowelLetter(m_letters[i])) ++i;
    p.nucleusEnd = i;
    return p;
}

bool Syllable::hasNucleus() const {
    const auto p = analyse();
    return p.nucleusEnd > p.nucleusBegin;
}

bool Syllable::hasStopFinal() const {
    const auto p = analyse();
    if (p.nucleusEnd == p.nucleusBegin || p.nucleusEnd >= m_letters.size()) return false;
    const char32_t f = m_letters[p.nucleusEnd].base;
    return f == U'c' || f == U'p' || f == U't';
}

Shape Syllable::effectiveShape(std::size_t index) const {
    const Letter& l = m_letters[index];
    if (!l.autoHorn) return l.shape;
    const bool pairStillHorned = index + 1 < m_letters.size() &&
                                 m_letters[index + 1].base == U'o' &&
                                 m_letters[index + 1].shape == Shape::Horn;
    return (pairStillHorned && index + 2 < m_letters.size()) ? Shape::Horn : Shape::None;
}

std::optional<std::size_t> Syllable::tonePosition(ToneStyle style) const {
    const auto p = analyse();
    const std::size_t count = p.nucleusEnd - p.nucleusBegin;
    if (count == 0) return std::nullopt;
    if (count == 1) return p.nucleusBegin;
    // A vowel with a shape carries the tone (ươ: the ơ).
    for (std::size_t i = p.nucleusEnd; i-- > p.nucleusBegin;)
        if (effectiveShape(i) != Shape::None) return i;
    if (p.nucleusEnd < m_letters.size()) return p.nucleusBegin + 1;  // toán, hoàng, huýt
    if (count >= 3) return p.nucleusBegin + 1;                       // ngoài, xoáy, khuỷu
    if (style == ToneStyle::New) {
        const char32_t a = m_letters[p.nucleusBegin].base;
        const char32_t b = m_letters[p.nucleusBegin + 1].base;
        if ((a == U'o' && (b == U'a' || b == U'e')) || (a == U'u' && b == U'y'))
            return p.nucleusBegin + 1;
    }
    return p.nucleusBegin;  // hòa, thủy (old style), mùa, gửi, kìa
}

void Syllable::popBack(ToneStyle style) {
    if (m_letters.empty()) return;
    const auto pos = tonePosition(style);
    std::vector<Shape> visible;
    visible.reserve(m_letters.size());
    for (std::size_t i = 0; i < m_letters.size(); ++i) visible.push_back(effectiveShape(i));
    if (pos && *pos == m_letters.size() - 1) m_tone = Tone::None;
    m_letters.pop_back();
    for (std::size_t i = 0; i < m_letters.size(); ++i) {
        if (m_letters[i].autoHorn) {
            m_letters[i].shape = visible[i];
            m_letters[i].autoHorn = false;
        }
    }
    if (!hasNucleus()) m_tone = Tone::None;
}

// ---- Rendering --------------------------------------------------------------------------

std::u32string Syllable::render(ToneStyle style) const {
    std::u32string out;
    out.reserve(m_letters.size());
    const auto pos = tonePosition(style);
    for (std::size_t i = 0; i < m_letters.size(); ++i) {
        const Letter& l = m_letters[i];
        if (!isLetterBase(l.base)) {
            out.push_back(l.upper ? asciiUpper(l.base) : l.base);
            continue;
        }
        const Tone t = (pos && *pos == i) ? m_tone : Tone::None;
        LetterParts parts{l.base, effectiveShape(i), t, l.upper};
        auto c = composeLetter(parts);
        if (!c) {
            parts.tone = Tone::None;
            c = composeLetter(parts);
        }
        if (!c) {
            parts.shape = Shape::None;
            c = composeLetter(parts);
        }
        out.push_back(c ? *c : l.base);
    }
    return out;
}

// ---- Spelling check ---------------------------------------------------------------------

bool Syllable::check(bool prefix) const {
    const std::size_t n = m_letters.size();
    if (n == 0) return true;
    for (const auto& l : m_letters)
        if (!isLetterBase(l.base)) return false;
    std::size_t i = 0;
    std::string onset;
    while (i < n && !isVowelLetter(m_letters[i])) {
        const Letter& l = m_letters[i];
        onset.push_back(l.shape == Shape::Stroke ? 'D' : static_cast<char>(l.base));
        ++i;
    }
    if (i == n) return prefix ? isOnsetPrefix(onset) : true;
    if (onset == "q") {
        if (m_letters[i].base != U'u') return false;
        if (i + 1 == n) return prefix;
        return rhymeOk(i + 1, false, prefix);
    }
    if (onset == "g" && m_letters[i].base == U'i' && rhymeOk(i + 1, true, prefix)) return true;
    return isOnset(onset) && rhymeOk(i, false, prefix);
}

bool Syllable::rhymeOk(std::size_t begin, bool afterGi, bool prefix) const {
    const std::size_t n = m_letters.size();
    std::size_t j = begin;
    while (j < n && isVowelLetter(m_letters[j])) ++j;
    if (j == begin) return false;  // "gi" + consonant: the i is the vowel (other branch)
    std::string fin;
    for (std::size_t k = j; k < n; ++k) {
        const Letter& l = m_letters[k];
        if (isVowelLetter(l) || l.shape != Shape::None) return false;
        fin.push_back(static_cast<char>(l.base));
    }
    // Vowel letters with their displayed shapes; after "gi", giêng/giết spell the rhyme iê.
    std::array<Letter, 4> vowels{};
    std::size_t count = 0;
    if (afterGi && m_letters[begin].base == U'e')
        vowels[count++] = Letter{U'i', Shape::None, false, false};
    for (std::size_t k = begin; k < j; ++k) {
        if (count == vowels.size()) return false;
        vowels[count] = m_letters[k];
        vowels[count].shape = effectiveShape(k);
        ++count;
    }
    auto matches = [&](const Nucleus& nu) {
        if (fin.empty() && prefix) {
            if (nu.bases.size() < count) return false;
        } else if (nu.bases.size() != count) {
            return false;
        }
        for (std::size_t k = 0; k < count; ++k) {
            if (static_cast<char32_t>(nu.bases[k]) != vowels[k].base) return false;
            const Shape have = vowels[k].shape;
            if (have != nu.shapes[k] && !(prefix && have == Shape::None)) return false;
        }
        if (fin.empty()) return prefix || nu.open;
        for (const auto& f : kFinals) {
            if (!(nu.finals & f.bit)) continue;
            if (prefix ? f.text.substr(0, fin.size()) != fin : f.text != fin) continue;
            const bool stopSoFar = fin[0] == 'c' || fin[0] == 'p' || fin[0] == 't';
            if (stopSoFar &&
                !(m_tone == Tone::Sac || m_tone == Tone::Nang || (prefix && m_tone == Tone::None)))
                continue;
            return true;
        }
        return false;
    };
    for (const auto& nu : kNuclei)
        if (matches(nu)) return true;
    return false;
}

// ---- Marks ------------------------------------------------------------------------------

bool Syllable::tryShape(std::size_t index, Shape shape, bool autoHornPrev, bool explicitPrev) {
    const std::vector<Letter> saved = m_letters;
    m_letters[index].shape = shape;
    m_letters[index].autoHorn = false;
    if (autoHornPrev && index > 0 && (m_letters[index - 1].shape != Shape::Horn || explicitPrev)) {
        m_letters[index - 1].autoHorn = m_letters[index - 1].shape != Shape::Horn && !explicitPrev;
        m_letters[index - 1].shape = Shape::Horn;
    }
    if (isPlausible()) return true;
    m_letters = saved;
    return false;
}

MarkResult Syllable::applyTone(Tone tone) {
    if (!hasNucleus()) return MarkResult::NoTarget;
    if (tone == Tone::None)
        return m_tone == Tone::None ? MarkResult::NoTarget : (m_tone = tone, MarkResult::Applied);
    if (hasStopFinal() && tone != Tone::Sac && tone != Tone::Nang) return MarkResult::NoTarget;
    if (m_tone == tone) return MarkResult::AlreadySet;
    m_tone = tone;
    return MarkResult::Applied;
}

MarkResult Syllable::applyCircumflex(char32_t onlyBase) {
    const auto p = analyse();
    bool already = false;
    for (std::size_t i = p.nucleusEnd; i-- > p.nucleusBegin;) {
        const Letter& l = m_letters[i];
        const bool candidate =
            onlyBase ? l.base == onlyBase : (l.base == U'a' || l.base == U'e' || l.base == U'o');
        if (!candidate) continue;
        if (l.shape == Shape::Circumflex) {
            already = true;
            continue;
        }
        if (tryShape(i, Shape::Circumflex, false)) return MarkResult::Applied;
    }
    return already ? MarkResult::AlreadySet : MarkResult::NoTarget;
}

MarkResult Syllable::applyHornOrBreve(bool breveA, bool hornO, bool hornU, bool uButton) {
    const auto p = analyse();
    if (hornO || hornU) {
        for (std::size_t i = p.nucleusBegin; i + 1 < p.nucleusEnd; ++i) {
            if (m_letters[i].base == U'u' && m_letters[i + 1].base == U'o' &&
                m_letters[i + 1].shape != Shape::Horn &&
                tryShape(i + 1, Shape::Horn, true, uButton))
                return MarkResult::Applied;
        }
    }
    for (std::size_t i = p.nucleusEnd; i-- > p.nucleusBegin;) {
        const Letter& l = m_letters[i];
        Shape want = Shape::None;
        if (breveA && l.base == U'a' && l.shape != Shape::Breve) want = Shape::Breve;
        if (hornO && l.base == U'o' && l.shape != Shape::Horn) want = Shape::Horn;
        if (hornU && l.base == U'u' && (l.shape != Shape::Horn || (l.autoHorn && uButton)))
            want = Shape::Horn;
        if (want != Shape::None && tryShape(i, want, false)) return MarkResult::Applied;
    }
    for (std::size_t i = p.nucleusBegin; i < p.nucleusEnd; ++i) {
        const Letter& l = m_letters[i];
        if ((breveA && l.base == U'a' && l.shape == Shape::Breve) ||
            (hornO && l.base == U'o' && l.shape == Shape::Horn) ||
            (hornU && l.base == U'u' && l.shape == Shape::Horn))
            return MarkResult::AlreadySet;
    }
    return MarkResult::NoTarget;
}

MarkResult Syllable::applyStroke() {
    if (m_letters.empty() || m_letters[0].base != U'd') return MarkResult::NoTarget;
    if (m_letters[0].shape == Shape::Stroke) return MarkResult::AlreadySet;
    m_letters[0].shape = Shape::Stroke;
    return MarkResult::Applied;
}

void Syllable::undoCircumflex(char32_t onlyBase) {
    const auto p = analyse();
    for (std::size_t i = p.nucleusEnd; i-- > p.nucleusBegin;) {
        Letter& l = m_letters[i];
        const bool candidate =
            onlyBase ? l.base == onlyBase : (l.base == U'a' || l.base == U'e' || l.base == U'o');
        if (candidate && l.shape == Shape::Circumflex) {
            l.shape = Shape::None;
            return;
        }
    }
}

void Syllable::undoHornOrBreve(bool breveA, bool hornO, bool hornU) {
    const auto p = analyse();
    for (std::size_t i = p.nucleusBegin; i < p.nucleusEnd; ++i) {
        Letter& l = m_letters[i];
        if ((breveA && l.base == U'a' && l.shape == Shape::Breve) ||
            (hornO && l.base == U'o' && l.shape == Shape::Horn) ||
            (hornU && l.base == U'u' && l.shape == Shape::Horn)) {
            l.shape = Shape::None;
            l.autoHorn = false;
        }
    }
}

void Syllable::undoStroke() {
    if (!m_letters.empty() && m_letters[0].shape == Shape::Stroke) m_letters[0].shape = Shape::None;
}

}  // namespace kiosk::input
