// The backend config document as the kiosk checks it before caching (categories, texts).
#include <cstdint>

#include "fuzz_input.hpp"
#include "proto/backend_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto cfg = ksync::proto::parseBackendConfig(fuzz::view(data, size));
    if (cfg) {
        for (const auto& c : cfg->categories)
            if (!cfg->findCategory(c.code))
                fuzz::fail("a parsed category cannot be found by its code");
    }
    return 0;
}
