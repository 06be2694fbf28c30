#include "service/search_fold.hpp"

#include <utf8proc.h>

#include <cstdlib>

namespace ksync::backend {

std::string foldForSearch(std::string_view text) {
    utf8proc_uint8_t* mapped = nullptr;
    const auto n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                     static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                                    UTF8PROC_CASEFOLD | UTF8PROC_STABLE));
    std::string folded;
    if (n >= 0 && mapped)
        folded.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
    std::free(mapped);
    if (n < 0) {
        for (unsigned char c : text) folded += c < 0x80 ? static_cast<char>(std::tolower(c)) : ' ';
    }
    std::string out;
    out.reserve(folded.size());
    bool space = true;  // drops leading white space
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(folded[i]);
        // đ (U+0111) and Đ (U+0110, case-folded to đ) have no decomposition.
        if (c == 0xC4 && i + 1 < folded.size() &&
            (static_cast<unsigned char>(folded[i + 1]) == 0x91 ||
             static_cast<unsigned char>(folded[i + 1]) == 0x90)) {
            out += 'd';
            ++i;
            space = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!space) out += ' ';
            space = true;
            continue;
        }
        out += static_cast<char>(c);
        space = false;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace ksync::backend
