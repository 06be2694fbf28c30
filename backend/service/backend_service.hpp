#pragma once
// The reference backend's protocol logic, independent of the HTTP library: each handler takes
// what it needs from a request and returns a complete response (status, headers, body). The
// HTTP adapter (http_server.hpp) only moves bytes. See docs/PROTOCOL.md.
//
// Thread-safety: handlers may run on many threads at once (they share only the storage, which
// is thread-safe, and immutable keys and dictionaries; each call makes its own codec).
// Logging: one line per request through the log callback — method, path, status, kiosk id and
// counts; never a body, a name, a phone number or any content.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "proto/bundle.hpp"
#include "proto/payload_codec.hpp"
#include "storage/backend_storage.hpp"
#include "text/strings.hpp"

namespace ksync::backend {

struct HttpRequestView {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // names lower case
    std::string body;
    std::map<std::string, std::string> query;  // URL query parameters (decoded)
    std::string remoteAddr;                    // the peer's address
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string{} : it->second;
    }
};

struct HttpReply {
    int status = 200;
    std::string contentType = "application/json";
    std::map<std::string, std::string> headers;
    std::string body;
    // When set, the body is streamed instead (chunked): called once on the server's thread with
    // a writer that sends each piece as it comes and returns false when the client is gone;
    // returns false to abort the response. For large downloads in constant memory.
    using Writer = std::function<bool(std::string_view)>;
    std::function<bool(const Writer&)> stream = {};
};

struct ServiceOptions {
    std::int64_t maxClockSkewMs = proto::kMaxClockSkewMs;
    std::size_t statusPageSize = 500;
    std::function<std::int64_t()> nowMs;          // default: the system clock
    std::function<void(const std::string&)> log;  // default: stderr
};

// Staff status update (shared by the CLI and the HTTP endpoint).
struct StaffUpdate {
    std::string code;  // any form parseTrackingCode accepts
    std::string status;
    std::string agency, officer, expectedDate, note;
};
// Returns the canonical code; the error is an English reason for the operator.
std::expected<std::string, std::string> applyStaffUpdate(BackendStorage& storage,
                                                         const StaffUpdate& u, std::int64_t nowMs);
bool isKnownStatus(std::string_view status);

// A to_city USB bundle ingested (BackendService::importBundle) and the return bundle for it.
struct BundleImport {
    std::string kioskId;
    std::size_t records = 0;  // in the bundle
    proto::UploadCounts counts;
    std::size_t statusUpdates = 0;  // in the return bundle
    bool config = false;            // the return bundle carries the config
    std::string returnName;         // proto::bundleFileName of the return bundle
    std::string returnBundle;       // its bytes, signed by this backend
};

class BackendService {
public:
    BackendService(BackendStorage& storage, platform::keys::DeviceKey backendKey,
                   std::shared_ptr<const proto::Dictionaries> dicts, ServiceOptions options = {});

    HttpReply health(const HttpRequestView& req);
    HttpReply enroll(const HttpRequestView& req);
    HttpReply uploadRecords(const HttpRequestView& req);
    HttpReply statusUpdates(const HttpRequestView& req);
    HttpReply config(const HttpRequestView& req);
    HttpReply heartbeat(const HttpRequestView& req);
    HttpReply staffUpdate(const HttpRequestView& req);
    HttpReply trackingPage(const std::string& code);
    HttpReply open311Services();
    HttpReply open311Requests(const std::map<std::string, std::string>& query);
    HttpReply open311Request(const std::string& id);
    // GET /api/v1/public/status/{code}: the public timeline as JSON (what /t/CODE shows: no
    // content, no contact), for kiosks looking up a code that is not their own.
    HttpReply publicStatus(const std::string& rawCode);

    // A to_city bundle (proto/bundle.hpp) from a USB stick: signature checked with the kiosk's
    // enrolled key, records ingested in batches exactly as uploads are (same idempotency, the
    // kiosk's own timestamps, the chain audit), the heartbeat kept; then the signed return
    // bundle: acknowledgements, status updates after the kiosk's cursor (and for the codes its
    // residents asked about), the current config. Importing the same bundle again stores nothing
    // twice and gives an equivalent return bundle. Storage failures are BundleRefusal::Io.
    std::expected<BundleImport, proto::BundleError> importBundle(std::string_view file);

    // Links supplements and ratings stored before their link to the case was kept (issue #14)
    // to their case, from their opened content; `serve` runs it at start. How many were linked.
    Result<std::size_t> linkAdditions();

    const platform::keys::DeviceKey& key() const { return m_key; }
    // The config document being served, parsed (the shipped default when none is set or it
    // cannot be read): categories, wards, reply days, holidays.
    proto::BackendConfig servedConfig();
    void log(const std::string& line) const;

private:
    struct Auth {
        std::string kioskId;
        std::string nonce;
    };
    // Verifies the signature headers; on failure returns the signed 401 reply to send.
    std::expected<Auth, HttpReply> authenticate(const HttpRequestView& req);
    HttpReply signedJson(int status, const std::string& nonce, const nlohmann::json& body) const;
    HttpReply storageFailure(const StorageError& e, const std::string& nonce) const;
    std::int64_t now() const;
    Result<proto::RecordsUploadReply> ingestUpload(const std::string& kioskId,
                                                   proto::ReceivedUpload& batch,
                                                   std::size_t& altered, std::int64_t nowMs);
    Result<void> keepHeartbeat(const std::string& kioskId, proto::HeartbeatRequest heartbeat,
                               std::int64_t nowMs);
    Result<ConfigDocument> currentConfig();

    BackendStorage& m_storage;
    platform::keys::DeviceKey m_key;
    std::shared_ptr<const proto::Dictionaries> m_dicts;
    ServiceOptions m_options;
    std::string m_configFallback;
    platform::text::Strings m_strings;  // Vietnamese, for the public page
    std::string categoryName(const std::string& code);
    std::map<std::string, std::string>
    categoryNames();  // code -> Vietnamese name, from the current config
};

// The default config document served until an operator sets one (assets + dictionary name).
std::string defaultServedConfig();
ConfigDocument makeConfigDocument(
    const std::string& json);  // version from the JSON, etag from its hash

}  // namespace ksync::backend
