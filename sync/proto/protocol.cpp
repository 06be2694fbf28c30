#include "proto/protocol.hpp"

#include <sodium.h>

#include "keys/device_key.hpp"

namespace ksync::proto {

std::string requestSigningString(std::string_view method, std::string_view pathAndQuery,
                                 std::string_view kioskId, std::string_view timestampMs,
                                 std::string_view nonce, std::string_view body) {
    std::string s = "KSYNC1\n";
    s.append(method).append("\n").append(pathAndQuery).append("\n").append(kioskId).append("\n");
    s.append(timestampMs).append("\n").append(nonce).append("\n").append(record::sha256Hex(body));
    return s;
}

std::string responseSigningString(std::string_view requestNonce, int status,
                                  std::string_view body) {
    std::string s = "KSYNC1-RESPONSE\n";
    s.append(requestNonce)
        .append("\n")
        .append(std::to_string(status))
        .append("\n")
        .append(record::sha256Hex(body));
    return s;
}

std::string newNonce() {
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, b, sizeof b);
    return std::string(hex, 32);
}

nlohmann::json headerToJson(const record::Header& h) {
    return {{"id", h.id},
            {"kiosk_id", h.kioskId},
            {"sequence", h.sequence},
            {"tracking_code", h.trackingCode},
            {"type", record::typeCode(h.type)},
            {"category", h.category},
            {"channel", record::channelCode(h.channel)},
            {"staff_assisted", h.staffAssisted},
            {"language", h.language},
            {"created_at", h.createdAt},
            {"clock_synced", h.clockSynced},
            {"content_digest", h.contentDigest},
            {"prev_hash", h.prevHash},
            {"hash", h.hash}};
}

nlohmann::json toWire(const WireRecord& r) {
    nlohmann::json j = headerToJson(r.header);
    j["payload_format"] = r.payloadFormat;
    j["payload"] = platform::keys::base64Encode(r.payload);
    return j;
}

std::expected<WireRecord, std::string> fromWire(const nlohmann::json& j) {
    if (!j.is_object()) return std::unexpected("bad_record");
    WireRecord r;
    auto& h = r.header;
    auto str = [&](const char* key, std::string& out, std::size_t maxLen) -> bool {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string()) return false;
        out = it->get<std::string>();
        return out.size() <= maxLen;
    };
    auto flag = [&](const char* key, bool& out) -> bool {
        auto it = j.find(key);
        if (it == j.end() || !it->is_boolean()) return false;
        out = it->get<bool>();
        return true;
    };
    std::string type, channel, payload;
    if (!str("id", h.id, 64) || h.id.empty()) return std::unexpected("bad_field:id");
    if (!str("kiosk_id", h.kioskId, 16)) return std::unexpected("bad_field:kiosk_id");
    auto seq = j.find("sequence");
    if (seq == j.end() || !seq->is_number_unsigned() || seq->get<std::uint64_t>() == 0)
        return std::unexpected("bad_field:sequence");
    h.sequence = seq->get<std::uint64_t>();
    if (!str("tracking_code", h.trackingCode, 64))
        return std::unexpected("bad_field:tracking_code");
    if (!str("type", type, 8)) return std::unexpected("bad_field:type");
    auto t = record::parseRecordType(type);
    if (!t) return std::unexpected("bad_field:type");
    h.type = *t;
    if (!str("category", h.category, 64)) return std::unexpected("bad_field:category");
    if (!str("channel", channel, 16)) return std::unexpected("bad_field:channel");
    auto c = record::parseChannel(channel);
    if (!c) return std::unexpected("bad_field:channel");
    h.channel = *c;
    if (!flag("staff_assisted", h.staffAssisted))
        return std::unexpected("bad_field:staff_assisted");
    if (!str("language", h.language, 16)) return std::unexpected("bad_field:language");
    if (!str("created_at", h.createdAt, 40)) return std::unexpected("bad_field:created_at");
    if (!flag("clock_synced", h.clockSynced)) return std::unexpected("bad_field:clock_synced");
    if (!str("content_digest", h.contentDigest, 64))
        return std::unexpected("bad_field:content_digest");
    if (!str("prev_hash", h.prevHash, 64)) return std::unexpected("bad_field:prev_hash");
    if (!str("hash", h.hash, 64) || h.hash.size() != 64) return std::unexpected("bad_field:hash");
    if (!str("payload_format", r.payloadFormat, 64))
        return std::unexpected("bad_field:payload_format");
    if (!str("payload", payload, kMaxContentBytes * 2)) return std::unexpected("bad_field:payload");
    auto bytes = platform::keys::base64Decode(payload);
    if (!bytes) return std::unexpected("bad_field:payload");
    r.payload = std::move(*bytes);
    return r;
}

std::string_view itemResultCode(ItemResult r) {
    switch (r) {
        case ItemResult::Created:
            return "created";
        case ItemResult::Duplicate:
            return "duplicate";
        case ItemResult::Conflict:
            return "conflict";
        case ItemResult::Rejected:
            return "rejected";
    }
    return "rejected";
}

}  // namespace ksync::proto
