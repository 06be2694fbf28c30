#include <cstdlib>

#include "test_support.hpp"

namespace testsupport {

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

}  // namespace testsupport
