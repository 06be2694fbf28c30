// Protocol v1 messages. Sections:
//   1. the field reader every fromJson uses (types checked, never throws)
//   2. health, enrolment
//   3. records upload
//   4. status pull
//   5. heartbeat, error reply
//   6. staff update, public status
#include "proto/messages.hpp"

#include <limits>

namespace ksync::proto {

using nlohmann::json;

// ---- 1. field reader ---------------------------------------------------------------------------

namespace {

// Reads the fields of one JSON object. The first failure is kept as "bad_field:<prefix><key>";
// after it every read is a no-op, so a parser reads all its fields and checks ok() once.
// Only is_*() checks come before a get<>(), so nothing here can throw a json type_error.
class Reader {
public:
    explicit Reader(const json& object, std::string prefix = {})
        : m_j(object), m_prefix(std::move(prefix)) {}

    void text(const char* key, std::string& out) { read(key, out, true); }
    void optionalText(const char* key, std::string& out) { read(key, out, false); }
    void flag(const char* key, bool& out) {
        if (const json* v = find(key, true)) {
            if (v->is_boolean())
                out = v->get<bool>();
            else
                fail(key);
        }
    }
    void integer(const char* key, std::int64_t& out) {
        if (const json* v = find(key, true)) {
            if (auto n = asInt64(*v))
                out = *n;
            else
                fail(key);
        }
    }
    void optionalInteger(const char* key, std::optional<std::int64_t>& out) {
        if (const json* v = find(key, false)) {
            if (auto n = asInt64(*v))
                out = *n;
            else
                fail(key);
        }
    }
    void count(const char* key, std::uint64_t& out) {
        if (const json* v = find(key, true)) {
            if (auto n = asUint64(*v))
                out = *n;
            else
                fail(key);
        }
    }
    // The array or object under `key`, or nullptr (and a failure unless optional and absent).
    const json* array(const char* key, bool required = true) {
        return container(key, required, false);
    }
    const json* object(const char* key) { return container(key, true, true); }
    void protocol() {
        if (const json* v = find("protocol", false); v && !v->is_number_integer()) fail("protocol");
    }

    void fail(std::string_view key) {
        if (m_error.empty()) m_error = "bad_field:" + m_prefix + std::string(key);
    }
    bool ok() const { return m_error.empty(); }
    std::string error() const { return m_error; }

    static std::optional<std::int64_t> asInt64(const json& v) {
        if (v.is_number_unsigned()) {
            const auto u = v.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return std::nullopt;
            return static_cast<std::int64_t>(u);
        }
        if (v.is_number_integer()) return v.get<std::int64_t>();
        return std::nullopt;
    }
    // Text always parses non-negative integers as unsigned; a JSON value built in C++ from a
    // plain int is signed, which is as good when it is not negative.
    static std::optional<std::uint64_t> asUint64(const json& v) {
        if (v.is_number_unsigned()) return v.get<std::uint64_t>();
        if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
            return static_cast<std::uint64_t>(v.get<std::int64_t>());
        return std::nullopt;
    }

private:
    const json* find(const char* key, bool required) {
        if (!m_error.empty()) return nullptr;
        auto it = m_j.find(key);
        if (it == m_j.end()) {
            if (required) fail(key);
            return nullptr;
        }
        return &*it;
    }
    void read(const char* key, std::string& out, bool required) {
        if (const json* v = find(key, required)) {
            if (v->is_string())
                out = v->get<std::string>();
            else
                fail(key);
        }
    }
    const json* container(const char* key, bool required, bool isObject) {
        const json* v = find(key, required);
        if (v && (isObject ? v->is_object() : v->is_array())) return v;
        if (v) fail(key);
        return nullptr;
    }

