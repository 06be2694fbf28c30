#pragma once
// The backend's config document: categories, wards, reply deadlines, holidays, messages.
// The kiosk caches the latest copy (Store::config) and falls back to the default shipped in
// assets/config/default-config.json. Pure; safe from any thread.
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/working_days.hpp"

namespace ksync::proto {

// A problem residents often report in a category: one tap at the kiosk starts the content
// with it. JSON: categories[].common_problems = [{"vi": "...", "en": "..."}] (3-6 a category;
// "en" may be missing, then the Vietnamese is used).
struct CommonProblem {
    std::string vi;
    std::string en;
    bool operator==(const CommonProblem&) const = default;
};

struct Category {
    std::string code;
    std::string nameVi;
    std::string nameEn;
    // Reply deadline in working days for this category, by type code; overrides the
    // document's "reply_days" for that type ("reply_days": {"PAKN": 5} inside the category).
    std::map<std::string, int> replyDays;
    std::vector<CommonProblem> commonProblems;  // may be empty
};

// An agency cases are forwarded to ("agencies": [{"code": "AG1", "name": "…"}]). Kiosks
// ignore the list; the console offers it when forwarding (free text still works).
struct Agency {
    std::string code;
    std::string name;
    bool disabled = false;  // not offered any more; old cases keep the name
    // Names it had before a rename ("former_names"): a forward typed with one of them goes to
    // this agency under its current name (the console; a case page loaded before the rename).
    std::vector<std::string> formerNames = {};
};

// One swap set by the Prime Minister: a weekday given off and a weekend day worked in its
// place ("swapped_days": [{"off": "2026-01-02", "worked": "2026-01-10"}]). Either may be empty.
struct SwappedDay {
    std::string off;     // YYYY-MM-DD, a weekday off
    std::string worked;  // YYYY-MM-DD, a Saturday or Sunday worked
    friend bool operator==(const SwappedDay&, const SwappedDay&) = default;
};

struct Ward {
    std::string code;
    std::string name;
};

struct BackendConfig {
    std::string version;
    std::vector<Category> categories;
    // Categories an admin removed ("removed_categories", same entries; kiosks never offer them):
    // the backend still names old cases by them (codes and names only are read).
    std::vector<Category> removedCategories;
    std::vector<Ward> wards;
    std::map<std::string, int> replyDays;  // by type code
    std::vector<std::string> holidays;     // YYYY-MM-DD
    std::vector<SwappedDay> swappedDays;   // absent in documents before 2026-12 (none)
    std::vector<Agency> agencies;
    // "kiosk_wards": {"kiosk-id": "ward code"}: the ward a kiosk stands in. A case from such
    // a kiosk belongs to that ward (a ward officer's scope), whatever ward the resident chose.
    std::map<std::string, std::string> kioskWards;
    std::string hotline;
    std::string trackingBaseUrl;  // upper case, ends with '/', e.g. HTTPS://HOST/T/
    std::string consentVersion;

    const Category* findCategory(std::string_view code) const;
    // The agency name to forward to for a typed name: itself when an agency has that name (or
    // none matches), the current name when it is a former name of exactly one agency.
    std::string currentAgencyName(std::string_view typed) const;
    // The reply deadline in working days for a case of this type and category: the category's
    // own figure, else the type's, else 10 (the legal limit for a petition).
    int replyDaysFor(std::string_view typeCode, std::string_view categoryCode) const;
    // Holidays and swapped days off, and the swapped worked days, as the calendar takes them.
    std::vector<std::string> daysOff() const;
    std::vector<std::string> workedDays() const;
};

// At most this many common problems a category are kept (the kiosk shows them all at once).
inline constexpr std::size_t kMaxCommonProblems = 8;

inline constexpr int kDefaultReplyDays = 10;

// The working-day calendar of this document: the one every deadline is counted with (the
// backend's case deadlines, the console, the kiosk's receipt and tracking screen).
calendar::WorkingCalendar workingCalendar(const BackendConfig& config);

// Parses and checks the JSON document; the error names the first problem (for operators).
std::expected<BackendConfig, std::string> parseBackendConfig(std::string_view json);

// The document shipped in assets/ (always parses; a test guards that).
std::string_view defaultBackendConfigJson();

}  // namespace ksync::proto
