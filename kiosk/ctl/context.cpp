#include "ctl/context.hpp"

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
            throw Failure{kExitNotReady, strings.format("ctl.not_initialised", {{"dir", dir().root.string()}})};
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
        throw Failure{kExitNotReady, strings.format("ctl.not_initialised", {{"dir", dir().root.string()}})};
    if (e.kind == ErrorKind::NewerSchema)
        throw Failure{kExitStorage, strings.format("store.newer_schema", {{"found", std::to_string(e.found)},
                                                                          {"supported", std::to_string(e.supported)}})};
    throw Failure{kExitStorage, strings.get(e.messageKey()) + " (" + e.detail + ")"};
}

BackendConfig Context::backendConfig(Store& store) const {
    auto cached = store.config();
    if (cached && *cached) {
        if (auto parsed = parseBackendConfig((*cached)->document)) return *parsed;
    }
    auto fallback = parseBackendConfig(defaultBackendConfigJson());
    if (!fallback) throw Failure{kExitFailed, "default config: " + fallback.error()};
    return *fallback;
}

void Context::printJson(const nlohmann::json& j) const { std::cout << j.dump(2) << "\n"; }

std::string describeAge(const Context& ctx, std::int64_t ms) {
    const std::int64_t minutes = ms / 60000;
    const bool vi = ctx.strings.language() == "vi";
    if (minutes < 1) return vi ? "dưới 1 phút" : "under a minute";
    const std::int64_t days = minutes / (60 * 24), hours = (minutes / 60) % 24, mins = minutes % 60;
    std::string out;
    auto part = [&](std::int64_t n, const char* viUnit, const char* enUnit) {
        if (n == 0) return;
        if (!out.empty()) out += " ";
        out += std::to_string(n) + " " + (vi ? viUnit : enUnit);
    };
    part(days, "ngày", days == 1 ? "day" : "days");
    part(hours, "giờ", "h");
    if (days == 0) part(mins, "phút", "min");
    return out;
}

}  // namespace kiosk::ctl
