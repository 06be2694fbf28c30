// suggestTitle: a short trích yếu from the body.
#include <utf8proc.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "record/text.hpp"
#include "record/validation.hpp"

namespace ksync::record {
namespace {

std::string caseFold(std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
        static_cast<utf8proc_ssize_t>(s.size()), &out,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
    if (n < 0) return std::string(s);
    return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

// Lines that address someone ("Kính gửi: ...") say nothing about the subject.
bool isSalutation(std::string_view line) {
    const std::string folded = caseFold(line);
    for (std::string_view p : {"kính gửi", "kinh gui", "đồng kính gửi", "thưa", "kính thưa"})
        if (folded.starts_with(p)) return true;
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// "1. ", "IV. ", "a) ", "- ", "• " at the start of a line.
std::string_view stripListMarker(std::string_view s) {
    for (std::string_view bullet : {"- ", "* ", "+ ", "• ", "– ", "— "})
        if (s.starts_with(bullet)) return trim(s.substr(bullet.size()));
    size_t i = 0;
    while (i < s.size() && i < 6 &&
           ((s[i] >= '0' && s[i] <= '9') ||
            std::string_view("IVXLivxlabcdef").find(s[i]) != std::string_view::npos))
        ++i;
    if (i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ')
        return trim(s.substr(i + 2));
    return s;
}

// End of the first sentence: a . ! ? ; followed by a space or the end, not too early (so
// abbreviations like "TP." do not end it).
size_t sentenceEnd(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if ((c == '.' || c == '!' || c == '?' || c == ';') &&
            (i + 1 == s.size() || s[i + 1] == ' ') && countCodepoints(s.substr(0, i)) >= 12) {
            return (c == '?' || c == '!') ? i + 1 : i;
        }
    }
    return s.size();
}

}  // namespace

std::string suggestTitle(std::string_view body) {
    std::string_view chosen;
    size_t pos = 0;
    while (pos <= body.size()) {
        const size_t nl = body.find('\n', pos);
        std::string_view line = trim(
            body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        if (!line.empty() && !isSalutation(line)) {
            chosen = line;
            break;
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    if (chosen.empty()) chosen = trim(body);
    chosen = stripListMarker(chosen);
    std::string_view sentence = trim(chosen.substr(0, sentenceEnd(chosen)));
    while (!sentence.empty() &&
           std::string_view(".,;:-").find(sentence.back()) != std::string_view::npos)
        sentence = trim(sentence.substr(0, sentence.size() - 1));
    if (countCodepoints(sentence) <= kSuggestedTitleChars) return std::string(sentence);

    // Too long: prefer a clause break, else the last word boundary, then an ellipsis.
    const std::string_view room = prefixCodepoints(sentence, kSuggestedTitleChars - 1);
    for (std::string_view sep : {", ", " – ", " - ", ": "}) {
        const size_t at = room.rfind(sep);
        if (at != std::string_view::npos && countCodepoints(room.substr(0, at)) >= 40)
            return std::string(trim(room.substr(0, at))) + "…";
    }
    const size_t space = room.rfind(' ');
    std::string_view cut =
        space != std::string_view::npos && space > 0 ? room.substr(0, space) : room;
    cut = trim(cut);
    while (!cut.empty() && std::string_view(".,;:-").find(cut.back()) != std::string_view::npos)
        cut = trim(cut.substr(0, cut.size() - 1));
    return std::string(cut) + "…";
}

}  // namespace ksync::record
