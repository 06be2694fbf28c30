// Flow: common problems (issue #15). After a category tile the category screen offers that
// category's common problems; one tap starts the body with the problem (the title follows it,
// as it follows anything typed) and opens the content screen, where the person may add details
// or go on as it is. "Tôi tự viết" opens the content screen with the body as it was.
#include "core/flow.hpp"
#include "record/text.hpp"

namespace kiosk::core {

const std::vector<CommonProblem>& Flow::commonProblems(const std::string& category) const {
    static const std::vector<CommonProblem> kNone;
    auto it = m_config.commonProblems.find(category);
    return it == m_config.commonProblems.end() ? kNone : it->second;
}

void Flow::pickCategory(const std::string& code, std::vector<Effect>& fx) {
    State& s = m_state;
    if (s.screen != Screen::Category || code.empty()) return;
    s.form.category = code;
    s.errors.erase(record::Field::Category);
    // Offer the list only while the body holds nothing the person wrote: what they typed is
    // never put at risk by a pick.
    const bool bodyFree = s.form.body.empty() || s.form.body == s.form.pickedProblem;
    if (bodyFree && !commonProblems(code).empty()) {
        s.pickingProblem = true;
        if (s.prefs.speech) fx.push_back(effect::SpeakKey{"speech.problem"});
        return;
    }
    s.pickingProblem = false;
    if (m_returnToReview) {
        m_returnToReview = false;
        go(Screen::Review, fx);
    } else {
        go(Screen::Content, fx);
    }
}

void Flow::pickProblem(int index, std::vector<Effect>& fx) {
    State& s = m_state;
    if (s.screen != Screen::Category || !s.pickingProblem) return;
    const auto& list = commonProblems(s.form.category);
    if (index >= static_cast<int>(list.size())) return;
    if (index >= 0) {
        const CommonProblem& p = list[static_cast<std::size_t>(index)];
        const std::string& text = s.prefs.language == "en" && !p.en.empty() ? p.en : p.vi;
        if (s.form.body.empty() || s.form.body == s.form.pickedProblem) {
            s.form.body = text;
            s.form.pickedProblem = text;
            s.errors.erase(record::Field::Body);
            if (!s.form.titleEdited) {
                s.form.title =
                    record::isValidUtf8(text)
                        ? record::suggestTitle(record::cleanText(text, record::Lines::Multi))
                        : std::string{};
                s.errors.erase(record::Field::Title);
            }
        }
    }
    // The content screen in every case, also when editing from the review: the person sees
    // what the pick wrote and goes on from there (Next returns to the review).
    go(Screen::Content, fx);
}

bool Flow::backFromProblems() {
    if (!m_state.pickingProblem) return false;
    m_state.pickingProblem = false;
    return true;
}

}  // namespace kiosk::core
