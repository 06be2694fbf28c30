#include "store/data_dir.hpp"

#include <toml++/toml.h>
#include <cstdlib>
#include <fstream>

namespace ksync::store {

std::filesystem::path defaultDataDir() {
    if (const char* env = std::getenv("KIOSK_DATA_DIR"); env && *env) return env;
    return std::filesystem::current_path() / "kiosk-data";
}

std::expected<KioskSettings, std::string> loadSettings(const DataDir& dir) {
    std::error_code ec;
    if (!std::filesystem::exists(dir.settingsFile(), ec))
        return std::unexpected("no kiosk.toml in " + dir.root.string());
    toml::table t;
    try {
        t = toml::parse_file(dir.settingsFile().string());
    } catch (const toml::parse_error& e) {
        return std::unexpected("kiosk.toml: " + std::string(e.description()) + " (line " +
                               std::to_string(e.source().begin.line) + ")");
    }
    KioskSettings s;
    s.kioskId = t["kiosk"]["id"].value_or(std::string{});
    s.centre = t["kiosk"]["centre"].value_or(std::string{});
    s.language = t["kiosk"]["language"].value_or(std::string{"vi"});
    s.backendUrl = t["backend"]["url"].value_or(std::string{});
    s.caBundle = t["backend"]["ca_bundle"].value_or(std::string{});
    s.pinnedPublicKey = t["backend"]["pinned_key"].value_or(std::string{});
    s.printerUri = t["printer"]["uri"].value_or(std::string{"none"});
    s.staffPinHash = t["staff"]["pin_hash"].value_or(std::string{});
    s.usbPath = t["usb"]["path"].value_or(std::string{"/media/kiosk-usb"});
    return s;
}

std::expected<void, std::string> saveSettings(const DataDir& dir, const KioskSettings& s) {
    toml::table t{
        {"kiosk", toml::table{{"id", s.kioskId}, {"centre", s.centre}, {"language", s.language}}},
        {"backend",
         toml::table{
             {"url", s.backendUrl}, {"ca_bundle", s.caBundle}, {"pinned_key", s.pinnedPublicKey}}},
        {"printer", toml::table{{"uri", s.printerUri}}},
        {"staff", toml::table{{"pin_hash", s.staffPinHash}}},
        {"usb", toml::table{{"path", s.usbPath}}},
    };
    std::error_code ec;
    std::filesystem::create_directories(dir.root, ec);
    const auto tmp = dir.settingsFile().string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << "# Kiosk settings (written by kioskctl init).\n" << t << "\n";
        out.flush();
        if (!out) return std::unexpected("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, dir.settingsFile(), ec);
    if (ec)
        return std::unexpected("cannot write " + dir.settingsFile().string() + ": " + ec.message());
    return {};
}

}  // namespace ksync::store
