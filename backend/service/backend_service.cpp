// Protocol handlers of the reference backend. Sections:
//   1. helpers (replies, signing, time)
// Every body is a protocol message (proto/messages.hpp): parsed through its type, replied with
// its type's toJson(); nothing here builds or reads protocol JSON by hand.
//   2. authentication of signed requests
//   3. health, enroll, records, status, config, heartbeat
//   4. staff updates
//   5. public tracking page and Open311 (tracking_page.cpp holds the HTML)
#include "service/backend_service.hpp"

#include <iostream>

#include "clock/clock.hpp"
#include "proto/backend_config.hpp"
#include "proto/messages.hpp"
#include "record/text.hpp"
#include "record/tracking_code.hpp"
#include "service/case_additions.hpp"
#include "service/case_index.hpp"
#include "text/assets.hpp"

namespace ksync::backend {

using nlohmann::json;

// ---- 1. helpers ------------------------------------------------------------------------------

namespace {

constexpr std::string_view kStatuses[] = {"received", "forwarded", "needs_info", "answered",
                                          "closed",   "rejected",  "duplicate"};

json errorBody(std::string_view code) {
    return proto::ErrorReply{std::string(code), {}, {}}.toJson();
}

bool isHexNonce(const std::string& s) {
    if (s.size() < 16 || s.size() > 64) return false;
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// Request bodies are checked before the JSON parser sees them: nesting depth (a hostile body
// of a million '[' gets "too_deep", whatever the parser would do with it) and UTF-8 (a clear
// "invalid_utf8" instead of a generic "bad_request"). Unparseable JSON is "bad_request".
constexpr int kMaxJsonDepth = 32;

std::expected<json, std::string_view> parseBody(std::string_view body) {
    int depth = 0;
    bool inString = false, escaped = false;
    for (const char ch : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > kMaxJsonDepth) return std::unexpected("too_deep");
        } else if (ch == ']' || ch == '}') {
            --depth;
        }
    }
    if (!record::isValidUtf8(body)) return std::unexpected("invalid_utf8");
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return std::unexpected("bad_request");
    return j;
}

}  // namespace

bool isKnownStatus(std::string_view status) {
    for (auto s : kStatuses)
        if (s == status) return true;
    return false;
}

std::string defaultServedConfig() {
    auto j = json::parse(proto::defaultBackendConfigJson());
    j["payload_dictionary"] = "v1";
    return j.dump(2);
}

ConfigDocument makeConfigDocument(const std::string& document) {
    ConfigDocument c;
    c.document = document;
    auto j = json::parse(document, nullptr, false);
    c.version = j.is_object() && j.contains("version") && j["version"].is_string()
                    ? j["version"].get<std::string>()
                    : "";
    c.etag = "\"" + record::sha256Hex(document).substr(0, 20) + "\"";
    return c;
}

BackendService::BackendService(BackendStorage& storage, platform::keys::DeviceKey backendKey,
                               std::shared_ptr<const proto::Dictionaries> dicts,
                               ServiceOptions options)
    : m_storage(storage),
      m_key(std::move(backendKey)),
      m_dicts(std::move(dicts)),
      m_options(std::move(options)),
      m_configFallback(defaultServedConfig()),
      m_strings(platform::text::Strings::load("vi")) {}

Result<std::size_t> BackendService::linkAdditions() {
    auto unlinked = m_storage.unlinkedAdditions();
    if (!unlinked) return std::unexpected(unlinked.error());
    const auto cfg = servedConfig();
    std::vector<CaseIndex> index;
    for (const auto& r : *unlinked)
        if (auto c = record::decodeContent(r.content); c && !c->parentCode.empty())
            index.push_back(makeCaseIndex(r.header, *c, cfg));
    if (!index.empty())
        if (auto done = m_storage.indexCases(index); !done) return std::unexpected(done.error());
    return index.size();
}

std::int64_t BackendService::now() const {
    return m_options.nowMs ? m_options.nowMs()
                           : platform::clock::unixMillis(platform::clock::now());
}

