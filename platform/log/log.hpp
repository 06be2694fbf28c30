#pragma once
// A small event log: one line per event, "2026-11-23T04:05:06.789Z <level> <component>: <text>".
// Rule for callers: events and identifiers only (tracking codes, sequence numbers, states,
// error kinds) — never names, phones, addresses, emails or submission text. Thread-safe.
#include <filesystem>
#include <string_view>

namespace platform::log {

enum class Level { Info, Warn, Error };

// Appends to `file` from now on (creating its folder); until called, lines go to stderr.
void setFile(const std::filesystem::path& file);
void write(Level level, std::string_view component, std::string_view text);

inline void info(std::string_view component, std::string_view text) {
    write(Level::Info, component, text);
}
inline void warn(std::string_view component, std::string_view text) {
    write(Level::Warn, component, text);
}
inline void error(std::string_view component, std::string_view text) {
    write(Level::Error, component, text);
}

}  // namespace platform::log
