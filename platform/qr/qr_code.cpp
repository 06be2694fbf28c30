#include "qr/qr_code.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace platform::qr {
namespace {

QRecLevel toLevel(ErrorCorrection level) {
    switch (level) {
        case ErrorCorrection::Low:
            return QR_ECLEVEL_L;
        case ErrorCorrection::Medium:
            return QR_ECLEVEL_M;
        case ErrorCorrection::Quartile:
            return QR_ECLEVEL_Q;
        case ErrorCorrection::High:
            return QR_ECLEVEL_H;
    }
    return QR_ECLEVEL_M;
}

}  // namespace

std::expected<QrCode, QrError> encode(std::string_view text, ErrorCorrection level) {
    if (text.empty()) return std::unexpected(QrError::Empty);
    const std::string s(text);  // libqrencode wants a NUL-terminated string
    errno = 0;
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(s.c_str(), 0, toLevel(level), QR_MODE_8, 1), &QRcode_free);
    if (!code) return std::unexpected(errno == ERANGE ? QrError::TooLong : QrError::Internal);
    const int n = code->width;
    std::vector<std::uint8_t> modules(static_cast<size_t>(n) * static_cast<size_t>(n));
    for (size_t i = 0; i < modules.size(); ++i) modules[i] = code->data[i] & 1;
    return QrCode(code->version, n, std::move(modules));
}

}  // namespace platform::qr