void BackendService::log(const std::string& line) const {
    if (m_options.log)
        m_options.log(line);
    else
        std::cerr << platform::clock::formatUtc(platform::clock::now()) << " " << line << "\n";
}

HttpReply BackendService::signedJson(int status, const std::string& nonce, const json& body) const {
    HttpReply r;
    r.status = status;
    // replace: a reply must never throw on a string cut from stored data (the sender would get
    // a 500 instead of an answer); the signature covers what is actually sent.
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!nonce.empty())
        r.headers[std::string(proto::kHeaderBackendSignature)] =
            m_key.signBase64(proto::responseSigningString(nonce, status, r.body));
    return r;
}

HttpReply BackendService::storageFailure(const StorageError& e, const std::string& nonce) const {
    log("storage error: " + e.detail);
    HttpReply r = signedJson(503, nonce, errorBody(e.transient ? "busy" : "storage_error"));
    r.headers["Retry-After"] = e.transient ? "2" : "30";
    return r;
}

// ---- 2. authentication -------------------------------------------------------------------------

std::expected<BackendService::Auth, HttpReply> BackendService::authenticate(
    const HttpRequestView& req) {
    const std::string kiosk = req.header("x-kiosk-id");
    const std::string ts = req.header("x-kiosk-timestamp");
    const std::string nonce = req.header("x-kiosk-nonce");
    const std::string sig = req.header("x-kiosk-signature");
    // A reply to a request without a usable nonce cannot be signed for it; it is plain 401.
    const std::string replyNonce = isHexNonce(nonce) ? nonce : std::string{};
    auto refuse = [&](std::string_view code,
                      std::optional<std::int64_t> serverTimeMs = std::nullopt) {
        log(req.method + " " + req.path + " 401 kiosk=" + kiosk.substr(0, 8) + " " +
            std::string(code));
        return std::unexpected(signedJson(
            401, replyNonce, proto::ErrorReply{std::string(code), serverTimeMs, {}}.toJson()));
    };
    if (kiosk.empty() || ts.empty() || replyNonce.empty() || sig.empty())
        return refuse("unsigned_request");
    auto key = m_storage.kioskPublicKey(kiosk);
    if (!key) return std::unexpected(storageFailure(key.error(), replyNonce));
    if (!*key) return refuse("unknown_kiosk");
    std::int64_t tsMs = 0;
    try {
        tsMs = std::stoll(ts);
    } catch (...) {
        return refuse("bad_timestamp");
    }
    const std::int64_t nowMs = now();
    if (std::llabs(nowMs - tsMs) > m_options.maxClockSkewMs)
        return refuse("stale_timestamp", nowMs);
    const std::string signing =
        proto::requestSigningString(req.method, req.path, kiosk, ts, nonce, req.body);
    if (!platform::keys::DeviceKey::verifyBase64(**key, signing, sig))
        return refuse("bad_signature");
    auto fresh = m_storage.useNonce(kiosk, nonce, nowMs);
    if (!fresh) return std::unexpected(storageFailure(fresh.error(), replyNonce));
    if (!*fresh) return refuse("replayed_request");
    return Auth{kiosk, nonce};
}

// ---- 3. protocol endpoints ---------------------------------------------------------------------

HttpReply BackendService::health(const HttpRequestView& req) {
    // The challenge (the kiosk's nonce header) comes back signed: a captive portal or any other
    // stranger answering for the backend cannot produce that signature.
    const std::string challenge = req.header("x-kiosk-nonce");
    const std::int64_t nowMs = now();
    proto::HealthReply reply;
    reply.timeMs = nowMs;
    reply.time = platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs));
    reply.backendPublicKey = m_key.publicKeyBase64();
    reply.acceptEncoding = {std::string(proto::kBodyEncodingZstd)};
    return signedJson(200, isHexNonce(challenge) ? challenge : std::string{}, reply.toJson());
}

