#include "storage/tokens.hpp"

#include <sodium.h>

#include <cctype>
#include <cstdint>

#include "record/record.hpp"
#include "record/tracking_code.hpp"

namespace ksync::backend {

std::string newToken() {
    std::string out;
    for (int i = 0; i < 20; ++i) {
        if (i > 0 && i % 5 == 0) out += '-';
        out += record::kCodeAlphabet[randombytes_uniform(
            static_cast<std::uint32_t>(record::kCodeAlphabet.size()))];
    }
    return out;
}

std::string tokenHash(std::string_view token) {
    std::string t;
    for (char c : token)
        if (c != '-' && c != ' ')
            t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return record::sha256Hex(t);
}

}  // namespace ksync::backend
