#pragma once
// The tracking screen's story: a code's status entries told as steps a resident can follow —
// received, forwarded (to which agency, which officer), more information asked for, deadline
// extended, answered — with the reply deadline counted in working days. Words are not made
// here: the story carries string keys and facts, the screen words them in the language shown.
//
// Pure (the flow core's rules: no UI, storage or network); thread-safe.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calendar/working_days.hpp"
#include "core/flow_types.hpp"

namespace kiosk::core {

namespace calendar = ksync::calendar;

// What a deadline is counted with: the config's holidays and its reply days by type code.
struct DeadlineRules {
    calendar::WorkingCalendar calendar;
    std::map<std::string, int> replyDays;  // "PAKN" -> 10
};

struct StoryStep {
    std::string labelKey;  // status.<status>, or track.step.submitted / track.step.extended
    std::string status;    // the entry's own status code
    std::string agency, officer, note;
    std::string at;  // RFC 3339 as received ("" when the step has no time of its own)
    std::optional<calendar::Date> expected;  // the expected reply date this step set
    bool extended = false;  // `expected` is later than the deadline before this step
};

struct StoryDeadline {
    calendar::Date date;
    bool setByBackend = false;  // an expected date from the backend; else receipt + reply days
    // Answered cases: the day of the answer, and `standing` is that day's against the date
    // (on time unless Overdue). Open cases: `standing` is today's.
    std::optional<calendar::Date> answeredOn;
    calendar::Standing standing;
};

struct TrackingStory {
    std::vector<StoryStep> steps;           // oldest first
    std::string status;                     // the latest entry's status ("" without entries)
    std::optional<StoryDeadline> deadline;  // none once rejected, a duplicate, or closed unanswered
    // The step asking the resident for information, while that is where the case stands.
    std::optional<std::size_t> request;
    // The published answer (the latest answered step), once answered or closed after it.
    std::optional<std::size_t> answer;
};

// `timeline` oldest first as the app shell loads it (the kiosk's own queued/uploaded entries,
// then the backend's), for the canonical tracking code `code` (its type picks the reply days).
// The deadline is the latest expected date the backend set; without one, the day of the first
// entry (when the kiosk took the record) plus the type's reply days in working days.
TrackingStory tellStory(const std::string& code, const std::vector<StatusEntry>& timeline,
                        const DeadlineRules& rules, const calendar::Date& today);

// True for statuses after which nobody owes the resident an answer any more.
bool isFinalStatus(const std::string& status);

}  // namespace kiosk::core
