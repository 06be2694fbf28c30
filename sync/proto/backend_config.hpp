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

struct Category {
    std::string code;
    std::string nameVi;
    std::string nameEn;
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

// Parses and checks the JSON document; the error names the first problem (for operators).
std::expected<BackendConfig, std::string> parseBackendConfig(std::string_view json);

// The document shipped in assets/ (always parses; a test guards that).
std::string_view defaultBackendConfigJson();

}  // namespace ksync::proto
