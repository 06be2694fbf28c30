// USB bundles, the kiosk's side. Sections: 1. helpers, 2. export, 3. import.
#include "client/bundle.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>

#include "client/acknowledge.hpp"
#include "client/sync_client.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "proto/payload_codec.hpp"
#include "text/strings.hpp"

namespace ksync::client {

// ---- 1. helpers -------------------------------------------------------------------------------

namespace {

using proto::BundleError;
using proto::BundleRefusal;

std::unexpected<BundleError> storeFailure(const store::StoreError& e) {
    return bundleRefused(BundleRefusal::Io, "kiosk database: " + e.detail);
}

std::int64_t wallMs() {
    return platform::clock::unixMillis(platform::clock::now());
}
std::string utcAt(std::int64_t ms) {
    return platform::clock::formatUtc(platform::clock::fromUnixMillis(ms));
}

struct Opened {
    store::KioskSettings settings;
    store::Store db;
    std::string backendKey;
};

std::expected<Opened, BundleError> openKiosk(const store::DataDir& dir) {
    auto settings = store::loadSettings(dir);
    if (!settings) return bundleRefused(BundleRefusal::Io, settings.error());
    auto db = store::Store::open(dir.database(), store::Store::Open::ExistingOnly);
    if (!db) return storeFailure(db.error());
    auto key = db->state(store::kStateBackendKey);
    if (!key) return storeFailure(key.error());
    if (!*key || (*key)->empty())
        return bundleRefused(
            BundleRefusal::NotEnrolled,
            "the kiosk does not know the backend's key (kioskctl enroll or init --backend-key)");
    return Opened{std::move(*settings), std::move(*db), **key};
}

std::vector<std::string> askedCodes(store::Store& db) {
    std::vector<std::string> out;
    auto raw = db.state(kStateAskedCodes);
    if (!raw || !*raw) return out;
    auto j = nlohmann::json::parse(**raw, nullptr, false);
    if (!j.is_array()) return out;
    for (const auto& c : j)
        if (c.is_string()) out.push_back(c.get<std::string>());
    return out;
}

}  // namespace

store::Result<void> rememberAskedCode(store::Store& db, std::string_view code) {
    auto codes = askedCodes(db);
    std::erase(codes, std::string(code));
    codes.emplace_back(code);
    if (codes.size() > kMaxAskedCodes)
        codes.erase(codes.begin(), codes.end() - static_cast<std::ptrdiff_t>(kMaxAskedCodes));
    return db.setState(kStateAskedCodes, nlohmann::json(codes).dump());
}

namespace {

std::optional<std::int64_t> parseMs(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

}  // namespace

std::string bundleMessageKey(const BundleError& e) {
    return "bundle.refused." + std::string(proto::bundleRefusalCode(e.refusal));
}

proto::HeartbeatRequest currentHeartbeat(store::Store& db, const std::string& appVersion,
                                         const std::function<std::string()>& printerState,
                                         std::int64_t nowMs) {
    proto::HeartbeatRequest body;
    if (auto stats = db.outboxStats()) {
        body.queueDepth = stats->queued;
        body.quarantined = stats->quarantined;
        body.oldestQueuedAgeS = stats->oldestQueuedMs ? (nowMs - *stats->oldestQueuedMs) / 1000 : 0;
    }
    body.printer = printerState ? printerState() : std::string("unknown");
    body.appVersion = appVersion;
    auto lastError = db.state("last_error");
    body.lastError = lastError && *lastError ? **lastError : std::string{};
    if (auto contact = db.state("last_contact"); contact && *contact) body.lastContact = **contact;
    return body;
}

// ---- 2. export ----------------------------------------------------------------------------------

std::expected<ExportReport, BundleError> exportBundle(const store::DataDir& dir,
                                                      const std::string& toDir,
                                                      const ExportOptions& options) {
    std::error_code ec;
    if (!std::filesystem::is_directory(toDir, ec))
        return bundleRefused(BundleRefusal::Io, "no such directory: " + toDir);
    auto k = openKiosk(dir);
    if (!k) return std::unexpected(k.error());
    auto key = platform::keys::DeviceKey::load(deviceKeyFile(dir));
    if (!key) return bundleRefused(BundleRefusal::NotEnrolled, "no device key");
    const std::int64_t now = options.nowMs ? options.nowMs : wallMs();
    ExportReport report;
    // As before an upload: nothing leaves in plain form.
    auto sealed = k->db.sealPlainRecords();
    if (!sealed) return storeFailure(sealed.error());
    report.sealedFirst = *sealed;
    auto items = k->db.unacknowledged();
    if (!items) return storeFailure(items.error());
    auto dict = k->db.payloadDictionary();
    if (!dict) return storeFailure(dict.error());
    proto::PayloadCodec codec(proto::Dictionaries::shipped());

    proto::CityBundle b;
    b.kioskId = k->settings.kioskId;
    b.createdAt = utcAt(now);
    b.upload.kioskId = b.kioskId;
    b.upload.records.reserve(items->size());
    for (auto& item : *items) {
        proto::WireRecord w{item.header, item.contentFormat, std::move(item.content)};
        if (item.contentFormat == proto::kFormatPlain) {
            // Only when the key could not seal (never once enrolled); encoded as an upload would.
            auto enc = codec.encode(w.payload, *dict);
            w.payloadFormat = std::move(enc.format);
            w.payload = std::move(enc.bytes);
        }
        b.upload.records.push_back(std::move(w));
    }
    b.manifest.records = b.upload.records.size();
    if (!b.upload.records.empty()) {
        b.manifest.firstSequence = b.upload.records.front().header.sequence;
        b.manifest.lastSequence = b.upload.records.back().header.sequence;
    }
    b.manifest.appVersion = options.appVersion;
    b.heartbeat = currentHeartbeat(k->db, options.appVersion, options.printerState, now);
    if (auto cursor = k->db.state(store::kStateStatusCursor); cursor && *cursor)
        b.statusCursor = **cursor;
    if (auto cfg = k->db.config(); cfg && *cfg) b.configVersion = (*cfg)->version;
    b.askedCodes = askedCodes(k->db);
    if (auto names = k->db.dictionaryNames(); names) b.dictionaries = std::move(*names);

    const std::string body =
        b.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string file =
        proto::sealBundle(proto::BundleKind::ToCity, b.kioskId, now, body, *key);
    auto written = proto::writeFileAtomically(
        toDir, proto::bundleFileName(proto::BundleKind::ToCity, b.kioskId, now), file);
    if (!written) return std::unexpected(written.error());
    k->db.setState(kStateLastExportAt, utcAt(now));  // a display value: a failure loses nothing
    report.file = *written;
    report.records = b.upload.records.size();
    report.firstSequence = b.manifest.firstSequence;
    report.lastSequence = b.manifest.lastSequence;
    report.bytes = file.size();
    return report;
}

// ---- 3. import ----------------------------------------------------------------------------------

std::expected<ImportReport, BundleError> importBundle(const store::DataDir& dir,
                                                      const std::string& path) {
    auto bytes = proto::readWholeFile(path);
    if (!bytes) return std::unexpected(bytes.error());
    auto header = proto::peekBundleHeader(*bytes);
    if (!header) return std::unexpected(header.error());
    if (header->kind != proto::BundleKind::ToKiosk)
        return bundleRefused(BundleRefusal::WrongKind,
                             "a bundle for the city, not a return bundle");
    auto k = openKiosk(dir);
    if (!k) return std::unexpected(k.error());
    if (header->kioskId != k->settings.kioskId)
        return bundleRefused(BundleRefusal::OtherKiosk,
                             "for kiosk " + header->kioskId + ", this is " + k->settings.kioskId);
    auto body = proto::openBundle(*bytes, k->backendKey);
    if (!body) return std::unexpected(body.error());
    auto parsed = proto::parseMessage<proto::KioskBundle>(*body);
    if (!parsed) return bundleRefused(BundleRefusal::BadBody, parsed.error());
    const proto::KioskBundle& b = *parsed;
    if (b.kioskId != header->kioskId)
        return bundleRefused(BundleRefusal::BadBody, "body names another kiosk");
    if (auto last = k->db.state(kStateReturnIssuedMs); last && *last)
        if (auto lastMs = parseMs(**last); lastMs && b.issuedAtMs <= *lastMs)
            return bundleRefused(BundleRefusal::Replayed,
                                 "issued at " + std::to_string(b.issuedAtMs) + ", one issued at " +
                                     **last + " was already applied");

    // Acknowledge only what this kiosk really has queued under that sequence and id.
    auto pending = k->db.unacknowledged();
    if (!pending) return storeFailure(pending.error());
    std::map<std::uint64_t, std::string> idBySeq;
    for (const auto& p : *pending) idBySeq[p.header.sequence] = p.header.id;
    std::vector<SentRecord> sent;
    for (const auto& r : b.records)
        if (auto it = idBySeq.find(r.sequence); it != idBySeq.end() && it->second == r.id)
            sent.push_back({r.sequence, r.id});
    const auto strings =
        platform::text::Strings::load(k->settings.language.empty() ? "vi" : k->settings.language);
    const AckPlan plan = planAcknowledgement(sent, b.upload, strings);

    store::ReturnApply a;
    a.acknowledged = plan.acknowledged;
    a.acknowledgedAt = utcAt(wallMs());
    a.quarantine = plan.quarantine;
    for (const auto* list : {&b.status.updates, &b.asked})
        for (const auto& u : *list)
            if (!u.trackingCode.empty() && !u.status.empty() && !u.updatedAt.empty())
                a.statuses.push_back({u.trackingCode, u.status, u.note, u.agency, u.officer,
                                      u.expectedDate, u.updatedAt});
    a.statusCursor = b.status.cursor;
    ImportReport report;
    if (b.config) {
        if (auto valid = proto::parseBackendConfig(b.config->document); !valid)
            return bundleRefused(BundleRefusal::BadBody, "config: " + valid.error());
        // Taken only when newer than the one the kiosk has: a different document that the backend
        // served after the kiosk fetched its own (by link, or from an earlier return bundle).
        auto cached = k->db.config();
        if (!cached) return storeFailure(cached.error());
        bool newer = !*cached;
        if (*cached && (*cached)->etag != b.config->etag) {
            auto fetched = platform::clock::parseUtc((*cached)->fetchedAt);
            newer = !fetched || b.issuedAtMs > platform::clock::unixMillis(*fetched);
        }
        if (newer)
            a.config = store::CachedConfig{b.config->version, b.config->etag, b.config->document,
                                           utcAt(b.issuedAtMs)};
    }
    if (b.dictionary) {
        // Signed by the backend, but checked before it is kept: a dictionary zstd cannot load
        // would make every later record fall back to plain zstd on this kiosk.
        try {
            proto::Dictionaries::fromBytes({{b.dictionary->name, b.dictionary->bytes}});
        } catch (const std::runtime_error&) {
            return bundleRefused(BundleRefusal::BadBody,
                                 "dictionary " + b.dictionary->name + " does not load");
        }
        a.dictionary = std::pair{b.dictionary->name, b.dictionary->bytes};
    }
    a.state = {{std::string(kStateReturnIssuedMs), std::to_string(b.issuedAtMs)},
               {std::string(kStateLastImportAt), utcAt(wallMs())}};
    auto applied = k->db.applyReturn(a);
    if (!applied) return storeFailure(applied.error());
    if (applied->nothingNew())
        return bundleRefused(BundleRefusal::Replayed,
                             "every acknowledgement and status in it is already known");
    report.acknowledged = applied->acknowledged;
    report.quarantined = applied->quarantined;
    report.statusUpdates = applied->newStatuses;
    report.configTaken = applied->configTaken;
    report.configVersion = applied->configTaken ? b.config->version : std::string{};
    if (applied->dictionaryTaken) report.dictionary = b.dictionary->name;
    report.stillQueued = pending->size() - applied->acknowledged - applied->quarantined;
    report.inReplyTo = b.inReplyTo;
    return report;
}

std::expected<std::string, BundleError> findReturnBundle(const store::DataDir& dir,
                                                         const std::string& fromDir) {
    auto settings = store::loadSettings(dir);
    if (!settings) return bundleRefused(BundleRefusal::Io, settings.error());
    std::error_code ec;
    if (!std::filesystem::is_directory(fromDir, ec))
        return bundleRefused(BundleRefusal::Io, "no such directory: " + fromDir);
    const std::string prefix = settings->kioskId + "-";
    const std::string suffix = ".to-kiosk" + std::string(proto::kBundleExtension);
    std::string best;
    for (const auto& e : std::filesystem::directory_iterator(fromDir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with(prefix) && name.ends_with(suffix) && name > best) best = name;
    }
    if (best.empty())
        return bundleRefused(BundleRefusal::Io,
                             "no return bundle for kiosk " + settings->kioskId + " in " + fromDir);
    return (std::filesystem::path(fromDir) / best).string();
}

}  // namespace ksync::client
