#pragma once
// The officers' console: server-rendered HTML under /console/ (templates in assets/console/,
// escaping by default), sessions and accounts in the database, so any backend process serves
// any request. Every page works without JavaScript. See the README ("Officers' console").
//
// Security: session cookie HttpOnly + SameSite=Strict (+ Secure when the request came over
// HTTPS: X-Forwarded-Proto is believed only from a trusted proxy address), a CSRF token in
// every form (a POST without the right one is 403), idle timeout, lock-out after repeated wrong
// passwords, a Content-Security-Policy without scripts. Contact details are shown only after a
// POST, and each such view goes to the access log table (never to the server log).
// Thread-safety: handle() may run on many threads at once.
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "service/backend_service.hpp"
#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct ConsoleOptions {
    std::vector<std::string> trustedProxies;  // peer addresses whose X-Forwarded-Proto is believed
    std::int64_t idleTimeoutMs = 30 * 60 * 1000;
    int maxFailures = 5;  // wrong passwords in a row before the lock
    std::int64_t lockMs = 15 * 60 * 1000;
    std::function<std::int64_t()> nowMs;  // default: the system clock
};

class Console {
public:
    // Loads and checks the templates and strings (throws std::runtime_error on a broken one:
    // at start, never while serving).
    Console(BackendStorage& storage, BackendService& service, ConsoleOptions options = {});
    ~Console();
    Console(const Console&) = delete;
    Console& operator=(const Console&) = delete;

    // A request whose path is /console or starts with /console/.
    HttpReply handle(const HttpRequestView& req);

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// --- accounts (kiosk-backend user ...)
// ------------------------------------------------------------
inline constexpr std::size_t kMinPasswordLength = 10;
bool isConsoleRole(std::string_view role);  // ward, agency, supervisor, admin
// Argon2id (libsodium crypto_pwhash_str, interactive limits).
std::expected<std::string, std::string> hashPassword(std::string_view password);
bool verifyPassword(const std::string& hash, std::string_view password);
// The errors are English for the operator.
std::expected<void, std::string> addConsoleUser(BackendStorage& storage, ConsoleUser user,
                                                std::string_view password);
std::expected<void, std::string> setConsolePassword(BackendStorage& storage,
                                                    const std::string& name,
                                                    std::string_view password);
// Disabling also ends the user's sessions.
std::expected<void, std::string> disableConsoleUser(BackendStorage& storage,
                                                    const std::string& name);

}  // namespace ksync::backend
