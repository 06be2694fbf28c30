#pragma once
// The staff PIN, stored only as an Argon2id hash (libsodium crypto_pwhash_str).
// Thread-safe. Hashing and verifying take a few hundred milliseconds on purpose: call them off
// the UI thread.
#include <optional>
#include <string>
#include <string_view>

namespace platform::auth {

// 4 to 8 digits.
bool isAcceptablePin(std::string_view pin);
// The encoded hash ("$argon2id$..."), or nullopt if libsodium could not allocate its memory.
std::optional<std::string> hashPin(std::string_view pin);
// True only when `hash` is a valid encoded hash of `pin`.
bool verifyPin(std::string_view pin, std::string_view hash);

}  // namespace platform::auth
