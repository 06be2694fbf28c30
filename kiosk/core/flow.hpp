#pragma once
// Flow: the resident's path through the kiosk as a state machine with no UI, storage or
// network. apply() takes an intent and the current time, changes the state, and returns the
// effects the app shell must carry out; the results of those effects come back as intents.
//
// Thread-safety: not thread-safe; the UI thread owns it. Deterministic: the same intents at
// the same times give the same states (tests rely on it).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/flow_types.hpp"

namespace kiosk::core {

// A common problem of a category, in both languages (from the backend config's
// categories[].common_problems; the app shell copies them in).
struct CommonProblem {
    std::string vi;
    std::string en;
};

struct FlowConfig {
    std::int64_t idleTimeoutMs = 60'000;  // no touch for this long: the countdown appears
    std::int64_t countdownMs = 15'000;    // then this long before everything is wiped
    std::string consentVersion;           // from the backend config
    int pinFailuresBeforeLock = 3;
    std::int64_t pinLockMs = 30'000;  // doubles with every further failure
    std::int64_t pinLockMaxMs = 15 * 60'000;
    std::map<std::string, std::vector<CommonProblem>> commonProblems;  // by category code
};

class Flow {
public:
    explicit Flow(FlowConfig config = {});

    const State& state() const { return m_state; }
    std::vector<Effect> apply(const Intent& intent, std::int64_t nowMs);

    // The draft the current form would be stored as (for tests and the review screen).
    record::Draft draft() const;
    // The string key of the instruction for a screen (read aloud by "Nghe hướng dẫn").
    static std::string instructionKey(Screen s);
    // The config changed (a newer backend config): categories may have other problems now.
    void setCommonProblems(std::map<std::string, std::vector<CommonProblem>> problems) {
        m_config.commonProblems = std::move(problems);
    }
    const std::vector<CommonProblem>& commonProblems(const std::string& category) const;

private:
    friend struct FlowVisitor;
    void go(Screen s, std::vector<Effect>& fx);
    void resetSession(std::vector<Effect>& fx);
    bool validateScreen(Screen s);  // fills m_state.errors for the fields on screen s
    void submitCode(std::string text, std::vector<Effect>& fx);
    bool hasSessionData() const;
    // Voice (flow_voice.cpp): what the resident is being told on screen before an intent, and
    // after it whatever new message appeared is read aloud; the first touch offers the guide.
    struct ShownMessages {
        std::vector<effect::SpeakKey> messages;  // in the order the screen shows them
    };
    ShownMessages shownMessages() const;
    void speakChanges(const ShownMessages& before, bool byResident, bool idleBefore,
                      std::vector<Effect>& fx);
    // Common problems (flow_problems.cpp).
    void pickCategory(const std::string& code, std::vector<Effect>& fx);
    void pickProblem(int index, std::vector<Effect>& fx);
    bool backFromProblems();  // true when Back closed the problem list

    // ---- issue #14: supplements and ratings (flow_addition.cpp) ----------------------------
    void onAddition(const intent::StartSupplement&, std::vector<Effect>& fx);
    void onAddition(const intent::StartRating&, std::vector<Effect>& fx);
    void onAddition(const intent::PickRating&, std::vector<Effect>& fx);
    void onAddition(const intent::SetReopen&, std::vector<Effect>& fx);
    void onAddition(const intent::ProofChecked&, std::vector<Effect>& fx);
    void onAddition(const intent::AdditionStored&, std::vector<Effect>& fx);
    void onAddition(const intent::AdditionFailed&, std::vector<Effect>& fx);
    // Back, Next, Confirm, Done, Reprint, a scan and typing while an addition screen is up;
    // false when the intent is not theirs (the caller goes on as before).
    bool additionBack(std::vector<Effect>& fx);
    bool additionNext(std::vector<Effect>& fx);
    bool additionConfirm(std::vector<Effect>& fx);
    bool additionDone(std::vector<Effect>& fx);
    bool additionReprint(std::vector<Effect>& fx);
    bool additionScan(const std::string& text, std::vector<Effect>& fx);
    bool additionText(FormField field, const std::string& text);
    void startAddition(AdditionKind kind, std::vector<Effect>& fx);
    void checkSecret(std::vector<Effect>& fx);
    void proofRefused(ProofResult result, std::vector<Effect>& fx);
    void afterProof(std::vector<Effect>& fx);
    bool validateAddition();  // fills addition.errors; true when nothing is wrong

    FlowConfig m_config;
    State m_state;
    bool m_returnToReview = false;
    std::int64_t m_now = 0;
};

// Which screen shows a record field (for jumping to the first error).
Screen screenOf(record::Field f);

}  // namespace kiosk::core