HttpReply BackendService::enroll(const HttpRequestView& req) {
    const std::string nonce = req.header("x-kiosk-nonce");
    const std::string replyNonce = isHexNonce(nonce) ? nonce : std::string{};
    auto parsed = parseBody(req.body);
    if (!parsed) return signedJson(400, replyNonce, errorBody(parsed.error()));
    auto request = proto::EnrollRequest::fromJson(*parsed);
    if (!request) return signedJson(400, replyNonce, errorBody("bad_request"));
    const std::string& kiosk = request->kioskId;
    const std::string& publicKey = request->publicKey;
    const std::string& token = request->token;
    if (!record::isValidKioskId(kiosk) || kiosk != req.header("x-kiosk-id"))
        return signedJson(400, replyNonce, errorBody("bad_kiosk_id"));
    // The request is signed with the key being enrolled: proves the kiosk holds its secret half.
    const std::string signing = proto::requestSigningString(
        req.method, req.path, kiosk, req.header("x-kiosk-timestamp"), nonce, req.body);
    if (replyNonce.empty() || !platform::keys::DeviceKey::verifyBase64(
                                  publicKey, signing, req.header("x-kiosk-signature")))
        return signedJson(401, replyNonce, errorBody("bad_signature"));
    auto outcome = m_storage.enrol(token, kiosk, publicKey, now());
    if (!outcome) return storageFailure(outcome.error(), replyNonce);
    switch (*outcome) {
        case EnrolOutcome::BadToken:
            log("POST /api/v1/enroll 403 kiosk=" + kiosk + " bad_token");
            return signedJson(403, replyNonce, errorBody("bad_token"));
        case EnrolOutcome::KeyMismatch:
            log("POST /api/v1/enroll 409 kiosk=" + kiosk + " enrolled_with_another_key");
            return signedJson(409, replyNonce, errorBody("enrolled_with_another_key"));
        case EnrolOutcome::Enrolled:
            break;
    }
    log("POST /api/v1/enroll 200 kiosk=" + kiosk);
    return signedJson(200, replyNonce,
                      proto::EnrollReply{kiosk, true, m_key.publicKeyBase64()}.toJson());
}

HttpReply BackendService::uploadRecords(const HttpRequestView& req) {
    auto auth = authenticate(req);
    if (!auth) return auth.error();
    const std::string& nonce = auth->nonce;
    // A compressed body is opened only after its signature checked out, and only up to the
    // request limit: a small frame cannot make the backend allocate gigabytes.
    std::string opened;
    const std::string* body = &req.body;
    if (const std::string encoding = req.header("content-encoding");
        !encoding.empty() && encoding != "identity") {
        if (encoding != proto::kBodyEncodingZstd)
            return signedJson(415, nonce, errorBody("unsupported_encoding"));
        auto d = proto::decompressBody(req.body, proto::kMaxRequestBytes);
        if (!d)
            return signedJson(d.error() == "body_too_large" ? 413 : 400, nonce,
                              errorBody(d.error()));
        opened = std::move(*d);
        body = &opened;
    }
    auto parsed = parseBody(*body);
    if (!parsed) return signedJson(400, nonce, errorBody(parsed.error()));
    auto batch = proto::RecordsUploadRequest::fromJson(*parsed);
    if (!batch) {
        const std::string& why = batch.error();
        if (why == "batch_too_large") return signedJson(413, nonce, errorBody(why));
        return signedJson(400, nonce,
                          errorBody(why == "record_without_sequence" ? why : "bad_request"));
    }

    std::size_t altered = 0;
    auto ingested = ingestUpload(auth->kioskId, *batch, altered, now());
    if (!ingested) return storageFailure(ingested.error(), nonce);
    const proto::RecordsUploadReply& reply = *ingested;
    const auto& c = reply.counts;
    log("POST /api/v1/records 200 kiosk=" + auth->kioskId +
        " records=" + std::to_string(batch->items.size()) +
        " created=" + std::to_string(c.created) + " duplicate=" + std::to_string(c.duplicate) +
        " conflict=" + std::to_string(c.conflict) + " rejected=" + std::to_string(c.rejected) +
        (altered ? " altered=" + std::to_string(altered) : "") +
        (body != &req.body ? " bytes=" + std::to_string(req.body.size()) + "/" +
                                 std::to_string(body->size()) + " zstd"
                           : " bytes=" + std::to_string(req.body.size())));
    return signedJson(200, nonce, reply.toJson());
}

