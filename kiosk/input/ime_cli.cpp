#include "input/ime_cli.hpp"

#include "input/engine.hpp"
#include "input/utf8.hpp"

#include <array>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace kiosk::input {
namespace {

enum class Action { BS, Del, Left, Right, Home, End, Enter, Space, Lt, Tone, Mark };

struct Named {
    std::u32string_view name;
    Action action;
    Tone tone = Tone::None;
    LetterMark mark = LetterMark::ACircumflex;
    bool upper = false;
};

constexpr Named kNamed[] = {
    {U"BS", Action::BS},
    {U"DEL", Action::Del},
    {U"LEFT", Action::Left},
    {U"RIGHT", Action::Right},
    {U"HOME", Action::Home},
    {U"END", Action::End},
    {U"ENTER", Action::Enter},
    {U"SP", Action::Space},
    {U"lt", Action::Lt},
    {U"sac", Action::Tone, Tone::Sac},
    {U"huyen", Action::Tone, Tone::Huyen},
    {U"hoi", Action::Tone, Tone::Hoi},
    {U"nga", Action::Tone, Tone::Nga},
    {U"nang", Action::Tone, Tone::Nang},
    {U"xoa", Action::Tone, Tone::None},
    {U"\u00E2", Action::Mark, Tone::None, LetterMark::ACircumflex},
    {U"\u00EA", Action::Mark, Tone::None, LetterMark::ECircumflex},
    {U"\u00F4", Action::Mark, Tone::None, LetterMark::OCircumflex},
    {U"\u0103", Action::Mark, Tone::None, LetterMark::ABreve},
    {U"\u01A1", Action::Mark, Tone::None, LetterMark::OHorn},
    {U"\u01B0", Action::Mark, Tone::None, LetterMark::UHorn},
    {U"\u0111", Action::Mark, Tone::None, LetterMark::DStroke},
    {U"\u00C2", Action::Mark, Tone::None, LetterMark::ACircumflex, true},
    {U"\u00CA", Action::Mark, Tone::None, LetterMark::ECircumflex, true},
    {U"\u00D4", Action::Mark, Tone::None, LetterMark::OCircumflex, true},
    {U"\u0102", Action::Mark, Tone::None, LetterMark::ABreve, true},
    {U"\u01A0", Action::Mark, Tone::None, LetterMark::OHorn, true},
    {U"\u01AF", Action::Mark, Tone::None, LetterMark::UHorn, true},
    {U"\u0110", Action::Mark, Tone::None, LetterMark::DStroke, true},
    {U"aa", Action::Mark, Tone::None, LetterMark::ACircumflex},
    {U"ee", Action::Mark, Tone::None, LetterMark::ECircumflex},
    {U"oo", Action::Mark, Tone::None, LetterMark::OCircumflex},
    {U"aw", Action::Mark, Tone::None, LetterMark::ABreve},
    {U"ow", Action::Mark, Tone::None, LetterMark::OHorn},
    {U"uw", Action::Mark, Tone::None, LetterMark::UHorn},
    {U"dd", Action::Mark, Tone::None, LetterMark::DStroke},
    {U"AA", Action::Mark, Tone::None, LetterMark::ACircumflex, true},
    {U"EE", Action::Mark, Tone::None, LetterMark::ECircumflex, true},
    {U"OO", Action::Mark, Tone::None, LetterMark::OCircumflex, true},
    {U"AW", Action::Mark, Tone::None, LetterMark::ABreve, true},
    {U"OW", Action::Mark, Tone::None, LetterMark::OHorn, true},
    {U"UW", Action::Mark, Tone::None, LetterMark::UHorn, true},
    {U"DD", Action::Mark, Tone::None, LetterMark::DStroke, true},
    {U"TAB", Action::Space},  // a scanner's Tab: the field takes it as a space
    {U"SPACE", Action::Space},
    {U"BACKSPACE", Action::BS},
};

const Named* findNamed(std::u32string_view name) {
    for (const auto& n : kNamed)
        if (n.name == name) return &n;
    return nullptr;
}

void perform(Engine& engine, const Named& n) {
    switch (n.action) {
        case Action::BS:
            engine.backspace();
            break;
        case Action::Del:
            engine.deleteForward();
            break;
        case Action::Left:
            engine.moveLeft();
            break;
        case Action::Right:
            engine.moveRight();
            break;
        case Action::Home:
            engine.moveHome();
            break;
        case Action::End:
            engine.moveEnd();
            break;
        case Action::Enter:
            engine.typeChar(U'\n');
            break;
        case Action::Space:
            engine.typeChar(U' ');
            break;
        case Action::Lt:
            engine.typeChar(U'<');
            break;
        case Action::Tone:
            engine.applyTone(n.tone);
            break;
        case Action::Mark:
            engine.applyMark(n.mark, n.upper);
            break;
    }
}

std::optional<InputMode> parseMode(std::string_view mode) {
    if (mode == "telex") return InputMode::Telex;
    if (mode == "vni") return InputMode::Vni;
    if (mode == "simple") return InputMode::Simple;
    if (mode == "off") return InputMode::Off;
    return std::nullopt;
}

}  // namespace

int runImeCli(std::string_view mode, bool newStyle, std::istream& in, std::ostream& out,
              std::ostream& err) {
    const auto inputMode = parseMode(mode);
    if (!inputMode) {
        err << "ime: unknown mode (use telex, vni, simple or off)\n";
        return 2;
    }
    int status = 0;
    std::string line;
    std::size_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        Engine engine(*inputMode, newStyle ? ToneStyle::New : ToneStyle::Old);
        const auto keys = fromUtf8(line);
        if (!keys) {
            err << "ime: line " << lineNo << ": not valid UTF-8\n";
            out << '\n';
            status = 1;
            continue;
        }
        for (std::size_t i = 0; i < keys->size(); ++i) {
            const char32_t c = (*keys)[i];
            if (c == U'<') {
                const std::size_t close = keys->find(U'>', i + 1);
                if (close != std::u32string::npos) {
                    if (const Named* n =
                            findNamed(std::u32string_view(*keys).substr(i + 1, close - i - 1))) {
                        perform(engine, *n);
                        i = close;
                        continue;
                    }
                }
            }
            if (c == U'\b') {
                engine.backspace();
                continue;
            }
            engine.typeChar(c);
        }
        engine.commit();
        std::string escaped;
        for (char ch : engine.text()) {
            if (ch == '\\') {
                escaped += "\\\\";
            } else if (ch == '\n') {
                escaped += "\\n";
            } else {
                escaped.push_back(ch);
            }
        }
        out << escaped << '\n';
    }
    return status;
}

}  // namespace kiosk::input
