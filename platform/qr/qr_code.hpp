#pragma once
// QR codes via libqrencode. Pure computation; thread-safe (libqrencode keeps no shared state
// for encoding).
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace platform::qr {

enum class ErrorCorrection { Low, Medium, Quartile, High };

enum class QrError {
    Empty,     // nothing to encode
    TooLong,   // does not fit in a version-40 symbol at this level
    Internal,  // libqrencode failed for another reason (out of memory)
};

class QrCode {
public:
    QrCode(int version, int size, std::vector<std::uint8_t> modules)
        : m_version(version), m_size(size), m_modules(std::move(modules)) {}

    int version() const { return m_version; }
    // Modules per side, without the quiet zone.
    int size() const { return m_size; }
    // True for a dark module; coordinates outside the symbol are light (the quiet zone).
    bool dark(int x, int y) const {
        if (x < 0 || y < 0 || x >= m_size || y >= m_size) return false;
        return m_modules[static_cast<size_t>(y) * m_size + x] != 0;
    }

private:
    int m_version;
    int m_size;
    std::vector<std::uint8_t> m_modules;
};

// Encodes `text` with the smallest version that fits. Mixed modes are chosen automatically:
// an upper-case URL (0-9 A-Z $%*+-./: space) is encoded in alphanumeric mode, which keeps
// the symbol small. Case is preserved.
std::expected<QrCode, QrError> encode(std::string_view text,
                                      ErrorCorrection level = ErrorCorrection::Medium);

}  // namespace platform::qr
