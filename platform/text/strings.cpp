#include "text/strings.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "text/assets.hpp"

namespace platform::text {
namespace {

std::map<std::string, std::string, std::less<>> parseTable(std::string_view json) {
    std::map<std::string, std::string, std::less<>> out;
    if (json.empty()) return out;
    auto j = nlohmann::json::parse(json.begin(), json.end());
    if (!j.is_object()) throw std::runtime_error("strings: top level must be an object");
    for (auto& [k, v] : j.items()) {
        if (v.is_string()) out.emplace(k, v.get<std::string>());
    }
    return out;
}

}  // namespace

Strings Strings::fromJson(std::string_view json, std::string_view fallbackJson) {
    Strings s;
    s.m_table = parseTable(json);
    s.m_fallback = parseTable(fallbackJson);
    return s;
}

Strings Strings::load(std::string_view lang) {
    std::string vi = assets::load("strings/vi.json");
    std::string own =
        lang == "vi" ? std::string{} : assets::load("strings/" + std::string(lang) + ".json");
    Strings s = own.empty() ? fromJson(vi) : fromJson(own, vi);
    s.m_lang = own.empty() ? "vi" : std::string(lang);
    return s;
}

bool Strings::has(std::string_view key) const {
    return m_table.find(key) != m_table.end() || m_fallback.find(key) != m_fallback.end();
}

const std::string& Strings::get(std::string_view key) const {
    if (auto it = m_table.find(key); it != m_table.end()) return it->second;
    if (auto it = m_fallback.find(key); it != m_fallback.end()) return it->second;
    std::lock_guard lock(m_missing->mutex);
    auto [it, _] = m_missing->keys.emplace(std::string(key), std::string(key));
    return it->second;
}

namespace {

template <class Args>
std::string substitute(std::string out, const Args& args) {
    for (const auto& [name, value] : args) {
        std::string needle = "{" + std::string(name) + "}";
        for (size_t pos = out.find(needle); pos != std::string::npos;
             pos = out.find(needle, pos + value.size())) {
            out.replace(pos, needle.size(), value);
        }
    }
    return out;
}

}  // namespace

std::string Strings::format(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    return substitute(get(key), args);
}

std::string Strings::format(std::string_view key,
                            const std::map<std::string, std::string>& args) const {
    return substitute(get(key), args);
}

}  // namespace platform::text
