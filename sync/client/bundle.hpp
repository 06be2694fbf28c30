#pragma once
// The kiosk's side of USB bundles (proto/bundle.hpp, docs/PROTOCOL.md "Bundles"): export what
// is not yet acknowledged to a stick, and apply a return bundle the backend wrote.
//
// Export changes nothing in the kiosk's database except sealing plain records (as a sync pass
// would) and noting when it ran: records stay queued until an acknowledgement arrives, by link
// or by return bundle, so exporting twice is harmless. Import is one transaction: a refused or
// interrupted import leaves the database as it was.
//
// Thread-safety: each call opens its own Store connection; call from any one thread.
// Errors: BundleError values (refusal + English detail); bundleMessageKey() names the words.
#include <cstdint>
#include <expected>
#include <functional>
#include <string>

#include "proto/bundle.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"

namespace ksync::client {

struct ExportOptions {
    std::string appVersion = "0.1.0";
    std::function<std::string()> printerState;  // default "unknown"
    std::int64_t nowMs = 0;                     // 0: the system clock
};

struct ExportReport {
    std::string file;  // the bundle written
    std::size_t records = 0;
    std::uint64_t firstSequence = 0, lastSequence = 0;
    std::size_t sealedFirst = 0;  // plain records sealed before they left
    std::uint64_t bytes = 0;
};

struct ImportReport {
    std::size_t acknowledged = 0;
    std::size_t quarantined = 0;
    std::size_t stillQueued = 0;  // the backend kept them for later, or they were not in the bundle
    std::size_t statusUpdates = 0;
    bool configTaken = false;
    std::string configVersion;
    std::string dictionary;  // the payload dictionary installed, if any
    std::string inReplyTo;
};

// Notes that a resident looked up `code`, a code this kiosk does not know (another kiosk's): the
// next to_city bundle asks the backend for its status, so the return bundle brings it back. The
// newest kMaxAskedCodes are kept, each once; nothing else about the lookup is stored.
inline constexpr std::size_t kMaxAskedCodes = 200;
store::Result<void> rememberAskedCode(store::Store& db, std::string_view code);

// Writes one to_city bundle into `toDir` (which must exist: the stick's mount point).
std::expected<ExportReport, proto::BundleError> exportBundle(const store::DataDir& dir,
                                                             const std::string& toDir,
                                                             const ExportOptions& options = {});
// Applies one return bundle file.
std::expected<ImportReport, proto::BundleError> importBundle(const store::DataDir& dir,
                                                             const std::string& file);
// The newest return bundle for this kiosk in `fromDir` (by file name), for the staff panel.
std::expected<std::string, proto::BundleError> findReturnBundle(const store::DataDir& dir,
                                                                const std::string& fromDir);

// "bundle.refused.<code>" (assets/strings): the words for a refusal.
std::string bundleMessageKey(const proto::BundleError& e);

// The heartbeat a sync pass sends and a bundle carries.
proto::HeartbeatRequest currentHeartbeat(store::Store& db, const std::string& appVersion,
                                         const std::function<std::string()>& printerState,
                                         std::int64_t nowMs);

// sync_state keys this module writes.
inline constexpr std::string_view kStateReturnIssuedMs = "return_bundle_issued_ms";
inline constexpr std::string_view kStateLastExportAt = "last_export_at";
inline constexpr std::string_view kStateLastImportAt = "last_import_at";
inline constexpr std::string_view kStateAskedCodes =
    "asked_codes";  // JSON array of other kiosks' codes

}  // namespace ksync::client
