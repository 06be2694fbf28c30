#include "storage/config_repair.hpp"

#include <set>

#include <nlohmann/json.hpp>

namespace ksync::backend {

namespace {

struct Names {
    std::map<std::string, std::string> current;            // code -> name
    std::vector<std::pair<std::string, std::string>> all;  // (name, code), former names too
    std::map<std::string, std::string> kioskWards;
};

// Only what the repair needs, read leniently (a document of an older version may not pass
// today's full check; its agencies are still what they were).
std::optional<Names> read(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    Names n;
    auto str = [](const nlohmann::json& o, const char* k) {
        auto it = o.find(k);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    if (auto ag = j.find("agencies"); ag != j.end() && ag->is_array())
        for (const auto& a : *ag) {
            if (!a.is_object()) continue;
            const std::string code = str(a, "code"), name = str(a, "name");
            if (code.empty() || name.empty()) continue;
            n.current[code] = name;
            n.all.emplace_back(name, code);
            if (auto fn = a.find("former_names"); fn != a.end() && fn->is_array())
                for (const auto& f : *fn)
                    if (f.is_string() && !f.get<std::string>().empty())
                        n.all.emplace_back(f.get<std::string>(), code);
        }
    if (auto kw = j.find("kiosk_wards"); kw != j.end() && kw->is_object())
        for (const auto& [k, v] : kw->items())
            if (v.is_string() && !v.get<std::string>().empty())
                n.kioskWards[k] = v.get<std::string>();
    return n;
}

}  // namespace

ConfigRepair configRepair(const std::vector<std::string>& historyOldestFirst,
                          const std::string& served) {
    ConfigRepair out;
    if (served.empty()) return out;
    const auto now = read(served);
    if (!now) return out;
    out.kioskWards = now->kioskWards;
    std::set<std::string> currentNames;
    for (const auto& [code, name] : now->current) currentNames.insert(name);
    // Every (name, code) pair the history and the served document show.
    std::map<std::string, std::set<std::string>> codesOfName;
    auto note = [&](const Names& n) {
        for (const auto& [name, code] : n.all) codesOfName[name].insert(code);
    };
    for (const auto& doc : historyOldestFirst)
        if (auto n = read(doc)) note(*n);
    note(*now);
    for (const auto& [name, codes] : codesOfName) {
        if (currentNames.contains(name) || codes.size() != 1) continue;
        auto it = now->current.find(*codes.begin());
        if (it == now->current.end() || it->second == name) continue;  // the agency is gone
        out.agencyRenames.emplace_back(name, it->second);
    }
    return out;
}

}  // namespace ksync::backend
