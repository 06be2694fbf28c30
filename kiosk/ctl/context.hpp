#pragma once
// What every kioskctl subcommand shares: global options, strings, output and failure.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/backend_config.hpp"
#include "store/data_dir.hpp"
#include "store/store.hpp"
#include "text/strings.hpp"

namespace kiosk::ctl {

// Exit codes (documented in the README).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed =
    1;  // the operation said no: invalid input, not found, verify failed
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitNotReady = 3;  // data directory not initialised
inline constexpr int kExitStorage = 4;   // disk full, read-only, locked, newer schema, corrupt

// Thrown by commands to end with a one-line reason on stderr and an exit code.
struct Failure {
    int code;
    std::string message;
};

struct Context {
    std::string dataDir;
    bool json = false;
    std::string lang = "vi";
    platform::text::Strings strings;

    ksync::store::DataDir dir() const;
    ksync::store::KioskSettings settings() const;  // throws Failure when not initialised
    ksync::store::Store openStore() const;         // throws Failure
    ksync::proto::BackendConfig backendConfig(ksync::store::Store& store) const;
    // A category's name in this run's language, as the kiosk's screens and receipts name it: from
    // `config` (the cached one), else from the default categories shipped with the software (a
    // record whose category a newer config retired), else the code itself.
    std::string categoryName(const ksync::proto::BackendConfig& config,
                             std::string_view code) const;
    [[noreturn]] void failStore(const ksync::store::StoreError& e) const;
    const std::string& text(std::string_view key) const { return strings.get(key); }
    void printJson(const nlohmann::json& j) const;
};

void registerInit(CLI::App& app, Context& ctx);
void registerSubmit(CLI::App& app, Context& ctx);
void registerRecords(CLI::App& app, Context& ctx);   // list, show
void registerStatus(CLI::App& app, Context& ctx);    // status, backup, verify, categories
void registerCode(CLI::App& app, Context& ctx);      // code check
void registerSync(CLI::App& app, Context& ctx);      // enroll, sync
void registerReceipt(CLI::App& app, Context& ctx);   // receipt, print, printer-status, say
void registerAnswer(CLI::App& app, Context& ctx);    // print-answer
void registerStaff(CLI::App& app, Context& ctx);     // set-pin
void registerIme(CLI::App& app, Context& ctx);       // ime
void registerBundle(CLI::App& app, Context& ctx);    // export, import (USB bundles)
void registerResident(CLI::App& app, Context& ctx);  // supplement, rate (issue #14)

// The Argon2id hash of a staff PIN; throws Failure for a PIN that is not 4-8 digits.
std::string hashStaffPin(const Context& ctx, const std::string& pin);

// "3 giờ 12 phút" / "3 h 12 min" for an age in milliseconds (ctl.age.* in the string tables).
std::string describeAge(const Context& ctx, std::int64_t ms);

// Characters (code points) in UTF-8 text. The string tables are NFC, so that is one per letter,
// diacritics included: what lines up labels on a terminal.
std::size_t displayWidth(std::string_view utf8);
// Prints "label: value" rows to stdout, each after `indent`, with the values lined up whatever
// the language of the labels: "label:" padded to the longest, or to `minWidth` characters.
void printRows(const std::vector<std::pair<std::string, std::string>>& rows,
               std::string_view indent, std::size_t minWidth = 0);

}  // namespace kiosk::ctl
