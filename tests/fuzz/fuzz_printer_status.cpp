// The ESC/POS status-reply classifier: any three reply bytes (or none) give one state.
#include <cstdint>

#include "fuzz_input.hpp"
#include "print/escpos.hpp"

using namespace platform::print;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Bytes in(data, size);
    while (!in.empty()) {
        const std::uint8_t present = in.byte();
        StatusReplies r;
        if (present & 1) r.printer = in.byte();
        if (present & 2) r.offline = in.byte();
        if (present & 4) r.paper = in.byte();
        const auto s = parseStatusReplies(r);
        if (messageKey(s.state).empty() || stateName(s.state).empty())
            fuzz::fail("state without a name");
        (void)canPrint(s.state);
    }
    return 0;
}
