#include "ctl/context.hpp"

#include <algorithm>
#include <iostream>

namespace kiosk::ctl {

using namespace ksync::store;
using ksync::proto::BackendConfig;
using ksync::proto::defaultBackendConfigJson;
using ksync::proto::parseBackendConfig;

DataDir Context::dir() const {
    DataDir d;
    d.root = dataDir.empty() ? defaultDataDir() : std::filesystem::path(dataDir);
    return d;
}

KioskSettings Context::settings() const {
    auto s = loadSettings(dir());
    if (!s) {
        std::error_code ec;
        if (!std::filesystem::exists(dir().settingsFile(), ec))
            throw Failure{kExitNotReady,
                          strings.format("ctl.not_initialised", {{"dir", dir().root.string()}})};
        throw Failure{kExitFailed, s.error()};
    }
    return *s;
}

Store Context::openStore() const {
    settings();  // a clear message when the directory was never initialised
    auto store = Store::open(dir().database(), Store::Open::ExistingOnly);
    if (!store) failStore(store.error());
    return std::move(*store);
}

void Context::failStore(const StoreError& e) const {
    if (e.kind == ErrorKind::NotInitialised)
        throw Failure{kExitNotReady,
                      strings.format("ctl.not_initialised", {{"dir", dir().root.string()}})};
    if (e.kind == ErrorKind::NewerSchema)
        throw Failure{kExitStorage, strings.format("store.newer_schema",
                                                   {{"found", std::to_string(e.found)},
                                                    {"supported", std::to_string(e.supported)}})};
    throw Failure{kExitStorage, strings.get(e.messageKey()) + " (" + e.detail + ")"};
}

BackendConfig Context::backendConfig(Store& store) const {
    auto cached = store.config();
    if (cached && *cached) {
        if (auto parsed = parseBackendConfig((*cached)->document)) return *parsed;
    }
    auto fallback = parseBackendConfig(defaultBackendConfigJson());
    if (!fallback)
        throw Failure{kExitFailed,
                      strings.format("ctl.default_config_invalid", {{"reason", fallback.error()}})};
    return *fallback;
}

std::string Context::categoryName(const BackendConfig& config, std::string_view code) const {
    const bool en = strings.language() == "en";
    auto nameIn = [&](const BackendConfig& c) -> std::optional<std::string> {
        const auto* cat = c.findCategory(code);
        if (!cat) return std::nullopt;
        const std::string& name = en && !cat->nameEn.empty() ? cat->nameEn : cat->nameVi;
        return name.empty() ? std::nullopt : std::optional<std::string>(name);
    };
    if (auto name = nameIn(config)) return *name;
    if (auto shipped = parseBackendConfig(defaultBackendConfigJson()))
        if (auto name = nameIn(*shipped)) return *name;
    return std::string(code);
}

void Context::printJson(const nlohmann::json& j) const {
    std::cout << j.dump(2) << "\n";
}

std::string describeAge(const Context& ctx, std::int64_t ms) {
    const std::int64_t minutes = ms / 60000;
    if (minutes < 1) return ctx.text("ctl.age.under_minute");
    const std::int64_t days = minutes / (60 * 24), hours = (minutes / 60) % 24, mins = minutes % 60;
    std::string out;
    auto part = [&](std::int64_t n, std::string_view key) {
        if (n == 0) return;
        if (!out.empty()) out += " ";
        out += ctx.strings.format(key, {{"n", std::to_string(n)}});
    };
    part(days, days == 1 ? "ctl.age.day" : "ctl.age.days");
    part(hours, "ctl.age.hours");
    if (days == 0) part(mins, "ctl.age.minutes");
    return out;
}

std::size_t displayWidth(std::string_view utf8) {
    std::size_t n = 0;
    for (char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // not a continuation byte
    return n;
}

void printRows(const std::vector<std::pair<std::string, std::string>>& rows,
               std::string_view indent, std::size_t minWidth) {
    std::size_t width = minWidth;
    for (const auto& row : rows) width = std::max(width, displayWidth(row.first) + 1);
    for (const auto& [label, value] : rows) {
        std::string padded = label + ":";
        padded.append(width - displayWidth(padded), ' ');
        std::cout << indent << padded << " " << value << "\n";
    }
}

}  // namespace kiosk::ctl
