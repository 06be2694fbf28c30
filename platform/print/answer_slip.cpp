// The answer slip: header like the receipt's, who answered and when, the text in full, the QR.
#include "print/answer_slip.hpp"

#include "print/raster_layout.hpp"

namespace platform::print {

std::expected<Bitmap, RenderError> renderAnswerSlip(const ReceiptRenderer& r, const AnswerSlip& a,
                                                    const RenderOptions& options) {
    const auto& s = r.strings();
    RasterLayout l(r, options);
    l.centred(r.boldFont(), l.px(22), toNfc(a.centreName));
    l.space(8);
    l.rule(false);
    l.space(14);
    l.centred(r.boldFont(), l.px(29),
              s.get(a.typeCode == "SKGP" ? "answer_slip.title.SKGP" : "answer_slip.title.PAKN"));
    l.space(14);
    l.centred(r.regularFont(), l.px(22), s.get("receipt.code_label"));
    l.fitted(44, a.trackingCode);
    l.space(12);
    l.rule(true);
    l.space(12);
    if (!a.agency.empty()) l.field(s.get("answer_slip.agency"), toNfc(a.agency));
    if (!a.officer.empty()) l.field(s.get("answer_slip.officer"), toNfc(a.officer));
    if (a.answeredOn) l.field(s.get("answer_slip.date"), formatDateVi(*a.answeredOn));
    l.space(8);
    l.left(r.boldFont(), l.px(23), s.get("answer_slip.text"));
    l.space(4);
    l.left(r.regularFont(), l.px(23), a.text.empty() ? s.get("answer_slip.no_text") : a.text);
    l.space(12);
    l.rule(true);
    l.space(12);
    if (auto ok = l.qr(a.trackingUrl); !ok) return std::unexpected(ok.error());
    l.centred(r.boldFont(), l.px(22), s.get("answer_slip.qr_caption"));
    l.space(6);
    if (!a.shortUrl.empty())
        l.centred(r.regularFont(), l.px(22), s.format("receipt.lookup", {{"url", a.shortUrl}}));
    l.centred(r.regularFont(), l.px(19),
              s.format("answer_slip.printed_at", {{"time", formatDateTimeVi(a.printedAt)}}));
    return l.finish();
}

}  // namespace platform::print
