#pragma once
// The backend's config document: categories, wards, reply deadlines, holidays, messages.
// The kiosk caches the latest copy (Store::config) and falls back to the default shipped in
// assets/config/default-config.json. Pure; safe from any thread.
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

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
    std::vector<CommonProblem> commonProblems;  // may be empty
};

struct Ward {
    std::string code;
    std::string name;
};

struct BackendConfig {
    std::string version;
    std::vector<Category> categories;
    std::vector<Ward> wards;
    std::map<std::string, int> replyDays;  // by type code
    std::vector<std::string> holidays;     // YYYY-MM-DD
    std::string hotline;
    std::string trackingBaseUrl;  // upper case, ends with '/', e.g. HTTPS://HOST/T/
    std::string consentVersion;

    const Category* findCategory(std::string_view code) const;
};

// At most this many common problems a category are kept (the kiosk shows them all at once).
inline constexpr std::size_t kMaxCommonProblems = 8;

// Parses and checks the JSON document; the error names the first problem (for operators).
std::expected<BackendConfig, std::string> parseBackendConfig(std::string_view json);

// The document shipped in assets/ (always parses; a test guards that).
std::string_view defaultBackendConfigJson();

}  // namespace ksync::proto
