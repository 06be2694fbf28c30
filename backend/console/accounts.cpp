#include <sodium.h>

#include "console/console.hpp"

namespace ksync::backend {

bool isConsoleRole(std::string_view role) {
    return role == "ward" || role == "agency" || role == "supervisor" || role == "admin";
}

std::expected<std::string, std::string> hashPassword(std::string_view password) {
    if (sodium_init() < 0) return std::unexpected("libsodium failed to initialise");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return std::unexpected("out of memory while hashing the password");
    return std::string(out);
}

bool verifyPassword(const std::string& hash, std::string_view password) {
    if (sodium_init() < 0 || hash.empty()) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

namespace {

std::expected<void, std::string> checkPassword(std::string_view password) {
    if (password.size() < kMinPasswordLength)
        return std::unexpected("the password needs at least " + std::to_string(kMinPasswordLength) +
                               " characters");
    if (password.size() > 1024) return std::unexpected("the password is longer than 1024 bytes");
    return {};
}

}  // namespace

std::expected<void, std::string> addConsoleUser(BackendStorage& storage, ConsoleUser user,
                                                std::string_view password) {
    if (user.name.empty() || user.name.size() > 64)
        return std::unexpected("--name must have 1 to 64 characters");
    for (unsigned char c : user.name)
        if (c <= ' ' || c == 0x7f)
            return std::unexpected("--name must not contain spaces or control characters");
    if (!isConsoleRole(user.role))
        return std::unexpected("--role must be ward, agency, supervisor or admin");
    if (user.role == "ward" && user.ward.empty())
        return std::unexpected("a ward officer needs --ward");
    if (user.role == "agency" && user.agency.empty())
        return std::unexpected("an agency officer needs --agency");
    if (auto ok = checkPassword(password); !ok) return ok;
    auto hash = hashPassword(password);
    if (!hash) return std::unexpected(hash.error());
    user.passwordHash = *hash;
    auto added = storage.addConsoleUser(user);
    if (!added) return std::unexpected("storage: " + added.error().detail);
    if (!*added) return std::unexpected("a user named '" + user.name + "' exists already");
    return {};
}

std::expected<void, std::string> setConsolePassword(BackendStorage& storage,
                                                    const std::string& name,
                                                    std::string_view password) {
    if (auto ok = checkPassword(password); !ok) return ok;
    auto user = storage.consoleUser(name);
    if (!user) return std::unexpected("storage: " + user.error().detail);
    if (!*user) return std::unexpected("no user named '" + name + "'");
    auto hash = hashPassword(password);
    if (!hash) return std::unexpected(hash.error());
    ConsoleUser u = **user;
    u.passwordHash = *hash;
    u.failedLogins = 0;  // a new password lifts a lock-out
    u.lockedUntilMs = 0;
    if (auto r = storage.updateConsoleUser(u); !r)
        return std::unexpected("storage: " + r.error().detail);
    if (auto r = storage.deleteUserSessions(name); !r)
        return std::unexpected("storage: " + r.error().detail);
    return {};
}

std::expected<void, std::string> disableConsoleUser(BackendStorage& storage,
                                                    const std::string& name) {
    auto user = storage.consoleUser(name);
    if (!user) return std::unexpected("storage: " + user.error().detail);
    if (!*user) return std::unexpected("no user named '" + name + "'");
    ConsoleUser u = **user;
    u.disabled = true;
    if (auto r = storage.updateConsoleUser(u); !r)
        return std::unexpected("storage: " + r.error().detail);
    if (auto r = storage.deleteUserSessions(name); !r)
        return std::unexpected("storage: " + r.error().detail);
    return {};
}

}  // namespace ksync::backend
