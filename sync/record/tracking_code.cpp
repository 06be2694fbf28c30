#include "record/tracking_code.hpp"

#include "record/receipt_proof.hpp"

#include <cassert>
#include <cstdio>

namespace ksync::record {
namespace {

constexpr int kModulus = 31;
static_assert(kCodeAlphabet.size() == kModulus);

int symbolValue(char c) {
    auto pos = kCodeAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

int weightAt(size_t i) {
    return static_cast<int>(i % 30) + 1;
}

}  // namespace

int normaliseCodeChar(unsigned char c) {
    if (c == '-' || c == ' ' || c == '.' || c == '_') return 0;
    if (c >= 'a' && c <= 'z') c = static_cast<unsigned char>(c - 'a' + 'A');
    switch (c) {
        case 'O':
            return '0';
        case 'I':
        case 'L':
            return '1';
        case 'Z':
            return '2';
        case 'U':
            return 'V';
        default:
            break;
    }
    return symbolValue(static_cast<char>(c)) >= 0 ? c : -1;
}

namespace {

// One UTF-8 character starting at s[i], for error messages.
std::string charAt(std::string_view s, size_t i) {
    size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    return std::string(s.substr(i, n));
}

}  // namespace

std::string_view typeCode(RecordType t) {
    return t == RecordType::Pakn ? "PAKN" : "SKGP";
}

std::optional<RecordType> parseRecordType(std::string_view code) {
    if (code == "PAKN") return RecordType::Pakn;
    if (code == "SKGP") return RecordType::Skgp;
    return std::nullopt;
}

bool isValidKioskId(std::string_view id) {
    if (id.size() != kKioskIdLength) return false;
    for (char c : id)
        if (symbolValue(c) < 0) return false;
    return true;
}

char checkSymbol(std::string_view payload) {
    int sum = 0;
    for (size_t i = 0; i < payload.size(); ++i) {
        int v = symbolValue(payload[i]);
        assert(v >= 0);
        sum = (sum + weightAt(i) * v) % kModulus;
    }
    const int w = weightAt(payload.size());
    for (int c = 0; c < kModulus; ++c)
        if ((sum + w * c) % kModulus == 0) return kCodeAlphabet[static_cast<size_t>(c)];
    assert(false && "31 is prime: some c always balances the sum");
    return '0';
}

std::string TrackingCode::text() const {
    char seq[32];
    std::snprintf(seq, sizeof seq, "%0*llu", kMinSequenceDigits,
                  static_cast<unsigned long long>(sequence));
    std::string out;
    out.append(typeCode(type)).append("-").append(kioskId).append("-").append(seq).append("-");
    out.push_back(check);
    return out;
}

std::string makeTrackingCode(RecordType type, std::string_view kioskId, std::uint64_t sequence) {
    assert(isValidKioskId(kioskId) && sequence >= 1);
    TrackingCode code{type, std::string(kioskId), sequence, '0'};
    char seq[32];
    std::snprintf(seq, sizeof seq, "%0*llu", kMinSequenceDigits,
                  static_cast<unsigned long long>(sequence));
    code.check = checkSymbol(std::string(typeCode(type)) + std::string(kioskId) + seq);
    return code.text();
}

std::string_view CodeParseError::messageKey() const {
    switch (error) {
        case CodeError::Empty:
            return "code.empty";
        case CodeError::BadFormat:
            return "code.bad_format";
        case CodeError::BadChar:
            return "code.bad_char";
        case CodeError::BadType:
            return "code.bad_type";
        case CodeError::BadCheck:
            return "code.bad_check";
    }
    return "code.bad_format";
}

std::expected<TrackingCode, CodeParseError> parseTrackingCode(std::string_view input) {
    // A receipt's QR may carry the proof after '#' (receipt_proof.hpp): the code is before it.
    // Only a real secret is cut off; any other '#' stays a character codes never contain.
    if (auto hash = input.rfind('#');
        hash != std::string_view::npos && parseSecret(input.substr(hash + 1)))
        input = input.substr(0, hash);
    // A scanned QR gives the whole URL: keep what follows the last '/'.
    if (auto slash = input.rfind('/'); slash != std::string_view::npos)
        input = input.substr(slash + 1);
    while (!input.empty() && (input.front() == ' ' || input.front() == '\t' ||
                              input.front() == '\n' || input.front() == '\r'))
        input.remove_prefix(1);
    while (!input.empty() && (input.back() == ' ' || input.back() == '\t' || input.back() == '\n' ||
                              input.back() == '\r'))
        input.remove_suffix(1);
    if (input.empty()) return std::unexpected(CodeParseError{CodeError::Empty, {}});

    std::string s;
    for (size_t i = 0; i < input.size(); ++i) {
        int c = normaliseCodeChar(static_cast<unsigned char>(input[i]));
        if (c == 0) continue;
        if (c < 0) return std::unexpected(CodeParseError{CodeError::BadChar, charAt(input, i)});
        s.push_back(static_cast<char>(c));
    }
    // type(4) + kiosk(4) + sequence(>= 1 digit) + check(1)
    if (s.size() < 4 + kKioskIdLength + 1 + 1 || s.size() > 4 + kKioskIdLength + 19 + 1)
        return std::unexpected(CodeParseError{CodeError::BadFormat, {}});
    auto type = parseRecordType(std::string_view(s).substr(0, 4));
    if (!type) return std::unexpected(CodeParseError{CodeError::BadType, {}});
    const std::string_view kiosk = std::string_view(s).substr(4, kKioskIdLength);
    const std::string_view digits =
        std::string_view(s).substr(4 + kKioskIdLength, s.size() - 4 - kKioskIdLength - 1);
    // Codes are printed with at least six digits and no extra leading zero.
    if (digits.size() < kMinSequenceDigits ||
        (digits.size() > kMinSequenceDigits && digits[0] == '0'))
        return std::unexpected(CodeParseError{CodeError::BadFormat, {}});
    std::uint64_t seq = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') {
            // A letter where digits belong is a typo; the check symbol would catch it too.
            return std::unexpected(CodeParseError{CodeError::BadCheck, {}});
        }
        seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (checkSymbol(std::string_view(s).substr(0, s.size() - 1)) != s.back())
        return std::unexpected(CodeParseError{CodeError::BadCheck, {}});
    if (seq == 0) return std::unexpected(CodeParseError{CodeError::BadFormat, {}});
    return TrackingCode{*type, std::string(kiosk), seq, s.back()};
}

}  // namespace ksync::record
