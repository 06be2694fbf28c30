// The backend's protocol handlers, past authentication: a kiosk key is enrolled in a real
// SQLite store and every fuzzed body is signed with it, so the upload, status and heartbeat
// decoders run on arbitrary bytes; enrolment, staff updates, the tracking page and Open311
// take them unsigned. Invariant: every reply to the kiosk API is a JSON object with
// "protocol" (and "error" when the status is not 2xx/304).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "clock/clock.hpp"
#include "fuzz_input.hpp"
#include "keys/device_key.hpp"
#include "proto/payload_codec.hpp"
#include "proto/protocol.hpp"
#include "service/backend_service.hpp"
#include "storage/sqlite_storage.hpp"

using namespace ksync;
using namespace ksync::backend;

namespace {

struct World {
    std::filesystem::path dir;
    std::unique_ptr<SqliteStorage> storage;
    platform::keys::DeviceKey kioskKey = platform::keys::DeviceKey::generate();
    std::unique_ptr<BackendService> service;

    World() {
        char tmpl[] = "/tmp/fuzz-backend-XXXXXX";
        if (!mkdtemp(tmpl)) fuzz::fail("mkdtemp");
        dir = tmpl;
        auto s = SqliteStorage::open(dir / "backend.db");
        if (!s) fuzz::fail("cannot open the backend store");
        storage = std::move(*s);
        const auto now = platform::clock::unixMillis(platform::clock::now());
        auto token = storage->issueEnrolToken("7K3M", now + 3600 * 1000);
        if (!token || !storage->enrol(*token, "7K3M", kioskKey.publicKeyBase64(), now))
            fuzz::fail("cannot enrol");
        service = std::make_unique<BackendService>(
            *storage, platform::keys::DeviceKey::generate(), proto::Dictionaries::shipped(),
            ServiceOptions{proto::kMaxClockSkewMs, 500, {}, [](const std::string&) {}});
    }
    ~World() {
        service.reset();
        storage.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    HttpRequestView signedRequest(std::string method, std::string_view path, std::string body) {
        HttpRequestView r;
        r.method = std::move(method);
        r.path = std::string(path);
        const std::string ts = std::to_string(platform::clock::unixMillis(platform::clock::now()));
        const std::string nonce = proto::newNonce();
        r.headers["x-kiosk-id"] = "7K3M";
        r.headers["x-kiosk-timestamp"] = ts;
        r.headers["x-kiosk-nonce"] = nonce;
        r.headers["x-kiosk-signature"] = kioskKey.signBase64(
            proto::requestSigningString(r.method, r.path, "7K3M", ts, nonce, body));
        r.body = std::move(body);
        return r;
    }
};

void checkApiReply(const HttpReply& r) {
    if (r.status == 304) return;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("protocol"))
        fuzz::fail("API reply is not a JSON object with protocol");
    if (r.status >= 400 && !j.contains("error"))
        fuzz::fail("API error reply without an error code");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    if (size == 0) return 0;
    BackendService& svc = *world.service;
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 8) {
        case 0:
            checkApiReply(
                svc.uploadRecords(world.signedRequest("POST", proto::kPathRecords, body)));
            break;
        case 1:
            checkApiReply(svc.statusUpdates(world.signedRequest("POST", proto::kPathStatus, body)));
            break;
        case 2:
            checkApiReply(svc.heartbeat(world.signedRequest("POST", proto::kPathHeartbeat, body)));
            break;
        case 3: {
            HttpRequestView r;
            r.method = "POST";
            r.path = std::string(proto::kPathEnroll);
            r.headers["x-kiosk-id"] = "7K3M";
            r.headers["x-kiosk-nonce"] = proto::newNonce();
            r.body = body;
            checkApiReply(svc.enroll(r));
            break;
        }
        case 4: {
            HttpRequestView r;
            r.method = "POST";
            r.path = std::string(proto::kPathStaffUpdates);
            r.headers["authorization"] = "Bearer nope";
            r.body = body;
            checkApiReply(svc.staffUpdate(r));
            break;
        }
        case 5:
            (void)svc.trackingPage(body.substr(0, 80));
            break;
        case 6:
            (void)svc.open311Request(body.substr(0, 80));
            break;
        default: {
            fuzz::Bytes in(data + 1, size - 1);
            std::map<std::string, std::string> q;
            for (const char* k : {"service_code", "status", "start_date", "end_date"})
                q[k] = in.chunk(40);
            (void)svc.open311Requests(q);
            break;
        }
    }
    return 0;
}
