// The city backend must not drag in the kiosk's device libraries (printing, speech, GL): it
// runs on servers without them. And it must be able to talk to PostgreSQL (libpq).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "run_process.hpp"

namespace {

// The sonames ldd resolves for the kiosk-backend binary ("libpq.so.5 => /lib/... (0x...)").
std::vector<std::string> linkedLibraries() {
    const auto r = testsupport::runProcess("/usr/bin/ldd", {KIOSK_BACKEND_BIN});
    INFO("ldd " << KIOSK_BACKEND_BIN << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    std::vector<std::string> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string name;
        if (words >> name) out.push_back(name);
    }
    REQUIRE_FALSE(out.empty());
    return out;
}

bool links(const std::vector<std::string>& libs, const std::string& prefix) {
    for (const auto& l : libs)
        if (l.rfind(prefix, 0) == 0) return true;
    return false;
}

}  // namespace

TEST_CASE("kiosk-backend links none of the kiosk's printing, speech or GL libraries") {
    const auto libs = linkedLibraries();
    for (const char* forbidden : {"libcups.", "libespeak-ng.", "libpcaudio.", "libGL.", "libglfw.",
                                  "libOpenGL.", "libGLX.", "libEGL."}) {
        INFO("kiosk-backend links " << forbidden);
        CHECK_FALSE(links(libs, forbidden));
    }
}

TEST_CASE("kiosk-backend links libpq for PostgreSQL storage") {
    CHECK(links(linkedLibraries(), "libpq.so"));
}