    const json& m_j;
    std::string m_prefix;
    std::string m_error;
};

template <class T>
std::expected<T, std::string> finish(const Reader& r, T&& value) {
    if (!r.ok()) return std::unexpected(r.error());
    return std::forward<T>(value);
}

std::unexpected<std::string> notObject() {
    return std::unexpected(std::string("not_object"));
}

json withProtocol(json body) {
    body["protocol"] = kProtocolVersion;
    return body;
}

}  // namespace

std::optional<ItemResult> parseItemResult(std::string_view code) {
    for (auto r :
         {ItemResult::Created, ItemResult::Duplicate, ItemResult::Conflict, ItemResult::Rejected})
        if (itemResultCode(r) == code) return r;
    return std::nullopt;
}

// ---- 2. health, enrolment ----------------------------------------------------------------------

bool HealthReply::acceptsEncoding(std::string_view encoding) const {
    for (const auto& e : acceptEncoding)
        if (e == encoding) return true;
    return false;
}

json HealthReply::toJson() const {
    return withProtocol({{"service", service},
                         {"time_ms", timeMs},
                         {"time", time},
                         {"backend_public_key", backendPublicKey},
                         {"accept_encoding", acceptEncoding}});
}

std::expected<HealthReply, std::string> HealthReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    HealthReply m;
    Reader r(j);
    r.protocol();
    m.protocol = 1;
    if (auto p = j.find("protocol"); p != j.end() && p->is_number_integer())
        m.protocol = p->get<int>();
    r.text("service", m.service);
    r.integer("time_ms", m.timeMs);
    r.text("time", m.time);
    r.text("backend_public_key", m.backendPublicKey);
    if (const json* enc = r.array("accept_encoding", false))
        for (const auto& e : *enc) {
            if (!e.is_string()) {
                r.fail("accept_encoding");
                break;
            }
            m.acceptEncoding.push_back(e.get<std::string>());
        }
    return finish(r, std::move(m));
}

json EnrollRequest::toJson() const {
    return {{"kiosk_id", kioskId},
            {"public_key", publicKey},
            {"token", token},
            {"app_version", appVersion}};
}

std::expected<EnrollRequest, std::string> EnrollRequest::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    EnrollRequest m;
    Reader r(j);
    r.text("kiosk_id", m.kioskId);
    r.text("public_key", m.publicKey);
    r.text("token", m.token);
    r.optionalText("app_version", m.appVersion);
    return finish(r, std::move(m));
}

json EnrollReply::toJson() const {
    return withProtocol(
        {{"kiosk_id", kioskId}, {"enrolled", enrolled}, {"backend_public_key", backendPublicKey}});
}

std::expected<EnrollReply, std::string> EnrollReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    EnrollReply m;
    Reader r(j);
    r.protocol();
    r.text("kiosk_id", m.kioskId);
    r.flag("enrolled", m.enrolled);
    r.text("backend_public_key", m.backendPublicKey);
    return finish(r, std::move(m));
}

// ---- 3. records upload
// ---------------------------------------------------------------------------

json RecordsUploadRequest::toJson() const {
    json list = json::array();
    for (const auto& w : records) list.push_back(toWire(w));
    return {{"kiosk_id", kioskId}, {"records", std::move(list)}};
}

std::expected<ReceivedUpload, std::string> RecordsUploadRequest::fromJson(const json& j,
                                                                          std::size_t maxRecords) {
    if (!j.is_object()) return notObject();
    ReceivedUpload m;
    Reader r(j);
    r.optionalText("kiosk_id", m.kioskId);
    const json* list = r.array("records");
    if (!r.ok()) return std::unexpected(r.error());
    if (list->size() > maxRecords) return std::unexpected(std::string("batch_too_large"));
    m.items.reserve(list->size());
    for (const auto& rec : *list) {
        const json* seq = rec.is_object() && rec.contains("sequence") ? &rec["sequence"] : nullptr;
        if (!seq || !seq->is_number_unsigned())
            return std::unexpected(std::string("record_without_sequence"));
        UploadItem item;
        item.sequence = seq->get<std::uint64_t>();
        if (auto id = rec.find("id"); id != rec.end() && id->is_string())
            item.id = id->get<std::string>();
        item.record = fromWire(rec);
        m.items.push_back(std::move(item));
    }
    return m;
}