// The one ingest of a batch of records, whether it came over the link or on a USB stick: the
// payload opened with this backend's key, the hashes checked (an altered record is stored and
// flagged, as the chain audit expects), stored exactly once by id.
Result<proto::RecordsUploadReply> BackendService::ingestUpload(const std::string& kioskId,
                                                               proto::ReceivedUpload& batch,
                                                               std::size_t& altered,
                                                               std::int64_t nowMs) {
    proto::PayloadCodec codec(m_dicts);
    std::vector<IngestItem> items;
    std::vector<record::Content> openedContent;  // parallel to items
    items.reserve(batch.items.size());
    proto::RecordsUploadReply reply;
    reply.kioskId = kioskId;
    std::map<std::string, std::string> batchCases;  // code -> proof verifier, cases of this batch
    auto reject = [&](const proto::UploadItem& item, const std::string& reason, bool retry) {
        reply.exceptions.push_back(
            {item.sequence, item.id, proto::ItemResult::Rejected, reason, retry});
        ++reply.counts.rejected;
    };
    for (auto& item : batch.items) {
        // Every record names its sequence (the parser refuses the batch otherwise), so the
        // watermark covers only what the reply accounts for.
        reply.storedThrough = std::max(reply.storedThrough, item.sequence);
        if (!item.record) {
            reject(item, item.record.error(), false);
            continue;
        }
        proto::WireRecord& w = *item.record;
        if (w.header.kioskId != kioskId) {
            reject(item, "wrong_kiosk", false);
            continue;
        }
        // Sealed content is opened with this backend's key; a box sealed to another key cannot
        // become readable by retrying, so it is refused for good (the kiosk quarantines it).
        auto content = codec.decode(w.payloadFormat, w.payload, &m_key);
        if (!content) {
            // A dictionary this backend does not have yet is the operator's to fix: retry later.
            reject(item, content.error(), content.error() == "unknown_dictionary");
            continue;
        }
        auto opened = record::decodeContent(*content);
        if (!opened) {
            reject(item, "bad_content", false);
            continue;
        }
        IngestItem in;
        in.header = std::move(w.header);
        // Issue #14: a supplement or rating must prove it holds its case's receipt; refused ones
        // are not stored (the kiosk quarantines them for staff).
        auto refusal = prepareAddition(m_storage, *opened, in, batchCases, nowMs);
        if (!refusal) return std::unexpected(refusal.error());
        if (*refusal) {
            reject(item, (*refusal)->reason, (*refusal)->retry);
            continue;
        }
        if (opened->kind == record::RecordKind::Case && !opened->proofVerifier.empty())
            batchCases[in.header.trackingCode] = opened->proofVerifier;
        in.payloadFormat = std::move(w.payloadFormat);
        in.intact =
            record::headerHash(in.header) == in.header.hash &&
            record::sha256Hex(*content) == in.header.contentDigest &&
            in.header.trackingCode ==
                record::makeTrackingCode(in.header.type, in.header.kioskId, in.header.sequence);
        in.content = std::move(*content);
        openedContent.push_back(std::move(*opened));
        items.push_back(std::move(in));
    }
    dropSupersededReopens(items);
    auto results = m_storage.ingest(items, nowMs);
    if (!results) return std::unexpected(results.error());
    // The console's index (ward, deadline, folded search text) from the opened content; a
    // duplicate is indexed again, so a batch whose index write failed heals on the retry.
    {
        const auto cfg = servedConfig();
        std::vector<CaseIndex> index;
        for (std::size_t i = 0; i < items.size(); ++i)
            if ((*results)[i].result != proto::ItemResult::Conflict)
                index.push_back(makeCaseIndex(items[i].header, openedContent[i], cfg));
        if (!index.empty())
            if (auto indexed = m_storage.indexCases(index); !indexed)
                return std::unexpected(indexed.error());
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& r = (*results)[i];
        if (!items[i].intact) ++altered;
        switch (r.result) {
            case proto::ItemResult::Created:
                ++reply.counts.created;
                break;
            case proto::ItemResult::Duplicate:
                ++reply.counts.duplicate;
                break;
            case proto::ItemResult::Conflict:
                ++reply.counts.conflict;
                reply.exceptions.push_back({items[i].header.sequence, items[i].header.id,
                                            proto::ItemResult::Conflict, r.reason, false});
                break;
            case proto::ItemResult::Rejected:
                break;
        }
    }
    return reply;
}

