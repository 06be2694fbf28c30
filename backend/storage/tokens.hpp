#pragma once
// Tokens that operators read out and type (enrolment, staff API), shared by both storages.
// Only the hash is stored. Pure apart from the random source; safe from any thread.
#include <string>
#include <string_view>

namespace ksync::backend {

// 20 symbols of the tracking-code alphabet in groups of five: "K7M3P-...".
std::string newToken();
// SHA-256 hex of the token with dashes and spaces removed, upper-cased (typing-tolerant).
std::string tokenHash(std::string_view token);

}  // namespace ksync::backend
