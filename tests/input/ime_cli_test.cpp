// The `kioskctl ime` driver: one keystroke line in, one text line out.
#include "input/ime_cli.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using kiosk::input::runImeCli;

namespace {
struct Run {
    int status;
    std::string out;
    std::string err;
};
Run run(std::string_view mode, bool newStyle, const std::string& input) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    const int status = runImeCli(mode, newStyle, in, out, err);
    return {status, out.str(), err.str()};
}
}  // namespace

TEST_CASE("ime cli prints one text line per keystroke line", "[cli]") {
    const auto r = run("telex", false, "nguowif\nhoaf\r\n\nwindows\n");
    CHECK(r.status == 0);
    CHECK(r.out == "người\nhòa\n\nwindows\n");
}

TEST_CASE("ime cli new style flag selects hoà and thuỷ", "[cli]") {
    CHECK(run("telex", true, "hoaf thuyr\n").out == "hoà thuỷ\n");
    CHECK(run("vni", true, "hoa2\n").out == "hoà\n");
}

TEST_CASE("ime cli understands named keys and escapes its output", "[cli]") {
    CHECK(run("telex", false, "hoanf<BS>\n").out == "hòa\n");
    CHECK(run("telex", false, "a<ENTER>b\\c\n").out == "a\\nb\\\\c\n");
    CHECK(run("telex", false, "<lt>b> <x>\n").out == "<b> <x>\n");
    CHECK(run("simple", false, "nguoi<uw><huyen> <dd>i\n").out == "người đi\n");
    CHECK(run("telex", false, "ab<LEFT>c<END>d\n").out == "acbd\n");
    CHECK(run("off", false, "aas\n").out == "aas\n");
    CHECK(run("telex", false, "tas\b\n").out == "t\n");
}

TEST_CASE("ime cli rejects an unknown mode and reports bad UTF-8 by line number only", "[cli]") {
    const auto bad = run("qwerty", false, "a\n");
    CHECK(bad.status == 2);
    CHECK(bad.out.empty());
    const auto r = run("telex", false, "ok\n\xC3(secret\nas\n");
    CHECK(r.status == 1);
    CHECK(r.out == "ok\n\ná\n");
    CHECK(r.err.find("line 2") != std::string::npos);
    CHECK(r.err.find("secret") == std::string::npos);
}
