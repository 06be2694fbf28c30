#pragma once
// Table-driven engine cases: every row is one keystroke sequence and the text it must give.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace testinput {

struct Case {
    std::string_view keys;
    std::string_view expected;
};

// Checks every row; returns how many rows were checked (the suites count their cases).
template <class Typer>
std::size_t checkCases(const std::vector<Case>& cases, Typer&& type) {
    for (const auto& c : cases) {
        INFO("keys: " << c.keys);
        CHECK(type(c.keys) == std::string(c.expected));
    }
    return cases.size();
}

}  // namespace testinput
