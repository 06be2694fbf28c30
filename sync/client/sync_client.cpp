// SyncClient. Sections:
//   1. Impl and small helpers
//   2. signed calls and the one place where responses are classified
//   3. enrolment
//   4. the pass: health, upload, status, config, heartbeat
// Every body sent or read is a protocol message (proto/messages.hpp); a reply that does not
// parse as its type is BadResponse and changes nothing.
#include "client/sync_client.hpp"

#include <limits>

#include "client/acknowledge.hpp"
#include "client/backoff.hpp"
#include "client/bundle.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "proto/messages.hpp"
#include "proto/payload_codec.hpp"
#include "proto/protocol.hpp"

namespace ksync::client {

// ---- 1. Impl and helpers
// -------------------------------------------------------------------------

namespace {

using store::kStateBackendKey;
using store::kStateStatusCursor;
constexpr std::string_view kStateEnrolledAt = "enrolled_at";
constexpr std::string_view kStateLastContact = "last_contact";
constexpr std::string_view kStateLastError = "last_error";
constexpr std::string_view kStateLastErrorAt = "last_error_at";
constexpr std::size_t kMaxStatusPagesPerPass = 20;

std::int64_t wallMs() {
    return platform::clock::unixMillis(platform::clock::now());
}
std::string utcNow() {
    return platform::clock::formatUtc(platform::clock::now());
}

SyncError storageError(const store::StoreError& e) {
    return SyncError{SyncErrorKind::Storage, e.detail, {}};
}

SyncError fromTransport(const TransportError& e) {
    switch (e.kind) {
        case TransportErrorKind::Resolve:
        case TransportErrorKind::Connect:
            return {SyncErrorKind::Offline, e.detail, {}};
        case TransportErrorKind::Timeout:
            return {SyncErrorKind::Timeout, e.detail, {}};
        case TransportErrorKind::Tls:
            return {SyncErrorKind::Tls, e.detail, {}};
        case TransportErrorKind::TlsUntrusted:
            return {SyncErrorKind::TlsUntrusted, e.detail, {}};
        case TransportErrorKind::TlsExpired:
            return {SyncErrorKind::TlsExpired, e.detail, {}};
        case TransportErrorKind::TlsHostName:
            return {SyncErrorKind::TlsHostName, e.detail, {}};
        case TransportErrorKind::TlsPin:
            return {SyncErrorKind::TlsPin, e.detail, {}};
        case TransportErrorKind::TlsCaFile:
            return {SyncErrorKind::TlsCaFile, e.detail, {}};
        case TransportErrorKind::PlainHttp:
            return {SyncErrorKind::PlainHttp, e.detail, {}};
        case TransportErrorKind::BadUrl:
            return {SyncErrorKind::BadConfig, e.detail, {}};
        case TransportErrorKind::TooLarge:
            return {SyncErrorKind::BadResponse, e.detail, {}};
        case TransportErrorKind::Interrupted:
        case TransportErrorKind::Other:
            return {SyncErrorKind::Interrupted, e.detail, {}};
    }
    return {SyncErrorKind::Interrupted, e.detail, {}};
}

// The "error" of an error reply; "" when the body is not one.
std::string errorCode(const std::string& body) {
    auto e = proto::parseMessage<proto::ErrorReply>(body);
    return e ? e->error : std::string{};
}

}  // namespace

struct SyncClient::Impl {
    store::DataDir dir;
    store::KioskSettings settings;
    SyncClientOptions options;
    std::optional<store::Store> db;
    std::optional<platform::keys::DeviceKey> key;
    std::optional<HttpTransport> transport;
    std::optional<proto::PayloadCodec> codec;
    std::string backendKey;  // pinned at init or learnt at enrolment
    bool enrolled = false;
    bool backendTakesZstd = false;  // its health reply lists "zstd" in accept_encoding
    std::int64_t clockOffsetMs = 0;
    std::int64_t lastVerifiedMs = 0;  // monotonic-ish: wall clock of the last verified response
    std::int64_t lastConfigMs = 0;
    std::int64_t lastHeartbeatMs = 0;
    std::size_t batchLimit = 0;
    bool lastPassFailed = true;

    std::int64_t backendNowMs() const { return wallMs() + clockOffsetMs; }

