// Flow: the voice that goes with the screens (issue #15). A resident who cannot read the
// screen well hears what went wrong, hears the idle countdown, and at the first touch of a
// visit hears that every screen can be read out.
//
// Errors are read aloud whether or not the guide is on: a message the person missed is worse
// than one heard twice. The guide itself (each screen's instruction) stays on request.
#include "core/addition.hpp"
#include "core/flow.hpp"

namespace kiosk::core {

Screen screenOf(record::Field f);  // flow_form.cpp

namespace {

using Params = std::map<std::string, std::string>;

bool staffScreen(Screen s) {
    return s == Screen::StaffPin || s == Screen::StaffPanel;
}

bool sameMessage(const effect::SpeakKey& a, const effect::SpeakKey& b) {
    return a.key == b.key && a.params == b.params;
}

Params fieldParams(const FieldMessage& m) {
    return {{"count", std::to_string(m.count)}, {"max", std::to_string(m.max)}};
}

}  // namespace

Flow::ShownMessages Flow::shownMessages() const {
    const State& s = m_state;
    ShownMessages shown;
    if (staffScreen(s.screen)) return shown;
    auto add = [&](const std::string& key, Params params) {
        if (!key.empty()) shown.messages.push_back(effect::SpeakKey{key, std::move(params)});
    };
    add(s.bannerKey, {});
    for (const auto& [field, m] : s.errors)
        if (screenOf(field) == s.screen) add(m.key, fieldParams(m));
    if (s.screen == Screen::TrackEntry || s.screen == Screen::TrackResult)
        add(s.tracking.messageKey, {{"char", s.tracking.badChar}, {"code", s.tracking.code}});
    if (isAdditionScreen(s.screen)) {
        for (const auto& [field, m] : s.addition.errors) add(m.key, fieldParams(m));
        add(s.addition.messageKey,
            {{"code", s.addition.code}, {"left", std::to_string(s.addition.attemptsLeft)}});
    }
    if (s.print == PrintState::Failed) add(s.printMessageKey, {});
    return shown;
}

void Flow::speakChanges(const ShownMessages& before, bool byResident, bool idleBefore,
                        std::vector<Effect>& fx) {
    State& s = m_state;
    // The countdown, once, as it appears: the person may be looking away from the screen.
    if (!idleBefore && s.idleWarning) {
        fx.push_back(effect::SpeakKey{"idle.speech"});
        return;
    }
    // The first new message on screen (one at a time: the speaker reads the latest).
    const ShownMessages after = shownMessages();
    for (const auto& m : after.messages) {
        bool seen = false;
        for (const auto& b : before.messages) seen = seen || sameMessage(m, b);
        if (!seen) {
            fx.push_back(m);
            break;
        }
    }
    // The first touch of a visit: say once that the screen can be read out, unless the person
    // already asked for it (or it is the staff opening their panel).
    if (byResident && !s.voiceOffered && hasSessionData() && !staffScreen(s.screen)) {
        s.voiceOffered = true;
        bool speaking = s.prefs.speech;
        for (const auto& e : fx)
            speaking = speaking || std::holds_alternative<effect::SpeakKey>(e) ||
                       std::holds_alternative<effect::Speak>(e) ||
                       std::holds_alternative<effect::SpeakCode>(e);
        if (!speaking) fx.push_back(effect::SpeakKey{"speech.offer"});
    }
}

}  // namespace kiosk::core
