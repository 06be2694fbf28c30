// The protocol decoders both sides share: the JSON of a wire record (fromWire, as the backend
// reads an upload), the per-record payload codec (plain, zstd, zstd-dict:v1 — and a made-up
// format), and the Retry-After header the kiosk honours. Invariants: fromWire(toWire(x)) is
// x for anything fromWire accepted; decoded payloads respect the content limit.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "client/backoff.hpp"
#include "fuzz_input.hpp"
#include "proto/payload_codec.hpp"
#include "proto/protocol.hpp"

using namespace ksync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto dicts = proto::Dictionaries::shipped();
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    const std::string_view rest = fuzz::view(data + 1, size - 1);
    switch (mode % 4) {
        case 0: {
            auto j = nlohmann::json::parse(rest, nullptr, false);
            if (j.is_discarded()) return 0;
            auto w = proto::fromWire(j);
            if (!w) return 0;
            auto again = proto::fromWire(proto::toWire(*w));
            if (!again || !(again->header == w->header) || again->payload != w->payload ||
                again->payloadFormat != w->payloadFormat)
                fuzz::fail("fromWire(toWire(x)) != x");
            break;
        }
        case 1: {
            constexpr std::string_view kFormats[] = {"plain",        "zstd",        "zstd-dict:v1",
                                                     "zstd-dict:v9", "sealed+zstd", ""};
            proto::PayloadCodec codec(dicts);
            auto out = codec.decode(kFormats[(mode >> 2) % std::size(kFormats)], rest);
            if (out && out->size() > proto::kMaxContentBytes)
                fuzz::fail("decoded payload over the limit");
            break;
        }
        case 2: {
            (void)client::parseRetryAfterMs(std::string(rest), 1795406706789);
            break;
        }
        default: {
            // Round trip: what encode writes, decode gives back.
            proto::PayloadCodec codec(dicts);
            const auto enc = codec.encode(rest, mode & 4 ? "v1" : "none");
            auto dec = codec.decode(enc.format, enc.bytes);
            if (rest.size() <= proto::kMaxContentBytes && (!dec || *dec != rest))
                fuzz::fail("payload round trip failed");
            break;
        }
    }
    return 0;
}
