#include "ui/widgets/text_field.hpp"

#include "input/utf8.hpp"

namespace kiosk::ui {

using input::InputMode;
using input::KeyIntent;
using input::LayoutKind;
using input::SpecialKey;

TextField::TextField(const TextFieldConfig& config)
    : m_config(config),
      m_engine(InputMode::Off, config.toneStyle),
      m_vietnamese(config.vietnameseOn) {
    m_engine.setMaxLength(config.maxChars);
    syncMode();
}

TextField TextField::vietnameseText(bool multiline, std::size_t maxChars) {
    TextFieldConfig c;
    c.multiline = multiline;
    c.maxChars = maxChars;
    return TextField(c);
}

TextField TextField::phone() {
    TextFieldConfig c;
    c.layout = LayoutKind::Phone;
    c.allowVietnamese = false;
    c.maxChars = 20;
    c.vietnameseOn = false;
    return TextField(c);
}

TextField TextField::email() {
    TextFieldConfig c;
    c.layout = LayoutKind::Email;
    c.allowVietnamese = false;
    c.maxChars = 254;
    c.vietnameseOn = false;
    return TextField(c);
}

TextField TextField::code(std::size_t maxChars) {
    TextFieldConfig c;
    c.layout = LayoutKind::Code;  // the code's own symbols; a scanner may still type a whole URL
    c.allowVietnamese = false;
    c.maxChars = maxChars;
    c.vietnameseOn = false;
    return TextField(c);
}

bool TextField::inputMethodAvailable() const {
    return m_config.allowVietnamese && m_config.layout != LayoutKind::Phone &&
           m_config.layout != LayoutKind::Email && m_config.layout != LayoutKind::Code;
}

void TextField::setVietnamese(bool on) {
    m_vietnamese = on;
    syncMode();
}

void TextField::setVietnameseMode(InputMode mode) {
    m_config.vietnameseMode = mode;
    syncMode();
}

void TextField::syncMode() {
    const bool ime = m_vietnamese && inputMethodAvailable();
    m_engine.setMode(ime ? m_config.vietnameseMode : InputMode::Off);
}

FieldEvent TextField::apply(const KeyIntent& intent) {
    const auto before = m_engine.revision();
    FieldEvent ev;
    switch (intent.kind) {
        case KeyIntent::Kind::Char:
            if (intent.ch == U'\r' || intent.ch == U'\n')
                return apply(KeyIntent::specialKey(SpecialKey::Enter));
            if (m_config.layout == LayoutKind::Phone && !(intent.ch >= U'0' && intent.ch <= U'9') &&
                !(intent.ch == U'+' && m_engine.text().empty())) {
                ev.refused = true;
                return ev;
            }
            ev.refused = !m_engine.typeChar(intent.ch);
            break;
        case KeyIntent::Kind::Tone:
            ev.refused = !m_engine.applyTone(intent.tone);
            break;
        case KeyIntent::Kind::Mark:
            ev.refused = !m_engine.applyMark(intent.mark, intent.upper);
            break;
        case KeyIntent::Kind::ClearAll:
            m_engine.clear();
            break;
        case KeyIntent::Kind::ToggleVietnamese:
            setVietnamese(!m_vietnamese);
            break;
        case KeyIntent::Kind::Special:
            switch (intent.special) {
                case SpecialKey::Backspace:
                    ev.refused = !m_engine.backspace();
                    break;
                case SpecialKey::Delete:
                    ev.refused = !m_engine.deleteForward();
                    break;
                case SpecialKey::Left:
                    m_engine.moveLeft();
                    break;
                case SpecialKey::Right:
                    m_engine.moveRight();
                    break;
                case SpecialKey::Home:
                    m_engine.moveHome();
                    break;
                case SpecialKey::End:
                    m_engine.moveEnd();
                    break;
                case SpecialKey::Enter:
                    if (m_config.multiline) {
                        ev.refused = !m_engine.typeChar(U'\n');
                    } else {
                        m_engine.commit();
                        ev.submitted = true;
                    }
                    break;
            }
            break;
    }
    ev.changed = m_engine.revision() != before;
    return ev;
}

}  // namespace kiosk::ui
