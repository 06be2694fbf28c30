#pragma once
// The tracking story in words: what the tracking screen shows and what its *Nghe* buttons
// read, part by part — the deadline ("còn 3 ngày làm việc", "quá hạn 2 ngày làm việc", "hạn
// trả lời hôm nay"), exactly what information is asked for, the published answer in full, and
// every step with its agency, officer and date. The words come from the string table the
// caller passes (the language on screen), so the screen only draws what it gets here.
//
// Pure (no UI, storage or network); thread-safe as long as `lookup` is.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/tracking_story.hpp"

namespace kiosk::core {

// A string key to its text in the language on screen ("{name}" placeholders left in).
using Lookup = std::function<std::string(std::string_view key)>;
using WordParams = std::vector<std::pair<std::string, std::string>>;
// lookup(key) with every "{name}" replaced by its value.
std::string fillWords(const Lookup& lookup, std::string_view key, const WordParams& params = {});

// How a part should stand out.
enum class Tone { Normal, Good, Warning, Danger };

struct StoryPart {
    std::string id;       // "deadline", "request", "answer", "step0"… (stable, for button ids)
    std::string heading;  // one line, in bold
    Tone tone = Tone::Normal;
    std::string status;              // steps: the entry's status code (for the timeline's marker)
    std::vector<std::string> lines;  // short facts under the heading (date, agency, officer)
    std::string body;                // a text shown in full (what is asked, the answer); may be ""
    std::string spoken;              // what *Nghe* reads: everything above, as sentences
    bool current = false;            // steps: the latest one
};

struct StoryWords {
    std::string headline;  // "Tình trạng hiện nay: Đã chuyển cơ quan xử lý"
    std::string headlineSpoken;
    std::vector<StoryPart> summary;  // the deadline, the open request, the answer (each if any)
    std::vector<StoryPart> steps;    // the timeline, oldest first
    bool answered = false;           // the answer is among the summary parts (*In kết quả*)
};

// The words of `story`. Dates are civil dates in Vietnam, written "16/12/2026" on screen and
// "ngày 16 tháng 12 năm 2026" when read aloud (keys date.short and date.spoken).
StoryWords wordStory(const TrackingStory& story, const Lookup& lookup);

// "16/12/2026" / the spoken form, through the keys above.
std::string shortDate(const Lookup& lookup, const calendar::Date& date);
std::string spokenDate(const Lookup& lookup, const calendar::Date& date);

}  // namespace kiosk::core