json RecordsUploadReply::toJson() const {
    json ex = json::array();
    for (const auto& e : exceptions)
        ex.push_back({{"sequence", e.sequence},
                      {"id", e.id},
                      {"result", itemResultCode(e.result)},
                      {"reason", e.reason},
                      {"retry", e.retry}});
    return withProtocol({{"kiosk_id", kioskId},
                         {"stored_through", storedThrough},
                         {"counts",
                          {{"created", counts.created},
                           {"duplicate", counts.duplicate},
                           {"conflict", counts.conflict},
                           {"rejected", counts.rejected}}},
                         {"exceptions", std::move(ex)}});
}

std::expected<RecordsUploadReply, std::string> RecordsUploadReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    RecordsUploadReply m;
    Reader r(j);
    r.protocol();
    r.text("kiosk_id", m.kioskId);
    r.count("stored_through", m.storedThrough);
    if (const json* c0 = r.object("counts")) {
        Reader c(*c0, "counts.");
        c.count("created", m.counts.created);
        c.count("duplicate", m.counts.duplicate);
        c.count("conflict", m.counts.conflict);
        c.count("rejected", m.counts.rejected);
        if (!c.ok()) return std::unexpected(c.error());
    }
    if (const json* ex = r.array("exceptions")) {
        for (const auto& e : *ex) {
            if (!e.is_object()) return std::unexpected(std::string("bad_field:exceptions"));
            UploadException u;
            std::string result;
            Reader x(e, "exceptions.");
            x.count("sequence", u.sequence);
            x.text("id", u.id);
            x.text("result", result);
            x.text("reason", u.reason);
            x.flag("retry", u.retry);
            if (!x.ok()) return std::unexpected(x.error());
            auto parsed = parseItemResult(result);
            if (!parsed) return std::unexpected(std::string("bad_field:exceptions.result"));
            u.result = *parsed;
            m.exceptions.push_back(std::move(u));
        }
    }
    return finish(r, std::move(m));
}

// ---- 4. status pull ---------------------------------------------------------------------------

json StatusRequest::toJson() const {
    return {{"since", since}};
}

std::expected<StatusRequest, std::string> StatusRequest::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    StatusRequest m;
    Reader r(j);
    r.optionalText("since", m.since);
    return finish(r, std::move(m));
}

json StatusReply::toJson() const {
    json list = json::array();
    for (const auto& u : updates)
        list.push_back({{"tracking_code", u.trackingCode},
                        {"status", u.status},
                        {"note", u.note},
                        {"agency", u.agency},
                        {"officer", u.officer},
                        {"expected_date", u.expectedDate},
                        {"updated_at", u.updatedAt}});
    return withProtocol({{"updates", std::move(list)}, {"cursor", cursor}, {"more", more}});
}

std::expected<StatusReply, std::string> StatusReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    StatusReply m;
    Reader r(j);
    r.protocol();
    r.text("cursor", m.cursor);
    r.flag("more", m.more);
    if (const json* list = r.array("updates")) {
        for (const auto& u : *list) {
            if (!u.is_object()) return std::unexpected(std::string("bad_field:updates"));
            StatusUpdateEntry e;
            Reader x(u, "updates.");
            x.text("tracking_code", e.trackingCode);
            x.text("status", e.status);
            x.text("note", e.note);
            x.text("agency", e.agency);
            x.text("officer", e.officer);
            x.text("expected_date", e.expectedDate);
            x.text("updated_at", e.updatedAt);
            if (!x.ok()) return std::unexpected(x.error());
            m.updates.push_back(std::move(e));
        }
    }
    return finish(r, std::move(m));
}

// ---- 5. heartbeat, error reply
// -------------------------------------------------------------------

json HeartbeatRequest::toJson() const {
    json j = json::object();
    auto put = [&j](const char* key, const auto& v) {
        if (v) j[key] = *v;
    };
    put("queue_depth", queueDepth);
    put("oldest_queued_age_s", oldestQueuedAgeS);
    put("quarantined", quarantined);
    put("printer", printer);
    put("app_version", appVersion);
    put("last_error", lastError);
    put("last_contact", lastContact);
    return j;
}

