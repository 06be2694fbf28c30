#include "auth/staff_pin.hpp"

#include <sodium.h>

#include <algorithm>

namespace platform::auth {

bool isAcceptablePin(std::string_view pin) {
    return pin.size() >= 4 && pin.size() <= 8 &&
           std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> hashPin(std::string_view pin) {
    if (sodium_init() < 0) return std::nullopt;
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return std::nullopt;
    return std::string(out);
}

bool verifyPin(std::string_view pin, std::string_view hash) {
    if (sodium_init() < 0 || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    const std::string h(hash);  // crypto_pwhash_str_verify wants a NUL-terminated string
    return crypto_pwhash_str_verify(h.c_str(), pin.data(), pin.size()) == 0;
}

}  // namespace platform::auth
