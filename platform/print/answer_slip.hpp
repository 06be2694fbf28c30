#pragma once
// The published answer on paper (*In kết quả*): the agency, the officer, the day of the
// answer and its text in full, wrapped over as much roll as it needs, with a QR code back to
// the tracking page. Labels from assets/strings (keys "answer_slip.*"). Holds no personal data
// of the resident: the answer is public on the tracking page already.
#include <expected>
#include <string>

#include "print/bitmap.hpp"
#include "print/local_date.hpp"
#include "print/receipt_renderer.hpp"

namespace platform::print {

struct AnswerSlip {
    std::string centreName;    // the kiosk's centre
    std::string typeCode;      // "PAKN" / "SKGP"
    std::string trackingCode;  // "PAKN-7K3M-000123-X"
    std::string trackingUrl;   // goes in the QR
    std::string shortUrl;      // printed as text
    std::string agency;
    std::string officer;
    std::optional<LocalDate> answeredOn;
    std::string text;         // the answer, in full
    LocalDateTime printedAt;  // local time of the kiosk
};

// The slip at options.widthDots wide, as tall as the text needs (RenderOptions::a4Form() for
// an A4 page: see encodePdfPages). Fails only if the tracking URL cannot be a QR that fits.
std::expected<Bitmap, RenderError> renderAnswerSlip(const ReceiptRenderer& renderer,
                                                    const AnswerSlip& slip,
                                                    const RenderOptions& options);

}  // namespace platform::print
