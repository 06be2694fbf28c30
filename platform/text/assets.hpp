#pragma once
// Files of assets/ compiled into the binary, so every program has its defaults without an
// install step. Thread-safe (read-only data).
#include <string>
#include <string_view>

namespace platform::assets {

// The bytes of assets/<name> (e.g. "strings/vi.json", "config/default.toml"), or an empty
// view if no such file was embedded.
std::string_view embedded(std::string_view name);

// Reads assets/<name> from $KIOSK_ASSETS_DIR when that is set and the file exists there
// (lets an operator override a file without rebuilding), else the embedded copy.
std::string load(std::string_view name);

}  // namespace platform::assets