HttpReply BackendService::statusUpdates(const HttpRequestView& req) {
    auto auth = authenticate(req);
    if (!auth) return auth.error();
    // An unreadable body means "from the start" (since 0); a hostile one is refused.
    auto parsed = parseBody(req.body);
    if (!parsed && parsed.error() != "bad_request")
        return signedJson(400, auth->nonce, errorBody(parsed.error()));
    // A body that is not a StatusRequest, or a cursor that is not a number, reads the same.
    std::int64_t since = 0;
    if (auto request = parsed ? proto::StatusRequest::fromJson(*parsed)
                              : std::unexpected(std::string("bad_request"))) {
        try {
            since = std::stoll(request->since);
        } catch (...) {
            since = 0;
        }
    }
    auto events = m_storage.statusSince(auth->kioskId, since, m_options.statusPageSize);
    if (!events) return storageFailure(events.error(), auth->nonce);
    proto::StatusReply reply;
    std::int64_t cursor = since;
    for (const auto& e : *events) {
        reply.updates.push_back(
            {e.trackingCode, e.status, e.note, e.agency, e.officer, e.expectedDate, e.updatedAt});
        cursor = e.eventId;
    }
    reply.cursor = std::to_string(cursor);
    reply.more = events->size() == m_options.statusPageSize;
    log("POST /api/v1/status 200 kiosk=" + auth->kioskId +
        " updates=" + std::to_string(events->size()));
    return signedJson(200, auth->nonce, reply.toJson());
}

HttpReply BackendService::config(const HttpRequestView& req) {
    auto auth = authenticate(req);
    if (!auth) return auth.error();
    auto current = currentConfig();
    if (!current) return storageFailure(current.error(), auth->nonce);
    const ConfigDocument& doc = *current;
    HttpReply r;
    if (req.header("if-none-match") == doc.etag) {
        r.status = 304;
    } else {
        r.status = 200;
        r.body = doc.document;
    }
    r.headers["ETag"] = doc.etag;
    r.headers[std::string(proto::kHeaderBackendSignature)] =
        m_key.signBase64(proto::responseSigningString(auth->nonce, r.status, r.body));
    log("GET /api/v1/config " + std::to_string(r.status) + " kiosk=" + auth->kioskId);
    return r;
}

proto::BackendConfig BackendService::servedConfig() {
    if (auto doc = currentConfig())
        if (auto parsed = proto::parseBackendConfig(doc->document)) return *parsed;
    return *proto::parseBackendConfig(proto::defaultBackendConfigJson());
}

Result<ConfigDocument> BackendService::currentConfig() {
    auto stored = m_storage.config();
    if (!stored) return std::unexpected(stored.error());
    return *stored ? **stored : makeConfigDocument(m_configFallback);
}

