#include "proto/backend_config.hpp"

#include <nlohmann/json.hpp>

#include "text/assets.hpp"

namespace ksync::proto {

const Category* BackendConfig::findCategory(std::string_view code) const {
    for (const auto& c : categories)
        if (c.code == code) return &c;
    return nullptr;
}

std::string BackendConfig::currentAgencyName(std::string_view typed) const {
    const Agency* former = nullptr;
    int formerMatches = 0;
    for (const auto& a : agencies) {
        if (a.name == typed) return a.name;
        for (const auto& n : a.formerNames)
            if (n == typed) {
                former = &a;
                ++formerMatches;
                break;
            }
    }
    return formerMatches == 1 ? former->name : std::string(typed);
}

int BackendConfig::replyDaysFor(std::string_view typeCode, std::string_view categoryCode) const {
    const std::string type(typeCode);
    if (const Category* c = findCategory(categoryCode))
        if (auto it = c->replyDays.find(type); it != c->replyDays.end()) return it->second;
    if (auto it = replyDays.find(type); it != replyDays.end()) return it->second;
    return kDefaultReplyDays;
}

std::vector<std::string> BackendConfig::daysOff() const {
    std::vector<std::string> out = holidays;
    for (const auto& s : swappedDays)
        if (!s.off.empty()) out.push_back(s.off);
    return out;
}

std::vector<std::string> BackendConfig::workedDays() const {
    std::vector<std::string> out;
    for (const auto& s : swappedDays)
        if (!s.worked.empty()) out.push_back(s.worked);
    return out;
}

calendar::WorkingCalendar workingCalendar(const BackendConfig& config) {
    return calendar::WorkingCalendar::fromIsoDates(config.daysOff(), config.workedDays());
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
    // {"PAKN": 10, …}: whole days 0..365; other entries are ignored.
    auto dayMap = [](const nlohmann::json& o) {
        std::map<std::string, int> m;
        if (auto days = o.find("reply_days"); days != o.end() && days->is_object())
            for (const auto& [k, v] : days->items())
                if (v.is_number_integer() && v.get<int>() >= 0 && v.get<int>() <= 365)
                    m[k] = v.get<int>();
        return m;
    };
    auto isDate = [](const std::string& s) { return s.size() == 10 && s[4] == '-' && s[7] == '-'; };
    BackendConfig c;
    c.version = str(j, "version");
    if (c.version.empty()) return std::unexpected("config has no version");
    auto cats = j.find("categories");
    if (cats == j.end() || !cats->is_array() || cats->empty())
        return std::unexpected("config has no categories");
    for (const auto& e : *cats) {
        if (!e.is_object()) return std::unexpected("a category is not an object");
        Category cat{str(e, "code"), str(e, "name_vi"), str(e, "name_en"), {}, {}};
        if (cat.code.empty() || cat.nameVi.empty())
            return std::unexpected("a category lacks code or name_vi");
        if (cat.nameEn.empty()) cat.nameEn = cat.nameVi;
        cat.replyDays = dayMap(e);
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
    c.replyDays = dayMap(j);
    if (auto hol = j.find("holidays"); hol != j.end() && hol->is_array()) {
        for (const auto& e : *hol)
            if (e.is_string() && isDate(e.get<std::string>()))
                c.holidays.push_back(e.get<std::string>());
    }
    if (auto sw = j.find("swapped_days"); sw != j.end() && sw->is_array()) {
        for (const auto& e : *sw) {
            if (!e.is_object()) continue;
            SwappedDay d{str(e, "off"), str(e, "worked")};
            if (!isDate(d.off)) d.off.clear();
            if (!isDate(d.worked)) d.worked.clear();
            if (!d.off.empty() || !d.worked.empty()) c.swappedDays.push_back(std::move(d));
        }
    }
    if (auto rc = j.find("removed_categories"); rc != j.end() && rc->is_array())
        for (const auto& e : *rc) {
            if (!e.is_object() || str(e, "code").empty() || str(e, "name_vi").empty()) continue;
            Category cat{str(e, "code"), str(e, "name_vi"), str(e, "name_en"), {}, {}};
            if (cat.nameEn.empty()) cat.nameEn = cat.nameVi;
            c.removedCategories.push_back(std::move(cat));
        }
    if (auto ag = j.find("agencies"); ag != j.end() && ag->is_array())
        for (const auto& e : *ag) {
            if (!e.is_object() || str(e, "code").empty() || str(e, "name").empty()) continue;
            Agency a{str(e, "code"), str(e, "name"), false};
            if (auto dis = e.find("disabled"); dis != e.end() && dis->is_boolean())
                a.disabled = dis->get<bool>();
            if (auto fn = e.find("former_names"); fn != e.end() && fn->is_array())
                for (const auto& n : *fn)
                    if (n.is_string() && !n.get<std::string>().empty())
                        a.formerNames.push_back(n.get<std::string>());
            c.agencies.push_back(std::move(a));
        }
    if (auto kw = j.find("kiosk_wards"); kw != j.end() && kw->is_object())
        for (const auto& [k, v] : kw->items())
            if (v.is_string() && !v.get<std::string>().empty())
                c.kioskWards[k] = v.get<std::string>();
    c.hotline = str(j, "hotline");
    c.trackingBaseUrl = str(j, "tracking_base_url");
    if (!c.trackingBaseUrl.empty() && c.trackingBaseUrl.back() != '/')
        c.trackingBaseUrl.push_back('/');
    c.consentVersion = str(j, "consent_version");
    return c;
}

}  // namespace ksync::proto
