#pragma once
// A kiosk's data directory: kiosk.toml (its identity and settings) and kiosk.db.
// `kioskctl init` creates it; the kiosk, the sync worker and kioskctl read it.
// Functions are safe from any thread (they touch only the files named).
#include <expected>
#include <filesystem>
#include <string>

namespace ksync::store {

struct KioskSettings {
    std::string kioskId;  // 4 symbols of the tracking-code alphabet
    std::string centre;   // centre name printed on receipts
    std::string language = "vi";
    std::string backendUrl;  // e.g. https://phananh.example.gov.vn or http://127.0.0.1:8470
    std::string printerUri = "none";
    std::string caBundle;      // optional CA file for TLS: then only this CA is trusted
    std::string staffPinHash;  // Argon2id hash of the staff PIN; empty: the staff panel stays shut
    std::string usbPath =
        "/media/kiosk-usb";  // where a staff member's USB stick is mounted ([usb] path)
    // Optional pin of the TLS server's public key, as curl takes it: sha256//<base64>[;sha256//…]
    // ([backend] pinned_key). With TLS terminated by nginx, that is nginx's certificate key.
    std::string pinnedPublicKey;
};

struct DataDir {
    std::filesystem::path root;
    std::filesystem::path settingsOverride;  // a kiosk.toml elsewhere (kiosk --config)
    std::filesystem::path settingsFile() const {
        return settingsOverride.empty() ? root / "kiosk.toml" : settingsOverride;
    }
    std::filesystem::path database() const { return root / "kiosk.db"; }
    std::filesystem::path logDir() const { return root / "log"; }
};

// The directory to use when none is given: $KIOSK_DATA_DIR, else ./kiosk-data.
std::filesystem::path defaultDataDir();

// Reads kiosk.toml; the error is a one-line English/Vietnamese-neutral reason for operators.
std::expected<KioskSettings, std::string> loadSettings(const DataDir& dir);
// Writes kiosk.toml atomically (temp file + rename).
std::expected<void, std::string> saveSettings(const DataDir& dir, const KioskSettings& s);

}  // namespace ksync::store
