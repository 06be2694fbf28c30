#pragma once
// Vietnamese text folded for search: lower case, diacritics removed (đ → d), runs of white
// space as one space. "Ngập  NƯỚC" and "ngap nuoc" fold to the same "ngap nuoc". Pure; safe
// from any thread. Invalid UTF-8 is folded byte by byte as far as it goes (never throws).
#include <string>
#include <string_view>

namespace ksync::backend {

std::string foldForSearch(std::string_view text);

}  // namespace ksync::backend
