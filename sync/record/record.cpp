#include "record/record.hpp"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <stdexcept>

#include "record/text.hpp"

namespace ksync::record {
namespace {

void ensureSodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string newUuid() {
    ensureSodium();
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data(), b.size());
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    std::string hex = toHex(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string newSaltHex() {
    ensureSodium();
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data(), b.size());
    return toHex(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

}  // namespace ksync::record
