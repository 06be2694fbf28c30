#include "record/text.hpp"

#include <utf8proc.h>

#include <cassert>
#include <cstdlib>
#include <memory>

namespace ksync::record {

bool isValidUtf8(std::string_view s) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0) return false;
        p += n;
        left -= n;
    }
    return true;
}

std::string toNfc(std::string_view s) {
    if (s.empty()) return {};
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                     static_cast<utf8proc_ssize_t>(s.size()), &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    assert(n >= 0 && "toNfc requires valid UTF-8");
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
    if (n < 0) return {};
    return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

std::size_t countCodepoints(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

namespace {

void appendUtf8(std::string& out, utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool isNonCharacter(utf8proc_int32_t cp) {
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

bool isSpace(char c) {
    return c == ' ' || c == '\n';
}

}  // namespace

std::string cleanText(std::string_view s, Lines lines) {
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        assert(n > 0 && "cleanText requires valid UTF-8");
        if (n <= 0) break;
        const bool crlf = cp == '\r' && left > 1 && p[1] == '\n';
        p += n;
        left -= n;
        if (crlf) continue;  // the LF that follows is kept
        if (cp == '\r') cp = '\n';
        if (cp == '\t') cp = ' ';
        if (cp == '\n') {
            out.push_back(lines == Lines::Multi ? '\n' : ' ');
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF || isNonCharacter(cp)) continue;
        if (cp == 0x2028 || cp == 0x2029) {
            out.push_back(lines == Lines::Multi ? '\n' : ' ');
            continue;
        }
        appendUtf8(out, cp);
    }
    size_t b = 0;
    while (b < out.size() && isSpace(out[b])) ++b;
    size_t e = out.size();
    while (e > b && isSpace(out[e - 1])) --e;
    return toNfc(std::string_view(out).substr(b, e - b));
}

std::string_view prefixCodepoints(std::string_view s, std::size_t maxCodepoints) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == maxCodepoints) return s.substr(0, i);
            ++count;
        }
    }
    return s;
}

std::string toHex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 15]);
    }
    return out;
}

}  // namespace ksync::record
