#pragma once
// Numbered schema migrations. PRAGMA user_version holds the number of the last one applied.
// Append new migrations; never edit one that has shipped.
#include <span>
#include <string_view>

namespace ksync::store {

std::span<const std::string_view> migrations();  // migrations()[0] brings 0 -> 1, ...
inline int latestSchemaVersion() {
    return static_cast<int>(migrations().size());
}

}  // namespace ksync::store
