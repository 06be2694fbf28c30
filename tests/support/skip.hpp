#pragma once
// A test that cannot run on this machine says so through CTest: Catch2 2.13 has no SKIP().
//
//   if (!disk.ok()) {
//       testsupport::skipTest("mount -t tmpfs not permitted (needs root)");
//       return;
//   }
//
// skipTest() records the skip and prints the reason (a Catch2 WARN). When the run ends without
// a failed assertion, the test binary's main (catch_main.cpp) exits with kSkipReturnCode, which
// every catch_discover_tests entry names as its SKIP_RETURN_CODE (tests/CMakeLists.txt): CTest
// lists the test as "Skipped", never as "Passed". A failure wins over a skip. A test may skip a
// part and go on with the rest (the run is then reported as skipped, with the reason).
//
// KIOSK_NO_SKIP=1 (set by .ci/run: CI runs as root and has Xvfb) turns a skip into a failure:
// there the machine has what every test needs, so a test that cannot run is broken.
//
// Thread-safety: from the test's own thread only (it uses Catch2's assertion macros).
#include <string>

namespace testsupport {

inline constexpr int kSkipReturnCode = 77;

// Under KIOSK_NO_SKIP=1: FAIL(reason) (throws, ends the test case). Otherwise returns.
void skipTest(const std::string& reason);

// True once skipTest() has returned in this process (read by catch_main.cpp).
bool anyTestSkipped();

}  // namespace testsupport
