#pragma once
// Shared by the fuzz targets: a tiny reader over the fuzzer's bytes (FuzzedDataProvider is a
// clang header; the replay build under g++ has no such header).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fuzz {

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
    bool empty() const { return m_pos >= m_size; }
    std::uint8_t byte() { return empty() ? 0 : m_data[m_pos++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
    // Up to `max` bytes, length from the next byte.
    std::string chunk(std::size_t max) {
        std::size_t n = std::min<std::size_t>(byte(), max);
        n = std::min(n, m_size - std::min(m_pos, m_size));
        std::string s(reinterpret_cast<const char*>(m_data + m_pos), n);
        m_pos += n;
        return s;
    }
    std::string rest() {
        std::string s(reinterpret_cast<const char*>(m_data + std::min(m_pos, m_size)),
                      m_size - std::min(m_pos, m_size));
        m_pos = m_size;
        return s;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

inline std::string_view view(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Aborts with a message: a broken invariant found by a fuzz target (libFuzzer saves the input).
[[noreturn]] void fail(const char* what);

}  // namespace fuzz
