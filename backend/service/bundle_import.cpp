// BackendService::importBundle: a USB bundle from a kiosk in, its return bundle out. The
// records go through ingestUpload, the same function an upload over the link uses.
#include <algorithm>
#include <charconv>

#include "record/tracking_code.hpp"
#include "service/backend_service.hpp"

namespace ksync::backend {

namespace {

using proto::BundleError;
using proto::BundleRefusal;

std::unexpected<BundleError> storageRefusal(const StorageError& e) {
    return bundleRefused(BundleRefusal::Io, "storage: " + e.detail);
}

proto::StatusUpdateEntry entryOf(const StatusEvent& e) {
    return {e.trackingCode, e.status, e.note, e.agency, e.officer, e.expectedDate, e.updatedAt};
}

constexpr std::size_t kMaxAskedCodes = 200;
constexpr std::size_t kMaxStatusPages = 200;

}  // namespace

std::expected<BundleImport, BundleError> BackendService::importBundle(std::string_view file) {
    auto header = proto::peekBundleHeader(file);
    if (!header) return std::unexpected(header.error());
    if (header->kind != proto::BundleKind::ToCity)
        return bundleRefused(BundleRefusal::WrongKind, "a return bundle, not a kiosk's bundle");
    auto key = m_storage.kioskPublicKey(header->kioskId);
    if (!key) return storageRefusal(key.error());
    if (!*key)
        return bundleRefused(BundleRefusal::UnknownKiosk, "no enrolled kiosk " + header->kioskId);
    auto body = proto::openBundle(file, **key);
    if (!body) return std::unexpected(body.error());
    auto j = nlohmann::json::parse(*body, nullptr, false);
    proto::ReceivedUpload received;
    auto bundle = proto::CityBundle::fromJson(j, &received);
    if (!bundle) return bundleRefused(BundleRefusal::BadBody, bundle.error());
    if (bundle->kioskId != header->kioskId)
        return bundleRefused(BundleRefusal::BadBody, "body names another kiosk");

    const std::int64_t nowMs = now();
    BundleImport out;
    out.kioskId = header->kioskId;
    out.records = received.items.size();
    proto::KioskBundle reply;
    reply.kioskId = out.kioskId;
    reply.inReplyTo = header->bundleId;
    reply.upload.kioskId = out.kioskId;
    std::size_t altered = 0;
    // In batches of an upload's size: each batch one transaction, so an import killed halfway
    // has stored whole batches, and the next import of the same file skips them as duplicates.
    for (std::size_t at = 0; at < received.items.size(); at += proto::kMaxBatchRecords) {
        proto::ReceivedUpload batch;
        batch.kioskId = received.kioskId;
        const std::size_t end = std::min(received.items.size(), at + proto::kMaxBatchRecords);
        batch.items.assign(
            std::make_move_iterator(received.items.begin() + static_cast<std::ptrdiff_t>(at)),
            std::make_move_iterator(received.items.begin() + static_cast<std::ptrdiff_t>(end)));
        for (const auto& item : batch.items) reply.records.push_back({item.sequence, item.id});
        auto r = ingestUpload(out.kioskId, batch, altered, nowMs);
        if (!r) return storageRefusal(r.error());
        reply.upload.storedThrough = std::max(reply.upload.storedThrough, r->storedThrough);
        reply.upload.counts.created += r->counts.created;
        reply.upload.counts.duplicate += r->counts.duplicate;
        reply.upload.counts.conflict += r->counts.conflict;
        reply.upload.counts.rejected += r->counts.rejected;
        for (auto& e : r->exceptions) reply.upload.exceptions.push_back(std::move(e));
    }
    if (auto r = keepHeartbeat(out.kioskId, bundle->heartbeat, nowMs); !r)
        return storageRefusal(r.error());

    // Every status update after the kiosk's cursor (a cursor that is not a number: from the start).
    std::int64_t cursor = 0;
    std::from_chars(bundle->statusCursor.data(),
                    bundle->statusCursor.data() + bundle->statusCursor.size(), cursor);
    reply.status.cursor = std::to_string(cursor);
    for (std::size_t page = 0; page < kMaxStatusPages; ++page) {
        auto events = m_storage.statusSince(out.kioskId, cursor, m_options.statusPageSize);
        if (!events) return storageRefusal(events.error());
        for (const auto& e : *events) {
            reply.status.updates.push_back(entryOf(e));
            cursor = e.eventId;
        }
        reply.status.cursor = std::to_string(cursor);
        reply.status.more = events->size() == m_options.statusPageSize;
        if (!reply.status.more) break;
    }
    // Other kiosks' codes its residents asked about: their public timeline (no content).
    for (std::size_t i = 0; i < bundle->askedCodes.size() && i < kMaxAskedCodes; ++i) {
        auto code = record::parseTrackingCode(bundle->askedCodes[i]);
        if (!code) continue;
        auto rec = m_storage.publicRecord(code->text());
        if (!rec) return storageRefusal(rec.error());
        if (!*rec) continue;
        for (const auto& e : (*rec)->events) reply.asked.push_back(entryOf(e));
    }
    auto config = currentConfig();
    if (!config) return storageRefusal(config.error());
    reply.config = proto::BundleConfig{config->version, config->etag, config->document};
    // The dictionary the config names, when the kiosk does not list it (a kiosk that lists
    // nothing is sent it anyway): a kiosk cut off for weeks gets it on the stick.
    if (auto doc = nlohmann::json::parse(config->document, nullptr, false);
        doc.is_object() && doc.contains("payload_dictionary") &&
        doc["payload_dictionary"].is_string()) {
        const std::string name = doc["payload_dictionary"].get<std::string>();
        const auto& have = bundle->dictionaries;
        const bool kioskHasIt = have && std::find(have->begin(), have->end(), name) != have->end();
        if (!kioskHasIt)
            if (auto bytes = m_dicts->bytesOf(name))
                reply.dictionary = proto::BundleDictionary{name, std::move(*bytes)};
    }
    reply.issuedAtMs = nowMs;

    out.counts = reply.upload.counts;
    out.statusUpdates = reply.status.updates.size() + reply.asked.size();
    out.config = true;
    out.returnName = proto::bundleFileName(proto::BundleKind::ToKiosk, out.kioskId, nowMs);
    // In the kiosk's format: a kiosk on protocol 1 reads only format 1.
    out.returnBundle =
        proto::sealBundle(proto::BundleKind::ToKiosk, out.kioskId, nowMs, proto::dumpMessage(reply),
                          m_key, std::min(header->format, proto::kBundleFormat));
    const auto& c = out.counts;
    log("IMPORT bundle kiosk=" + out.kioskId + " records=" + std::to_string(out.records) +
        " created=" + std::to_string(c.created) + " duplicate=" + std::to_string(c.duplicate) +
        " conflict=" + std::to_string(c.conflict) + " rejected=" + std::to_string(c.rejected) +
        (altered ? " altered=" + std::to_string(altered) : "") +
        " updates=" + std::to_string(out.statusUpdates) +
        (reply.dictionary ? " dictionary=" + reply.dictionary->name : ""));
    return out;
}

}  // namespace ksync::backend
