#pragma once
// What residents added to a case later (issue #14), for the officers' console: the case page's
// supplements (full text), ratings (face, comment) and reopen requests, and the satisfaction
// shares of /thong-ke. Read from the records linked to the case (BackendStorage::caseAdditions)
// and the rating rows. Thread-safe (no state).
#include <functional>
#include <kainjow/mustache.hpp>
#include <map>
#include <string>

#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct AdditionsText {
    std::function<std::string(const std::string&)> t;     // console string by key
    std::function<std::string(const std::string&)> text;  // a resident's text as shown
    std::function<std::string(const std::string&)> time;  // RFC 3339 UTC as local time
};

// Sets on `d`: "additions" (a list, oldest first; each has kind "supplement" or "rating", when,
// kiosk, and body / face, comment, reopen, reason), "has_additions", "supplement_count",
// "rating_face" (the current rating's face, if any) and "reopen_requested".
Result<void> addCaseAdditions(kainjow::mustache::data& d, BackendStorage& storage,
                              const std::string& trackingCode, const AdditionsText& words);

// Satisfaction counts of a group of cases (the current rating of each rated case).
struct SatisfactionCount {
    std::int64_t satisfied = 0, acceptable = 0, unsatisfied = 0;
    std::int64_t rated() const { return satisfied + acceptable + unsatisfied; }
    void add(const std::string& rating);
};

// A share of the rated cases in percent with one decimal ("66,7" in Vietnamese, "66.7" in the
// CSV with `decimalPoint` '.'); "" when nothing was rated.
std::string sharePercent(std::int64_t n, std::int64_t rated, char decimalPoint = ',');

// The satisfaction columns of /thong-ke.csv, and one group's values for them (counts, then
// shares of the rated cases in percent with a decimal point).
inline constexpr std::string_view kSatisfactionCsvColumns =
    "rated,satisfied,acceptable,unsatisfied,satisfied_share,acceptable_share,unsatisfied_share";
std::string satisfactionCsv(const SatisfactionCount& s);
// Sets "rated", "satisfied_share", "acceptable_share", "unsatisfied_share" on a /thong-ke row.
void setSatisfaction(kainjow::mustache::data& row, const SatisfactionCount& s);

// Every case's current rating (case code -> record::kRating*), for the statistics scan.
Result<std::map<std::string, std::string>> ratingsByCase(BackendStorage& storage);

}  // namespace ksync::backend
