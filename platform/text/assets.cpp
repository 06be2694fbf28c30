#include "text/assets.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace platform::assets {

std::string load(std::string_view name) {
    if (const char* dir = std::getenv("KIOSK_ASSETS_DIR"); dir != nullptr && *dir != '\0') {
        std::filesystem::path p = std::filesystem::path(dir) / std::string(name);
        std::ifstream in(p, std::ios::binary);
        if (in) {
            std::ostringstream ss;
            ss << in.rdbuf();
            return ss.str();
        }
    }
    return std::string(embedded(name));
}

}  // namespace platform::assets
