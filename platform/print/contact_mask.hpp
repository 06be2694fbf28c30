#pragma once
// Masking of personal data for the printed receipt (DESIGN: never the full phone or name).
// Pure functions; thread-safe.
#include <string>
#include <string_view>

namespace platform::print {

// Keeps the family name (first word) and the initials of the other words:
//   "Nguyễn Văn An" -> "Nguyễn V. A.",  "Trần Bình" -> "Trần B.",  "Lan" -> "L."
// (a single word may be a given name alone, so it is reduced to its initial).
// Whitespace is collapsed, text is NFC. Empty or blank input gives "".
std::string maskName(std::string_view fullName);

// Keeps the first two and the last three digits, masks the rest with 'x' and groups them
// like a Vietnamese mobile number: "0912345123" -> "09xx xxx 123". "+84 912 345 123" and
// "84912345123" are first rewritten to the national form "0912345123". Non-digits are
// ignored; digits are grouped in threes from the right. Fewer than 6 digits reveal nothing:
// every digit becomes 'x'. Empty input gives "".
std::string maskPhone(std::string_view phone);

}  // namespace platform::print
