// The tracking story in words: the deadline's standing, the open request, the answer and the
// steps, each shown and spoken (dates differ: "16/12/2026" on screen, "ngày 16 tháng 12 năm
// 2026" aloud, since espeak-ng reads slashes as fractions).
#include "core/tracking_words.hpp"

namespace kiosk::core {

namespace {

std::string twoDigits(int v) {
    return (v < 10 ? "0" : "") + std::to_string(v);
}

// One line as shown and as read aloud.
struct Said {
    std::string shown, spoken;
};

class Words {
public:
    explicit Words(const Lookup& lookup) : m_lookup(lookup) {}

    std::string text(std::string_view key, const WordParams& params = {}) const {
        return fillWords(m_lookup, key, params);
    }
    // A key whose {date} is a date: shown short, spoken in words.
    Said dated(std::string_view key, const calendar::Date& date, WordParams params = {}) const {
        WordParams shown = params, spoken = std::move(params);
        shown.emplace_back("date", shortDate(m_lookup, date));
        spoken.emplace_back("date", spokenDate(m_lookup, date));
        return {text(key, shown), text(key, spoken)};
    }
    Said plain(std::string_view key, const WordParams& params = {}) const {
        std::string s = text(key, params);
        return {s, s};
    }
    // "Cơ quan xử lý: Phòng Quản lý đô thị"
    Said field(std::string_view labelKey, const std::string& value) const {
        std::string s = text(labelKey) + ": " + value;
        return {s, s};
    }
    // A working-day count with its singular form ("…_one") where the language has one.
    Said days(std::string_view key, int n) const {
        const std::string one = std::string(key) + "_one";
        if (n == 1) return plain(one);
        return plain(key, {{"days", std::to_string(n)}});
    }

private:
    const Lookup& m_lookup;
};

// Sentences for the speech engine: a full stop after each piece that does not end in one.
void addSentence(std::string& out, const std::string& piece) {
    if (piece.empty()) return;
    if (!out.empty()) out += ' ';
    out += piece;
    const char last = piece.back();
    if (last != '.' && last != '!' && last != '?' && last != ':') out += '.';
}

StoryPart makePart(std::string id, const Said& heading, Tone tone, const std::vector<Said>& lines,
                   const std::string& body) {
    StoryPart p;
    p.id = std::move(id);
    p.heading = heading.shown;
    p.tone = tone;
    addSentence(p.spoken, heading.spoken);
    for (const Said& l : lines) {
        p.lines.push_back(l.shown);
        addSentence(p.spoken, l.spoken);
    }
    p.body = body;
    addSentence(p.spoken, body);
    return p;
}

// Date, agency and officer of a step, as far as they are known.
std::vector<Said> whoAndWhen(const Words& w, const StoryStep& s, std::string_view dateKey) {
    std::vector<Said> lines;
    if (auto d = calendar::localDateOf(s.at)) lines.push_back(w.dated(dateKey, *d));
    if (!s.agency.empty()) lines.push_back(w.field("track.agency", s.agency));
    if (!s.officer.empty()) lines.push_back(w.field("track.officer", s.officer));
    return lines;
}

StoryPart deadlinePart(const Words& w, const StoryDeadline& d) {
    using Kind = calendar::Standing::Kind;
    const Said heading = w.dated("track.deadline.heading", d.date);
    std::vector<Said> lines;
    Tone tone = Tone::Normal;
    if (d.answeredOn) {
        // Answered on a day off just after the deadline counts as in time: no working day was lost.
        const bool late = d.standing.kind == Kind::Overdue && d.standing.workingDays > 0;
        lines.push_back(late ? w.days("track.deadline.answered_late", d.standing.workingDays)
                             : w.plain("track.deadline.answered_on_time"));
        tone = late ? Tone::Warning : Tone::Good;
    } else {
        switch (d.standing.kind) {
            case Kind::Ahead:
                lines.push_back(w.days("track.deadline.ahead", d.standing.workingDays));
                tone = Tone::Good;
                break;
            case Kind::DueToday:
                lines.push_back(w.plain("track.deadline.today"));
                tone = Tone::Warning;
                break;
            case Kind::Overdue:
                lines.push_back(d.standing.workingDays > 0
                                    ? w.days("track.deadline.overdue", d.standing.workingDays)
                                    : w.plain("track.deadline.passed"));
                tone = Tone::Danger;
                break;
        }
    }
    if (!d.setByBackend) lines.push_back(w.plain("track.deadline.by_rule"));
    return makePart("deadline", heading, tone, lines, "");
}

StoryPart requestPart(const Words& w, const StoryStep& s) {
    const std::string body = s.note.empty() ? w.text("track.request.no_detail") : s.note;
    return makePart("request", w.plain("track.request.heading"), Tone::Warning,
                    whoAndWhen(w, s, "track.request.date"), body);
}

StoryPart answerPart(const Words& w, const StoryStep& s) {
    const std::string body = s.note.empty() ? w.text("track.answer.no_text") : s.note;
    return makePart("answer", w.plain("track.answer.heading"), Tone::Good,
                    whoAndWhen(w, s, "track.answer.date"), body);
}

StoryPart stepPart(const Words& w, const TrackingStory& story, std::size_t i) {
    const StoryStep& s = story.steps[i];
    std::vector<Said> lines = whoAndWhen(w, s, "track.step.date");
    if (s.expected)
        lines.push_back(
            w.dated(s.extended ? "track.step.extended_to" : "track.step.expected", *s.expected));
    // The answer and the open request are shown in full above; the step points there.
    std::string body = s.note;
    if (story.answer == i && !s.note.empty())
        lines.push_back(w.plain("track.step.answer_above")), body.clear();
    if (story.request == i && !s.note.empty())
        lines.push_back(w.plain("track.step.request_above")), body.clear();
    const Tone tone = s.status == "needs_info"                            ? Tone::Warning
                      : s.status == "rejected" || s.status == "duplicate" ? Tone::Danger
                      : s.status == "answered"                            ? Tone::Good
                                                                          : Tone::Normal;
    StoryPart p = makePart("step" + std::to_string(i), w.plain(s.labelKey), tone, lines, body);
    p.status = s.status;
    p.current = i + 1 == story.steps.size();
    return p;
}

}  // namespace

std::string fillWords(const Lookup& lookup, std::string_view key, const WordParams& params) {
    std::string text = lookup(key);
    for (const auto& [name, value] : params) {
        const std::string token = "{" + name + "}";
        for (std::size_t at = text.find(token); at != std::string::npos;
             at = text.find(token, at + value.size()))
            text.replace(at, token.size(), value);
    }
    return text;
}

std::string shortDate(const Lookup& lookup, const calendar::Date& d) {
    return fillWords(
        lookup, "date.short",
        {{"dd", twoDigits(d.day)}, {"mm", twoDigits(d.month)}, {"yyyy", std::to_string(d.year)}});
}

std::string spokenDate(const Lookup& lookup, const calendar::Date& d) {
    return fillWords(lookup, "date.spoken",
                     {{"d", std::to_string(d.day)},
                      {"m", std::to_string(d.month)},
                      {"yyyy", std::to_string(d.year)}});
}

StoryWords wordStory(const TrackingStory& story, const Lookup& lookup) {
    const Words w(lookup);
    StoryWords out;
    if (story.steps.empty()) return out;
    out.headline = w.text("track.now", {{"status", w.text("status." + story.status)}});
    addSentence(out.headlineSpoken, out.headline);
    if (story.deadline) out.summary.push_back(deadlinePart(w, *story.deadline));
    if (story.request) out.summary.push_back(requestPart(w, story.steps[*story.request]));
    if (story.answer) out.summary.push_back(answerPart(w, story.steps[*story.answer]));
    out.answered = story.answer.has_value();
    for (std::size_t i = 0; i < story.steps.size(); ++i) out.steps.push_back(stepPart(w, story, i));
    return out;
}

}  // namespace kiosk::core
