// The main of every test binary (kiosk_test in tests/CMakeLists.txt), instead of
// Catch2::Catch2WithMain: the same Catch2 session, plus the skip exit code of skip.hpp.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "skip.hpp"

int main(int argc, char* argv[]) {
    const int result = Catch::Session().run(argc, argv);
    // Catch2 returns the number of failed assertions (or an error code): never let one read as
    // the skip code.
    if (result != 0) return result == testsupport::kSkipReturnCode ? 1 : result;
    return testsupport::anyTestSkipped() ? testsupport::kSkipReturnCode : 0;
}