HttpReply BackendService::heartbeat(const HttpRequestView& req) {
    auto auth = authenticate(req);
    if (!auth) return auth.error();
    auto parsed = parseBody(req.body);
    if (!parsed) return signedJson(400, auth->nonce, errorBody(parsed.error()));
    auto kept = proto::HeartbeatRequest::fromJson(*parsed);
    if (!kept) return signedJson(400, auth->nonce, errorBody("bad_request"));
    const std::int64_t nowMs = now();
    if (auto r = keepHeartbeat(auth->kioskId, std::move(*kept), nowMs); !r)
        return storageFailure(r.error(), auth->nonce);
    log("POST /api/v1/heartbeat 200 kiosk=" + auth->kioskId);
    return signedJson(200, auth->nonce, proto::HeartbeatReply{nowMs}.toJson());
}

Result<void> BackendService::keepHeartbeat(const std::string& kioskId, proto::HeartbeatRequest kept,
                                           std::int64_t nowMs) {
    // Only the known fields are kept (the type drops the rest), and strings are cut short: the
    // heartbeat is telemetry. Cut by code points, not bytes: the body is valid UTF-8 (parseBody)
    // and a character cut in half would make the stored JSON unreadable.
    for (auto* text : {&kept.printer, &kept.appVersion, &kept.lastError, &kept.lastContact})
        if (*text) **text = std::string(record::prefixCodepoints(**text, 200));
    return m_storage.recordHeartbeat(kioskId, proto::dumpMessage(kept), nowMs);
}

// ---- 4. staff updates --------------------------------------------------------------------------

std::expected<std::string, std::string> applyStaffUpdate(BackendStorage& storage,
                                                         const StaffUpdate& u, std::int64_t nowMs) {
    auto code = record::parseTrackingCode(u.code);
    if (!code) return std::unexpected("not a valid tracking code");
    if (!isKnownStatus(u.status)) return std::unexpected("unknown status '" + u.status + "'");
    if (!u.expectedDate.empty()) {
        const bool ok = u.expectedDate.size() == 10 && u.expectedDate[4] == '-' &&
                        u.expectedDate[7] == '-' &&
                        platform::clock::parseUtc(u.expectedDate + "T00:00:00Z").has_value();
        if (!ok) return std::unexpected("expected date must be YYYY-MM-DD");
    }
    StatusEvent e;
    e.trackingCode = code->text();
    e.status = u.status;
    e.agency = u.agency;
    e.officer = u.officer;
    e.expectedDate = u.expectedDate;
    e.note = u.note;
    e.updatedAt = platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs));
    auto r = storage.addStatus(e);
    if (!r) return std::unexpected("storage: " + r.error().detail);
    if (!*r) return std::unexpected("no record with code " + e.trackingCode);
    return e.trackingCode;
}

HttpReply BackendService::staffUpdate(const HttpRequestView& req) {
    const std::string auth = req.header("authorization");
    std::optional<std::string> staff;
    if (auth.starts_with("Bearer ")) {
        auto name = m_storage.staffTokenName(auth.substr(7));
        if (!name) return storageFailure(name.error(), {});
        staff = *name;
    }
    if (!staff) {
        log("POST /api/v1/staff/updates 401");
        return signedJson(401, {}, errorBody("bad_staff_token"));
    }
    auto parsed = parseBody(req.body);
    if (!parsed) return signedJson(400, {}, errorBody(parsed.error()));
    auto request = proto::StaffUpdateRequest::fromJson(*parsed);
    if (!request) return signedJson(400, {}, errorBody("bad_request"));
    const StaffUpdate u{request->trackingCode, request->status,       request->agency,
                        request->officer,      request->expectedDate, request->note};
    auto r = applyStaffUpdate(m_storage, u, now());
    if (!r) {
        log("POST /api/v1/staff/updates 422 staff=" + *staff);
        return signedJson(422, {}, proto::ErrorReply{"refused", {}, r.error()}.toJson());
    }
    log("POST /api/v1/staff/updates 200 staff=" + *staff + " code=" + *r + " status=" + u.status);
    return signedJson(200, {}, proto::StaffUpdateReply{*r, u.status}.toJson());
}

}  // namespace ksync::backend
