#include "skip.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace testsupport {

namespace {

std::atomic<bool> g_skipped{false};

bool skipsAreFailures() {
    const char* v = std::getenv("KIOSK_NO_SKIP");
    return v != nullptr && std::string_view(v) == "1";
}

}  // namespace

void skipTest(const std::string& reason) {
    if (skipsAreFailures())
        FAIL("would skip, but KIOSK_NO_SKIP=1 says this machine must run it: " << reason);
    g_skipped = true;
    WARN("SKIPPED: " << reason);
}

bool anyTestSkipped() {
    return g_skipped;
}

}  // namespace testsupport