std::expected<HeartbeatRequest, std::string> HeartbeatRequest::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    HeartbeatRequest m;
    auto integer = [&j](const char* key, std::optional<std::int64_t>& out) {
        if (auto it = j.find(key); it != j.end()) out = Reader::asInt64(*it);
    };
    auto text = [&j](const char* key, std::optional<std::string>& out) {
        if (auto it = j.find(key); it != j.end() && it->is_string()) out = it->get<std::string>();
    };
    integer("queue_depth", m.queueDepth);
    integer("oldest_queued_age_s", m.oldestQueuedAgeS);
    integer("quarantined", m.quarantined);
    text("printer", m.printer);
    text("app_version", m.appVersion);
    text("last_error", m.lastError);
    text("last_contact", m.lastContact);
    return m;
}

json HeartbeatReply::toJson() const {
    return withProtocol({{"time_ms", timeMs}});
}

std::expected<HeartbeatReply, std::string> HeartbeatReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    HeartbeatReply m;
    Reader r(j);
    r.protocol();
    r.integer("time_ms", m.timeMs);
    return finish(r, std::move(m));
}

json ErrorReply::toJson() const {
    json j = withProtocol({{"error", error}});
    if (serverTimeMs) j["server_time_ms"] = *serverTimeMs;
    if (reason) j["reason"] = *reason;
    return j;
}

std::expected<ErrorReply, std::string> ErrorReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    ErrorReply m;
    Reader r(j);
    r.protocol();
    r.text("error", m.error);
    r.optionalInteger("server_time_ms", m.serverTimeMs);
    if (j.contains("reason")) {
        m.reason.emplace();
        r.text("reason", *m.reason);
    }
    return finish(r, std::move(m));
}

// ---- 6. staff update, public status
// ---------------------------------------------------------------

json StaffUpdateRequest::toJson() const {
    return {{"tracking_code", trackingCode},
            {"status", status},
            {"agency", agency},
            {"officer", officer},
            {"expected_date", expectedDate},
            {"note", note}};
}

std::expected<StaffUpdateRequest, std::string> StaffUpdateRequest::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    StaffUpdateRequest m;
    Reader r(j);
    r.optionalText("tracking_code", m.trackingCode);
    r.optionalText("status", m.status);
    r.optionalText("agency", m.agency);
    r.optionalText("officer", m.officer);
    r.optionalText("expected_date", m.expectedDate);
    r.optionalText("note", m.note);
    return finish(r, std::move(m));
}

json StaffUpdateReply::toJson() const {
    return withProtocol({{"tracking_code", trackingCode}, {"status", status}});
}

std::expected<StaffUpdateReply, std::string> StaffUpdateReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    StaffUpdateReply m;
    Reader r(j);
    r.protocol();
    r.text("tracking_code", m.trackingCode);
    r.text("status", m.status);
    return finish(r, std::move(m));
}

json PublicStatusReply::toJson() const {
    json list = json::array();
    for (const auto& e : events)
        list.push_back({{"status", e.status},
                        {"note", e.note},
                        {"agency", e.agency},
                        {"officer", e.officer},
                        {"expected_date", e.expectedDate},
                        {"updated_at", e.updatedAt}});
    return withProtocol({{"tracking_code", trackingCode},
                         {"created_at", createdAt},
                         {"received_at", receivedAt},
                         {"events", std::move(list)}});
}

std::expected<PublicStatusReply, std::string> PublicStatusReply::fromJson(const json& j) {
    if (!j.is_object()) return notObject();
    PublicStatusReply m;
    Reader r(j);
    r.protocol();
    r.text("tracking_code", m.trackingCode);
    r.text("created_at", m.createdAt);
    r.text("received_at", m.receivedAt);
    if (const json* list = r.array("events")) {
        for (const auto& e : *list) {
            if (!e.is_object()) return std::unexpected(std::string("bad_field:events"));
            PublicStatusEvent ev;
            Reader x(e, "events.");
            x.text("status", ev.status);
            x.text("note", ev.note);
            x.text("agency", ev.agency);
            x.text("officer", ev.officer);
            x.text("expected_date", ev.expectedDate);
            x.text("updated_at", ev.updatedAt);
            if (!x.ok()) return std::unexpected(x.error());
            m.events.push_back(std::move(ev));
        }
    }
    return finish(r, std::move(m));
}

}  // namespace ksync::proto
