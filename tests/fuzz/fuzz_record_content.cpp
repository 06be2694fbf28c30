// The canonical content decoder (what the backend runs on every uploaded payload). Invariant:
// it accepts only what the encoder writes, so decode(encode(decode(x))) == decode(x) and the
// re-encoding equals the input.
#include <cstdint>

#include "fuzz_input.hpp"
#include "record/record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = fuzz::view(data, size);
    auto content = ksync::record::decodeContent(bytes);
    if (!content) return 0;
    if (ksync::record::encodeContent(*content) != bytes)
        fuzz::fail("decoded content does not re-encode to the same bytes");
    return 0;
}
