// The tracking story: which entries become steps, which step extended the deadline, what is
// being asked of the resident, which answer is published, and the deadline in working days.
#include "core/tracking_story.hpp"

namespace kiosk::core {

namespace {

// The kiosk writes its own "uploaded" entry with the record's time, since it keeps no upload
// time: once the backend's entries follow it says nothing, and alone it has no time to show.
bool isKioskUploaded(const std::vector<StatusEntry>& t, std::size_t i) {
    return t[i].status == "uploaded" && i > 0 && t[i - 1].status == "queued";
}

std::optional<std::size_t> lastStep(const std::vector<StoryStep>& steps, const std::string& status,
                                    bool withNote) {
    for (std::size_t i = steps.size(); i-- > 0;)
        if (steps[i].status == status && (!withNote || !steps[i].note.empty())) return i;
    return std::nullopt;
}

}  // namespace

bool isFinalStatus(const std::string& status) {
    return status == "answered" || status == "closed" || status == "rejected" ||
           status == "duplicate";
}

TrackingStory tellStory(const std::string& code, const std::vector<StatusEntry>& timeline,
                        const DeadlineRules& rules, const calendar::Date& today) {
    TrackingStory story;
    if (timeline.empty()) return story;
    // The clock starts on the day the kiosk took the record (DESIGN: "when the kiosk committed").
    std::optional<calendar::Date> deadline;
    if (auto first = calendar::localDateOf(timeline.front().at))
        if (auto days = rules.replyDays.find(code.substr(0, code.find('-')));
            days != rules.replyDays.end())
            deadline = rules.calendar.addWorkingDays(*first, days->second);
    bool setByBackend = false;

    for (std::size_t i = 0; i < timeline.size(); ++i) {
        const StatusEntry& e = timeline[i];
        const bool last = i + 1 == timeline.size();
        if (isKioskUploaded(timeline, i) && !last) continue;
        StoryStep step{"status." + e.status, e.status, e.agency, e.officer, e.note, e.at,
                       std::nullopt,         false};
        if (e.status == "queued" && !last) step.labelKey = "track.step.submitted";
        if (isKioskUploaded(timeline, i)) step.at.clear();
        if (auto expected = calendar::parseIsoDate(e.expectedDate)) {
            step.expected = expected;
            step.extended = deadline && *expected > *deadline;
            // The same stage again with only a later date: the step is the extension itself.
            if (step.extended && !story.steps.empty() && story.steps.back().status == e.status)
                step.labelKey = "track.step.extended";
            deadline = expected;
            setByBackend = true;
        }
        story.steps.push_back(std::move(step));
    }
    story.status = timeline.back().status;

    if (story.status == "needs_info")
        story.request = lastStep(story.steps, "needs_info", true)
                            ? lastStep(story.steps, "needs_info", true)
                            : lastStep(story.steps, "needs_info", false);
    if (story.status == "answered" || story.status == "closed")
        story.answer = lastStep(story.steps, "answered", false);

    // Nobody owes an answer to a rejected or duplicate case, nor to one closed without one.
    const bool owed = !isFinalStatus(story.status) || story.answer;
    if (deadline && owed) {
        StoryDeadline d;
        d.date = *deadline;
        d.setByBackend = setByBackend;
        if (story.answer) d.answeredOn = calendar::localDateOf(story.steps[*story.answer].at);
        d.standing = calendar::standing(rules.calendar, d.answeredOn.value_or(today), *deadline);
        story.deadline = d;
    }
    return story;
}

}  // namespace kiosk::core
