// The receipt layout with arbitrary text: masking of name and phone, NFC, word wrapping with
// Noto Sans, the QR of an arbitrary URL, at both roll widths. Invariant: a bitmap of the
// requested width or an error message, never a crash.
#include <cstdint>
#include <optional>

#include "fuzz_input.hpp"
#include "print/contact_mask.hpp"
#include "print/receipt.hpp"
#include "print/receipt_renderer.hpp"

using namespace platform::print;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Loading the fonts once per process keeps the target fast; the renderer is immutable.
    static const std::optional<ReceiptRenderer> renderer = [] {
        auto r = ReceiptRenderer::create(platform::text::Strings::load("vi"));
        return r ? std::optional<ReceiptRenderer>(std::move(*r)) : std::nullopt;
    }();
    if (!renderer) fuzz::fail("fonts could not be loaded (fonts-noto-core)");
    fuzz::Bytes in(data, size);
    const std::uint8_t flags = in.byte();
    ReceiptInput ri;
    ri.centreName = in.chunk(160);
    ri.typeCode = flags & 1 ? "SKGP" : in.chunk(8);
    ri.trackingCode = in.chunk(40);
    ri.trackingUrl = in.chunk(flags & 2 ? 250 : 90);
    ri.shortUrl = in.chunk(60);
    ri.createdAt = {{2000 + in.byte() % 100, 1 + in.byte() % 12, 1 + in.byte() % 28},
                    in.byte() % 24,
                    in.byte() % 60,
                    in.byte() % 60};
    ri.category = in.chunk(120);
    ri.anonymous = flags & 4;
    ri.contactName = in.chunk(120);
    ri.contactPhone = in.chunk(40);
    ri.hotline = in.chunk(20);
    ri.replyBy = {2026, 1 + in.byte() % 12, 1 + in.byte() % 28};
    (void)maskName(ri.contactName);
    (void)maskPhone(ri.contactPhone);
    const Receipt receipt = makeReceipt(ri);
    const RenderOptions options = flags & 8 ? RenderOptions::roll58mm() : RenderOptions::roll80mm();
    auto bitmap = renderer->render(receipt, options);
    if (bitmap && bitmap->width() != options.widthDots)
        fuzz::fail("receipt bitmap of the wrong width");
    if (!bitmap && bitmap.error().detail.empty()) fuzz::fail("render failed without a message");
    const auto lines = wrapText(renderer->regularFont(), 24.0f, in.rest(),
                                options.widthDots - 2 * options.marginDots, flags & 16);
    (void)lines;
    return 0;
}
