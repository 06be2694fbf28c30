#include "proto/backend_config.hpp"

#include <nlohmann/json.hpp>

#include "text/assets.hpp"

namespace ksync::proto {

const Category* BackendConfig::findCategory(std::string_view code) const {
    for (const auto& c : categories)
        if (c.code == code) return &c;
    return nullptr;
}

std::string_view defaultBackendConfigJson() {
    return platform::assets::embedded("config/default-config.json");
}

std::expected<BackendConfig, std::string> parseBackendConfig(std::string_view json) {
    const auto j =
        nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return std::unexpected("config is not a JSON object");
    auto str = [](const nlohmann::json& o, const char* key) -> std::string {
        auto it = o.find(key);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    BackendConfig c;
    c.version = str(j, "version");
    if (c.version.empty()) return std::unexpected("config has no version");
    auto cats = j.find("categories");
    if (cats == j.end() || !cats->is_array() || cats->empty())
        return std::unexpected("config has no categories");
    for (const auto& e : *cats) {
        if (!e.is_object()) return std::unexpected("a category is not an object");
        Category cat{str(e, "code"), str(e, "name_vi"), str(e, "name_en"), {}};
        if (cat.code.empty() || cat.nameVi.empty())
            return std::unexpected("a category lacks code or name_vi");
        if (cat.nameEn.empty()) cat.nameEn = cat.nameVi;
        if (auto probs = e.find("common_problems"); probs != e.end()) {
            if (!probs->is_array())
                return std::unexpected("common_problems of " + cat.code + " is not an array");
            for (const auto& p : *probs) {
                if (!p.is_object() || str(p, "vi").empty())
                    return std::unexpected("a common problem of " + cat.code + " lacks vi");
                if (cat.commonProblems.size() >= kMaxCommonProblems)
                    return std::unexpected("more than " + std::to_string(kMaxCommonProblems) +
                                           " common problems in " + cat.code);
                CommonProblem cp{str(p, "vi"), str(p, "en")};
                if (cp.en.empty()) cp.en = cp.vi;
                cat.commonProblems.push_back(std::move(cp));
            }
        }
        c.categories.push_back(std::move(cat));
    }
    if (auto wards = j.find("wards"); wards != j.end() && wards->is_array()) {
        for (const auto& e : *wards)
            if (e.is_object() && !str(e, "code").empty())
                c.wards.push_back({str(e, "code"), str(e, "name")});
    }
    if (auto days = j.find("reply_days"); days != j.end() && days->is_object()) {
        for (const auto& [k, v] : days->items())
            if (v.is_number_integer() && v.get<int>() >= 0 && v.get<int>() <= 365)
                c.replyDays[k] = v.get<int>();
    }
    if (auto hol = j.find("holidays"); hol != j.end() && hol->is_array()) {
        for (const auto& e : *hol)
            if (e.is_string() && e.get<std::string>().size() == 10)
                c.holidays.push_back(e.get<std::string>());
    }
    c.hotline = str(j, "hotline");
    c.trackingBaseUrl = str(j, "tracking_base_url");
    if (!c.trackingBaseUrl.empty() && c.trackingBaseUrl.back() != '/')
        c.trackingBaseUrl.push_back('/');
    c.consentVersion = str(j, "consent_version");
    return c;
}

}  // namespace ksync::proto
