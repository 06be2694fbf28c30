// The forgiving tracking-code parser (typed, scanned, whole URLs). Invariant: whatever it
// accepts, it prints back in canonical form, and that form parses to the same code.
#include <cstdint>

#include "fuzz_input.hpp"
#include "record/tracking_code.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;
    auto code = ksync::record::parseTrackingCode(fuzz::view(data, size));
    if (!code) return 0;
    const std::string canonical = code->text();
    auto again = ksync::record::parseTrackingCode(canonical);
    if (!again) fuzz::fail("the canonical form of an accepted code does not parse");
    if (again->text() != canonical) fuzz::fail("canonical form is not stable");
    return 0;
}
