#include "print/contact_mask.hpp"

#include <vector>

#include "print/font.hpp"

namespace platform::print {
namespace {

bool isSpace(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\u00A0' || c == U'\u3000';
}

}  // namespace

std::string maskName(std::string_view fullName) {
    const std::u32string text = decodeUtf8(toNfc(fullName));
    std::vector<std::u32string> words;
    std::u32string current;
    for (char32_t c : text) {
        if (isSpace(c)) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    if (words.empty()) return {};

    std::u32string out;
    if (words.size() == 1) {
        out = std::u32string(1, words[0][0]) + U".";
    } else {
        out = words[0];
        for (size_t i = 1; i < words.size(); ++i) {
            out += U' ';
            out += words[i][0];
            out += U'.';
        }
    }
    return encodeUtf8(out);
}

std::string maskPhone(std::string_view phone) {
    std::string digits;
    for (char c : phone) {
        if (c >= '0' && c <= '9') digits.push_back(c);
    }
    if (digits.empty()) return {};
    // +84 / 84 followed by a 9-digit subscriber number: national form.
    if (digits.size() == 11 && digits.compare(0, 2, "84") == 0) digits = "0" + digits.substr(2);

    const size_t n = digits.size();
    std::string masked;
    if (n < 6) {
        masked.assign(n, 'x');
    } else {
        masked = digits.substr(0, 2) + std::string(n - 5, 'x') + digits.substr(n - 3);
    }
    if (n < 6) return masked;
    // Groups of three from the right; the leading group keeps what is left (4 for a mobile).
    std::string out = masked.substr(n - 3);
    size_t end = n - 3;
    while (end > 4) {
        out = masked.substr(end - 3, 3) + " " + out;
        end -= 3;
    }
    out = masked.substr(0, end) + " " + out;
    return out;
}

}  // namespace platform::print