    std::expected<HttpResponse, SyncError> call(
        const std::string& method, std::string_view path, const std::string& body,
        std::vector<std::pair<std::string, std::string>> extra = {}, bool retryOnSkew = true);
    std::expected<HttpResponse, SyncError> verify(const HttpResponse& r, const std::string& nonce,
                                                  const std::string& withKey);
    std::optional<SyncError> health();
    std::optional<SyncError> upload(PassReport& report);
    std::optional<SyncError> pullStatus(PassReport& report);
    std::optional<SyncError> pullConfig(PassReport& report);
    std::optional<SyncError> heartbeat();
};

std::filesystem::path deviceKeyFile(const store::DataDir& dir) {
    return dir.root / "device.key";
}

SyncClient::SyncClient() : m_impl(std::make_unique<Impl>()) {}
SyncClient::SyncClient(SyncClient&&) noexcept = default;
SyncClient& SyncClient::operator=(SyncClient&&) noexcept = default;
SyncClient::~SyncClient() = default;

std::expected<SyncClient, SyncError> SyncClient::open(const store::DataDir& dir,
                                                      SyncClientOptions options) {
    SyncClient c;
    Impl& m = *c.m_impl;
    m.dir = dir;
    auto settings = store::loadSettings(dir);
    if (!settings)
        return std::unexpected(SyncError{SyncErrorKind::BadConfig, settings.error(), {}});
    m.settings = *settings;
    if (options.transport.baseUrl.empty()) options.transport.baseUrl = m.settings.backendUrl;
    if (options.transport.caBundle.empty()) options.transport.caBundle = m.settings.caBundle;
    if (options.transport.pinnedPublicKey.empty())
        options.transport.pinnedPublicKey = m.settings.pinnedPublicKey;
    m.options = std::move(options);
    m.batchLimit = std::max<std::size_t>(1, m.options.batchRecords);
    auto transport = HttpTransport::create(m.options.transport);
    if (!transport) return std::unexpected(fromTransport(transport.error()));
    m.transport.emplace(std::move(*transport));
    auto db = store::Store::open(dir.database(), store::Store::Open::ExistingOnly);
    if (!db) return std::unexpected(storageError(db.error()));
    m.db.emplace(std::move(*db));
    auto key = platform::keys::DeviceKey::load(deviceKeyFile(dir));
    if (!key) return std::unexpected(SyncError{SyncErrorKind::NotEnrolled, key.error(), {}});
    m.key.emplace(*key);
    m.codec.emplace(proto::Dictionaries::shipped());
    if (auto bk = m.db->state(kStateBackendKey); bk && *bk) m.backendKey = **bk;
    if (auto at = m.db->state(kStateEnrolledAt); at && *at) m.enrolled = !m.backendKey.empty();
    return c;
}

store::Store& SyncClient::store() {
    return *m_impl->db;
}
const std::string& SyncClient::kioskId() const {
    return m_impl->settings.kioskId;
}
bool SyncClient::enrolled() {
    return m_impl->enrolled;
}

std::expected<std::int64_t, SyncError> SyncClient::recover() {
    auto r = m_impl->db->recoverSending();
    if (!r) return std::unexpected(storageError(r.error()));
    return *r;
}

// ---- 2. signed calls
// -----------------------------------------------------------------------------

std::expected<HttpResponse, SyncError> SyncClient::Impl::verify(const HttpResponse& r,
                                                                const std::string& nonce,
                                                                const std::string& withKey) {
    const std::string sig = r.header("x-backend-signature");
    const bool authentic = !sig.empty() && !withKey.empty() &&
                           platform::keys::DeviceKey::verifyBase64(
                               withKey, proto::responseSigningString(nonce, r.status, r.body), sig);
    if (!authentic) {
        // Not the backend. A login page or a redirect means a captive portal; a 429/503 from a
        // proxy on the way still tells us to wait (it can only delay us, never acknowledge).
        const std::string type = r.header("content-type");
        if ((r.status >= 300 && r.status < 400) || type.find("html") != std::string::npos)
            return std::unexpected(SyncError{
                SyncErrorKind::CaptivePortal,
                "unsigned response " + std::to_string(r.status) + " " + type.substr(0, 40),
                {}});
        if (r.status == 429 || r.status == 503)
            return std::unexpected(SyncError{SyncErrorKind::Busy,
                                             "unsigned " + std::to_string(r.status),
                                             parseRetryAfterMs(r.header("retry-after"), wallMs())});
        return std::unexpected(SyncError{
            SyncErrorKind::BadResponse, "unsigned response " + std::to_string(r.status), {}});
    }
    lastVerifiedMs = wallMs();
    db->setState(kStateLastContact, utcNow());  // a failure here only loses a display value
    switch (r.status) {
        case 401: {
            const auto refusal = proto::parseMessage<proto::ErrorReply>(r.body);
            const std::string code = refusal ? refusal->error : std::string{};
            if (code == "unknown_kiosk")
                return std::unexpected(SyncError{SyncErrorKind::NotEnrolled, code, {}});
            if (code == "stale_timestamp") {
                if (refusal->serverTimeMs) clockOffsetMs = *refusal->serverTimeMs - wallMs();
                return std::unexpected(SyncError{SyncErrorKind::ClockSkew, code, {}});
            }
            if (code == "replayed_request")
                return std::unexpected(SyncError{SyncErrorKind::BadResponse, code, {}});
            return std::unexpected(
                SyncError{SyncErrorKind::AuthRefused, code.empty() ? "401" : code, {}});
        }
        case 429:
        case 503:
            return std::unexpected(SyncError{SyncErrorKind::Busy, std::to_string(r.status),
                                             parseRetryAfterMs(r.header("retry-after"), wallMs())});
        default:
            if (r.status >= 500)
                return std::unexpected(SyncError{SyncErrorKind::ServerError,
                                                 std::to_string(r.status) + " " + errorCode(r.body),
                                                 {}});
            return r;
    }
}

std::expected<HttpResponse, SyncError> SyncClient::Impl::call(
    const std::string& method, std::string_view path, const std::string& body,
    std::vector<std::pair<std::string, std::string>> extra, bool retryOnSkew) {
    const std::string nonce = proto::newNonce();
    const std::string ts = std::to_string(backendNowMs());
    HttpRequest req;
    req.method = method;
    req.path = std::string(path);
    req.body = body;
    req.headers = extra;  // kept: a retry after a clock correction sends the same headers
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("User-Agent", "kiosk-sync/" + options.appVersion);
    req.headers.emplace_back(std::string(proto::kHeaderKiosk), settings.kioskId);
    req.headers.emplace_back(std::string(proto::kHeaderTimestamp), ts);
    req.headers.emplace_back(std::string(proto::kHeaderNonce), nonce);
    req.headers.emplace_back(std::string(proto::kHeaderSignature),
                             key->signBase64(proto::requestSigningString(
                                 method, path, settings.kioskId, ts, nonce, body)));
    auto r = transport->send(req);
    if (!r) return std::unexpected(fromTransport(r.error()));
    auto v = verify(*r, nonce, backendKey);
    // The backend told us its time: one immediate retry with the corrected clock.
    if (!v && v.error().kind == SyncErrorKind::ClockSkew && retryOnSkew)
        return call(method, path, body, std::move(extra), false);
    return v;
}

// ---- 3. enrolment
// ----------------------------------------------------------------------------------

std::expected<std::string, SyncError> SyncClient::enroll(const std::string& token) {
    Impl& m = *m_impl;
    // Learn the backend's time first (the kiosk's clock may never have been set).
    const std::string challenge = proto::newNonce();
    auto h = m.transport->send({"GET",
                                std::string(proto::kPathHealth),
                                {{std::string(proto::kHeaderNonce), challenge}},
                                {}});
    if (!h) return std::unexpected(fromTransport(h.error()));
    // Read before it is verified: the reply names the key that must have signed it.
    auto hj = proto::parseMessage<proto::HealthReply>(h->body);
    if (!hj) return std::unexpected(m.verify(*h, challenge, {}).error());
    const std::string offeredKey = hj->backendPublicKey;
    // A kiosk provisioned with `kioskctl init --backend-key` trusts that key only: another
    // server answering at the backend's address cannot enrol it (nor read what it seals).
    if (!m.backendKey.empty() && offeredKey != m.backendKey)
        return std::unexpected(
            SyncError{SyncErrorKind::KeyMismatch, "backend key differs from the pinned key", {}});
    auto hv = m.verify(*h, challenge, offeredKey);
    if (!hv) return std::unexpected(hv.error());
    m.clockOffsetMs = hj->timeMs - wallMs();

    const std::string body = proto::dumpMessage(proto::EnrollRequest{
        m.settings.kioskId, m.key->publicKeyBase64(), token, m.options.appVersion});
    // Responses to the enrolment are verified with the key the health check offered (trust on
    // first use; TLS vouches for the host). The same key must sign the enrolment reply.
    const std::string saved = m.backendKey;
    m.backendKey = offeredKey;
    auto r = m.call("POST", proto::kPathEnroll, body);
    m.backendKey = saved;
    if (!r) {
        if (r.error().kind == SyncErrorKind::NotEnrolled)
            r.error().kind = SyncErrorKind::AuthRefused;
        return std::unexpected(r.error());
    }
    if (r->status != 200)
        return std::unexpected(SyncError{
            SyncErrorKind::AuthRefused, std::to_string(r->status) + " " + errorCode(r->body), {}});
    auto reply = proto::parseMessage<proto::EnrollReply>(r->body);
    if (!reply)
        return std::unexpected(
            SyncError{SyncErrorKind::BadResponse, "enrolment reply: " + reply.error(), {}});
    if (reply->backendPublicKey != offeredKey)
        return std::unexpected(
            SyncError{SyncErrorKind::BadResponse, "enrolment reply without the backend key", {}});
    if (auto s = m.db->setState(kStateBackendKey, offeredKey); !s)
        return std::unexpected(storageError(s.error()));
    if (auto s = m.db->setState(kStateEnrolledAt, utcNow()); !s)
        return std::unexpected(storageError(s.error()));
    m.backendKey = offeredKey;
    m.enrolled = true;
    // Records made before the kiosk knew the key are sealed now.
    if (auto sealed = m.db->sealPlainRecords(); !sealed)
        return std::unexpected(storageError(sealed.error()));
    auto kb = platform::keys::base64Decode(offeredKey);
    return record::sha256Hex(kb ? *kb : std::string{}).substr(0, 16);
}

// ---- 4. the pass
// ---------------------------------------------------------------------------------

std::optional<SyncError> SyncClient::Impl::health() {
    const std::string challenge = proto::newNonce();
    auto h = transport->send({"GET",
                              std::string(proto::kPathHealth),
                              {{std::string(proto::kHeaderNonce), challenge}},
                              {}});
    if (!h) return fromTransport(h.error());
    auto v = verify(*h, challenge, backendKey);
    if (!v) return v.error();
    if (v->status != 200)
        return SyncError{SyncErrorKind::BadResponse, "health " + std::to_string(v->status), {}};
    auto reply = proto::parseMessage<proto::HealthReply>(v->body);
    if (!reply) return SyncError{SyncErrorKind::BadResponse, "health reply: " + reply.error(), {}};
    clockOffsetMs = reply->timeMs - wallMs();
    backendTakesZstd = reply->acceptsEncoding(proto::kBodyEncodingZstd);
    // Version negotiation: this kiosk's records need protocol 2 (docs/PROTOCOL.md "Versions").
    if (reply->protocol < proto::kMinBackendProtocol)
        return SyncError{SyncErrorKind::BackendTooOld,
                         "backend protocol " + std::to_string(reply->protocol) + ", kiosk needs " +
                             std::to_string(proto::kMinBackendProtocol),
                         {}};
    return std::nullopt;
}

std::optional<SyncError> SyncClient::Impl::upload(PassReport& report) {
    // Anything still plain (made before the key was known) is sealed before it leaves.
    if (auto sealed = db->sealPlainRecords(); !sealed) return storageError(sealed.error());
    auto dictName = db->payloadDictionary();
    if (!dictName) return storageError(dictName.error());
    const std::string dict = *dictName;
    while (report.batches < options.maxBatchesPerPass) {
        auto batch = db->claimBatch(batchLimit, options.batchBytes,
                                    std::numeric_limits<std::int64_t>::max());
        if (!batch) return storageError(batch.error());
        if (batch->empty()) return std::nullopt;
        std::vector<std::uint64_t> seqs;
        proto::RecordsUploadRequest request{settings.kioskId, {}};
        request.records.reserve(batch->size());
        for (const auto& item : *batch) {
            seqs.push_back(item.header.sequence);
            proto::WireRecord w{item.header, item.contentFormat, item.content};
            if (item.contentFormat == proto::kFormatPlain) {
                auto enc = codec->encode(item.content, dict);
                w.payloadFormat = std::move(enc.format);
                w.payload = std::move(enc.bytes);
            }
            request.records.push_back(std::move(w));
        }
        // dumpMessage replaces invalid UTF-8: a damaged string in a tampered database must not
        // stop the worker; the backend then sees a hash mismatch and flags the record.
        const std::string body = proto::dumpMessage(request);
        auto giveBack = [&](const SyncError& e) {
            // Back in the queue, in order; the backend deduplicates if it did store them.
            if (auto r = db->markRetry(seqs, e.stored().text(), wallMs()); !r)
                return storageError(r.error());
            return e;
        };
        // Compressed when the backend said it takes it (an older backend gets plain JSON).
        const bool compress = backendTakesZstd && body.size() > 512;
        auto r = compress ? call("POST", proto::kPathRecords, proto::compressBody(body),
                                 {{"Content-Encoding", std::string(proto::kBodyEncodingZstd)}})
                          : call("POST", proto::kPathRecords, body);
        ++report.batches;
        if (!r) return giveBack(r.error());
        report.contacted = true;
        if (r->status == 400 || r->status == 413) {
            // The backend refuses this batch as a whole: find the record that poisons it by halving
            // the batch; a single refused record goes to quarantine so the rest of the queue moves.
            const std::string code = errorCode(r->body);
            if (seqs.size() > 1) {
                batchLimit = std::max<std::size_t>(1, seqs.size() / 2);
                if (auto m = db->markRetry(
                        seqs, SyncError{SyncErrorKind::BadResponse, code, {}}.stored().text(),
                        wallMs());
                    !m)
                    return storageError(m.error());
                continue;
            }
            const std::string reason = StoredError{std::string(kCodeRecordRejected),
                                                   code.empty() ? std::to_string(r->status) : code}
                                           .text();
            if (auto q = db->quarantine(seqs.front(), reason); !q) return storageError(q.error());
            ++report.quarantined;
            continue;
        }
        if (r->status != 200)
            return giveBack(SyncError{
                SyncErrorKind::BadResponse, "upload reply " + std::to_string(r->status), {}});
        auto reply = proto::parseMessage<proto::RecordsUploadReply>(r->body);
        if (!reply)
            return giveBack(
                SyncError{SyncErrorKind::BadResponse, "upload reply: " + reply.error(), {}});
        std::vector<SentRecord> sent;
        sent.reserve(batch->size());
        for (const auto& item : *batch) sent.push_back({item.header.sequence, item.header.id});
        const AckPlan plan = planAcknowledgement(sent, *reply);
        for (const auto& [seq, reason] : plan.quarantine) {
            if (auto q = db->quarantine(seq, reason); !q) return storageError(q.error());
            ++report.quarantined;
        }
        const auto& acked = plan.acknowledged;
        const auto& retry = plan.retry;
        // The acknowledgement is durable before the next batch is claimed.
        if (auto m = db->markUploaded(acked, utcNow()); !m) return storageError(m.error());
        if (!retry.empty())
            if (auto m = db->markRetry(retry, std::string(kCodeRecordRetryLater), wallMs()); !m)
                return storageError(m.error());
        report.uploaded += acked.size();
        report.duplicates += reply->counts.duplicate;
        batchLimit = std::min(options.batchRecords, batchLimit * 2);
        if (!retry.empty() && acked.empty())
            return SyncError{SyncErrorKind::ServerError, "backend kept records for later", {}};
    }
    return std::nullopt;
}

std::optional<SyncError> SyncClient::Impl::pullStatus(PassReport& report) {
    for (std::size_t page = 0; page < kMaxStatusPagesPerPass; ++page) {
        auto cursor = db->state(kStateStatusCursor);
        if (!cursor) return storageError(cursor.error());
        const std::string since = cursor->value_or("0");
        auto r = call("POST", proto::kPathStatus, proto::dumpMessage(proto::StatusRequest{since}));
        if (!r) return r.error();
        if (r->status != 200)
            return SyncError{
                SyncErrorKind::BadResponse, "status reply " + std::to_string(r->status), {}};
        auto reply = proto::parseMessage<proto::StatusReply>(r->body);
        if (!reply)
            return SyncError{SyncErrorKind::BadResponse, "status reply: " + reply.error(), {}};
        for (const auto& u : reply->updates) {
            if (u.trackingCode.empty() || u.status.empty() || u.updatedAt.empty()) continue;
            const store::StatusUpdate s{u.trackingCode, u.status,       u.note,     u.agency,
                                        u.officer,      u.expectedDate, u.updatedAt};
            if (auto a = db->applyStatus(s); !a) return storageError(a.error());
            ++report.statusUpdates;
        }
        // The cursor moves only after the updates are stored (applyStatus is idempotent).
        if (auto s = db->setState(kStateStatusCursor, reply->cursor); !s)
            return storageError(s.error());
        if (!reply->more) break;
    }
    return std::nullopt;
}

std::optional<SyncError> SyncClient::Impl::pullConfig(PassReport& report) {
    auto cached = db->config();
    if (!cached) return storageError(cached.error());
    std::vector<std::pair<std::string, std::string>> extra;
    if (*cached && !(*cached)->etag.empty()) extra.emplace_back("If-None-Match", (*cached)->etag);
    auto r = call("GET", proto::kPathConfig, {}, extra);
    if (!r) return r.error();
    if (r->status == 304) return std::nullopt;
    if (r->status != 200)
        return SyncError{
            SyncErrorKind::BadResponse, "config reply " + std::to_string(r->status), {}};
    auto parsed = proto::parseBackendConfig(r->body);
    if (!parsed) return SyncError{SyncErrorKind::BadResponse, "config: " + parsed.error(), {}};
    if (auto s = db->saveConfig({parsed->version, r->header("etag"), r->body, utcNow()}); !s)
        return storageError(s.error());
    report.configChanged = true;
    return std::nullopt;
}

std::optional<SyncError> SyncClient::Impl::heartbeat() {
    if (auto stats = db->outboxStats(); !stats) return storageError(stats.error());
    const proto::HeartbeatRequest body =
        currentHeartbeat(*db, options.appVersion, options.printerState, wallMs());
    auto r = call("POST", proto::kPathHeartbeat, proto::dumpMessage(body));
    if (!r) return r.error();
    if (r->status != 200)
        return SyncError{
            SyncErrorKind::BadResponse, "heartbeat reply " + std::to_string(r->status), {}};
    if (auto reply = proto::parseMessage<proto::HeartbeatReply>(r->body); !reply)
        return SyncError{SyncErrorKind::BadResponse, "heartbeat reply: " + reply.error(), {}};
    return std::nullopt;
}

PassReport SyncClient::runPass() {
    Impl& m = *m_impl;
    PassReport report;
    auto finish = [&](std::optional<SyncError> e) {
        report.error = std::move(e);
        m.lastPassFailed = report.error.has_value();
        if (report.error) {
            m.db->setState(kStateLastError, report.error->stored().text());
            m.db->setState(kStateLastErrorAt, utcNow());
        } else {
            m.db->setState(kStateLastError, "");
        }
        return report;
    };
    if (!m.enrolled)
        return finish(
            SyncError{SyncErrorKind::NotEnrolled, "no backend key: run kioskctl enroll", {}});
    const std::int64_t now = wallMs();
    if (m.lastPassFailed || now - m.lastVerifiedMs > m.options.healthEveryMs) {
        if (auto e = m.health()) return finish(e);
        report.contacted = true;
    }
    // The config first when due: it names the payload dictionary and the categories.
    if (m.lastConfigMs == 0 || now - m.lastConfigMs > m.options.configEveryMs) {
        if (auto e = m.pullConfig(report)) return finish(e);
        m.lastConfigMs = now;
    }
    if (auto e = m.upload(report)) return finish(e);
    if (auto e = m.pullStatus(report)) return finish(e);
    report.contacted = true;
    if (m.lastHeartbeatMs == 0 || now - m.lastHeartbeatMs > m.options.heartbeatEveryMs) {
        if (auto e = m.heartbeat()) return finish(e);
        m.lastHeartbeatMs = now;
    }
    return finish(std::nullopt);
}

}  // namespace ksync::client
